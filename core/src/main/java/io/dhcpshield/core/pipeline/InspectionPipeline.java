package io.dhcpshield.core.pipeline;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.event.Origin;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.dhcpshield.core.net.MacAddress;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The processor's per-queue stream: parse → mark → verdict, then the event. Every stage runs on the queue's event
 * loop, synchronously, on one reused {@link PacketContext}, so the verdict path allocates nothing for packets that
 * produce no event; an event costs a copy of the packet, its full decode happens on the subscribers' threads. Every DHCP packet is accepted with its mark; nothing here drops DHCP. Denied clients get their
 * verdict and mark but no event. Non-DHCP packets are accepted unmarked, or dropped when
 * {@code drop_non_dhcp_packets} is set; either way they are counted by reason.
 */
public final class InspectionPipeline {

    /**
     * While a queue is backlogged ({@link QueuedPacket#backlogged()}), one read's events in this many are built by
     * default (the others are shed, counted): events cost about half the verdict path's own CPU, and on a saturated
     * box packets that fail open pass unmarked, past the per-client limits and sets. The sample keeps the overload
     * visible to storage, the stream and alarms.
     */
    public static final int DEFAULT_BACKLOG_SAMPLE = 8;

    /**
     * What the pipeline needs from configuration.
     *
     * @param backlogSample while a queue is backlogged, one read's events in this many are built, the others shed
     *                      ({@code events_shed_backlog}); 1 builds every event
     */
    public record Settings(boolean dropNonDhcpPackets, String siteId, List<CustomRule> rules, MirrorLedger mirrors,
                           int backlogSample) {
        public Settings {
            Objects.requireNonNull(siteId, "siteId");
            rules = List.copyOf(rules);
            if (backlogSample < 1) {
                throw new IllegalArgumentException("backlogSample must be >= 1, was " + backlogSample);
            }
        }

        /** With the default backlog sample. */
        public Settings(boolean dropNonDhcpPackets, String siteId, List<CustomRule> rules, MirrorLedger mirrors) {
            this(dropNonDhcpPackets, siteId, rules, mirrors, DEFAULT_BACKLOG_SAMPLE);
        }

        /** Without re-injected mirror copies. */
        public Settings(boolean dropNonDhcpPackets, String siteId, List<CustomRule> rules) {
            this(dropNonDhcpPackets, siteId, rules, null);
        }
    }

    private final Settings settings;
    private final DenySet denySet;
    private final EventFanout<DhcpEvent> events;
    private final LongSupplier clockMicros;
    private final Map<Integer, QueueCounters> counters = new ConcurrentHashMap<>();

