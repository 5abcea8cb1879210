package io.dhcpshield.transport.nfqueue;

import static io.dhcpshield.transport.nfqueue.NfqWire.NFGENMSG_LEN;
import static io.dhcpshield.transport.nfqueue.NfqWire.NLA_HDRLEN;
import static io.dhcpshield.transport.nfqueue.NfqWire.NLMSG_HDRLEN;
import static io.dhcpshield.transport.nfqueue.NfqWire.align4;
import static io.dhcpshield.transport.nfqueue.NfqWire.getBe16;
import static io.dhcpshield.transport.nfqueue.NfqWire.getBe32;
import static io.dhcpshield.transport.nfqueue.NfqWire.getBe64;

import java.nio.ByteBuffer;

/**
 * Walks the netlink messages of one received datagram and decodes queued packets into the flyweight. It never
 * throws: a malformed message is counted and skipped, and when it still carried a packet id the caller can answer it.
 */
final class NfqParser {

    /** What {@link #next} found. */
    enum Kind {
        /** A queued packet; the flyweight holds it. */
        PACKET,
        /** NLMSG_ERROR with error 0. */
        ACK,
        /** NLMSG_ERROR with an error: {@link #error()} is the errno, {@link #sequence()} the request's seq. */
        ERROR_REPLY,
        /** A message this reader has no use for (NOOP, DONE, other types). */
        IGNORED,
        /** Bad lengths or attributes; counted. The flyweight's packetId is >= 0 when the id could be read. */
        MALFORMED,
        /** No more messages in the datagram. */
        END
    }

    private final ByteBuffer buffer;
    private final NfQueueCounters counters;
    private int position;
    private int end;
    private int error;
    private int sequence;

    /** @param buffer the receive memory in native byte order */
    NfqParser(ByteBuffer buffer, NfQueueCounters counters) {
        this.buffer = buffer;
        this.counters = counters;
    }

    /** Starts on the datagram at {@code offset} of {@code length} received bytes. */
    void reset(int offset, int length) {
        position = offset;
        end = offset + Math.max(0, Math.min(length, buffer.capacity() - offset));
    }

    int error() {
        return error;
    }

    int sequence() {
        return sequence;
    }

    /**
     * Decodes the next message; for PACKET (and MALFORMED packets) the fields land in {@code packet}, which is
     * cleared first for every message.
     */
    Kind next(NfQueuePacket packet) {
        int available = end - position;
        if (available <= 0) {
            return Kind.END;
        }
        int start = position;
        // Every message starts from a clear flyweight: a MALFORMED one must not show the previous packet's id, or
        // the binding answers that packet a second time.
        packet.clear();
        if (available < NLMSG_HDRLEN) {
            position = end;
            return malformed();
        }
        int length = buffer.getInt(start);
        int type = buffer.getShort(start + 4) & 0xffff;
        sequence = buffer.getInt(start + 8);
        if (length < NLMSG_HDRLEN) {
            position = end;
            return malformed();
        }
        if (length > available) {
            // Cut short (MSG_TRUNC): salvage the packet id so the packet can still be answered.
            position = end;
            if (type == NfqWire.MSG_PACKET) {
                parsePacket(start, available, packet);
            }
            return malformed();
        }
        position = Math.min(end, start + align4(length));
        switch (type) {
            case NfqWire.MSG_PACKET:
                return parsePacket(start, length, packet) ? Kind.PACKET : malformed();
            case NfqWire.NLMSG_ERROR:
                if (length < NLMSG_HDRLEN + 4) {
                    return malformed();
                }
                error = -buffer.getInt(start + NLMSG_HDRLEN);
                return error == 0 ? Kind.ACK : Kind.ERROR_REPLY;
            default:
                return Kind.IGNORED;
        }
    }

    private Kind malformed() {
        counters.malformedNetlink.increment();
        return Kind.MALFORMED;
    }

    /** Fills {@code p} from the attributes; false when an attribute is bad or the packet header is missing. */
    private boolean parsePacket(int start, int length, NfQueuePacket p) {
        if (length < NLMSG_HDRLEN + NFGENMSG_LEN) {
            return false;
        }
        p.queue = getBe16(buffer, start + NLMSG_HDRLEN + 2);
        int end = start + length;
        int at = start + NLMSG_HDRLEN + NFGENMSG_LEN;
        boolean header = false;
        while (end - at >= NLA_HDRLEN) {
            int attributeLength = buffer.getShort(at) & 0xffff;
            int type = buffer.getShort(at + 2) & NfqWire.NLA_TYPE_MASK;
            if (attributeLength < NLA_HDRLEN || attributeLength > end - at) {
                return false;
            }
            int value = at + NLA_HDRLEN;
            int valueLength = attributeLength - NLA_HDRLEN;
            if (!attribute(type, value, valueLength, p)) {
                return false;
            }
            header |= type == NfqWire.NFQA_PACKET_HDR;
            at += align4(attributeLength);
        }
        return header;
    }

    private boolean attribute(int type, int value, int length, NfQueuePacket p) {
        switch (type) {
            case NfqWire.NFQA_PACKET_HDR:
                // struct nfqnl_msg_packet_hdr { be32 packet_id; be16 hw_protocol; u8 hook; } packed
                if (length < 7) {
                    return false;
                }
                p.packetId = getBe32(buffer, value) & 0xffffffffL;
                p.hwProtocol = getBe16(buffer, value + 4);
                p.hook = buffer.get(value + 6) & 0xff;
                return true;
            case NfqWire.NFQA_MARK, NfqWire.NFQA_IFINDEX_INDEV, NfqWire.NFQA_IFINDEX_OUTDEV, NfqWire.NFQA_CAP_LEN:
                if (length < 4) {
                    return false;
                }
                int v = getBe32(buffer, value);
                switch (type) {
                    case NfqWire.NFQA_MARK -> p.mark = v;
                    case NfqWire.NFQA_IFINDEX_INDEV -> p.inInterface = v;
                    case NfqWire.NFQA_IFINDEX_OUTDEV -> p.outInterface = v;
                    default -> p.originalLength = v;
                }
                return true;
            case NfqWire.NFQA_TIMESTAMP:
                // struct nfqnl_msg_packet_timestamp { be64 sec; be64 usec; }
                if (length < 16) {
                    return false;
                }
                p.timestampMicros = getBe64(buffer, value) * 1_000_000L + getBe64(buffer, value + 8);
                return true;
            case NfqWire.NFQA_HWADDR:
                // struct nfqnl_msg_packet_hw { be16 hw_addrlen; u16 pad; u8 hw_addr[8]; }
                if (length < 4) {
                    return false;
                }
                int addressLength = getBe16(buffer, value);
                p.l2Source = addressLength == 6 && length >= 10 ? mac48(value + 4) : -1;
                return true;
            case NfqWire.NFQA_PAYLOAD:
                p.payloadIndex = value;
                p.payloadLength = length;
                return true;
            default:
                return true;
        }
    }

    private long mac48(int at) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (buffer.get(at + i) & 0xff);
        }
        return mac;
    }
}
