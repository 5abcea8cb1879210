package io.dhcpshield.alarms;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A change of an alarm that a route sent to a sink: what happened ({@code raised}, {@code escalated},
 * {@code acknowledged}, {@code cleared}) and the alarm as it is after the change.
 *
 * @param id    unique per notification (a sink's receiver can de-duplicate retried deliveries with it)
 * @param route the id of the route that matched
 */
public record Notification(String id, Instant time, Change change, String route, Alarm alarm) {

    /** The changes that are notified (an update with a new occurrence is not). */
    public enum Change {
        RAISED, ESCALATED, ACKNOWLEDGED, CLEARED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(alarm, "alarm");
    }
}
