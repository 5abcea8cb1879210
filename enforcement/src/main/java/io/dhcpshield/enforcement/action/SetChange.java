package io.dhcpshield.enforcement.action;

import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import java.util.Objects;

/**
 * One element change in one kernel set. {@link Op#PUT} writes the element with a fresh timeout even when it is
 * already there; {@link Op#REMOVE} takes it out and is not an error when it is absent.
 *
 * @param value   the set key: a 24-bit client mark, or (tracked_marks) the mark with its type bits
 * @param timeout seconds; used by PUT only
 */
public record SetChange(Op op, EnforcementSet set, long value, long timeout) {
    public enum Op { PUT, REMOVE }

    public SetChange {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(set, "set");
    }

    public static SetChange put(EnforcementSet set, long value, long timeoutSeconds) {
        return new SetChange(Op.PUT, set, value, timeoutSeconds);
    }

    public static SetChange remove(EnforcementSet set, long value) {
        return new SetChange(Op.REMOVE, set, value, 0);
    }
}
