package io.dhcpshield.api.http;

import java.util.Locale;

/** What a user may do: viewers read, operators also act on clients, admins also manage users and config. */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** True when this role includes everything {@code required} may do. */
    public boolean allows(Role required) {
        return ordinal() >= required.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a label; {@link IllegalArgumentException} for anything else. */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.label().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be viewer, operator or admin, was '" + s + "'");
    }
}
