package io.dhcpshield.microbench;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.DecodeFault;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.mark.PacketMark;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per packet for the verdict's fast path ({@link PacketClassifier#classify}) and for the full decode
 * ({@link DhcpDecoder#decode}), on three packets as NFQUEUE delivers them (raw IP, {@link Framing#IP}): a relayed
 * DHCPv4 DISCOVER with 12 options, a DHCPv6 SOLICIT under two RELAY-FORW hops, and the DISCOVER cut inside its options.
 *
 * <p>Packets sit in pooled direct buffers behind some headroom, as a netlink receive buffer holds them; one heap
 * variant shows what the buffer kind costs. {@link NettyChecksOff} repeats every benchmark in a JVM started with
 * Netty's {@code checkAccessible} and {@code checkBounds} switched off. {@code bench/microbench} runs them all with the
 * GC profiler so that allocation per packet is reported next to the time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {

    /** Bytes in front of the packet in its buffer, where netlink and nfqueue headers sit before NFQA_PAYLOAD. */
    static final int HEADROOM = 64;

    /** One packet in its buffer: the bytes at {@code [index, index + length)}. */
    record Packet(ByteBuf buf, int index, int length) {

        static Packet direct(byte[] bytes) {
            return place(PooledByteBufAllocator.DEFAULT.directBuffer(HEADROOM + bytes.length), bytes);
        }

        static Packet heap(byte[] bytes) {
            return place(PooledByteBufAllocator.DEFAULT.heapBuffer(HEADROOM + bytes.length), bytes);
        }

        private static Packet place(ByteBuf buf, byte[] bytes) {
            buf.writeZero(HEADROOM).writeBytes(bytes);
            return new Packet(buf, HEADROOM, bytes.length);
        }
    }

    /**
     * The link-layer source NFQUEUE reports out of band (NFQA_HWADDR): the last sender, here the relay's router
     * port. The inspection pipeline passes it; it does not change these packets' marks (chaddr and the DUID win).
     */
    static final long NFQA_HWADDR = 0x001B21_0A0B0DL;

    /** Refilled by every fast-path call, as each verdict worker owns one. */
    private final Classification classification = new Classification();

    private Packet discoverDirect;
    private Packet discoverHeap;
    private Packet relayedSolicitDirect;
    private Packet truncatedDirect;

    @Setup(Level.Trial)
    public void setUp() {
        discoverDirect = Packet.direct(Packets.discover());
        discoverHeap = Packet.heap(Packets.discover());
        relayedSolicitDirect = Packet.direct(Packets.relayedSolicit());
        truncatedDirect = Packet.direct(Packets.truncatedDiscover());
        check(discoverDirect.buf().isDirect() && !discoverHeap.buf().isDirect(), "buffer kinds");

        for (Packet p : List.of(discoverDirect, discoverHeap)) {
            Classification c = classify(p);
            expect(c, 4, Packets.V4_DISCOVER_MARK, MarkSource.CHADDR, null, null);
            check(c.messageType() == 1, "DISCOVER message type, got " + c);
            DecodedPacket d = decode(p);
            expectDecoded(d, Packets.V4_DISCOVER_MARK, "DISCOVER");
            check(d.dhcp4().options().size() == 12, "12 options, got " + d.dhcp4().options().size());
            check(d.dhcp4().relayAgentInfo() != null && d.dhcp4().relayAgentInfo().circuitId() != null,
                    "option 82 with a circuit-id");
            check(d.dhcp4().clientFqdn() != null && d.dhcp4().clientFqdn().name().equals("laptop-42.corp.example.com"),
                    "option 81 name, got " + d.dhcp4().clientFqdn());
        }

        Classification relay = classify(relayedSolicitDirect);
        expect(relay, 6, Packets.V6_RELAY_MARK, MarkSource.DUID_LLT, null, null);
        check(relay.relayDepth() == 2 && relay.innerMessageType() == 1, "two hops around a SOLICIT, got " + relay);
        DecodedPacket relayDecoded = decode(relayedSolicitDirect);
        expectDecoded(relayDecoded, Packets.V6_RELAY_MARK, "RELAY-FORW");
        check(relayDecoded.dhcp6().hops().size() == 2, "two relay hops decoded");
        check(relayDecoded.dhcp6().innermostHop().clientLinkLayerType() == 1, "option 79 on the inner hop");
        check(relayDecoded.dhcp6().hops().get(0).interfaceId() != null
                && relayDecoded.dhcp6().hops().get(0).remoteId() != null, "interface-id and remote-id on the outer hop");
        check(relayDecoded.dhcp6().message() != null && relayDecoded.dhcp6().message().type().code() == 1,
                "the SOLICIT inside");

        Classification cut = classify(truncatedDirect);
        expect(cut, 4, Packets.V4_DISCOVER_MARK, MarkSource.CHADDR, DecodeError.BAD_UDP_LENGTH,
                DecodeError.OPTION_OVERRUN);
        DecodedPacket cutDecoded = decode(truncatedDirect);
        check(cutDecoded.mark() == Packets.V4_DISCOVER_MARK, "truncated decode mark, got " + cutDecoded.mark());
        List<DecodeError> errors = cutDecoded.faults().stream().map(DecodeFault::error).toList();
        check(errors.equals(List.of(DecodeError.BAD_UDP_LENGTH, DecodeError.OPTION_OVERRUN)),
                "truncated decode faults [BAD_UDP_LENGTH, OPTION_OVERRUN], got " + cutDecoded.faults());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Packet p : new Packet[] {discoverDirect, discoverHeap, relayedSolicitDirect, truncatedDirect}) {
            if (p != null) {
                p.buf().release();
            }
        }
    }

    // ---------------------------------------------------------------- fast path

    @Benchmark
    public void classifyDiscoverDirect(Blackhole bh) {
        consume(classify(discoverDirect), bh);
    }

    @Benchmark
    public void classifyDiscoverHeap(Blackhole bh) {
        consume(classify(discoverHeap), bh);
    }

    @Benchmark
    public void classifyRelayedSolicitDirect(Blackhole bh) {
        consume(classify(relayedSolicitDirect), bh);
    }

    @Benchmark
    public void classifyTruncatedDirect(Blackhole bh) {
        consume(classify(truncatedDirect), bh);
    }

    // ---------------------------------------------------------------- full decode

    @Benchmark
    public void decodeDiscoverDirect(Blackhole bh) {
        bh.consume(decode(discoverDirect));
    }

    @Benchmark
    public void decodeRelayedSolicitDirect(Blackhole bh) {
        bh.consume(decode(relayedSolicitDirect));
    }

    @Benchmark
    public void decodeTruncatedDirect(Blackhole bh) {
        bh.consume(decode(truncatedDirect));
    }

    // ---------------------------------------------------------------- helpers

    private Classification classify(Packet p) {
        return PacketClassifier.classify(p.buf(), p.index(), p.length(), Framing.IP, NFQA_HWADDR, classification);
    }

    private static DecodedPacket decode(Packet p) {
        return DhcpDecoder.decode(p.buf(), p.index(), p.length(), Framing.IP, NFQA_HWADDR);
    }

    /** What the verdict uses: the mark, and the error that decides how the packet is counted. */
    private static void consume(Classification c, Blackhole bh) {
        bh.consume(c.mark());
        bh.consume(c.error());
    }

    private static void expect(Classification c, int family, int mark, MarkSource source, DecodeError frameError,
                               DecodeError dhcpError) {
        check(c.family() == family, "family " + family + ", got " + c);
        check(c.mark() == mark, "mark " + PacketMark.toHex(mark) + ", got " + c);
        check(c.markSource() == source, "mark source " + source + ", got " + c);
        check(c.frameError() == frameError, "frame error " + frameError + ", got " + c.frameError());
        check(c.dhcpError() == dhcpError, "DHCP error " + dhcpError + ", got " + c.dhcpError());
    }

    private static void expectDecoded(DecodedPacket d, int mark, String typeName) {
        check(d.faults().isEmpty(), "no faults, got " + d.faults());
        check(d.mark() == mark, "decoded mark " + PacketMark.toHex(mark) + ", got " + PacketMark.toHex(d.mark()));
        check(Objects.equals(d.messageTypeName(), typeName), typeName + ", got " + d.messageTypeName());
    }

    private static void check(boolean ok, String expectation) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup is broken: expected " + expectation);
        }
    }

    /**
     * Every benchmark again, in a JVM where Netty skips its reference-count check on each access
     * ({@code io.netty.buffer.checkAccessible=false}) and its index checks ({@code io.netty.buffer.checkBounds=false}).
     */
    @Fork(value = 1, jvmArgsAppend = {"-Dio.netty.buffer.checkAccessible=false", "-Dio.netty.buffer.checkBounds=false"})
    public static class NettyChecksOff extends CodecBenchmark {

        @Setup(Level.Trial)
        public void checkFlags() {
            check("false".equals(System.getProperty("io.netty.buffer.checkAccessible"))
                    && "false".equals(System.getProperty("io.netty.buffer.checkBounds")),
                    "Netty checks switched off in this fork (was -jvmArgsAppend given on the command line?)");
        }
    }
}
