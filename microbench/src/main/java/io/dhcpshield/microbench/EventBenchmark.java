package io.dhcpshield.microbench;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.DhcpEvents;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The per-packet cost the pipeline adds after the verdict for packets that produce an event: full decode plus
 * building the {@link DhcpEvent} (not part of the codec's targets, measured to keep the event path honest).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class EventBenchmark {

    private ByteBuf discover;
    private ByteBuf relayedSolicit;
    private DecodedPacket decodedDiscover;
    private final Classification classified = new Classification();

    @Setup
    public void setUp() {
        discover = Unpooled.directBuffer().writeBytes(Packets.discover());
        relayedSolicit = Unpooled.directBuffer().writeBytes(Packets.relayedSolicit());
        decodedDiscover = DhcpDecoder.decode(discover, 0, discover.readableBytes(), Framing.IP);
        if (!decodedDiscover.isDhcp()) {
            throw new IllegalStateException("benchmark packet does not decode");
        }
        PacketClassifier.classify(discover, 0, discover.readableBytes(), Framing.IP, -1L, classified);
        if (!classified.isDhcp()) {
            throw new IllegalStateException("benchmark packet does not classify");
        }
    }

    @Benchmark
    public DhcpEvent decodeAndBuildEventDiscover() {
        DecodedPacket p = DhcpDecoder.decode(discover, 0, discover.readableBytes(), Framing.IP);
        return DhcpEvents.of(p, 1L, 1, "site");
    }

    @Benchmark
    public DhcpEvent decodeAndBuildEventRelayedSolicit() {
        DecodedPacket p = DhcpDecoder.decode(relayedSolicit, 0, relayedSolicit.readableBytes(), Framing.IP);
        return DhcpEvents.of(p, 1L, 1, "site");
    }

    @Benchmark
    public DhcpEvent buildEventOnlyDiscover() {
        return DhcpEvents.of(decodedDiscover, 1L, 1, "site");
    }

    /**
     * What the verdict path pays per event after the verdict: the copy of a classified DISCOVER into its event
     * (the bytes, and what the decode needs of the classification as fields of the event), before anything is
     * decoded.
     */
    @Benchmark
    public DhcpEvent captureEventDiscover() {
        return DhcpEvent.captured(discover, 0, discover.readableBytes(), classified, classified.mark(), 1L, 1, "site");
    }

    /**
     * The part of {@link #captureEventDiscover} that is fresh memory: an array of the packet's size, allocated and
     * not even written. An allocation-bound loop meets cache lines that are not in the cache; the JVM's allocation
     * prefetch ({@code -XX:AllocatePrefetchDistance/Lines}, see bin/dhcp-processor) decides how much of that waiting
     * is hidden.
     */
    @Benchmark
    public byte[] allocateArrayOfDiscoverSize() {
        return new byte[discover.readableBytes()];
    }
}
