package io.dhcpshield.core.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp4.RelayAgentInfo;
import io.dhcpshield.core.dhcp6.Dhcp6Message;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.dhcp6.RelayHop;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.mark.PacketMark;
import io.netty.buffer.Unpooled;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Coverage-guided fuzzing of the full decoder (docs/fuzzing.md): any bytes, in every framing, decoded where they sit
 * in the middle of a larger buffer that fails reads outside them. The result is always typed (a DHCP mark or a reason),
 * never an exception, never a read outside the slice, the same as for the bytes alone, and every typed view of it
 * can be read. The mvn test phase replays the committed inputs; {@code bench/fuzz decoder} fuzzes.
 */
class DhcpDecoderFuzzTest {

    @FuzzTest
    void decodesAnyBytesInAnyFramingWithinItsSlice(byte[] input) {
        FuzzPacket p = FuzzPacket.of(input);
        WindowedByteBuf buf = p.place();
        try {
            DecodedPacket d = DhcpDecoder.decode(buf, buf.windowIndex(), buf.windowLength(), p.framing(), p.l2Source());
            assertTyped(d, p.frame().length);
            assertEquals(0, buf.readerIndex(), "the decoder reads with absolute indexes");
            assertEquals(1, buf.refCnt(), "the decoder neither retains nor releases the caller's buffer");

            DecodedPacket alone = DhcpDecoder.decode(Unpooled.wrappedBuffer(p.frame()), 0, p.frame().length,
                    p.framing(), p.l2Source());
            assertEquals(alone.mark(), d.mark(), "the mark depends on where the packet sits");
            assertEquals(alone.markSource(), d.markSource());
            assertEquals(alone.faults(), d.faults(), "faults depend on where the packet sits");
            assertEquals(alone.messageTypeName(), d.messageTypeName());
        } finally {
            assertTrue(buf.release(), "the caller's buffer is released by the caller, once");
        }
    }

    /** A DHCP mark with a type, or a reason; faults inside the frame; no bounds bug; every typed view readable. */
    static void assertTyped(DecodedPacket d, int length) {
        for (DecodeFault f : d.faults()) {
            assertNotEquals(DecodeError.DECODER_FAILURE, f.error(), () -> "decoder bounds bug: " + d.faults());
            assertTrue(f.offset() >= 0 && f.offset() <= length, () -> "fault outside the frame: " + f);
        }
        if (d.isDhcp()) {
            assertNotEquals(0, d.typeCode(), "every DHCP packet gets type bits");
            assertNotNull(d.messageTypeName());
            assertNotNull(d.identity());
            MarkSource source = d.markSource();
            assertEquals(source, d.identity().macSource());
            if (source.isMac()) {
                assertNotNull(d.identity().mac(), source.label());
                assertEquals(d.identity().mac().low24(), PacketMark.clientMark(d.mark()));
            } else {
                assertNull(d.identity().mac(), source.label());
            }
            if (source == MarkSource.NONE) {
                assertEquals(0, PacketMark.clientMark(d.mark()));
            }
        } else {
            assertEquals(0, d.mark());
            assertNull(d.identity());
            assertFalse(d.faults().isEmpty(), "a packet that is not DHCP says why");
        }
        readEveryView(d);
    }

    /** Calls every typed accessor events and {@code dpictl analyze} use: none may throw for any decoded packet. */
    static void readEveryView(DecodedPacket d) {
        FrameInfo f = d.frame();
        String.valueOf(f.l2Source());
        String.valueOf(f.source());
        String.valueOf(f.destination());
        if (d.dhcp4() != null) {
            readV4(d.dhcp4());
        }
        if (d.dhcp6() != null) {
            readV6(d.dhcp6());
        }
        if (d.identity() != null && d.identity().relay() != null) {
            String.valueOf(d.identity().relay().address());
        }
        d.faults().forEach(DecodeFault::toString);
    }

    private static void readV4(Dhcp4Message m) {
        m.messageType().name();
        String.valueOf(m.chaddrMac());
        String.valueOf(m.ciaddr());
        String.valueOf(m.yiaddr());
        String.valueOf(m.siaddr());
        String.valueOf(m.giaddr());
        m.hostname();
        m.vendorClass();
        m.clientId();
        String.valueOf(m.requestedAddress());
        String.valueOf(m.serverId());
        String.valueOf(m.subnetSelection());
        m.leaseTime();
        m.renewalTime();
        m.rebindingTime();
        m.parameterRequestList();
        m.maxMessageSize();
        m.userClass();
        m.clientFqdn();
        m.vendorIdentifyingClasses();
        m.vendorIdentifyingInfo();
        RelayAgentInfo rai = m.relayAgentInfo();
        if (rai != null) {
            rai.circuitId();
            rai.remoteId();
            rai.subscriberId();
            rai.vendorSpecific();
            String.valueOf(rai.linkSelection());
        }
        m.options().forEach(o -> o.name());
    }

    private static void readV6(Dhcp6Packet p) {
        p.outerType().name();
        for (RelayHop hop : p.hops()) {
            String.valueOf(hop.linkAddress());
            String.valueOf(hop.peerAddress());
        }
        Dhcp6Message m = p.message();
        if (m == null) {
            return;
        }
        m.type().name();
        readDuid(m.clientId());
        readDuid(m.serverId());
        m.requestedOptions();
        m.elapsedTime();
        m.preference();
        m.rapidCommit();
        m.reconfigureAccept();
        m.reconfigureMessage();
        m.statusCode();
        List<?> ias = m.identityAssociations();
        String.valueOf(ias);
        m.userClass();
        m.vendorClass();
        m.vendorClassItems();
        m.vendorOptions();
        m.clientFqdn();
    }

    private static void readDuid(Duid duid) {
        if (duid == null) {
            return;
        }
        duid.typeName();
        duid.hardwareType();
        duid.time();
        duid.linkLayerAddress();
        String.valueOf(duid.mac());
        duid.enterpriseNumber();
        duid.identifier();
        duid.uuid();
        duid.isWellFormed();
        duid.toString();
    }
}
