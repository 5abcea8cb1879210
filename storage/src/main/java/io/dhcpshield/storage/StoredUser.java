package io.dhcpshield.storage;

import java.time.Instant;

/**
 * An API user as stored in {@code users}: the password only as a hash (the API hashes; storage never sees a
 * password), a role name and whether the account is disabled. {@code updatedAt} is when the stored version was
 * written; {@link UserStore#put} sets it from its clock and ignores the value given.
 */
public record StoredUser(String username, String passwordHash, String role, boolean disabled, Instant updatedAt) {

    public StoredUser {
        Arguments.text(username, "username");
        Arguments.text(passwordHash, "passwordHash");
        Arguments.text(role, "role");
    }
}
