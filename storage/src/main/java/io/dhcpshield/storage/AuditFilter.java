package io.dhcpshield.storage;

import java.time.Instant;

/**
 * Which audit entries to list: time in {@code [from, to)} (required) and, where not null, exactly this actor,
 * exactly this action or actions starting with {@code actionPrefix} (e.g. {@code user.}), exactly this target.
 */
public record AuditFilter(Instant from, Instant to, String actor, String action, String actionPrefix,
                          String target) {

    public AuditFilter {
        Arguments.range(from, to);
        Arguments.filter(actor, "actor");
        Arguments.filter(action, "action");
        Arguments.filter(actionPrefix, "actionPrefix");
        Arguments.filter(target, "target");
    }

    /** Every entry in {@code [from, to)}. */
    public static AuditFilter between(Instant from, Instant to) {
        return new AuditFilter(from, to, null, null, null, null);
    }

    public AuditFilter actor(String actor) {
        return new AuditFilter(from, to, actor, action, actionPrefix, target);
    }

    public AuditFilter action(String action) {
        return new AuditFilter(from, to, actor, action, actionPrefix, target);
    }

    public AuditFilter actionPrefix(String actionPrefix) {
        return new AuditFilter(from, to, actor, action, actionPrefix, target);
    }

    public AuditFilter target(String target) {
        return new AuditFilter(from, to, actor, action, actionPrefix, target);
    }
}
