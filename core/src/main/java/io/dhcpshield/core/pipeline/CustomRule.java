package io.dhcpshield.core.pipeline;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One rule of the deprecated custom rule engine ({@code rules.rules} in config.yaml): when {@code field} matches
 * {@code value} (exactly, by shell-style wildcard, or by regular expression), the packet gets {@code mark} instead
 * of the computed one. Kept for installations that still rely on it; automation rules replace it.
 */
public final class CustomRule {

    /** The packet field a rule looks at. */
    public enum Field {
        CLIENT_MAC, VENDOR_CLASS, HOSTNAME, CLIENT_IDENTIFIER;

        /** Parses the config spelling: {@code client_mac}, {@code vendor_class}, ... */
        public static Field parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown rule field '" + s
                        + "' (expected client_mac, vendor_class, hostname or client_identifier)");
            }
        }
    }

    /** How {@code value} is compared. */
    public enum MatchType {
        EXACT, WILDCARD, REGEX;

        public static MatchType parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown match type '" + s + "' (expected exact, wildcard or regex)");
            }
        }
    }

    private final String name;
    private final Field field;
    private final MatchType matchType;
    private final String value;
    private final int mark;
    private final Pattern pattern;

    public CustomRule(String name, Field field, MatchType matchType, String value, int mark) {
        this.name = Objects.requireNonNull(name, "name");
        this.field = Objects.requireNonNull(field, "field");
        this.matchType = Objects.requireNonNull(matchType, "matchType");
        this.value = Objects.requireNonNull(value, "value");
        this.mark = mark;
        try {
            this.pattern = switch (matchType) {
                case EXACT -> null;
                case WILDCARD -> Pattern.compile(wildcardToRegex(value), Pattern.CASE_INSENSITIVE);
                case REGEX -> Pattern.compile(value);
            };
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("rule '" + name + "': bad regular expression: " + e.getDescription(), e);
        }
    }

    public String name() {
        return name;
    }

    public Field field() {
        return field;
    }

    public int mark() {
        return mark;
    }

    /** True when {@code fieldValue} (null when the packet lacks the field) matches. */
    public boolean matches(String fieldValue) {
        if (fieldValue == null) {
            return false;
        }
        return switch (matchType) {
            case EXACT -> field == Field.CLIENT_MAC || field == Field.CLIENT_IDENTIFIER
                    ? value.equalsIgnoreCase(fieldValue) : value.equals(fieldValue);
            case WILDCARD -> pattern.matcher(fieldValue).matches();
            case REGEX -> pattern.matcher(fieldValue).find();
        };
    }

    private static String wildcardToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return sb.toString();
    }
}
