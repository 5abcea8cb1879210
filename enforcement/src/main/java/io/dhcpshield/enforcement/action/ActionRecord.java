package io.dhcpshield.enforcement.action;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One action as the audit history keeps it: who, what, target, reason, the requested duration, the timeout the
 * kernel entry got (the smaller of the duration and the set's timeout), when, and how it ended. Immutable; a state
 * change is a new version with the same id (the ClickHouse table is a ReplacingMergeTree on {@code id}).
 *
 * @param duration      requested duration; {@link Duration#ZERO} is permanent (deny) or not applicable
 * @param kernelTimeout the timeout written with the kernel entry, in seconds (0 for cleanup and analyze)
 * @param expiresAt     when the kernel entry lapses; null for permanent deny and for instant actions
 * @param endedBy       who or what ended it ({@code actor}, or the id of the superseding/cleanup action)
 * @param cleared       for a cleanup: the ids of the actions it ended, so undoing the cleanup can restore them
 * @param error         the kernel's error text when {@link State#FAILED}
 */
public record ActionRecord(UUID id, ActionType type, ActionTarget target, Actor actor, String reason,
                           Duration duration, long kernelTimeout, Instant at, Instant expiresAt, State state,
                           Instant endedAt, String endedBy, List<UUID> cleared, String error) {

    public enum State {
        /** In force (its kernel entry exists, or is re-armed for a deny). */
        ACTIVE,
        /** Its duration passed. */
        EXPIRED,
        UNDONE,
        /** The same action on the same client was taken again and replaced it. */
        SUPERSEDED,
        /** A cleanup removed the client from every set. */
        CLEARED,
        /** Instant actions (cleanup, analyze) once carried out. */
        DONE,
        /** The kernel transaction failed; nothing changed. */
        FAILED
    }

    public ActionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        duration = duration == null ? Duration.ZERO : duration;
        cleared = cleared == null ? List.of() : List.copyOf(cleared);
        error = error == null ? "" : error;
        endedBy = endedBy == null ? "" : endedBy;
    }

    public boolean permanent() { return type == ActionType.DENY; }

    /** Active and, unless permanent, not yet past its expiry at {@code now}. */
    public boolean activeAt(Instant now) {
        return state == State.ACTIVE && (expiresAt == null || now.isBefore(expiresAt));
    }

    public ActionRecord ended(State newState, Instant when, String by) {
        return new ActionRecord(id, type, target, actor, reason, duration, kernelTimeout, at, expiresAt, newState,
                when, by, cleared, error);
    }

    ActionRecord reactivated() {
        return new ActionRecord(id, type, target, actor, reason, duration, kernelTimeout, at, expiresAt, State.ACTIVE,
                null, "", cleared, error);
    }
}
