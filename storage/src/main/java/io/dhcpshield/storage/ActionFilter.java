package io.dhcpshield.storage;

import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;

import java.time.Instant;

/**
 * Which actions to list: taken in {@code [from, to)} (required) and, where not null, taken by this actor (its name,
 * e.g. {@code alice} or a rule id), on this target, of this type. A MAC or DUID target matches the actions aimed at
 * exactly that MAC or DUID; a client-mark target matches every action on that mark, whatever it was aimed at (the
 * kernel sets are keyed by the mark, so all of them acted on it).
 */
public record ActionFilter(Instant from, Instant to, String actor, ActionTarget target, ActionType type) {

    public ActionFilter {
        Arguments.range(from, to);
        Arguments.filter(actor, "actor");
    }

    /** Every action taken in {@code [from, to)}. */
    public static ActionFilter between(Instant from, Instant to) {
        return new ActionFilter(from, to, null, null, null);
    }

    public ActionFilter actor(String actor) {
        return new ActionFilter(from, to, actor, target, type);
    }

    public ActionFilter target(ActionTarget target) {
        return new ActionFilter(from, to, actor, target, type);
    }

    public ActionFilter type(ActionType type) {
        return new ActionFilter(from, to, actor, target, type);
    }
}