    public InspectionPipeline(Settings settings, DenySet denySet, EventFanout<DhcpEvent> events,
                              LongSupplier clockMicros) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.denySet = Objects.requireNonNull(denySet, "denySet");
        this.events = Objects.requireNonNull(events, "events");
        this.clockMicros = Objects.requireNonNull(clockMicros, "clockMicros");
    }

    /** The counters of {@code queue}, created on first use. */
    public QueueCounters counters(int queue) {
        return counters.computeIfAbsent(queue, QueueCounters::new);
    }

    public List<QueueCounters.Snapshot> snapshots() {
        return counters.values().stream().map(QueueCounters::snapshot)
                .sorted(java.util.Comparator.comparingInt(QueueCounters.Snapshot::queue)).toList();
    }

    /**
     * Subscribes {@link #queueRun} to {@code packets}: the returned subscriber keeps demand flowing and can
     * {@link QueueRun#pause()} it (the transport then stops reading and the kernel's fail-open passes packets).
     */
    public QueueRun run(int queue, Flux<QueuedPacket> packets) {
        QueueRun run = queueRun(queue);
        packets.subscribe(run);
        return run;
    }

    /**
     * The subscriber of one queue's packets, not yet subscribed: every stage runs inside its {@code onNext}, on the
     * source's thread. No operator sits between the source and the stages (a {@code map} and the completion hooks
     * cost a fifth of the loop's Java time in a JFR profile at 100k packets/s, for nothing: all of it is
     * synchronous on the queue's event loop). Its Reactor context carries the pipeline's {@link ReadEndListener}.
     */
    public QueueRun queueRun(int queue) {
        return new QueueRun(this, new PacketContext(counters(queue)));
    }

    /** One packet through every stage: parse, mark, verdict, event. */
    private void process(PacketContext ctx, QueuedPacket p) {
        ctx.parse(p);
        mark(ctx);
        verdict(ctx);
        emitEvent(ctx);
    }

    // ---------------------------------------------------------------- stages

    PacketContext mark(PacketContext ctx) {
        Classification c = ctx.classification;
        QueueCounters n = ctx.counters;
        if (!c.isDhcp()) {
            n.inc(QueueCounters.NON_DHCP);
            n.error(c.error());
            if (settings.dropNonDhcpPackets()) {
                ctx.verdict = Verdict.DROP;
                n.inc(QueueCounters.NON_DHCP_DROPPED);
            }
            ctx.mark = ctx.packet.mark();
            return ctx;
        }
        n.inc(QueueCounters.DHCP);
        n.typeCode(c.typeCode());
        if (c.error() != null) {
            n.error(c.error());
        }
        ctx.mark = c.mark();
        ctx.denied = denySet.contains(c.clientMark());
        if (ctx.denied) {
            n.inc(QueueCounters.DENIED);
        } else if (!settings.rules().isEmpty()) {
            applyRules(ctx);
        }
        return ctx;
    }

    PacketContext verdict(PacketContext ctx) {
        ctx.packet.verdict(ctx.verdict, ctx.mark);
        ctx.counters.inc(QueueCounters.VERDICTED);
        return ctx;
    }

    void emitEvent(PacketContext ctx) {
        if (!ctx.classification.isDhcp()) {
            return;
        }
        // A re-injected copy takes its record back even when it gives no event (denied, nobody listening): a record
        // left behind would wait until evicted.
        boolean mirror = settings.mirrors() != null && MirrorLedger.isMirrorPort(ctx.classification.dstPort());
        if (!mirror && (ctx.denied || !events.hasSubscribers())) {
            return;
        }
        try {
            // A copy of the packet and what the fast path knew; the full decode runs later on the subscribers' side.
            QueuedPacket p = ctx.packet;
            DhcpEvent event;
            if (mirror) {
                event = mirroredEvent(ctx);
                if (event == null) {
                    return;
                }
            } else if (ctx.readBatching && shedding(ctx)) {
                return;
            } else {
                event = DhcpEvent.captured(p.buffer(), p.payloadIndex(), p.payloadLength(), ctx.classification,
                        ctx.mark, ctx.wallClockMicros(p.receivedNanos(), clockMicros), p.queue(), settings.siteId());
            }
            if (ctx.readBatching) {
                ctx.pending[ctx.pendingCount++] = event;
                if (ctx.pendingCount == ctx.pending.length) {
                    publishPending(ctx);
                }
            } else {
                events.publish(event);
            }
            ctx.counters.inc(QueueCounters.EVENTS);
        } catch (RuntimeException e) {
            // The verdict is already out; losing an event is counted, never thrown into the queue's stream.
            ctx.counters.inc(QueueCounters.EVENT_FAILURES);
        }
    }

    /**
     * A re-injected mirror copy (the collector's reinject mode): no event while it leaves (output hook: no input
     * interface), then, as it arrives on the loopback, the event of the original frame the collector recorded, with
     * its site and agent; a copy nobody recorded gives its own event (counted unmatched). A denied client's copy, or
     * one nobody listens for, takes its record and gives no event. Either way the verdict was given and drop_mirrored
     * drops the copy.
     */
    private DhcpEvent mirroredEvent(PacketContext ctx) {
        QueuedPacket p = ctx.packet;
        Classification c = ctx.classification;
        if (p.inInterface() == 0) {
            ctx.counters.inc(QueueCounters.MIRRORED_LEAVING);
            return null;
        }
        MirrorLedger.Entry m = settings.mirrors().take(p.buffer(), c.dhcpIndex(), c.dhcpLength());
        ctx.counters.inc(m == null ? QueueCounters.MIRRORED_UNMATCHED : QueueCounters.MIRRORED);
        if (ctx.denied || !events.hasSubscribers()) {
            return null;
        }
        long time = ctx.wallClockMicros(p.receivedNanos(), clockMicros);
        if (m == null) {
            return DhcpEvent.captured(p.buffer(), p.payloadIndex(), p.payloadLength(), c, ctx.mark, time, p.queue(),
                    settings.siteId());
        }
        ByteBuf frame = Unpooled.wrappedBuffer(m.frame());
        PacketClassifier.classify(frame, 0, m.frame().length, Framing.ETHERNET, ctx.mirror);
        MacAddress l2Destination = m.frame().length >= 6 ? MacAddress.read(frame, 0) : null;
        return DhcpEvent.observed(frame, 0, m.frame().length, ctx.mirror, time, m.site(),
                Origin.mirrored(m.agent(), l2Destination));
    }

    /**
     * Overload, decided at a read's first event: the verdict path sheds observability before it slows inspection
     * into fail-open. When every subscriber's buffer is full, the read's events are not built (their copies and
     * allocations would only be dropped) but counted as shed, and dropped at every subscriber. When the read found
     * the queue backlogged and is not one of the sampled reads ({@link Settings#backlogSample}), its events are not
     * built either, counted in {@code events_shed_backlog} and never published.
     */
    private boolean shedding(PacketContext ctx) {
        if (ctx.pendingCount == 0 && ctx.shedCount == 0 && ctx.backlogShedCount == 0) {
            ctx.shedding = !events.hasRoom();
            ctx.backlogShedding = !ctx.shedding && backlogShedding(ctx);
        }
        if (ctx.shedding) {
            ctx.shedCount++;
            ctx.counters.inc(QueueCounters.EVENTS_SHED);
            return true;
        }
        if (ctx.backlogShedding) {
            ctx.backlogShedCount++;
            ctx.counters.inc(QueueCounters.EVENTS_SHED_BACKLOG);
            return true;
        }
        return false;
    }

    /**
     * A backlogged read outside the sample: of the backlogged reads in a row, the {@code backlogSample}-th, the
     * 2 × {@code backlogSample}-th ... are built, the others shed from the first on.
     */
    private boolean backlogShedding(PacketContext ctx) {
        int sample = settings.backlogSample();
        if (sample <= 1 || !ctx.packet.backlogged()) {
            ctx.backlogReads = 0;
            return false;
        }
        return ++ctx.backlogReads % sample != 0;
    }

    /** The source finished a read: from now on events wait for the end of their read, then go out together. */
    private void publishRead(PacketContext ctx) {
        ctx.readBatching = true;
        publishPending(ctx);
        if (ctx.shedCount > 0) {
            events.shed(ctx.shedCount);
            ctx.shedCount = 0;
        }
        ctx.shedding = false;
        ctx.backlogShedCount = 0;
        ctx.backlogShedding = false;
    }

    private void publishPending(PacketContext ctx) {
        int n = ctx.pendingCount;
        if (n == 0) {
            return;
        }
        ctx.pendingCount = 0;
        try {
            events.publishAll(ctx.pending, n);
        } catch (RuntimeException e) {
            ctx.counters.add(QueueCounters.EVENT_FAILURES, n);
        }
        java.util.Arrays.fill(ctx.pending, 0, n, null);
    }

    private void applyRules(PacketContext ctx) {
        DecodedPacket d = ctx.decoded();
        for (CustomRule rule : settings.rules()) {
            String value = switch (rule.field()) {
                case CLIENT_MAC -> d.identity().mac() != null ? d.identity().mac().toString() : null;
                case HOSTNAME -> d.dhcp4() != null ? d.dhcp4().hostname()
                        : d.dhcp6() != null && d.dhcp6().message() != null && d.dhcp6().message().clientFqdn() != null
                        ? d.dhcp6().message().clientFqdn().name() : null;
                case VENDOR_CLASS -> d.dhcp4() != null ? d.dhcp4().vendorClass()
                        : d.dhcp6() != null && d.dhcp6().message() != null && d.dhcp6().message().vendorClassItems() != null
                        ? String.join(",", d.dhcp6().message().vendorClassItems()) : null;
                case CLIENT_IDENTIFIER -> d.identity().clientId() != null
                        ? HexFormat.ofDelimiter(":").formatHex(d.identity().clientId())
                        : d.identity().duid() != null ? d.identity().duid().toString() : null;
            };
            if (rule.matches(value)) {
                ctx.mark = rule.mark();
                ctx.counters.inc(QueueCounters.RULE_MATCHED);
                return;
            }
        }
    }

    /** The per-queue flyweight that carries one packet through the stages. */
    public static final class PacketContext {
        private static final int PENDING_EVENTS = 64;
        final QueueCounters counters;
        final Classification classification = new Classification();
        /** The original frame of a re-injected mirror copy. */
        final Classification mirror = new Classification();
        QueuedPacket packet;
        Verdict verdict;
        int mark;
        boolean denied;
        private DecodedPacket decoded;
        /** Events of the current read, published when the source reports the read's end (or when full). */
        final DhcpEvent[] pending = new DhcpEvent[PENDING_EVENTS];
        int pendingCount;
        boolean readBatching;
        /** This read's events are not built: no subscriber had room when its first event came (see shedding). */
        boolean shedding;
        int shedCount;
        /** This read's events are not built: it found the queue backlogged and is outside the sample. */
        boolean backlogShedding;
        int backlogShedCount;
        /** Backlogged reads in a row that had events, for the sample (reset by a read that is not backlogged). */
        int backlogReads;
        private long clockReadNanos = Long.MIN_VALUE;
        private long clockMicros;

        PacketContext(QueueCounters counters) {
            this.counters = counters;
        }

        PacketContext parse(QueuedPacket p) {
            packet = p;
            verdict = Verdict.ACCEPT;
            mark = 0;
            denied = false;
            decoded = null;
            counters.inc(QueueCounters.RECEIVED);
            PacketClassifier.classify(p.buffer(), p.payloadIndex(), p.payloadLength(), Framing.IP, p.l2Source(),
                    classification);
            return this;
        }

        /**
         * The event time: the wall clock read once per transport read (packets of one read share their receive
         * time), not once per packet.
         */
        long wallClockMicros(long receivedNanos, LongSupplier clock) {
            if (receivedNanos != clockReadNanos) {
                clockReadNanos = receivedNanos;
                clockMicros = clock.getAsLong();
            }
            return clockMicros;
        }

        DecodedPacket decoded() {
            if (decoded == null) {
                decoded = DhcpDecoder.decode(packet.buffer(), packet.payloadIndex(), packet.payloadLength(),
                        Framing.IP, packet.l2Source());
            }
            return decoded;
        }

        public Classification classification() {
            return classification;
        }

        public int mark() {
            return mark;
        }

        public Verdict verdict() {
            return verdict;
        }

        public boolean denied() {
            return denied;
        }

        public MacAddress clientMac() {
            return classification.mac() >= 0 ? new MacAddress(classification.mac()) : null;
        }
    }

    /** The subscriber at the end of a queue's stream: runs the stages, requests in chunks, and can pause demand. */
    public static final class QueueRun extends BaseSubscriber<QueuedPacket> {
        private static final int CHUNK = 256;
        private final InspectionPipeline pipeline;
        private final PacketContext ctx;
        private final reactor.util.context.Context context;
        private volatile boolean paused;
        private long outstanding;
        private long seen;
        private volatile long pauseAfter = Long.MAX_VALUE;
        private volatile Throwable error;

        private QueueRun(InspectionPipeline pipeline, PacketContext ctx) {
            this.pipeline = pipeline;
            this.ctx = ctx;
            this.context = reactor.util.context.Context.of(ReadEndListener.class,
                    (ReadEndListener) () -> pipeline.publishRead(ctx));
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return context;
        }

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            outstanding = CHUNK;
            request(CHUNK);
        }

        @Override
        protected void hookOnNext(QueuedPacket packet) {
            pipeline.process(ctx, packet);
            if (++seen >= pauseAfter) {
                pauseAfter = Long.MAX_VALUE;
                paused = true;
            }
            // Topped up at half the chunk, so demand never cuts a read short: with the chunk asked for only once it
            // was used up, the granted demand fell out of step with the reads (the ends of chunks at 18 packets into
            // a read), and at saturation every chunk took five reads instead of four and no read run stayed full.
            if (--outstanding <= CHUNK / 2 && !paused) {
                request(CHUNK - outstanding);
                outstanding = CHUNK;
            }
        }

        @Override
        protected void hookOnComplete() {
            pipeline.publishRead(ctx);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            pipeline.publishRead(ctx);
            error = throwable;
        }

        /** Stops requesting once the current chunk is used up (a test hook and the first step of shutdown). */
        public void pause() {
            paused = true;
        }

        /**
         * Pauses once this run has seen {@code packets} packets in all: the test hook that stalls the pipeline
         * mid-stream to prove fail-open (demand already granted upstream is used up, then reading stops).
         */
        public void pauseAfter(long packets) {
            pauseAfter = packets;
        }

        /** Requests again after {@link #pause()}. */
        public void resume() {
            paused = false;
            request(CHUNK);
        }

        public boolean isPaused() {
            return paused;
        }

        public Throwable error() {
            return error;
        }
    }
}
