package io.dhcpshield.alarms.rules;

import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.Party;
import io.dhcpshield.alarms.Severity;
import io.dhcpshield.alarms.Signal;
import io.dhcpshield.core.metrics.Log2Histogram;
import io.dhcpshield.core.metrics.MetricSamples;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The appliance's own health as alarms, read from one walk of every service's metrics per evaluation (the same
 * numbers the status file and Prometheus show, so an alarm can always be checked against them): a queue not bound or
 * re-created, ENOBUFS, packets passed uninspected by fail-open, verdict latency (99th percentile of the interval)
 * over the bound, an event writer failing or dropping or ClickHouse unreachable, the ruleset missing from the kernel
 * or changed behind the daemon's back, the analysis backend's breaker open, a remote site's TZSP agent silent for
 * longer than {@code operational.alarms.agent_silent_seconds}. Counters are compared with the previous
 * walk; the first walk only sets the baseline.
 */
public final class HealthRules {

    private final Map<String, Double> previous = new HashMap<>();
    private final Map<String, long[]> previousBuckets = new HashMap<>();
    private boolean baseline;

    /** Evaluates one walk of the metrics at {@code now}. Not thread-safe: one evaluation thread. */
    public List<Signal> evaluate(MetricSamples m, Thresholds th, Instant now) {
        List<Signal> out = new ArrayList<>();
        Map<String, Double> current = new HashMap<>();
        Map<String, long[]> currentBuckets = new HashMap<>();
        for (MetricSamples.Sample s : m.samples()) {
            String id = id(s);
            if (s.type() == MetricSamples.Type.HISTOGRAM) {
                currentBuckets.put(id, s.histogram().buckets().clone());
            } else {
                current.put(id, s.value());
            }
        }
        for (MetricSamples.Sample s : m.samples()) {
            String q = s.labels().getOrDefault("queue", "");
            switch (s.name()) {
                case "nfqueue_bound" -> {
                    if (s.value() == 0) {
                        out.add(signal("health/queue_unbound/" + q, "queue_unbound", Severity.CRITICAL,
                                "NFQUEUE " + q + " is not bound",
                                "queue " + q + " is not bound to the processor: its packets pass uninspected "
                                        + "(fail-open) until it is bound again", "queue", q, 1, th, now));
                    }
                }
                case "nfqueue_rebinds" -> increase(out, s, current, th, now, "health/queue_rebind/" + q,
                        "queue_rebind", Severity.WARNING, "NFQUEUE " + q + " was re-created",
                        "queue " + q + " was re-bound after a socket failure", "queue", q);
                case "nfqueue_errors" -> {
                    if ("enobufs".equals(s.labels().get("reason"))) {
                        increase(out, s, current, th, now, "health/enobufs/" + q, "enobufs", Severity.WARNING,
                                "ENOBUFS on NFQUEUE " + q, "the kernel could not deliver packet messages of queue "
                                        + q + " (socket buffer full)", "queue", q);
                    }
                }
                case "nfqueue_passed_uninspected" -> increase(out, s, current, th, now, "health/fail_open/" + q,
                        "fail_open", Severity.CRITICAL, "Fail-open passes on NFQUEUE " + q,
                        "the kernel passed packets of queue " + q + " without inspection (queue full: fail-open)",
                        "queue", q);
                case "nfqueue_verdict_latency_seconds" -> latency(out, s, currentBuckets, th, now, q);
                case "writer_dropped", "writer_failures" -> {
                    String w = s.labels().getOrDefault("writer", "");
                    String what = s.name().equals("writer_dropped") ? "dropped events" : "failed to send";
                    increase(out, s, current, th, now, "health/writer/" + w, "writer", Severity.CRITICAL,
                            "Event writer " + w + " " + what, "the " + w + " event writer " + what + " since the "
                                    + "last evaluation", "writer", w);
                }
                case "storage_connected" -> {
                    if (s.value() == 0) {
                        out.add(signal("health/writer/clickhouse", "writer", Severity.CRITICAL,
                                "ClickHouse unreachable", "ClickHouse does not answer: events are buffered, then "
                                        + "dropped (counted), until it is back", "writer", "clickhouse", 1, th, now));
                    }
                }
                case "ruleset_installed" -> {
                    if (s.value() == 0) {
                        out.add(signal("health/ruleset", "ruleset", Severity.CRITICAL,
                                "Ruleset missing from the kernel", "table inet dhcp_inspection is not installed or "
                                        + "not readable: nothing enforces the marks", "service", "ruleset", 1, th, now));
                    }
                }
                case "ruleset_drift" -> {
                    if (s.value() != 0) {
                        out.add(signal("health/ruleset", "ruleset", Severity.CRITICAL,
                                "Ruleset changed behind the daemon's back", "table inet dhcp_inspection in the "
                                        + "kernel no longer matches what the daemon installed (chains, rules or sets "
                                        + "differ)", "service", "ruleset", 1, th, now));
                    }
                }
                case "tzsp_agent_last_seen_seconds" -> {
                    // A remote site's agent the collector has heard from went quiet: the site is not observed.
                    long silent = now.getEpochSecond() - (long) s.value();
                    if (s.value() > 0 && silent > th.agentSilent().toSeconds()) {
                        String agent = s.labels().getOrDefault("agent", "");
                        String sensor = s.labels().getOrDefault("sensor_id", "");
                        String name = sensor.isEmpty() ? agent : sensor + " (" + agent + ")";
                        out.add(signal("health/agent_silent/" + agent, "agent_silent", Severity.WARNING,
                                "Remote agent " + name + " silent", "no TZSP datagram from dhcp-agent " + name
                                        + " for " + silent + " s: its site's DHCP is not observed", "agent", agent, 1,
                                th, now));
                    }
                }
                case "analysis_breaker_state" -> {
                    if (s.value() != 0 && m.total("analysis_backend_configured") > 0) {
                        out.add(signal("health/analysis_backend", "analysis_backend", Severity.WARNING,
                                "Analysis backend down", "the analysis backend's circuit breaker is "
                                        + (s.value() == 1 ? "open" : "half open") + ": analyses fail until it answers",
                                "service", "analysis", 1, th, now));
                    }
                }
                default -> {
                }
            }
        }
        baseline = true;
        previous.clear();
        previous.putAll(current);
        previousBuckets.clear();
        previousBuckets.putAll(currentBuckets);
        return out;
    }

