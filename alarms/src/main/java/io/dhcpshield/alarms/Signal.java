package io.dhcpshield.alarms;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule saw in one evaluation: the condition named by {@code sourceKey} holds now. The engine raises an alarm
 * for it or updates the open one; when no signal for the key arrives for {@code hold}, the alarm clears.
 *
 * @param parties the parties seen in this evaluation, with counts for this evaluation only (the engine adds them up)
 * @param hold    how long the condition must be gone before the alarm clears by itself
 */
public record Signal(String sourceKey, Channel channel, String category, String kind, Severity severity, String title,
                     String message, List<Party> parties, Map<String, String> facts, Duration hold) {

    public Signal {
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(hold, "hold");
        title = title == null ? "" : title;
        message = message == null ? "" : message;
        parties = List.copyOf(parties);
        facts = Map.copyOf(facts);
    }
}
