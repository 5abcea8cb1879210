package io.dhcpshield.alarms.rules;

import io.dhcpshield.core.net.AddressList;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.storage.OperationalKeys;

import java.time.Duration;

/**
 * The operational values the alarm rules and the dispatcher read at every evaluation (so a change in the GUI takes
 * effect at the next one): {@code operational.alarms.*}.
 */
public record Thresholds(boolean active, Duration hold, Duration findingHold, AddressList rogueAllowed,
                         long starvationClientsPerMinute, long stormPacketsPerMinute, long naksPerMinute,
                         long verdictLatencyMs, long notifyPerMinute, Duration dedupe, Duration agentSilent) {

    /** The compiled defaults (before the operational config is there). */
    public static Thresholds defaults() {
        return new Thresholds(OperationalKeys.ALARMS_ACTIVE.defaultValue(),
                Duration.ofSeconds(OperationalKeys.ALARMS_HOLD_SECONDS.defaultValue()),
                Duration.ofSeconds(OperationalKeys.ALARMS_FINDING_HOLD_SECONDS.defaultValue()),
                AddressList.parse(OperationalKeys.ALARMS_ROGUE_ALLOWED.defaultValue()),
                OperationalKeys.ALARMS_STARVATION_CLIENTS.defaultValue(),
                OperationalKeys.ALARMS_STORM_PACKETS.defaultValue(),
                OperationalKeys.ALARMS_NAK_STORM.defaultValue(),
                OperationalKeys.ALARMS_VERDICT_LATENCY_MS.defaultValue(),
                OperationalKeys.ALARMS_NOTIFY_PER_MINUTE.defaultValue(),
                Duration.ofSeconds(OperationalKeys.ALARMS_DEDUPE_SECONDS.defaultValue()),
                Duration.ofSeconds(OperationalKeys.ALARMS_AGENT_SILENT_SECONDS.defaultValue()));
    }

    /** The effective values (database &gt; YAML &gt; default). */
    public static Thresholds of(OperationalConfig c) {
        return new Thresholds(c.get(OperationalKeys.ALARMS_ACTIVE),
                Duration.ofSeconds(c.get(OperationalKeys.ALARMS_HOLD_SECONDS)),
                Duration.ofSeconds(c.get(OperationalKeys.ALARMS_FINDING_HOLD_SECONDS)),
                AddressList.parse(c.get(OperationalKeys.ALARMS_ROGUE_ALLOWED)),
                c.get(OperationalKeys.ALARMS_STARVATION_CLIENTS),
                c.get(OperationalKeys.ALARMS_STORM_PACKETS),
                c.get(OperationalKeys.ALARMS_NAK_STORM),
                c.get(OperationalKeys.ALARMS_VERDICT_LATENCY_MS),
                c.get(OperationalKeys.ALARMS_NOTIFY_PER_MINUTE),
                Duration.ofSeconds(c.get(OperationalKeys.ALARMS_DEDUPE_SECONDS)),
                Duration.ofSeconds(c.get(OperationalKeys.ALARMS_AGENT_SILENT_SECONDS)));
    }
}
