package io.dhcpshield.automation.analysis;

import io.dhcpshield.core.metrics.Log2Histogram;
import io.dhcpshield.core.metrics.MetricWriter;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The analysis queue's named counters: requests queued, de-duplicated and refused, analyses finished by state,
 * backend requests by outcome, and the backend's latency. Any thread may count and read.
 */
public final class AnalysisCounters {

    /** A backend request answered (whatever the content). */
    public static final String OK = "ok";
    /** A call the open breaker refused (never sent). */
    public static final String SHORT_CIRCUITED = "short_circuited";

    final LongAdder queued = new LongAdder();
    final LongAdder deduplicated = new LongAdder();
    final LongAdder rejectedFull = new LongAdder();
    final LongAdder retries = new LongAdder();
    private final Map<AnalysisState, LongAdder> completed = new EnumMap<>(AnalysisState.class);
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    final Log2Histogram latency = new Log2Histogram();

    AnalysisCounters() {
        for (AnalysisState s : AnalysisState.values()) {
            completed.put(s, new LongAdder());
        }
        calls.put(OK, new LongAdder());
        calls.put(SHORT_CIRCUITED, new LongAdder());
        for (ChatCompletionsBackend.Outcome o : ChatCompletionsBackend.Outcome.values()) {
            calls.put(o.label(), new LongAdder());
        }
    }

    void count(AnalysisState s) {
        completed.get(s).increment();
    }

    void call(String outcome) {
        calls.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    /** Requests accepted into the queue. */
    public long queued() {
        return queued.sum();
    }

    /** Requests for a device already queued or running (answered with that analysis). */
    public long deduplicated() {
        return deduplicated.sum();
    }

    /** Requests refused because the queue was full. */
    public long rejected() {
        return rejectedFull.sum();
    }

    /** Backend requests sent again after a retryable failure. */
    public long retries() {
        return retries.sum();
    }

    /** Analyses that reached {@code state} (held, approved and rejected included). */
    public long reached(AnalysisState state) {
        return completed.get(state).sum();
    }

    /** Backend requests by outcome: {@code ok}, {@code timeout}, {@code http_error}, ..., {@code short_circuited}. */
    public long calls(String outcome) {
        LongAdder a = calls.get(outcome);
        return a == null ? 0 : a.sum();
    }

    /** Backend requests that went out (every outcome but short-circuited). */
    public long callsSent() {
        long n = 0;
        for (Map.Entry<String, LongAdder> e : calls.entrySet()) {
            if (!e.getKey().equals(SHORT_CIRCUITED)) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    void write(MetricWriter out) {
        out.counter("analysis_requests_queued", "analysis requests accepted into the queue", queued.sum());
        out.counter("analysis_requests_deduplicated", "analysis requests for a device already queued or running",
                deduplicated.sum());
        out.counter("analysis_requests_rejected", "analysis requests refused", rejectedFull.sum(),
                "reason", "queue_full");
        completed.forEach((s, v) -> out.counter("analysis_completed", "analyses that reached a state (held included)",
                v.sum(), "state", s.label()));
        calls.forEach((o, v) -> out.counter("analysis_backend_requests", "requests to the analysis backend, by outcome",
                v.sum(), "outcome", o));
        out.counter("analysis_backend_retries", "backend requests sent again after a retryable failure",
                retries.sum());
        out.histogram("analysis_backend_latency_seconds", "time to the backend's answer", latency.snapshot(), 1e-9);
    }
}
