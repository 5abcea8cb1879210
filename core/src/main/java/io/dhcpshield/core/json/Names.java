package io.dhcpshield.core.json;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.dhcp6.Dhcp6MessageType;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Spellings shared by the JSON forms: error labels and categories, message type names. */
final class Names {

    private static final Map<String, DecodeError> ERRORS = new HashMap<>();

    static {
        for (DecodeError e : DecodeError.values()) {
            ERRORS.put(e.label(), e);
        }
    }

    private Names() {
    }

    /** The error of a label ({@code bad-magic-cookie}), or null for a label this build does not know. */
    static DecodeError error(String label) {
        return ERRORS.get(label);
    }

    /** {@code not-dhcp} or {@code malformed}. */
    static String category(DecodeError e) {
        return e.category().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String dhcp6(int type) {
        return Dhcp6MessageType.valueOf(type).name();
    }
}
