package io.dhcpshield.alarms.rules;

import io.dhcpshield.alarms.Signal;
import io.dhcpshield.core.metrics.Log2Histogram;
import io.dhcpshield.core.metrics.MetricSamples;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private static MetricSamples walk(int bound, long enobufs, long uninspected, long writerFailures, int connected,
                                      int rulesetInstalled, int drift, Log2Histogram latency) {
        MetricSamples m = new MetricSamples();
        m.gauge("nfqueue_bound", "", bound, "queue", "1");
        m.counter("nfqueue_errors", "", enobufs, "queue", "1", "reason", "enobufs");
        m.counter("nfqueue_errors", "", 99, "queue", "1", "reason", "malformed");
        m.counter("nfqueue_passed_uninspected", "", uninspected, "queue", "1");
        m.counter("nfqueue_rebinds", "", 0, "queue", "1");
        m.histogram("nfqueue_verdict_latency_seconds", "", latency.snapshot(), 1e-9, "queue", "1");
        m.counter("writer_failures", "", writerFailures, "writer", "clickhouse");
        m.counter("writer_dropped", "", 0, "writer", "clickhouse");
        m.gauge("storage_connected", "", connected);
        m.gauge("ruleset_installed", "", rulesetInstalled);
        m.gauge("ruleset_drift", "", drift);
        return m;
    }

    private static List<String> keys(List<Signal> s) {
        return s.stream().map(Signal::sourceKey).sorted().toList();
    }

    @Test
    void aHealthyApplianceRaisesNothingAndTheFirstWalkOnlySetsTheBaseline() {
        HealthRules rules = new HealthRules();
        Log2Histogram h = new Log2Histogram();
        assertTrue(rules.evaluate(walk(1, 5, 7, 3, 1, 1, 0, h), Thresholds.defaults(), NOW).isEmpty());
        h.record(1_000_000);
        assertTrue(rules.evaluate(walk(1, 5, 7, 3, 1, 1, 0, h), Thresholds.defaults(), NOW).isEmpty());
    }

    @Test
    void eachHealthProblemRaisesItsOwnSourceKey() {
        HealthRules rules = new HealthRules();
        Log2Histogram h = new Log2Histogram();
        rules.evaluate(walk(1, 0, 0, 0, 1, 1, 0, h), Thresholds.defaults(), NOW);
        for (int i = 0; i < 100; i++) {
            h.record(200_000_000L);
        }
        List<Signal> s = rules.evaluate(walk(0, 2, 40, 1, 0, 0, 1, h), Thresholds.defaults(), NOW);
        assertEquals(List.of("health/enobufs/1", "health/fail_open/1", "health/queue_unbound/1", "health/ruleset",
                "health/ruleset", "health/verdict_latency/1", "health/writer/clickhouse",
                "health/writer/clickhouse"), keys(s));
        Signal failOpen = s.stream().filter(x -> x.kind().equals("fail_open")).findFirst().orElseThrow();
        assertEquals("40", failOpen.facts().get("increase"));
        Signal latency = s.stream().filter(x -> x.kind().equals("verdict_latency")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(latency.facts().get("p99_ms")) > 50, latency.facts().toString());
    }

    @Test
    void aRemoteAgentSilentForLongerThanTheBoundRaisesItsOwnAlarm() {
        HealthRules rules = new HealthRules();
        MetricSamples m = new MetricSamples();
        m.gauge("tzsp_agent_last_seen_seconds", "", NOW.getEpochSecond() - 301, "agent", "10.99.0.1",
                "sensor_id", "branch-7");
        m.gauge("tzsp_agent_last_seen_seconds", "", NOW.getEpochSecond() - 20, "agent", "10.99.0.5", "sensor_id", "");
        List<Signal> s = rules.evaluate(m, Thresholds.defaults(), NOW);
        assertEquals(List.of("health/agent_silent/10.99.0.1"), keys(s));
        assertTrue(s.get(0).title().contains("branch-7"), s.get(0).title());
        assertTrue(s.get(0).message().contains("301 s"), s.get(0).message());
    }

    @Test
    void countersThatStopRisingStopSignalling() {
        HealthRules rules = new HealthRules();
        Log2Histogram h = new Log2Histogram();
        rules.evaluate(walk(1, 0, 0, 0, 1, 1, 0, h), Thresholds.defaults(), NOW);
        assertEquals(1, rules.evaluate(walk(1, 3, 0, 0, 1, 1, 0, h), Thresholds.defaults(), NOW).size());
        assertTrue(rules.evaluate(walk(1, 3, 0, 0, 1, 1, 0, h), Thresholds.defaults(), NOW).isEmpty());
    }
}
