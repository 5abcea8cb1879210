package io.dhcpshield.core.codec;

import io.dhcpshield.core.event.DhcpEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A packet is classified once: the full decode and an event's details reuse the verdict path's classification. */
class ClassifiedOnceTest {

    private static byte[] discover() {
        return new TestPackets.Dhcp4().chaddr(TestPackets.CLIENT_MAC).option(53, new byte[] {1})
                .option(12, "cam-17").ip();
    }

    @Test
    void theFullDecodeTakesTheGivenClassificationInsteadOfClassifyingAgain() {
        byte[] ip = discover();
        ByteBuf buf = Unpooled.wrappedBuffer(ip);
        Classification c = PacketClassifier.classify(buf, 0, ip.length, Framing.IP, new Classification());
        // A classification the classifier would never produce for these bytes: the decode must keep it.
        c.clientMark = 0x123456;
        DecodedPacket d = DhcpDecoder.decode(buf, c);
        assertEquals(0x123456, d.mark() & 0xFFFFFF, "the mark is the given classification's, not recomputed");
        assertEquals("cam-17", d.dhcp4().hostname(), "and the rest is decoded");
    }

    @Test
    void anEventCapturedFromTheMiddleOfABufferDecodesItsCopyWithTheRebasedClassification() {
        byte[] ip = discover();
        // The packet sits 100 bytes into a larger receive buffer, as NFQUEUE hands it over.
        ByteBuf buf = Unpooled.buffer(100 + ip.length + 50);
        buf.writeZero(100);
        buf.writeBytes(ip);
        buf.writeZero(50);
        Classification c = PacketClassifier.classify(buf, 100, ip.length, Framing.IP, new Classification());
        DhcpEvent e = DhcpEvent.captured(buf, 100, ip.length, c, c.mark(), 1_700_000_000_000_000L, 1, "site");
        // The verdict path reuses its classification for the next packet right away.
        PacketClassifier.classify(Unpooled.wrappedBuffer(new byte[40]), 0, 40, Framing.IP, c);
        assertFalse(e.isDecoded());
        assertEquals("cam-17", e.hostname());
        assertEquals("02:00:5e:10:20:30", e.clientMac().toString());
        assertTrue(e.isDecoded());
        assertTrue(e.errors().isEmpty(), e.errors().toString());
    }
}
