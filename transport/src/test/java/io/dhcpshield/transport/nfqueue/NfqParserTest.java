package io.dhcpshield.transport.nfqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dhcpshield.transport.nfqueue.NfqParser.Kind;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The netlink parser on hand-made datagrams: good ones decode, bad ones are counted and skipped, none throw. */
class NfqParserTest {

    private final NfQueueCounters counters = new NfQueueCounters();
    private final NfQueuePacket packet = new NfQueuePacket(Unpooled.EMPTY_BUFFER,
            new VerdictBatch(3, 4, counters));

    // ---- building datagrams -------------------------------------------------------------------------------------

    static byte[] attribute(int type, byte[] value) {
        return attribute(type, 4 + value.length, value);
    }

    /** An attribute whose nla_len says {@code length}, whatever its value's size; padded to 4. */
    static byte[] attribute(int type, int length, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(NfqWire.align4(4 + value.length)).order(ByteOrder.nativeOrder());
        b.putShort((short) length).putShort((short) type).put(value);
        return b.array();
    }

    static byte[] be(int bytes, long value) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (value >>> 8 * (bytes - 1 - i));
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] packetHeader(long id, int hwProtocol, int hook) {
        return concat(be(4, id), be(2, hwProtocol), new byte[] {(byte) hook});
    }

    /** A netlink message of {@code type} for {@code queue}; nlmsg_len counts the body unless {@code length} >= 0. */
    static byte[] message(int type, int queue, int length, byte[]... attributes) {
        byte[] body = concat(attributes);
        ByteBuffer b = ByteBuffer.allocate(20 + body.length).order(ByteOrder.nativeOrder());
        b.putInt(length >= 0 ? length : 20 + body.length).putShort((short) type).putShort((short) 0).putInt(7)
                .putInt(0);
        b.put((byte) 0).put((byte) 0).put(be(2, queue)).put(body);
        return b.array();
    }

    static byte[] packetMessage(byte[]... attributes) {
        return message(NfqWire.MSG_PACKET, 3, -1, attributes);
    }

    static byte[] errorMessage(int error) {
        ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
        b.putInt(36).putShort((short) NfqWire.NLMSG_ERROR).putShort((short) 0).putInt(9).putInt(0);
        b.putInt(error).putInt(16).putShort((short) NfqWire.MSG_VERDICT).putShort((short) 1).putInt(9).putInt(0);
        return b.array();
    }

    private final List<Kind> kinds = new ArrayList<>();

    /** Parses the datagram {@code bytes} to the end, recording each kind; packet fields stay in {@link #packet}. */
    private NfqParser parse(byte[] bytes) {
        ByteBuffer memory = ByteBuffer.allocateDirect(bytes.length + 8).order(ByteOrder.nativeOrder());
        memory.put(0, bytes);
        NfqParser parser = new NfqParser(memory, counters);
        parser.reset(0, bytes.length);
        kinds.clear();
        for (int guard = 0; guard < 10_000; guard++) {
            Kind kind = parser.next(packet);
            if (kind == Kind.END) {
                return parser;
            }
            kinds.add(kind);
        }
        throw new AssertionError("parser did not reach the end");
    }

    private long malformed() {
        return counters.snapshot().malformedNetlink();
    }

    // ---- good input ---------------------------------------------------------------------------------------------

    @Test
    void decodesEveryFieldOfAQueuedPacket() {
        byte[] ip = new byte[28];
        ip[0] = 0x45;
        parse(packetMessage(
                attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(0xfffffffeL, 0x0800, 0)),
                attribute(NfqWire.NFQA_MARK, be(4, 0x01000042)),
                attribute(NfqWire.NFQA_TIMESTAMP, concat(be(8, 1_700_000_000L), be(8, 250_000))),
                attribute(NfqWire.NFQA_IFINDEX_INDEV, be(4, 5)),
                attribute(NfqWire.NFQA_IFINDEX_OUTDEV, be(4, 9)),
                attribute(NfqWire.NFQA_HWADDR, concat(be(2, 6), be(2, 0), be(6, 0x0200000000ffL), be(2, 0))),
                attribute(NfqWire.NFQA_CAP_LEN, be(4, 1500)),
                attribute(NfqWire.NFQA_PAYLOAD, ip)));
        assertEquals(List.of(Kind.PACKET), kinds);
        assertEquals(3, packet.queue());
        assertEquals(0xfffffffeL, packet.packetId());
        assertEquals(0x0800, packet.hwProtocol());
        assertEquals(0, packet.hook());
        assertEquals(0x01000042, packet.mark());
        assertEquals(1_700_000_000_250_000L, packet.timestampMicros());
        assertEquals(5, packet.inInterface());
        assertEquals(9, packet.outInterface());
        assertEquals(0x0200000000ffL, packet.l2Source());
        assertEquals(1500, packet.originalLength());
        assertEquals(28, packet.payloadLength());
        assertEquals(20 + 12 + 8 + 20 + 8 + 8 + 16 + 8 + 4, packet.payloadIndex());
        assertEquals(0, malformed());
    }

    @Test
    void absentAttributesKeepTheirDefaults() {
        parse(packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(1, 0x86dd, 3))));
        assertEquals(List.of(Kind.PACKET), kinds);
        assertEquals(-1, packet.l2Source());
        assertEquals(0, packet.mark());
        assertEquals(0, packet.inInterface());
        assertEquals(-1, packet.timestampMicros());
        assertEquals(0, packet.payloadLength());
    }

    @Test
    void attributeTypeFlagBitsAreMasked() {
        int netByteOrder = 0x4000;
        parse(packetMessage(attribute(NfqWire.NFQA_PACKET_HDR | netByteOrder, packetHeader(77, 0x0800, 1)),
                attribute(NfqWire.NFQA_MARK | netByteOrder, be(4, 5))));
        assertEquals(List.of(Kind.PACKET), kinds);
        assertEquals(77, packet.packetId());
        assertEquals(5, packet.mark());
    }

    @Test
    void severalMessagesInOneDatagramAreWalkedInOrder() {
        parse(concat(packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(1, 0x0800, 0))),
                errorMessage(0),
                errorMessage(-2),
                message(NfqWire.NLMSG_DONE, 0, -1),
                packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(2, 0x0800, 0)))));
        assertEquals(List.of(Kind.PACKET, Kind.ACK, Kind.ERROR_REPLY, Kind.IGNORED, Kind.PACKET), kinds);
        assertEquals(2, packet.packetId());
    }

    @Test
    void anErrorReplyCarriesItsErrnoAndSequence() {
        NfqParser parser = parse(errorMessage(-2));
        assertEquals(List.of(Kind.ERROR_REPLY), kinds);
        assertEquals(2, parser.error());
        assertEquals(9, parser.sequence());
    }

    @Test
    void aHardwareAddressThatIsNotSixBytesIsAbsent() {
        parse(packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(1, 0x0800, 0)),
                attribute(NfqWire.NFQA_HWADDR, concat(be(2, 8), be(2, 0), be(8, -1L)))));
        assertEquals(List.of(Kind.PACKET), kinds);
        assertEquals(-1, packet.l2Source());
    }

    // ---- malformed input: counted, skipped, never thrown ------------------------------------------------------

    @Test
    void aTruncatedAttributeIsCountedAndTheNextMessageStillParses() {
        byte[] bad = packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(41, 0x0800, 0)),
                attribute(NfqWire.NFQA_PAYLOAD, 200, new byte[8]));
        parse(concat(bad, packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(42, 0x0800, 0)))));
        assertEquals(List.of(Kind.MALFORMED, Kind.PACKET), kinds);
        assertEquals(1, malformed());
        assertEquals(42, packet.packetId());
    }

    @Test
    void aMalformedPacketKeepsItsIdSoItCanStillBeAnswered() {
        parse(packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(41, 0x0800, 0)),
                attribute(NfqWire.NFQA_MARK, new byte[2])));
        assertEquals(List.of(Kind.MALFORMED), kinds);
        assertEquals(41, packet.packetId());
        assertEquals(1, malformed());
    }

    @Test
    void anAttributeShorterThanItsHeaderIsMalformed() {
        parse(packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(1, 0x0800, 0)),
                attribute(NfqWire.NFQA_MARK, 2, new byte[4])));
        assertEquals(List.of(Kind.MALFORMED), kinds);
        assertEquals(1, malformed());
    }

    @Test
    void aPacketWithoutItsHeaderIsMalformedAndHasNoId() {
        parse(packetMessage(attribute(NfqWire.NFQA_MARK, be(4, 1))));
        assertEquals(List.of(Kind.MALFORMED), kinds);
        assertEquals(-1, packet.packetId());
    }

    @Test
    void aShortPacketHeaderIsMalformed() {
        parse(packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, new byte[5])));
        assertEquals(List.of(Kind.MALFORMED), kinds);
        assertEquals(-1, packet.packetId());
    }

    @Test
    void aMessageLengthBelowTheHeaderEndsTheDatagram() {
        byte[] bad = message(NfqWire.MSG_PACKET, 3, 8);
        parse(concat(bad, packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(1, 0x0800, 0)))));
        assertEquals(List.of(Kind.MALFORMED), kinds);
        assertEquals(1, malformed());
    }

    @Test
    void aMessageLongerThanTheDatagramIsMalformedButKeepsItsId() {
        byte[] cut = message(NfqWire.MSG_PACKET, 3, 4000,
                attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(99, 0x0800, 0)),
                attribute(NfqWire.NFQA_PAYLOAD, 3900, new byte[16]));
        parse(cut);
        assertEquals(List.of(Kind.MALFORMED), kinds);
        assertEquals(99, packet.packetId());
        assertEquals(1, malformed());
    }

    @Test
    void aDatagramShorterThanANetlinkHeaderIsMalformed() {
        parse(new byte[] {1, 2, 3, 4, 5, 6, 7});
        assertEquals(List.of(Kind.MALFORMED), kinds);
        assertEquals(1, malformed());
    }

    @Test
    void aMalformedMessageAfterAPacketDoesNotCarryThatPacketsId() {
        // Found by NfqParserFuzzTest: the flyweight kept the previous packet's id through a malformed message, and
        // the binding, which answers a malformed message that has an id, verdicted that packet a second time.
        byte[] good = packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(5, 0x0800, 0)));
        List<byte[]> tails = List.of(new byte[7], message(NfqWire.MSG_PACKET, 3, 8),
                message(NfqWire.NLMSG_ERROR, 0, 18, new byte[0]));
        for (byte[] tail : tails) {
            parse(concat(good, tail));
            assertEquals(List.of(Kind.PACKET, Kind.MALFORMED), kinds);
            assertEquals(-1, packet.packetId());
        }
    }

    @Test
    void aShortErrorMessageIsMalformed() {
        parse(message(NfqWire.NLMSG_ERROR, 0, 18, new byte[0]));
        assertEquals(List.of(Kind.MALFORMED), kinds);
    }

    @Test
    void randomBytesNeverThrowAndAlwaysEnd() {
        Random random = new Random(67);
        byte[] valid = packetMessage(attribute(NfqWire.NFQA_PACKET_HDR, packetHeader(5, 0x0800, 0)),
                attribute(NfqWire.NFQA_MARK, be(4, 1)), attribute(NfqWire.NFQA_PAYLOAD, new byte[40]));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
            } else {
                bytes = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
                }
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            parse(bytes);
        }
        assertTrue(malformed() > 0);
    }
}
