package io.dhcpshield.storage;

import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Literal binding for ClickHouse SQL that both 18.16 and modern servers accept. Query parameters
 * ({@code {name:Type}}) do not exist on 18.16 and the R2DBC driver binds by text substitution anyway, so every value
 * from a request goes through {@link #bind} and is written as an escaped, typed literal: nothing is concatenated.
 */
public final class Sql {

    private static final HexFormat HEX = HexFormat.of();

    private Sql() {
    }

    /**
     * Replaces each {@code ?} in {@code template} with the literal of the next value. Supported values: String,
     * Integer/Long/Short/Byte, Boolean (0/1), {@link Instant} (a DateTime), {@link IpAddress} (a FixedString(16) in
     * the mapped form the tables store), {@link MacAddress} (UInt64). A {@code ?} inside a quoted string in the
     * template is not a placeholder.
     */
    public static String bind(String template, Object... values) {
        Objects.requireNonNull(template, "template");
        StringBuilder sb = new StringBuilder(template.length() + 16 * values.length);
        int next = 0;
        boolean quoted = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\'' && (i == 0 || template.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == '?' && !quoted) {
                if (next >= values.length) {
                    throw new IllegalArgumentException("more placeholders than values in: " + template);
                }
                sb.append(literal(values[next++]));
            } else {
                sb.append(c);
            }
        }
        if (next != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + next + " placeholders in: " + template);
        }
        return sb.toString();
    }

    /** The SQL literal of one value. */
    public static String literal(Object v) {
        if (v == null) {
            throw new IllegalArgumentException("null is not bound: the tables use empty values, not NULL");
        }
        if (v instanceof String s) {
            return string(s);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return v.toString();
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Instant t) {
            return "toDateTime(" + t.getEpochSecond() + ")";
        }
        if (v instanceof IpAddress ip) {
            return "toFixedString(unhex('" + HEX.formatHex(mapped(ip)) + "'), 16)";
        }
        if (v instanceof MacAddress mac) {
            return "toUInt64(" + mac.value() + ")";
        }
        throw new IllegalArgumentException("cannot bind a " + v.getClass().getName());
    }

    /** A quoted string literal: backslash and quote escaped, control bytes as escapes. */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** The 16 bytes stored for an address: IPv6 as is, IPv4 as {@code ::ffff:a.b.c.d}; all zero for null. */
    public static byte[] mapped(IpAddress ip) {
        byte[] out = new byte[16];
        if (ip == null) {
            return out;
        }
        byte[] b = ip.toBytes();
        if (b.length == 16) {
            return b;
        }
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(b, 0, out, 12, 4);
        return out;
    }

    /** The inverse of {@link #mapped}: null for all zero bytes, IPv4 for the mapped form. */
    public static IpAddress unmapped(byte[] b) {
        boolean zero = true;
        for (byte x : b) {
            zero &= x == 0;
        }
        if (zero) {
            return null;
        }
        boolean v4 = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
        for (int i = 0; i < 10 && v4; i++) {
            v4 = b[i] == 0;
        }
        return v4 ? IpAddress.of(new byte[] {b[12], b[13], b[14], b[15]}) : IpAddress.of(b);
    }
}
