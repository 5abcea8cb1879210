package io.dhcpshield.transport.tzsp.agent;

import io.dhcpshield.core.metrics.MetricWriter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The agent's counters: written by the capture thread and the sender's event loop, readable from any thread.
 * {@link #snapshot()} copies them; {@link #metrics} reports them by name.
 */
public final class AgentCounters {

    /** Why a captured frame was not sent. */
    public enum DropReason {
        /** The queue between capture and send was full (the collectors or the sender fell behind). */
        QUEUE_FULL,
        /** Longer than the snaplen: the capture holds only its start, and a cut DHCP message misleads. */
        OVERSIZE,
        /** Shorter than an Ethernet header. */
        RUNT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final LongAdder captured = new LongAdder();
    final LongAdder capturedBytes = new LongAdder();
    final LongAdder captureFailures = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final Map<String, CollectorCounters> collectors = new LinkedHashMap<>();
    /* The kernel's counters, published by the capture thread; earlier captures' totals are added in on reopen. */
    volatile long kernelDrops;
    volatile long interfaceDrops;
    private volatile IntSupplier queueDepth = () -> 0;

    /** Sent and failed datagrams of one collector. */
    static final class CollectorCounters {
        final LongAdder sent = new LongAdder();
        final LongAdder errors = new LongAdder();
    }

    AgentCounters(List<Collector> targets) {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
        for (Collector c : targets) {
            collectors.put(c.toString(), new CollectorCounters());
        }
    }

    void drop(DropReason reason) {
        dropped.get(reason).increment();
    }

    CollectorCounters collector(Collector c) {
        return collectors.get(c.toString());
    }

    void queueDepth(IntSupplier depth) {
        this.queueDepth = depth;
    }

    public Snapshot snapshot() {
        Map<String, Long> drops = new LinkedHashMap<>();
        dropped.forEach((r, v) -> drops.put(r.label(), v.sum()));
        Map<String, Long> sent = new LinkedHashMap<>();
        Map<String, Long> errors = new LinkedHashMap<>();
        collectors.forEach((name, c) -> {
            sent.put(name, c.sent.sum());
            errors.put(name, c.errors.sum());
        });
        return new Snapshot(captured.sum(), capturedBytes.sum(), Collections.unmodifiableMap(sent),
                Collections.unmodifiableMap(errors), Collections.unmodifiableMap(drops), kernelDrops,
                interfaceDrops, captureFailures.sum(), queueDepth.getAsInt());
    }

    /** Reports every counter as {@code agent_*}; per-collector counters carry a {@code collector} label. */
    public void metrics(MetricWriter out) {
        Snapshot s = snapshot();
        out.counter("agent_frames_captured", "Frames the capture filter passed to the agent", s.captured());
        out.counter("agent_captured_bytes", "Bytes of the captured frames", s.capturedBytes());
        s.sentByCollector().forEach((c, v) ->
                out.counter("agent_frames_sent", "TZSP datagrams the kernel accepted, per collector", v,
                        "collector", c));
        s.sendErrorsByCollector().forEach((c, v) ->
                out.counter("agent_send_errors", "TZSP datagrams whose send failed, per collector", v,
                        "collector", c));
        s.dropped().forEach((r, v) ->
                out.counter("agent_frames_dropped", "Captured frames not sent, by reason", v, "reason", r));
        out.counter("agent_kernel_drops", "Frames the kernel dropped because the capture ring was full",
                s.kernelDrops());
        out.counter("agent_interface_drops", "Frames the interface dropped, as its driver reports",
                s.interfaceDrops());
        out.counter("agent_capture_failures", "Capture errors after which the capture was reopened",
                s.captureFailures());
        out.gauge("agent_queue_depth", "Frames waiting between capture and send", s.queueDepth());
    }

    /**
     * The counters at one moment.
     *
     * @param captured frames read from the capture
     * @param capturedBytes their captured bytes
     * @param sentByCollector datagrams the kernel accepted, per collector ({@code host:port})
     * @param sendErrorsByCollector datagrams whose send failed, per collector
     * @param dropped captured frames not sent, by {@link DropReason#label()}
     * @param kernelDrops frames lost in the kernel's capture ring (pcap_stats ps_drop)
     * @param interfaceDrops frames lost by the interface (pcap_stats ps_ifdrop)
     * @param captureFailures capture errors that made the agent reopen the interface
     * @param queueDepth frames queued now
     */
    public record Snapshot(long captured, long capturedBytes, Map<String, Long> sentByCollector,
                           Map<String, Long> sendErrorsByCollector, Map<String, Long> dropped, long kernelDrops,
                           long interfaceDrops, long captureFailures, int queueDepth) {

        /** Datagrams sent, all collectors together (a frame sent to two collectors counts twice). */
        public long sent() {
            return sentByCollector.values().stream().mapToLong(Long::longValue).sum();
        }

        public long sendErrors() {
            return sendErrorsByCollector.values().stream().mapToLong(Long::longValue).sum();
        }

        public long dropped(DropReason reason) {
            return dropped.getOrDefault(reason.label(), 0L);
        }

        /** One line: {@code captured=… sent=… send_errors=… dropped[queue_full=… …] kernel_drops=… …}. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            s.append("captured=").append(captured).append(" sent=").append(sent()).append(" send_errors=")
                    .append(sendErrors()).append(" dropped[");
            dropped.forEach((r, v) -> s.append(s.charAt(s.length() - 1) == '[' ? "" : " ").append(r).append('=')
                    .append(v));
            s.append("] kernel_drops=").append(kernelDrops).append(" interface_drops=").append(interfaceDrops)
                    .append(" capture_failures=").append(captureFailures).append(" queue_depth=").append(queueDepth);
            if (sentByCollector.size() > 1 || sendErrors() > 0) {
                sentByCollector.forEach((c, v) -> s.append(" collector[").append(c).append(" sent=").append(v)
                        .append(" errors=").append(sendErrorsByCollector.get(c)).append(']'));
            }
            return s.toString();
        }
    }
}
