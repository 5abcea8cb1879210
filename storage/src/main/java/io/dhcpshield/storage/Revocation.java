package io.dhcpshield.storage;

import java.time.Instant;
import java.util.Locale;

/**
 * One revocation of API tokens: a single token, a refresh-token family, or every token of a user issued before
 * {@code revokedAt}. It matters until {@code expiresAt}, the longest any token it revokes could still be valid.
 *
 * @param id       the token id ({@link Kind#TOKEN}) or family id ({@link Kind#FAMILY}); empty for {@link Kind#USER}
 * @param username whose tokens; required for {@link Kind#USER}, may be empty otherwise
 */
public record Revocation(Kind kind, String id, String username, Instant revokedAt, Instant expiresAt, String reason,
                         String actor) {

    /** What a revocation covers. */
    public enum Kind {
        TOKEN, FAMILY, USER;

        /** The text stored in {@code token_revocations.kind}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Revocation {
        Arguments.required(kind, "kind");
        if (kind == Kind.USER) {
            id = Arguments.orEmpty(id, "id");
            Arguments.text(username, "username");
        } else {
            Arguments.text(id, "id");
            username = Arguments.orEmpty(username, "username");
        }
        Arguments.time(revokedAt, "revokedAt");
        Arguments.time(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(revokedAt)) {
            throw new IllegalArgumentException("expiresAt must be after revokedAt, was " + expiresAt);
        }
        reason = Arguments.orEmpty(reason, "reason");
        Arguments.text(actor, "actor");
    }
}
