package io.dhcpshield.storage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every operational key (Operational config: tunable at runtime, stored in {@code system_config}) with its type and
 * compiled default, in one place. A value is resolved database (FINAL) &gt; YAML &gt; the default here; see
 * {@link OperationalConfig}. Features follow enable vs active: {@code <feature>.enabled} is Core config (YAML, read at
 * start), {@code operational.<feature>.active} is one of these keys.
 */
public final class OperationalKeys {

    /** One typed key. {@code parse} rejects a malformed text with an exception. */
    public record Key<T>(String name, Class<T> type, T defaultValue, Function<String, T> parse, String description) {
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(defaultValue, "defaultValue");
            if (!name.matches("operational\\.[a-z0-9_]+(\\.[a-z0-9_]+)+")) {
                throw new IllegalArgumentException("bad operational key name " + name);
            }
        }

        /** The stored text of a value (what system_config and the audit log hold). */
        public String format(Object value) {
            return String.valueOf(type.cast(value));
        }

        /** The value for a stored text; fails on a malformed or out-of-range text. */
        public T valueOf(String text) {
            return parse.apply(text.strip());
        }
    }

    private static final Map<String, Key<?>> BY_NAME = new LinkedHashMap<>();

    // Feature active toggles (the matching "<feature>.enabled" lives in YAML, Core config).
    public static final Key<Boolean> AUTOMATION_ACTIVE = bool("operational.automation.active", false,
            "run automation rules on Stage-1 aggregates");
    public static final Key<Boolean> LLM_ACTIVE = bool("operational.llm.active", false,
            "send suspicious clients to the LLM analyst");
    public static final Key<Boolean> ALARMS_ACTIVE = bool("operational.alarms.active", true, "raise alarms");
    public static final Key<Boolean> VALIDATOR_ACTIVE = bool("operational.validator.active", true,
            "API request validator middleware");
    public static final Key<Boolean> RETENTION_ACTIVE = bool("operational.retention.active", true,
            "drop day partitions older than the retention days");

    // Alarms (docs/alarms.md): hold times, the built-in rules' thresholds (per minute, over the last minute), limits.
    public static final Key<Long> ALARMS_HOLD_SECONDS = number("operational.alarms.hold_seconds", 120, 1, 86_400,
            "seconds a condition must be gone before its alarm clears by itself");
    public static final Key<Long> ALARMS_FINDING_HOLD_SECONDS = number("operational.alarms.finding_hold_seconds",
            3600, 1, 604_800, "the same for alarms of detectors and automation rules (findings, not conditions)");
    public static final Key<String> ALARMS_ROGUE_ALLOWED = text("operational.alarms.rogue_server.allowed", "",
            io.dhcpshield.core.net.AddressList::parse, "the DHCP servers that may answer: addresses, prefixes, MACs, "
            + "duid:<hex>; comma separated; empty turns the rogue-server alarm off");
    public static final Key<Long> ALARMS_STARVATION_CLIENTS = number(
            "operational.alarms.starvation.clients_per_minute", 500, 1, 100_000_000,
            "distinct clients sending DISCOVER/SOLICIT through one relay (or directly) without getting a lease, "
            + "in a minute, that raise the starvation alarm");
    public static final Key<Long> ALARMS_STORM_PACKETS = number("operational.alarms.relay_storm.packets_per_minute",
            6000, 1, 1_000_000_000, "client packets per relay and circuit in a minute that raise the storm alarm");
    public static final Key<Long> ALARMS_NAK_STORM = number("operational.alarms.nak_storm.naks_per_minute", 100, 1,
            1_000_000_000, "DHCPNAKs from one server in a minute that raise the NAK storm alarm");
    public static final Key<Long> ALARMS_VERDICT_LATENCY_MS = number("operational.alarms.verdict_latency_ms", 50, 1,
            60_000, "99th percentile of verdict latency (per evaluation interval) above which the latency alarm "
            + "is raised");
    public static final Key<Long> ALARMS_AGENT_SILENT_SECONDS = number("operational.alarms.agent_silent_seconds", 300,
            10, 604_800, "seconds without a TZSP datagram from a remote dhcp-agent the collector has heard from, after "
            + "which the agent-silent alarm is raised");
    public static final Key<Long> ALARMS_NOTIFY_PER_MINUTE = number("operational.alarms.notify_per_minute", 30, 1,
            100_000, "notifications one route sends to one sink per minute at most (the rest are counted)");
    public static final Key<Long> ALARMS_DEDUPE_SECONDS = number("operational.alarms.dedupe_seconds", 300, 0, 86_400,
            "seconds within which the same change of the same source key is notified once");

    // Throttling and burst detection.
    public static final Key<Long> THROTTLE_RATE_PER_MINUTE = number("operational.throttle.rate_per_minute", 10, 1,
            1_000_000, "packets per minute a throttled client may send");
    public static final Key<Long> THROTTLE_BURST = number("operational.throttle.burst", 20, 1, 1_000_000,
            "burst allowance of a throttled client");
    public static final Key<Long> BURST_THRESHOLD_PER_MINUTE = number("operational.burst_detection.threshold_per_minute",
            600, 1, 100_000_000, "events per client per minute that count as a burst");

    // API / GUI limits.
    public static final Key<Long> WEBSOCKET_MAX_MESSAGES_PER_SECOND = number(
            "operational.websocket.max_messages_per_second", 50, 1, 100_000,
            "events per second each live-stream connection receives on average; the rest are skipped and counted");
    public static final Key<Long> WEBSOCKET_BURST = number("operational.websocket.burst", 200, 1, 1_000_000,
            "events a live-stream connection may receive at once above its average rate");
    public static final Key<Long> SUPPORT_MAX_SESSIONS = number("operational.support.max_sessions", 2, 0, 1000,
            "concurrent support sessions");

    // Retention (application side, no TTL: see Retention).
    public static final Key<Long> RETENTION_EVENTS_DAYS = number("operational.retention.events_days", 30, 1, 36_500,
            "days of dhcp_events and dhcp_bindings kept");
    public static final Key<Long> RETENTION_STATS_DAYS = number("operational.retention.stats_days", 90, 1, 36_500,
            "days of Stage-1 aggregates kept");
    public static final Key<Long> RETENTION_LOGS_DAYS = number("operational.retention.logs_days", 365, 1, 36_500,
            "days of actions_log and alarms kept");

    private OperationalKeys() {
    }

    /** Every key, in declaration order. */
    public static List<Key<?>> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The key of that name, or null. */
    public static Key<?> byName(String name) {
        return BY_NAME.get(name);
    }

    /** {@code operational.<feature>.active}, or null when the feature has no toggle. */
    public static Key<?> activeKey(String feature) {
        return BY_NAME.get("operational." + feature + ".active");
    }

    private static Key<Boolean> bool(String name, boolean def, String description) {
        return register(new Key<>(name, Boolean.class, def, s -> switch (s.toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + ": not a boolean: '" + s + "'");
        }, description));
    }

    private static Key<String> text(String name, String def, java.util.function.Consumer<String> validate,
                                    String description) {
        return register(new Key<>(name, String.class, def, s -> {
            try {
                validate.accept(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
            return s;
        }, description));
    }

    private static Key<Long> number(String name, long def, long min, long max, String description) {
        return register(new Key<>(name, Long.class, def, s -> {
            long v;
            try {
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": not a whole number: '" + s + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + ": " + v + " outside " + min + ".." + max);
            }
            return v;
        }, description));
    }

    private static <T> Key<T> register(Key<T> key) {
        if (BY_NAME.put(key.name(), key) != null) {
            throw new IllegalStateException("duplicate key " + key.name());
        }
        return key;
    }
}
