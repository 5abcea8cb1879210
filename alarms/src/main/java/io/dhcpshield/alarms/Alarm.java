package io.dhcpshield.alarms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alarm, immutable: every change makes a new one. At most one alarm per {@code sourceKey} is open (raised or
 * acknowledged) at a time; a condition seen again while its alarm is open updates that alarm (occurrences, last seen,
 * context) instead of raising another.
 *
 * @param id             unique id
 * @param sourceKey      what the alarm is about, stable across occurrences: {@code rogue_server/198.18.0.9},
 *                       {@code health/writer/clickhouse}; notification routes match it with a regex
 * @param channel        where it came from
 * @param category       the coarse class a route matches: {@code security}, {@code traffic}, {@code client},
 *                       {@code health}
 * @param kind           the rule that raised it: {@code rogue_server}, {@code starvation}, {@code relay_storm},
 *                       {@code nak_storm}, a detector's kind, {@code automation_rule}, {@code queue_unbound}, ...
 * @param title          one line for the bell
 * @param message        the latest sentence from the rule, naming what it saw and the threshold
 * @param occurrences    evaluations that saw the condition while the alarm was open
 * @param lastSeen       when the condition was last seen (auto-clear counts its hold time from here)
 * @param acknowledgedBy the user who acknowledged it ("" until then)
 * @param clearedBy      {@code auto} or the user who cleared it ("" until then)
 * @param context        the offending parties, the most seen first
 * @param facts          the numbers behind it (threshold, observed value, window), keys snake_case
 */
public record Alarm(String id, String sourceKey, Channel channel, String category, String kind, Severity severity,
                    AlarmState state, String title, String message, Instant raisedAt, Instant lastSeen,
                    long occurrences, Instant acknowledgedAt, String acknowledgedBy, Instant clearedAt,
                    String clearedBy, List<Party> context, Map<String, String> facts) {

    public Alarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(raisedAt, "raisedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
        title = title == null ? "" : title;
        message = message == null ? "" : message;
        acknowledgedBy = acknowledgedBy == null ? "" : acknowledgedBy;
        clearedBy = clearedBy == null ? "" : clearedBy;
        context = List.copyOf(context);
        facts = Map.copyOf(facts);
    }

    public boolean open() {
        return state.open();
    }
}
