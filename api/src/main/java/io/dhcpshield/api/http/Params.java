package io.dhcpshield.api.http;

import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query parameters, validated before anything reaches SQL or nft: each parameter at most once, known names only
 * (a mistyped filter must not silently return everything), typed parsing with a 400 naming the parameter.
 */
public final class Params {

    private final Map<String, List<String>> query;

    public Params(Map<String, List<String>> query) {
        this.query = query;
    }

    /** Refuses parameters outside {@code allowed}. */
    public Params only(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String name : query.keySet()) {
            if (!ok.contains(name)) {
                throw ApiError.badRequest(name, "unknown parameter '" + name + "'"
                        + (allowed.length == 0 ? "" : "; expected " + String.join(", ", allowed)));
            }
        }
        return this;
    }

    /** The raw value, or null when absent; 400 when given twice or containing control characters. */
    public String string(String name, int maxLength) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ApiError.badRequest(name, name + " given more than once");
        }
        String s = v.get(0);
        if (s.length() > maxLength) {
            throw ApiError.badRequest(name, name + " is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20) {
                throw ApiError.badRequest(name, name + " contains a control character");
            }
        }
        return s.isEmpty() ? null : s;
    }

    public MacAddress mac(String name) {
        String s = string(name, 32);
        if (s == null) {
            return null;
        }
        try {
            return MacAddress.parse(s);
        } catch (RuntimeException e) {
            throw ApiError.badRequest(name, name + " is not a MAC address (aa:bb:cc:dd:ee:ff): '" + s + "'");
        }
    }

    public IpAddress ip(String name) {
        String s = string(name, 64);
        if (s == null) {
            return null;
        }
        return ip(name, s);
    }

    /** Parses an address given as text; 400 naming {@code field} when it is not one. */
    public static IpAddress ip(String field, String s) {
        try {
            return IpAddress.parse(s);
        } catch (RuntimeException e) {
            throw ApiError.badRequest(field, field + " is not an IPv4 or IPv6 address: '" + s + "'");
        }
    }

    /** ISO-8601 ({@code 2026-12-04T10:00:00Z}) or epoch seconds. */
    public Instant instant(String name) {
        String s = string(name, 40);
        if (s == null) {
            return null;
        }
        if (s.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name, name + " is not a time (ISO-8601 such as 2026-12-04T10:00:00Z, or epoch "
                    + "seconds): '" + s + "'");
        }
    }

    public int integer(String name, int min, int max, int dflt) {
        String s = string(name, 12);
        if (s == null) {
            return dflt;
        }
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, name + " is not an integer: '" + s + "'");
        }
        if (v < min || v > max) {
            throw ApiError.badRequest(name, name + " must be " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    public boolean bool(String name) {
        String s = string(name, 8);
        if (s == null) {
            return false;
        }
        return switch (s) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiError.badRequest(name, name + " must be true or false, was '" + s + "'");
        };
    }

    /** One of {@code choices}, or null when absent. */
    public String oneOf(String name, String... choices) {
        String s = string(name, 64);
        if (s == null) {
            return null;
        }
        for (String c : choices) {
            if (c.equals(s)) {
                return s;
            }
        }
        throw ApiError.badRequest(name, name + " must be one of " + String.join(", ", choices) + ", was '" + s + "'");
    }
}
