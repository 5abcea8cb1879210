package io.dhcpshield.automation.detectors;

import io.dhcpshield.automation.AlarmEvent;
import io.dhcpshield.enforcement.action.ActionType;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The detectors' configuration ({@code automation.detectors.*} in config.yaml; defaults in {@link #defaults()}): how
 * often they run over which window, and per detector whether it runs, its severity, its optional action (off by
 * default: detectors alarm) and how long a subject stays quiet after an alarm.
 *
 * @param enabled           run the detectors on a schedule at all
 * @param interval          how often they run
 * @param window            what each run reads: {@code [now - window, now)}; longer than the interval, so events
 *                          the writer delivers late are still read (a repeat is held back by the quiet time)
 * @param maxAlarmsPerRun   alarms one detector raises in one run at most (the rest are counted as capped)
 * @param fingerprintChange PRL / vendor class / hostname of a known MAC changed
 * @param chaddrMismatch    unrelayed DHCPv4 whose chaddr is not the link-layer source
 * @param macCircuits       one MAC behind several (relay, circuit-id) pairs
 * @param markCollision     two MACs sharing a 24-bit client mark (no action: it would hit both)
 */
public record DetectorConfig(boolean enabled, Duration interval, Duration window, int maxAlarmsPerRun,
                             FingerprintChange fingerprintChange, Settings chaddrMismatch, MacCircuits macCircuits,
                             Settings markCollision) {

    public DetectorConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(fingerprintChange, "fingerprintChange");
        Objects.requireNonNull(chaddrMismatch, "chaddrMismatch");
        Objects.requireNonNull(macCircuits, "macCircuits");
        Objects.requireNonNull(markCollision, "markCollision");
        if (interval.compareTo(Duration.ofSeconds(10)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("interval must be 10 s .. 1 day, was " + interval);
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("window must be 1 min .. 1 day, was " + window);
        }
        if (maxAlarmsPerRun < 1 || maxAlarmsPerRun > 10_000) {
            throw new IllegalArgumentException("max_alarms_per_run must be 1..10000, was " + maxAlarmsPerRun);
        }
        if (markCollision.action() != null) {
            throw new IllegalArgumentException("mark_collision.action: a mark collision has no action (it would hit"
                    + " every MAC sharing the mark)");
        }
        if (fingerprintChange.baseline().compareTo(window) <= 0) {
            throw new IllegalArgumentException("fingerprint_change.baseline must be longer than the window");
        }
    }

    /** Every detector on, alarms only: every 5 minutes over 10 minutes. */
    public static DetectorConfig defaults() {
        return new DetectorConfig(true, Duration.ofMinutes(5), Duration.ofMinutes(10), 100,
                new FingerprintChange(Settings.alarmOnly("warning"), Duration.ofHours(24), 3, List.of()),
                Settings.alarmOnly("warning"),
                new MacCircuits(Settings.alarmOnly("warning"), 3),
                Settings.alarmOnly("info"));
    }

    public DetectorConfig withFingerprintChange(FingerprintChange f) {
        return new DetectorConfig(enabled, interval, window, maxAlarmsPerRun, f, chaddrMismatch, macCircuits,
                markCollision);
    }

    public DetectorConfig withChaddrMismatch(Settings s) {
        return new DetectorConfig(enabled, interval, window, maxAlarmsPerRun, fingerprintChange, s, macCircuits,
                markCollision);
    }

    public DetectorConfig withMacCircuits(MacCircuits m) {
        return new DetectorConfig(enabled, interval, window, maxAlarmsPerRun, fingerprintChange, chaddrMismatch, m,
                markCollision);
    }

    /**
     * What every detector has.
     *
     * @param enabled        run this detector
     * @param severity       {@code info}, {@code warning}, {@code critical}
     * @param action         applied to the subject's client mark when it alarms (with {@code Actor.rule("detector:
     *                       <name>")}); null: alarm only
     * @param actionDuration the action's duration; null: the action's default (deny is permanent)
     * @param quiet          after an alarm, the same subject does not alarm again for this long (hysteresis)
     */
    public record Settings(boolean enabled, String severity, ActionType action, Duration actionDuration,
                           Duration quiet) {
        public Settings {
            if (!AlarmEvent.SEVERITIES.contains(severity)) {
                throw new IllegalArgumentException("severity must be info, warning or critical, was " + severity);
            }
            Objects.requireNonNull(quiet, "quiet");
            if (quiet.isNegative() || quiet.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("quiet must be 0 .. 7 days, was " + quiet);
            }
            if (action == ActionType.CLEANUP) {
                throw new IllegalArgumentException("action cleanup is not a detector action");
            }
            if (actionDuration != null && (action == null || !action.writesSet() || action == ActionType.DENY)) {
                throw new IllegalArgumentException("action_duration applies to block, throttle, monitor and allow"
                        + " only");
            }
            if (actionDuration != null && (actionDuration.isNegative() || actionDuration.isZero())) {
                throw new IllegalArgumentException("action_duration must be positive, was " + actionDuration);
            }
        }

        /** On, no action, quiet for 6 hours. */
        public static Settings alarmOnly(String severity) {
            return new Settings(true, severity, null, null, Duration.ofHours(6));
        }

        public Settings withAction(ActionType a, Duration d) {
            return new Settings(enabled, severity, a, d, quiet);
        }

        public Settings withEnabled(boolean on) {
            return new Settings(on, severity, action, actionDuration, quiet);
        }

        public Settings withQuiet(Duration q) {
            return new Settings(enabled, severity, action, actionDuration, q);
        }
    }

    /**
     * @param settings              the common part
     * @param baseline              how far back a MAC's established fingerprint is read (longer than the window)
     * @param minEstablishedEvents  messages a value needs before the window to count as established (a MAC with
     *                              fewer is not yet known: no alarm)
     * @param allowedTransitions    expected changes that never alarm (a vendor class upgrade, say)
     */
    public record FingerprintChange(Settings settings, Duration baseline, int minEstablishedEvents,
                                    List<Transition> allowedTransitions) {
        public FingerprintChange {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(baseline, "baseline");
            if (baseline.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("fingerprint_change.baseline must be at most 7 days");
            }
            if (minEstablishedEvents < 1) {
                throw new IllegalArgumentException("fingerprint_change.min_events must be at least 1");
            }
            allowedTransitions = List.copyOf(allowedTransitions);
        }

        public FingerprintChange withAllowed(List<Transition> allowed) {
            return new FingerprintChange(settings, baseline, minEstablishedEvents, allowed);
        }

        public FingerprintChange withSettings(Settings s) {
            return new FingerprintChange(s, baseline, minEstablishedEvents, allowedTransitions);
        }
    }

    /**
     * @param settings    the common part
     * @param minCircuits distinct (relay, circuit-id) pairs of one MAC in the window that alarm (at least 2)
     */
    public record MacCircuits(Settings settings, int minCircuits) {
        public MacCircuits {
            Objects.requireNonNull(settings, "settings");
            if (minCircuits < 2 || minCircuits > 1000) {
                throw new IllegalArgumentException("mac_circuits.min_circuits must be 2..1000, was " + minCircuits);
            }
        }
    }

    /**
     * An expected fingerprint change: {@code field} ({@code prl}, {@code vendor_class}, {@code hostname} or {@code *}
     * for any) going from a value matching {@code from} to one matching {@code to}. Patterns match the whole value,
     * {@code *} is any run of characters, everything else literal ({@code "MSFT 5.0"} → {@code "MSFT *"}).
     */
    public record Transition(String field, String from, String to) {
        static final List<String> FIELDS = List.of("prl", "vendor_class", "hostname", "*");

        public Transition {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            field = field == null ? "*" : field.toLowerCase(Locale.ROOT);
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("allowed_transitions field must be prl, vendor_class, hostname or"
                        + " *, was " + field);
            }
        }

        boolean matches(String f, String before, String after) {
            return (field.equals("*") || field.equals(f)) && glob(from, before) && glob(to, after);
        }

        private static boolean glob(String pattern, String value) {
            String regex = java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                    .collect(java.util.stream.Collectors.joining(".*"));
            return Pattern.compile(regex, Pattern.DOTALL).matcher(value).matches();
        }
    }
}
