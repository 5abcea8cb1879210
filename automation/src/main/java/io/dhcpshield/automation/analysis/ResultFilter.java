package io.dhcpshield.automation.analysis;

import io.dhcpshield.enforcement.action.ActionTarget;

import java.time.Instant;
import java.util.Objects;

/**
 * Which analyses to list: requested in {@code [from, to)} and, where not null, on this device (its client mark),
 * requested by this actor ({@code user:alice}, {@code automation_rule:<id>}), now in this state.
 */
public record ResultFilter(Instant from, Instant to, ActionTarget target, String requestedBy, AnalysisState state) {

    public ResultFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    public static ResultFilter between(Instant from, Instant to) {
        return new ResultFilter(from, to, null, null, null);
    }

    public ResultFilter target(ActionTarget t) {
        return new ResultFilter(from, to, t, requestedBy, state);
    }

    public ResultFilter requestedBy(String actor) {
        return new ResultFilter(from, to, target, actor, state);
    }

    public ResultFilter state(AnalysisState s) {
        return new ResultFilter(from, to, target, requestedBy, s);
    }
}
