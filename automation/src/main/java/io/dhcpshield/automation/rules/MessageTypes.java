package io.dhcpshield.automation.rules;

import io.dhcpshield.core.dhcp4.Dhcp4MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Message-type filters by name: a name (DISCOVER, SOLICIT, REQUEST, ...) stands for every (family, code) that carries
 * it, so REQUEST, RELEASE and DECLINE match both DHCPv4 and DHCPv6 (add a family filter to pick one). The names are
 * matched here, in Java, against the known types, and the SQL compares the numeric (family, type) pairs the Stage-1
 * views and {@code dhcp_events.inner_type} hold (DHCPv6 relay wrappers are looked through: inner type).
 */
public final class MessageTypes {

    /** One message type: family 4 or 6 and its code. */
    public record Type(int family, int code, String name) {
    }

    private static final List<Type> ALL = load();

    private MessageTypes() {
    }

    static List<Type> all() {
        return ALL;
    }

    /** The types called {@code name} (case ignored): one or two (a name DHCPv4 and DHCPv6 share), or none. */
    public static List<Type> named(String name) {
        return matching(Rule.Match.EXACT, name);
    }

    /** The types whose name matches (exact and wildcard ignore case; a regex is used as written). */
    static List<Type> matching(Rule.Match match, String value) {
        Pattern p = switch (match) {
            case EXACT -> Pattern.compile(Pattern.quote(value.strip()), Pattern.CASE_INSENSITIVE);
            case WILDCARD -> Pattern.compile(wildcardRegex(value), Pattern.CASE_INSENSITIVE);
            case REGEX -> Pattern.compile(value);
        };
        List<Type> out = new ArrayList<>();
        for (Type t : ALL) {
            boolean m = match == Rule.Match.REGEX ? p.matcher(t.name()).find() : p.matcher(t.name()).matches();
            if (m) out.add(t);
        }
        return out;
    }

    private static String wildcardRegex(String w) {
        StringBuilder sb = new StringBuilder();
        for (char c : w.toCharArray()) {
            if (c == '*') sb.append(".*");
            else if (c == '?') sb.append('.');
            else sb.append(Pattern.quote(String.valueOf(c)));
        }
        return sb.toString();
    }

    private static List<Type> load() {
        List<Type> out = new ArrayList<>();
        for (int c = 1; c < 256; c++) {
            Dhcp4MessageType t = Dhcp4MessageType.valueOf(c);
            if (t.isKnown()) out.add(new Type(4, c, t.name().toUpperCase(Locale.ROOT)));
        }
        for (int c = 1; c < 256; c++) {
            Dhcp6MessageType t = Dhcp6MessageType.valueOf(c);
            if (t.isKnown()) out.add(new Type(6, c, t.name().toUpperCase(Locale.ROOT)));
        }
        return List.copyOf(out);
    }
}
