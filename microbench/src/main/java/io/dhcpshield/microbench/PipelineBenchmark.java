package io.dhcpshield.microbench;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.pipeline.InspectionPipeline;
import io.dhcpshield.core.pipeline.QueueCounters;
import io.dhcpshield.core.pipeline.QueuedPacket;
import io.dhcpshield.core.pipeline.ReadEndListener;
import io.dhcpshield.core.pipeline.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The verdict path's Java work per packet, without the kernel: a read of 64 DISCOVERs (in a direct buffer, as the
 * NFQUEUE ring holds them) handed one by one to the queue's subscriber ({@link InspectionPipeline#queueRun}: parse,
 * mark, verdict, event), then the read's end (the events published to the fan-out). The lab's CPU per packet moves
 * with the machine; this does not, so it can rank two builds of the pipeline. {@code events}: {@code on} with one
 * counting subscriber on its own thread, as in the daemon (every event built and delivered, none shed: checked at the
 * end), {@code off} with no subscriber (no event is built). The number is per packet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class PipelineBenchmark {

    private static final int READ = 64;
    private static final int OFFSET = 96;

    @Param({"on", "off"})
    public String events;

    private final EventFanout<DhcpEvent> fanout = new EventFanout<>();
    private final LongAdder delivered = new LongAdder();
    /** The subscriber drains on its own thread, as in the daemon; it only counts, and keeps up (checked). */
    private final Scheduler subscriberThread = Schedulers.newSingle("bench-subscriber");
    private InspectionPipeline pipeline;
    private InspectionPipeline.QueueRun run;
    private ReadEndListener readEnd;
    private RingPacket packet;

    @Setup(Level.Trial)
    public void setUp() {
        if (events.equals("on")) {
            fanout.subscribe("bench", 1 << 17, subscriberThread).subscribe(e -> delivered.increment());
        }
        pipeline = new InspectionPipeline(new InspectionPipeline.Settings(false, "bench", List.of()), new DenySet(),
                fanout, () -> 1_700_000_000_000_000L);
        run = pipeline.queueRun(1);
        Flux.<QueuedPacket>never().subscribe(run);
        readEnd = run.currentContext().get(ReadEndListener.class);
        packet = new RingPacket(Packets.discover());
        read();
        if (packet.verdictMark != Packets.V4_DISCOVER_MARK || packet.verdict != Verdict.ACCEPT) {
            throw new IllegalStateException("the pipeline gave mark " + Integer.toHexString(packet.verdictMark));
        }
    }

    @TearDown(Level.Trial)
    public void counts() {
        QueueCounters.Snapshot c = pipeline.counters(1).snapshot();
        // What was loaded: every packet verdicted; with events on, every event built and delivered, none shed.
        System.out.printf("%n[events %s] verdicted %,d, events built %,d, shed %,d, published %,d, delivered %,d%n",
                events, c.verdicted(), c.events(), c.eventsShed(), fanout.published(), delivered.sum());
        if (events.equals("on") && (c.events() != c.verdicted() || c.eventsShed() != 0)) {
            throw new IllegalStateException("not every packet gave an event: " + c);
        }
        run.dispose();
        subscriberThread.dispose();
    }

    @Benchmark
    @OperationsPerInvocation(READ)
    public int read() {
        for (int i = 0; i < READ; i++) {
            packet.id++;
            run.onNext(packet);
        }
        readEnd.readEnded();
        return packet.verdictMark;
    }

    /** A flyweight over a direct buffer, the packet at an offset as in the NFQUEUE ring. */
    static final class RingPacket implements QueuedPacket {
        final ByteBuf buf;
        final int length;
        long id;
        Verdict verdict;
        int verdictMark;

        RingPacket(byte[] ip) {
            ByteBuffer ring = ByteBuffer.allocateDirect(64 * 1024);
            ring.put(OFFSET, ip);
            this.buf = Unpooled.wrappedBuffer(ring);
            this.length = ip.length;
        }

        @Override public int queue() { return 1; }
        @Override public long packetId() { return id; }
        @Override public ByteBuf buffer() { return buf; }
        @Override public int payloadIndex() { return OFFSET; }
        @Override public int payloadLength() { return length; }
        @Override public long l2Source() { return -1; }
        @Override public int inInterface() { return 2; }
        @Override public int outInterface() { return 0; }
        @Override public int mark() { return 0; }
        @Override public long receivedNanos() { return id; }

        @Override
        public void verdict(Verdict verdict, int mark) {
            this.verdict = verdict;
            this.verdictMark = mark;
        }
    }
}
