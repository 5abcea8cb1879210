package io.dhcpshield.processor;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.Log2Histogram;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.pipeline.InspectionPipeline;
import io.dhcpshield.core.pipeline.QueueCounters;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.processor.systemd.Liveness;
import io.dhcpshield.processor.systemd.LoopHeartbeat;
import io.dhcpshield.transport.nfqueue.NfQueue;
import io.dhcpshield.transport.nfqueue.NfQueueCounters;
import io.dhcpshield.transport.nfqueue.NfQueueGroup;
import io.dhcpshield.transport.nfqueue.NfQueueGroupConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The data path as a service: the kernel queues (transport) feeding the inspection pipeline (core), whose events go
 * to the fan-out. Started means inspecting: {@link #start()} returns once every queue is bound (or after a bounded
 * wait, the group re-binding the rest in the background). Stopping pauses demand, verdicts what was read, unbinds,
 * then completes the fan-out so every event subscriber drains.
 */
final class InspectionService implements Service, Liveness {

    private static final Logger log = LoggerFactory.getLogger(InspectionService.class);
    private static final Duration BIND_WAIT = Duration.ofSeconds(10);

    /** Test and benchmark hooks (hidden command-line options). */
    record Hooks(boolean countingSubscriber, long stallAfter, long stallMillis, int firstQueue) {
        static final Hooks NONE = new Hooks(false, -1, 0, 1);
    }

    private final NfQueueGroupConfig groupConfig;
    private final InspectionPipeline pipeline;
    private final EventFanout<DhcpEvent> events;
    private final DenySet denySet;
    private final boolean failOpenConfigured;
    private final Scheduler housekeeping;
    private final Hooks hooks;
    private final List<InspectionPipeline.QueueRun> runs = new ArrayList<>();
    private final List<Disposable> background = new ArrayList<>();
    private final List<LoopHeartbeat> heartbeats = new ArrayList<>();
    private volatile NfQueueGroup group;

    InspectionService(NfQueueGroupConfig groupConfig, InspectionPipeline.Settings settings, DenySet denySet,
                      EventFanout<DhcpEvent> events, Time time, Scheduler housekeeping, Hooks hooks) {
        this.groupConfig = groupConfig;
        this.events = events;
        this.denySet = denySet;
        this.failOpenConfigured = groupConfig.queue().failOpen();
        this.housekeeping = housekeeping;
        this.hooks = hooks;
        this.pipeline = new InspectionPipeline(settings, denySet, events, time::epochMicros);
    }

    @Override
    public String name() {
        return "inspection";
    }

    @Override
    public void start() {
        group = NfQueueGroup.start(groupConfig, hooks.firstQueue());
        log.info("nfqueue transport {} (configured {}), queues 1..{} on {} event loop(s)",
                group.transport().configName(), groupConfig.transport().configName(), groupConfig.queueCount(),
                groupConfig.eventLoops());
        for (int queue = 1; queue <= groupConfig.queueCount(); queue++) {
            InspectionPipeline.QueueRun run = pipeline.run(queue, group.packets(queue));
            if (hooks.stallAfter() >= 0) {
                run.pauseAfter(hooks.stallAfter());
                if (hooks.stallMillis() > 0) {
                    StallRelease release = new StallRelease(run, hooks.stallMillis());
                    background.add(housekeeping.schedulePeriodically(release, 10, 10, TimeUnit.MILLISECONDS));
                }
                log.warn("test hook: queue {} stalls after {} packets", queue, hooks.stallAfter());
            }
            runs.add(run);
        }
        // One heartbeat per event loop (queues may share one) for the systemd watchdog.
        java.util.Set<Object> loops = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (NfQueue nq : group.queues()) {
            if (loops.add(nq.eventLoop())) {
                heartbeats.add(LoopHeartbeat.start("nfqueue " + nq.queueNumber() + " event loop", nq.eventLoop()));
            }
        }
        awaitBound();
    }

