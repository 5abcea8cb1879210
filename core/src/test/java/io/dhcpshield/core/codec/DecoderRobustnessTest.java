package io.dhcpshield.core.codec;

import io.dhcpshield.core.codec.TestPackets.Dhcp4;
import io.dhcpshield.core.codec.TestPackets.Dhcp6;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.util.List;

import static io.dhcpshield.core.codec.TestPackets.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Property tests: random and mutated packets never throw, never hang, and always give either a DHCP mark or a typed
 * error; the fast path and the full decoder agree on the mark. Bounded (tries per property) so CI stays quick.
 */
class DecoderRobustnessTest {

    private static final byte[] LINK = hex("20010db8000000000000000000000001");
    private static final byte[] PEER = hex("fe800000000000000000000000000002");

    /** Well-formed seeds across both versions, relays and framings; mutations start from these. */
    static final List<byte[]> SEEDS = List.of(
            new Dhcp4().type(1).option(61, hex("01 02005e102030")).option(12, "host").option(55, hex("010306 0f"))
                    .option(82, hex("01 03 616263 02 02 6869")).ethernet(),
            new Dhcp4().type(5).op(2).giaddr(10, 0, 0, 1).option(52, new byte[] {3}).file(hex("0c 03 616263 ff"))
                    .sname(hex("3c 02 7878 ff")).ip(),
            ipv6Udp(new Dhcp6(1).option(1, hex("0001 0001 2b3c4d5e 001122334455")).option(6, hex("00170018"))
                    .option(3, concat(hex("00000001 00000708 00000b40"),
                            opt6(5, concat(hex("20010db80000000000000000000000aa"), hex("00000e10 00001c20")))))
                    .payload(), 546, 547),
            ipv6Udp(relayForw(1, LINK, PEER, relayForw(0, LINK, PEER,
                    new Dhcp6(1).option(1, hex("0002 00000009 01020304")).payload(),
                    opt6(79, hex("0001 0a0b0c0d0e0f"))), opt6(18, hex("0102"))), 547, 547));

    @Property(tries = 3000)
    void randomBytesNeverThrowInAnyFraming(@ForAll("frames") byte[] frame, @ForAll Framing framing) {
        assertDecodesSafely(frame, framing);
    }

    @Property(tries = 3000)
    void randomDhcpPayloadsBehindValidHeadersNeverThrow(@ForAll("frames") byte[] payload, @ForAll boolean v6,
                                                        @ForAll boolean magicCookie) {
        byte[] p = payload;
        if (!v6 && magicCookie && p.length > 240) {
            p[236] = 0x63;
            p[237] = (byte) 0x82;
            p[238] = 0x53;
            p[239] = 0x63;
        }
        assertDecodesSafely(v6 ? ipv6Udp(p, 547, 547) : ipv4Udp(p, 68, 67), Framing.IP);
    }

    @Property(tries = 4000)
    void mutatedPacketsNeverThrowAndAlwaysYieldAMarkOrATypedError(@ForAll("mutants") Tuple.Tuple2<byte[], Framing> m) {
        assertDecodesSafely(m.get1(), m.get2());
    }

    @Property(tries = 300)
    void arbitrarilyDeepRelayNestingTerminates(@ForAll("depths") int depth) {
        byte[] msg = new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload();
        for (int i = 0; i < depth; i++) {
            msg = relayForw(i & 0xFF, LINK, PEER, msg);
            if (msg.length > 60_000) {
                break;
            }
        }
        byte[] frame = ipv6Udp(msg, 547, 547);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertDecodesSafely(frame, Framing.IP));
    }

    @Provide
    Arbitrary<byte[]> frames() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(700);
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(0, 400);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<byte[], Framing>> mutants() {
        Arbitrary<Integer> seedIndex = Arbitraries.integers().between(0, SEEDS.size() - 1);
        Arbitrary<long[]> edits = Arbitraries.longs().array(long[].class).ofMinSize(1).ofMaxSize(12);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 100);
        return Combinators.combine(seedIndex, edits, cut).as((i, e, c) -> {
            byte[] seed = SEEDS.get(i);
            byte[] b = mutate(seed, e, c);
            return Tuple.of(b, i == 0 ? Framing.ETHERNET : Framing.IP);
        });
    }

    /** Byte flips, length-field-sized writes of extreme values, and truncation: the mutations that break parsers. */
    static byte[] mutate(byte[] seed, long[] edits, int cutPercent) {
        byte[] b = seed.clone();
        for (long e : edits) {
            int pos = (int) Math.floorMod(e >>> 8, (long) b.length);
            switch ((int) Math.floorMod(e, 4L)) {
                case 0 -> b[pos] = (byte) (e >>> 40);
                case 1 -> b[pos] = (byte) 0xFF;
                case 2 -> b[pos] = 0;
                default -> {
                    b[pos] = (byte) 0xFF;
                    if (pos + 1 < b.length) {
                        b[pos + 1] = (byte) 0xFF;
                    }
                }
            }
        }
        if (cutPercent < 30) {
            b = java.util.Arrays.copyOf(b, b.length * cutPercent / 30);
        }
        return b;
    }

    static void assertDecodesSafely(byte[] frame, Framing framing) {
        Classification c = classify(frame, framing);
        DecodedPacket p = decode(frame, framing);
        assertEquals(c.mark(), p.mark(), "fast path and full decode disagree on the mark");
        assertNotEquals(DecodeError.DECODER_FAILURE, c.error(), "fast path bounds bug");
        assertTrue(p.faults().stream().noneMatch(f -> f.error() == DecodeError.DECODER_FAILURE),
                () -> "decoder bounds bug: " + p.faults());
        if (c.isDhcp()) {
            assertNotEquals(0, c.typeCode(), "every DHCP packet gets type bits");
            assertTrue(p.isDhcp());
        } else {
            assertNotNull(c.error(), "a packet that is not DHCP says why");
            assertEquals(0, c.mark());
            assertFalse(p.faults().isEmpty());
        }
    }
}
