package io.dhcpshield.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run sent and got back, counted on the event loop that does the sending (so plain fields, no atomics): packets
 * by message type each way, exchanges started, completed and timed out (by the message that went unanswered), NAKs
 * and other refusals, replies that matched no transaction, and one latency recorder per request-reply pair.
 */
final class RunCounters {

    final Map<String, Long> sent = new TreeMap<>();
    final Map<String, Long> received = new TreeMap<>();
    final Map<String, Long> timeouts = new TreeMap<>();
    final Map<String, Long> refused = new TreeMap<>();
    final Map<String, LatencyRecorder> latency = new LinkedHashMap<>();
    long started;
    long completed;
    long unmatched;
    long sendErrors;
    long firstSendNanos;
    long lastSendNanos;
    long lastCompletionNanos;

    void sent(String type) {
        sent.merge(type, 1L, Long::sum);
    }

    void received(String type) {
        received.merge(type, 1L, Long::sum);
    }

    void timeout(String awaiting) {
        timeouts.merge(awaiting, 1L, Long::sum);
    }

    void refused(String why) {
        refused.merge(why, 1L, Long::sum);
    }

    void latency(String pair, long nanos) {
        latency.computeIfAbsent(pair, k -> new LatencyRecorder()).record(nanos);
    }

    long totalTimeouts() {
        return timeouts.values().stream().mapToLong(Long::longValue).sum();
    }

    long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
