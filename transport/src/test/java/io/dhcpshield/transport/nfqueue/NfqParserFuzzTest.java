package io.dhcpshield.transport.nfqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.transport.nfqueue.NfqParser.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the netlink reader (docs/fuzzing.md). A datagram is parsed where it sits in a receive slot
 * (poison after it) and alone in a buffer of exactly its size (a read past it throws): the parser never throws, always
 * reaches END, counts every MALFORMED, keeps each packet's payload inside its message, and says the same in both
 * places. Each packet's payload then goes through the verdict path's classifier, as on the event loop.
 */
class NfqParserFuzzTest {

    private static final int SLOT_OFFSET = 512;
    private static final byte POISON = (byte) 0xA5;
    /** Left in the flyweight before each message: no id the kernel sends (32 bits) looks like it. */
    private static final long STALE_ID = 1L << 40;

    /** Whatever bytes a recvmmsg slot may hold. */
    @FuzzTest
    void parsesAnyDatagram(byte[] datagram) {
        List<String> inSlot = parse(datagram, SLOT_OFFSET);
        List<String> alone = parse(datagram, 0);
        assertEquals(alone, inSlot, "what the parser reads depends on where the datagram sits");
    }

    /**
     * Several netlink messages in one datagram, as the kernel batches them: the input's nlmsg_len fields are made
     * consistent first (a length below the header or past the end takes the rest), so every message is reached and
     * each must give exactly one result of its type.
     */
    @FuzzTest
    void parsesBatchesOfMessages(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.nativeOrder());
        List<Integer> types = new ArrayList<>();
        int at = 0;
        while (input.length - at >= NfqWire.NLMSG_HDRLEN) {
            int rest = input.length - at;
            int length = b.getInt(at);
            if (length < NfqWire.NLMSG_HDRLEN || length > rest) {
                length = rest;
                b.putInt(at, length);
            }
            types.add(b.getShort(at + 4) & 0xffff);
            at += Math.min(rest, NfqWire.align4(length));
        }
        byte[] batch = Arrays.copyOf(input, at);
        List<String> results = parse(batch, SLOT_OFFSET);
        assertEquals(types.size(), results.size(), () -> "one result per message: " + results);
        for (int i = 0; i < types.size(); i++) {
            String kind = results.get(i).split(" ", 2)[0];
            int type = types.get(i);
            List<String> allowed = type == NfqWire.MSG_PACKET ? List.of("PACKET", "MALFORMED")
                    : type == NfqWire.NLMSG_ERROR ? List.of("ACK", "ERROR_REPLY", "MALFORMED")
                    : List.of("IGNORED");
            assertTrue(allowed.contains(kind), "message " + i + " of type " + type + " gave " + kind);
        }
        assertEquals(results, parse(batch, 0));
    }

    /** Parses {@code datagram} at {@code offset} of a receive buffer; one line per message with what it gave. */
    private static List<String> parse(byte[] datagram, int offset) {
        ByteBuffer memory = ByteBuffer.allocateDirect(offset + datagram.length + (offset > 0 ? 64 : 0))
                .order(ByteOrder.nativeOrder());
        for (int i = 0; i < memory.capacity(); i++) {
            memory.put(i, POISON);
        }
        memory.put(offset, datagram);
        ByteBuf view = Unpooled.wrappedBuffer(memory.duplicate().clear());
        NfQueueCounters counters = new NfQueueCounters();
        NfQueuePacket packet = new NfQueuePacket(view, new VerdictBatch(1, 4, counters));
        NfqParser parser = new NfqParser(memory, counters);
        parser.reset(offset, datagram.length);
        List<String> out = new ArrayList<>();
        long malformed = 0;
        int end = offset + datagram.length;
        // A message takes at least a 16-byte header, so a datagram holds at most length / 16 + 1 results.
        for (int guard = 0; guard <= datagram.length / NfqWire.NLMSG_HDRLEN + 1; guard++) {
            packet.packetId = STALE_ID;
            Kind kind = parser.next(packet);
            if (kind == Kind.END) {
                assertEquals(malformed, counters.snapshot().malformedNetlink(), "every malformed message is counted");
                return out;
            }
            if (kind == Kind.MALFORMED) {
                // The binding answers a MALFORMED message whose id is >= 0: it must be this message's id or none.
                assertNotEquals(STALE_ID, packet.packetId(), "a malformed message left an earlier packet's id");
                malformed++;
                out.add(kind + " id=" + packet.packetId());
            } else if (kind == Kind.PACKET) {
                assertTrue(packet.packetId() >= 0, "a packet carries its id");
                int from = packet.payloadIndex() - offset;
                int length = packet.payloadLength();
                assertTrue(length == 0 || packet.payloadIndex() >= offset && length >= 0
                        && packet.payloadIndex() + length <= end, () -> "payload outside the datagram: " + packet);
                Classification c = PacketClassifier.classify(view, packet.payloadIndex(), length, Framing.IP,
                        packet.l2Source(), new Classification());
                assertNotEquals(DecodeError.DECODER_FAILURE, c.error(), "classifier bounds bug");
                // Without NFQA_PAYLOAD the index is 0 wherever the datagram sits: only a non-empty payload has a place.
                String payload = length == 0 ? "empty" : from + "+" + length;
                out.add(kind + " id=" + packet.packetId() + " queue=" + packet.queue() + " payload=" + payload
                        + " l2=" + packet.l2Source() + " mark=" + packet.mark() + " in="
                        + packet.inInterface() + " out=" + packet.outInterface() + " ts=" + packet.timestampMicros()
                        + " orig=" + packet.originalLength() + " verdict-mark=" + Integer.toHexString(c.mark()));
            } else if (kind == Kind.ERROR_REPLY) {
                out.add(kind + " errno=" + parser.error() + " seq=" + parser.sequence());
            } else {
                out.add(kind.toString());
            }
        }
        throw new AssertionError("the parser did not reach the end of a " + datagram.length + "-byte datagram");
    }
}
