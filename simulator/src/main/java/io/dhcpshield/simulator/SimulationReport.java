package io.dhcpshield.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a run: what was sent and received by message type, the exchanges started, completed and timed out,
 * the latency of each request-reply pair (exact percentiles, milliseconds), and the offered versus achieved rates.
 * Printed as text, or as JSON with {@code --json}.
 *
 * @param sendSeconds     how long exchanges were being started (first to last start)
 * @param elapsedSeconds  from the first packet to the end of the run, including the wait for the last answers
 * @param startedPerSecond  exchanges started per second of {@code sendSeconds}
 * @param completedPerSecond exchanges completed per second, over the first start to the last completion
 */
public record SimulationReport(String profile, int family, String mode, String target, int clients,
                               double targetRate, double sendSeconds, double elapsedSeconds,
                               Map<String, Long> sent, Map<String, Long> received,
                               long started, long completed, Map<String, Long> timeouts, Map<String, Long> refused,
                               long unmatched, long sendErrors,
                               Map<String, LatencyRecorder.Summary> latencyNanos,
                               double startedPerSecond, double completedPerSecond) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static SimulationReport of(SimulationConfig cfg, RunCounters c, long endNanos) {
        double sendSeconds = Math.max(1e-9, (c.lastSendNanos - c.firstSendNanos) / 1e9);
        double elapsed = Math.max(1e-9, (endNanos - c.firstSendNanos) / 1e9);
        double completedWindow = Math.max(sendSeconds, (c.lastCompletionNanos - c.firstSendNanos) / 1e9);
        Map<String, LatencyRecorder.Summary> latency = new LinkedHashMap<>();
        c.latency.forEach((k, v) -> latency.put(k, v.summary()));
        return new SimulationReport(cfg.profile().cliName(), cfg.family(), cfg.mode().name().toLowerCase(Locale.ROOT),
                target(cfg.target()), cfg.clients(), cfg.rate(),
                sendSeconds, elapsed, Map.copyOf(c.sent), Map.copyOf(c.received), c.started, c.completed,
                Map.copyOf(c.timeouts), Map.copyOf(c.refused), c.unmatched, c.sendErrors, latency,
                c.started <= 1 ? c.started : (c.started - 1) / sendSeconds,
                c.completed / completedWindow);
    }

    private static String target(java.net.InetSocketAddress a) {
        String host = io.dhcpshield.core.net.IpAddress.of(a.getAddress().getAddress()).toString();
        return (a.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public long totalTimeouts() {
        return timeouts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long sentCount(String type) {
        return sent.getOrDefault(type, 0L);
    }

    public long receivedCount(String type) {
        return received.getOrDefault(type, 0L);
    }

    /** The report as a JSON document (milliseconds for latency, rates per second). */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("profile", profile);
        root.put("family", family);
        root.put("mode", mode);
        root.put("target", target);
        root.put("clients", clients);
        root.put("targetRate", targetRate);
        root.put("sendSeconds", round(sendSeconds));
        root.put("elapsedSeconds", round(elapsedSeconds));
        root.put("sent", new java.util.TreeMap<>(sent));
        root.put("received", new java.util.TreeMap<>(received));
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("started", started);
        ex.put("completed", completed);
        ex.put("timeouts", totalTimeouts());
        ex.put("timeoutsAwaiting", new java.util.TreeMap<>(timeouts));
        ex.put("refused", new java.util.TreeMap<>(refused));
        ex.put("unmatchedReplies", unmatched);
        ex.put("sendErrors", sendErrors);
        root.put("exchanges", ex);
        Map<String, Object> lat = new LinkedHashMap<>();
        latencyNanos.forEach((k, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", s.count());
            m.put("p50", ms(s.p50()));
            m.put("p90", ms(s.p90()));
            m.put("p99", ms(s.p99()));
            m.put("max", ms(s.max()));
            m.put("mean", ms(s.mean()));
            lat.put(k, m);
        });
        root.put("latencyMs", lat);
        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("target", targetRate);
        rates.put("started", round(startedPerSecond));
        rates.put("completed", round(completedPerSecond));
        root.put("ratePerSecond", rates);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The report for a terminal. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "profile %s, DHCPv%d, %s mode to %s, %d clients%n", profile, family, mode,
                target, clients));
        b.append(String.format(Locale.ROOT, "rate: target %s, started %.1f/s, completed %.1f/s (sending %.2f s, total %.2f s)%n",
                targetRate == 0 ? "unpaced" : String.format(Locale.ROOT, "%.0f/s", targetRate), startedPerSecond,
                completedPerSecond, sendSeconds, elapsedSeconds));
        b.append(String.format(Locale.ROOT, "exchanges: started %d, completed %d, timeouts %d%s%s%s%n", started, completed,
                totalTimeouts(), timeouts.isEmpty() ? "" : " " + new java.util.TreeMap<>(timeouts),
                refused.isEmpty() ? "" : ", refused " + new java.util.TreeMap<>(refused),
                unmatched == 0 ? "" : ", unmatched replies " + unmatched));
        b.append("sent:    ").append(line(sent)).append('\n');
        b.append("received: ").append(line(received)).append('\n');
        if (sendErrors > 0) {
            b.append("send errors: ").append(sendErrors).append('\n');
        }
        latencyNanos.forEach((k, s) -> b.append(String.format(Locale.ROOT,
                "latency %-18s n=%-8d p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms%n", k, s.count(), ms(s.p50()),
                ms(s.p90()), ms(s.p99()), ms(s.max()))));
        return b.toString();
    }

    private static String line(Map<String, Long> m) {
        if (m.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(m).forEach((k, v) -> b.append(k).append(' ').append(v).append("  "));
        return b.toString().trim();
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
