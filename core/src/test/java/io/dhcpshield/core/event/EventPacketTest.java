package io.dhcpshield.core.event;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.codec.TestPackets;
import io.dhcpshield.core.codec.TestPackets.Dhcp4;
import io.dhcpshield.core.codec.TestPackets.Dhcp6;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An event made on the verdict path keeps the bytes it was made from (packet capture writes them) and its framing. */
class EventPacketTest {

    private static DhcpEvent event(byte[] frame, Framing framing) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        Classification c = PacketClassifier.classify(buf, 0, frame.length, framing, new Classification());
        return DhcpEvent.captured(buf, 0, frame.length, c, c.mark(), 1_700_000_000_000_000L, 1, "lab");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void theEventKeepsItsPacketAfterTheDetailsAreDecoded() {
        byte[] ip = new Dhcp4().chaddr(TestPackets.CLIENT_MAC).type(1).option(12, "cam-17").ip();
        DhcpEvent e = event(ip, Framing.IP);
        assertEquals("cam-17", e.hostname());
        assertTrue(e.isDecoded());
        assertArrayEquals(ip, bytes(e.packet()));
        assertEquals(ip.length, e.packetLength());
        assertEquals(Framing.IP, e.framing());
    }

    @Test
    void theCopyIsTheSameFromEveryKindOfBufferAtAnyIndex() {
        byte[] ip = new Dhcp4().chaddr(TestPackets.CLIENT_MAC).type(1).option(12, "cam-17").ip();
        byte[] padded = new byte[ip.length + 40];
        System.arraycopy(ip, 0, padded, 17, ip.length);
        ByteBuf heapSlice = Unpooled.wrappedBuffer(padded).slice(7, ip.length + 20); // array offset 7, packet at 10
        ByteBuf direct = Unpooled.directBuffer(padded.length).writeBytes(padded);
        ByteBuf directSlice = direct.slice(5, ip.length + 20); // packet at 12
        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(padded, 0, 30),
                Unpooled.wrappedBuffer(padded, 30, padded.length - 30));
        // (A list, not a map: ByteBuf equality is by content, and the direct and composite buffers hold the same.)
        // The direct buffer comes again after its slice: the slice copies through the parent's cached NIO view, and
        // the position that leaves there must not move the next copy.
        for (var at : List.of(Map.entry(heapSlice, 10), Map.entry(direct, 17), Map.entry(directSlice, 12),
                Map.entry(direct, 17), Map.entry(composite, 17))) {
            ByteBuf buf = at.getKey();
            int index = at.getValue();
            Classification c = PacketClassifier.classify(buf, index, ip.length, Framing.IP, new Classification());
            DhcpEvent e = DhcpEvent.captured(buf, index, ip.length, c, c.mark(), 1L, 1, "lab");
            assertArrayEquals(ip, bytes(e.packet()), buf.getClass().getSimpleName());
            assertEquals("cam-17", e.hostname(), buf.getClass().getSimpleName());
        }
        assertThrows(IndexOutOfBoundsException.class, () -> DhcpEvent.captured(heapSlice, 30, ip.length,
                new Classification(), 0, 1L, 1, "lab"), "past the end of a slice is refused, not read from its array");
        assertThrows(IndexOutOfBoundsException.class, () -> DhcpEvent.captured(direct, 41, ip.length,
                new Classification(), 0, 1L, 1, "lab"), "past the end of a direct buffer is refused");
        assertEquals(0, direct.readerIndex(), "copying leaves the buffer's indexes alone");
        assertEquals(padded.length, direct.writerIndex(), "copying leaves the buffer's indexes alone");
        direct.release();
        assertThrows(io.netty.util.IllegalReferenceCountException.class, () -> DhcpEvent.captured(direct, 17,
                ip.length, new Classification(), 0, 1L, 1, "lab"), "a released buffer is refused, not read");
    }

    @Test
    void thePacketIsReadOnlyAndEveryCallerGetsItsOwnPosition() {
        byte[] ip = new Dhcp4().type(3).ip();
        DhcpEvent e = event(ip, Framing.IP);
        ByteBuffer first = e.packet();
        assertTrue(first.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> first.put(0, (byte) 0));
        first.get(new byte[10]);
        assertEquals(0, e.packet().position(), "another reader starts at the first byte");
        assertArrayEquals(ip, bytes(e.packet()));
    }

    @Test
    void anEthernetFramedEventSaysSoAndKeepsTheWholeFrame() {
        byte[] frame = new Dhcp4().chaddr(TestPackets.CLIENT_MAC).type(1).ethernet();
        DhcpEvent e = event(frame, Framing.ETHERNET);
        assertEquals(Framing.ETHERNET, e.framing());
        assertEquals(1, e.framing().linkType());
        assertArrayEquals(frame, bytes(e.packet()));
        assertEquals("02:00:5e:10:20:30", e.l2Source().toString());
    }

    @Test
    void anEventBuiltFromFieldsHasNoPacket() {
        DhcpEvent e = new DhcpEvent(0, 1, "s", Direction.CLIENT_TO_SERVER, 4, 1, 1, "DISCOVER", 1, 0x01000001, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, 0, null, null, null, -1,
                null, null, List.of());
        assertNull(e.packet());
        assertNull(e.framing());
        assertEquals(-1, e.packetLength());
        assertEquals(Direction.CLIENT_TO_SERVER, e.direction());
    }

    @Test
    void theDirectionIsKnownBeforeTheDecodeAndIsTheOneTheDecodeGives() {
        byte[] link = new byte[16];
        byte[] peer = new byte[16];
        Map<String, byte[]> packets = Map.of(
                "DISCOVER", new Dhcp4().type(1).ip(),
                "OFFER (op 2)", new Dhcp4().op(2).type(2).ip(),
                "BOOTP request", new Dhcp4().ip(),
                "op 7", new Dhcp4().op(7).type(1).ip(),
                "SOLICIT", TestPackets.ipv6Udp(new Dhcp6(1).payload(), 546, 547),
                "REPLY", TestPackets.ipv6Udp(new Dhcp6(7).payload(), 547, 546),
                "RELAY-FORW(SOLICIT)", TestPackets.ipv6Udp(TestPackets.relayForw(0, link, peer,
                        new Dhcp6(1).payload()), 547, 547),
                "RELAY-REPL(ADVERTISE)", TestPackets.ipv6Udp(TestPackets.relay(13, 0, link, peer,
                        new Dhcp6(2).payload()), 547, 547),
                "LEASEQUERY", TestPackets.ipv6Udp(new Dhcp6(14).payload(), 546, 547));
        packets.forEach((name, ip) -> {
            DhcpEvent fast = event(ip, Framing.IP);
            Direction before = fast.direction();
            assertFalse(fast.isDecoded(), name + ": the direction needs no decode");
            DhcpEvent decoded = DhcpEvents.of(DhcpDecoder.decode(Unpooled.wrappedBuffer(ip), 0, ip.length,
                    Framing.IP), 0, 1, "lab");
            assertEquals(decoded.direction(), before, name);
        });
        assertEquals(Direction.SERVER_TO_CLIENT, event(new Dhcp4().op(2).type(5).ip(), Framing.IP).direction());
        assertEquals(Direction.OTHER, event(TestPackets.ipv6Udp(new Dhcp6(14).payload(), 546, 547), Framing.IP)
                .direction());
    }
}