    /** Stuck when an event loop stopped beating or a queue's pipeline is paused (no demand: nothing inspected). */
    @Override
    public String stuck(long maxAgeNanos) {
        for (LoopHeartbeat h : heartbeats) {
            String s = h.stuck(maxAgeNanos);
            if (!s.isEmpty()) {
                return s;
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).isPaused()) {
                return "nfqueue " + (i + 1) + " pipeline paused";
            }
        }
        return "";
    }

    /**
     * Waits until every queue is bound, so that "started" means inspecting: a queue rule installed before its
     * listener binds would pass the first packets uninspected (bypass). A queue that does not bind in time is logged;
     * the group keeps retrying it.
     */
    private void awaitBound() {
        long deadline = System.nanoTime() + BIND_WAIT.toNanos();
        while (!group.queues().stream().allMatch(NfQueue::isBound)) {
            if (System.nanoTime() > deadline) {
                group.queues().stream().filter(nq -> !nq.isBound())
                        .forEach(nq -> log.warn("nfqueue {} not bound after {}; retrying in the background",
                                nq.queueNumber(), BIND_WAIT));
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void stop() {
        heartbeats.forEach(LoopHeartbeat::stop);
        background.forEach(Disposable::dispose);
        runs.forEach(InspectionPipeline.QueueRun::pause);
        NfQueueGroup g = group;
        if (g != null) {
            g.close();
        }
        events.complete();
    }

    @Override
    public Readiness readiness() {
        NfQueueGroup g = group;
        if (g == null) {
            return Readiness.notReady("queues not opened");
        }
        long bound = g.queues().stream().filter(NfQueue::isBound).count();
        boolean paused = runs.stream().anyMatch(InspectionPipeline.QueueRun::isPaused);
        boolean inEffect = bound < g.queues().size() || paused;
        Readiness r = bound == g.queues().size() && !paused ? Readiness.up()
                : Readiness.notReady(paused ? "inspection paused: the kernel passes packets uninspected"
                : (g.queues().size() - bound) + " queue(s) not bound: the kernel passes their packets uninspected");
        return r.with("queues", g.queues().size())
                .with("queues_bound", bound)
                .with("transport", g.transport().configName())
                .with("fail_open", failOpenConfigured)
                .with("fail_open_in_effect", inEffect)
                .with("passed_uninspected", g.totals().idGaps());
    }

    @Override
    public void metrics(MetricWriter out) {
        for (QueueCounters.Snapshot s : pipeline.snapshots()) {
            String q = Integer.toString(s.queue());
            out.counter("packets_received", "packets the pipeline received", s.received(), "queue", q);
            out.counter("packets_verdicted", "verdicts given (ACCEPT with the mark, or DROP for non-DHCP when "
                    + "drop_non_dhcp_packets)", s.verdicted(), "queue", q);
            out.counter("packets_dhcp", "DHCPv4/DHCPv6 packets (malformed included)", s.dhcp(), "queue", q);
            out.counter("packets_non_dhcp", "packets that are not DHCP", s.nonDhcp(), "queue", q);
            out.counter("packets_non_dhcp_dropped", "non-DHCP packets dropped (drop_non_dhcp_packets)",
                    s.nonDhcpDropped(), "queue", q);
            out.counter("packets_denied", "packets of denied clients (marked, no event)", s.denied(), "queue", q);
            out.counter("packets_rule_matched", "packets whose mark a custom rule set", s.ruleMatched(), "queue", q);
            out.counter("events_emitted", "events published to the fan-out", s.events(), "queue", q);
            out.counter("event_failures", "events lost while being built (the verdict was given)",
                    s.eventFailures(), "queue", q);
            out.counter("events_shed", "events not built because every subscriber's buffer was full (overload: each "
                    + "subscriber counts them as dropped; the verdicts were given)", s.eventsShed(), "queue", q);
            out.counter("events_shed_backlog", "events not built because their read found the queue backlogged and "
                    + "was outside events.backlog_sample (overload: never published; the verdicts were given)",
                    s.eventsShedBacklog(), "queue", q);
            if (s.mirrored() + s.mirroredUnmatched() + s.mirroredLeaving() > 0) {
                String help = "re-injected mirror copies (collector reinject mode), by what the pipeline did";
                out.counter("packets_mirrored", help, s.mirrored(), "queue", q, "result", "matched");
                out.counter("packets_mirrored", help, s.mirroredUnmatched(), "queue", q, "result", "unmatched");
                out.counter("packets_mirrored", help, s.mirroredLeaving(), "queue", q, "result", "leaving");
            }
            s.byTypeCode().forEach((code, n) -> out.counter("packets_by_type", "DHCP packets by the mark's type "
                    + "code", n, "queue", q, "type_code", String.format("0x%02x", code)));
            for (var e : s.byError().entrySet()) {
                DecodeError err = e.getKey();
                out.counter("packets_by_error", "packets by the decode error that classified them", e.getValue(),
                        "queue", q, "reason", err.label(),
                        "category", err.category().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        NfQueueGroup g = group;
        if (g != null) {
            for (NfQueue nq : g.queues()) {
                queueMetrics(out, Integer.toString(nq.queueNumber()), nq.counters().snapshot(), nq.isBound());
            }
        }
        out.gauge("deny_set_size", "clients in the processor's deny set (no events)", denySet.size());
        out.counter("events_published", "events handed to the fan-out", events.published());
        for (EventFanout.SubscriberStats st : events.stats()) {
            out.counter("fanout_delivered", "events delivered to a subscriber", st.delivered(), "subscriber",
                    st.name());
            out.counter("fanout_dropped", "events a subscriber's full buffer dropped", st.dropped(), "subscriber",
                    st.name());
            out.gauge("fanout_buffered", "events waiting in a subscriber's buffer", st.buffered(), "subscriber",
                    st.name());
        }
    }

    private static void queueMetrics(MetricWriter out, String q, NfQueueCounters.Snapshot k, boolean bound) {
        out.gauge("nfqueue_bound", "1 while the queue is bound", bound ? 1 : 0, "queue", q);
        out.counter("nfqueue_received", "packet messages read from the queue socket", k.received(), "queue", q);
        out.counter("nfqueue_verdicted", "verdicts sent to the kernel", k.verdicted(), "queue", q);
        out.counter("nfqueue_verdict_batches", "send calls carrying verdicts", k.verdictBatches(), "queue", q);
        out.counter("nfqueue_read_batches", "recvmmsg calls that returned datagrams", k.readBatches(), "queue", q);
        out.counter("nfqueue_backlogged_reads", "reads that found the queue backlogged (full reads in a row for at "
                + "least as many packets as the queue holds: input outran the reader)", k.backloggedReads(),
                "queue", q);
        out.counter("nfqueue_bytes", "bytes received", k.bytes(), "queue", q);
        out.counter("nfqueue_passed_uninspected", "packet ids never seen: passed by the kernel's fail-open while "
                + "the socket buffer was full", k.idGaps(), "queue", q);
        out.counter("nfqueue_missed_verdicts", "packets the pipeline did not answer, accepted by the transport",
                k.missedVerdict(), "queue", q);
        out.counter("nfqueue_accepted_unseen", "packets accepted without inspection (before bind, while closing, "
                + "without demand)", k.acceptedUnseen(), "queue", q);
        out.counter("nfqueue_errors", "transport errors by reason", k.enobufs(), "queue", q, "reason", "enobufs");
        out.counter("nfqueue_errors", "transport errors by reason", k.malformedNetlink(), "queue", q, "reason",
                "malformed_netlink");
        out.counter("nfqueue_errors", "transport errors by reason", k.verdictErrors(), "queue", q, "reason",
                "verdict");
        out.counter("nfqueue_errors", "transport errors by reason", k.socketFailures(), "queue", q, "reason",
                "socket");
        out.counter("nfqueue_rebinds", "re-binds after a socket failure", k.recreated(), "queue", q);
        out.histogram("nfqueue_verdict_latency_seconds", "read to verdict hand-over", k.verdictLatency(), 1e-9,
                "queue", q);
        out.histogram("nfqueue_read_batch_size", "datagrams per recvmmsg call",
                new Log2Histogram.Snapshot(padded(k.readBatchSizes()), k.received()), 1, "queue", q);
    }

    /** Read-batch buckets (1, 2-3, 4-7, ...) are log2 buckets 0..7. */
    private static long[] padded(long[] sizes) {
        long[] b = new long[Log2Histogram.BUCKETS];
        System.arraycopy(sizes, 0, b, 0, Math.min(sizes.length, b.length));
        return b;
    }

    /** The pipeline counters summed over queues (the periodic log line). */
    QueueCounters.Snapshot totals() {
        return QueueCounters.Snapshot.sum(pipeline.snapshots());
    }

    /** The transport counters summed over queues. */
    NfQueueCounters.Snapshot kernelTotals() {
        NfQueueGroup g = group;
        return g != null ? g.totals() : NfQueueCounters.Snapshot.empty();
    }

    /** Resumes a stalled run after it has been paused for the configured time (test hook). */
    private static final class StallRelease implements Runnable {
        private final InspectionPipeline.QueueRun run;
        private final long millis;
        private long pausedSince = -1;
        private boolean released;

        StallRelease(InspectionPipeline.QueueRun run, long millis) {
            this.run = run;
            this.millis = millis;
        }

        @Override
        public void run() {
            if (released || !run.isPaused()) {
                return;
            }
            long now = System.nanoTime();
            if (pausedSince < 0) {
                pausedSince = now;
            } else if (now - pausedSince >= millis * 1_000_000L) {
                released = true;
                log.warn("test hook: stall released after {} ms", millis);
                run.resume();
            }
        }
    }
}
