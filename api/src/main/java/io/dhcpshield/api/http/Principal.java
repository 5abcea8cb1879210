package io.dhcpshield.api.http;

import java.time.Instant;
import java.util.Objects;

/**
 * Who made a request: the user of a verified access token, its role, the token's id and refresh family, when it was
 * issued and when it expires.
 */
public record Principal(String username, Role role, String tokenId, String family, Instant issuedAt,
                       Instant expiresAt) {
    public Principal {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
    }
}
