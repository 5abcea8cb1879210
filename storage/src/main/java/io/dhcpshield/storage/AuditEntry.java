package io.dhcpshield.storage;

import java.time.Instant;

/**
 * One row of {@code users_audit_log}: at {@code time}, {@code actor} did {@code action} (dotted, e.g.
 * {@code user.create}, {@code config.set}) on {@code target}; {@code username} is the account the entry concerns
 * and {@code detail} free text or JSON. Empty text where a field does not apply (null reads as empty).
 * {@link AuditLog#write} refuses an empty actor or action; rows read back are returned as stored.
 */
public record AuditEntry(Instant time, String actor, String username, String action, String target, String detail) {

    public AuditEntry {
        Arguments.required(time, "time");
        Arguments.required(actor, "actor");
        Arguments.required(action, "action");
        username = username == null ? "" : username;
        target = target == null ? "" : target;
        detail = detail == null ? "" : detail;
    }
}
