package io.dhcpshield.api.http;

/** Who may call a route: anyone, or a token whose role allows at least this. */
public enum Access {
    PUBLIC(null), VIEWER(Role.VIEWER), OPERATOR(Role.OPERATOR), ADMIN(Role.ADMIN);

    private final Role role;

    Access(Role role) {
        this.role = role;
    }

    /** The least role required; null for public routes. */
    public Role role() {
        return role;
    }
}
