package io.dhcpshield.alarms;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One change the engine made to an alarm, as its listeners (the history writer, the dispatcher) see it.
 *
 * @param alarm the alarm after the change
 * @param actor {@code engine} for raises and updates, {@code auto} for an auto-clear, or the user
 * @param note  the operator's note on an acknowledge or clear ("" otherwise)
 * @param hold  the alarm's hold time (how long its condition must be gone before it clears by itself)
 */
public record AlarmChange(Type type, Instant time, Alarm alarm, String actor, String note, java.time.Duration hold) {

    public enum Type {
        RAISED, UPDATED, ESCALATED, ACKNOWLEDGED, CLEARED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The notification for this change, or null for an update (updates are not notified). */
        public Notification.Change notified() {
            return switch (this) {
                case RAISED -> Notification.Change.RAISED;
                case ESCALATED -> Notification.Change.ESCALATED;
                case ACKNOWLEDGED -> Notification.Change.ACKNOWLEDGED;
                case CLEARED -> Notification.Change.CLEARED;
                case UPDATED -> null;
            };
        }
    }

    public AlarmChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(alarm, "alarm");
        actor = actor == null ? "" : actor;
        note = note == null ? "" : note;
        Objects.requireNonNull(hold, "hold");
    }
}