    private void increase(List<Signal> out, MetricSamples.Sample s, Map<String, Double> current, Thresholds th,
                          Instant now, String key, String kind, Severity sev, String title, String message,
                          String role, String id) {
        Double before = previous.get(id(s));
        if (before == null || !baseline) { // the first walk only sets the baseline
            return;
        }
        double d = current.get(id(s)) - before;
        if (d <= 0) {
            return;
        }
        Signal sig = signal(key, kind, sev, title, message + " (+" + (long) d + ")", role, id, (long) d, th, now);
        Map<String, String> facts = new HashMap<>(sig.facts());
        facts.put("increase", Long.toString((long) d));
        facts.put("metric", s.name());
        out.add(new Signal(sig.sourceKey(), sig.channel(), sig.category(), sig.kind(), sig.severity(), sig.title(),
                sig.message(), sig.parties(), facts, sig.hold()));
    }

    private void latency(List<Signal> out, MetricSamples.Sample s, Map<String, long[]> currentBuckets,
                         Thresholds th, Instant now, String q) {
        long[] before = previousBuckets.get(id(s));
        long[] after = currentBuckets.get(id(s));
        if (before == null || after == null || before.length != after.length) {
            return;
        }
        long[] delta = new long[after.length];
        for (int i = 0; i < after.length; i++) {
            delta[i] = Math.max(0, after[i] - before[i]);
        }
        Log2Histogram.Snapshot interval = new Log2Histogram.Snapshot(delta, 0);
        if (interval.count() == 0) {
            return;
        }
        double p99ms = interval.percentile(0.99) * s.scale() * 1000;
        if (p99ms <= th.verdictLatencyMs()) {
            return;
        }
        Signal sig = signal("health/verdict_latency/" + q, "verdict_latency", Severity.WARNING,
                "Verdict latency high on NFQUEUE " + q, String.format(java.util.Locale.ROOT,
                        "99%% of verdicts on queue %s took up to %.1f ms over the last interval (bound %d ms)", q,
                        p99ms, th.verdictLatencyMs()), "queue", q, interval.count(), th, now);
        Map<String, String> facts = new HashMap<>(sig.facts());
        facts.put("p99_ms", String.format(java.util.Locale.ROOT, "%.1f", p99ms));
        facts.put("bound_ms", Long.toString(th.verdictLatencyMs()));
        facts.put("verdicts", Long.toString(interval.count()));
        out.add(new Signal(sig.sourceKey(), sig.channel(), sig.category(), sig.kind(), sig.severity(), sig.title(),
                sig.message(), sig.parties(), facts, sig.hold()));
    }

    private static Signal signal(String key, String kind, Severity sev, String title, String message, String role,
                                 String id, long count, Thresholds th, Instant now) {
        return new Signal(key, Channel.SYSTEM, "health", kind, sev, title, message,
                List.of(new Party(role, id, "", count, now, now)), Map.of(), th.hold());
    }

    private static String id(MetricSamples.Sample s) {
        return s.name() + s.labels();
    }
}
