package io.dhcpshield.automation;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One alarm as automation raises it, for the alarms engine and the {@code alarms} table: what kind of thing was seen,
 * about whom ({@code subject}: a MAC, a client mark), a sentence for the operator and the facts behind it
 * ({@code context}: the peers, the counts, the values before and after). Immutable.
 *
 * @param id       unique id ({@code alarms.alarm_id})
 * @param time     when it was raised
 * @param source   who raised it: {@code detector:fingerprint_change}, ...
 * @param kind     what was seen: {@code fingerprint_change}, {@code chaddr_mismatch}, {@code mac_circuits},
 *                 {@code mark_collision}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param subject  the client it is about, as the operator searches for it ({@code 02:00:5e:00:99:01}, {@code 0x009901})
 * @param message  one sentence naming the subject and what changed
 * @param context  the facts, in a stable order (keys snake_case, values text)
 */
public record AlarmEvent(String id, Instant time, String source, String kind, String severity, String subject,
                         String message, Map<String, String> context) {

    /** The severities, as rules and the {@code alarms} table spell them. */
    public static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    public AlarmEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException("severity must be one of info, warning, critical, was " + severity);
        }
        context = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(context, "context")));
    }
}
