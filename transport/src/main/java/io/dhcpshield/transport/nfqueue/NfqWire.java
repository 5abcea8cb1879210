package io.dhcpshield.transport.nfqueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The nfnetlink_queue wire format: constants and writers for the CONFIG and VERDICT messages. Netlink and attribute
 * headers are in host order (the buffers given here are native-order); the queue number in nfgenmsg and every NFQA
 * payload are big-endian.
 */
final class NfqWire {

    static final int NLMSG_HDRLEN = 16;
    static final int NFGENMSG_LEN = 4;
    static final int NLA_HDRLEN = 4;
    /** Attribute types carry NLA_F_NESTED and NLA_F_NET_BYTEORDER in the top two bits. */
    static final int NLA_TYPE_MASK = 0x3fff;

    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_ACK = 4;

    static final int NFNL_SUBSYS_QUEUE = 3;
    static final int MSG_PACKET = NFNL_SUBSYS_QUEUE << 8;
    static final int MSG_VERDICT = NFNL_SUBSYS_QUEUE << 8 | 1;
    static final int MSG_CONFIG = NFNL_SUBSYS_QUEUE << 8 | 2;

    static final int CFG_CMD = 1;
    static final int CFG_PARAMS = 2;
    static final int CFG_QUEUE_MAXLEN = 3;
    static final int CFG_MASK = 4;
    static final int CFG_FLAGS = 5;
    static final int CMD_BIND = 1;
    static final int CMD_UNBIND = 2;
    static final int COPY_PACKET = 2;
    static final int CFG_F_FAIL_OPEN = 1;
    static final int CFG_F_GSO = 4;

    static final int NFQA_PACKET_HDR = 1;
    static final int NFQA_VERDICT_HDR = 2;
    static final int NFQA_MARK = 3;
    static final int NFQA_TIMESTAMP = 4;
    static final int NFQA_IFINDEX_INDEV = 5;
    static final int NFQA_IFINDEX_OUTDEV = 6;
    static final int NFQA_HWADDR = 9;
    static final int NFQA_PAYLOAD = 10;
    static final int NFQA_CAP_LEN = 13;

    /** A verdict message with NFQA_MARK: 16 + 4 + 12 + 8 bytes. */
    static final int VERDICT_WITH_MARK_LEN = 40;
    /** A verdict message without NFQA_MARK, which leaves the packet's mark as it was. */
    static final int VERDICT_LEN = 32;
    /** The largest CONFIG message written here (bind with params, maxlen, flags and mask). */
    static final int CONFIG_MAX_LEN = 64;

    private NfqWire() {
    }

    static int align4(int length) {
        return (length + 3) & ~3;
    }

    /** CONFIG: bind the queue, copy whole packets up to the copy range, set maxlen and flags; asks for an ACK. */
    static int writeBind(ByteBuffer b, int seq, NfQueueConfig config) {
        int at = header(b, MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, seq, config.queueNumber());
        at = command(b, at, CMD_BIND);
        attributeHeader(b, at, NLA_HDRLEN + 5, CFG_PARAMS);
        putBe32(b, at + 4, config.copyRange());
        b.put(at + 8, (byte) COPY_PACKET);
        b.put(at + 9, (byte) 0).put(at + 10, (byte) 0).put(at + 11, (byte) 0);
        at += 12;
        at = be32Attribute(b, at, CFG_QUEUE_MAXLEN, config.queueMaxLength());
        int flags = (config.failOpen() ? CFG_F_FAIL_OPEN : 0) | (config.gso() ? CFG_F_GSO : 0);
        at = be32Attribute(b, at, CFG_FLAGS, flags);
        at = be32Attribute(b, at, CFG_MASK, CFG_F_FAIL_OPEN | CFG_F_GSO);
        return finish(b, at);
    }

    /** CONFIG: change only the queue's maxlen (used with 0 while closing, so new packets fail open). */
    static int writeMaxLength(ByteBuffer b, int seq, int queue, int maxLength) {
        int at = header(b, MSG_CONFIG, NLM_F_REQUEST, seq, queue);
        at = be32Attribute(b, at, CFG_QUEUE_MAXLEN, maxLength);
        return finish(b, at);
    }

    /** CONFIG: unbind the queue; the kernel drops (NF_DROP) whatever is still queued to it. */
    static int writeUnbind(ByteBuffer b, int seq, int queue) {
        int at = header(b, MSG_CONFIG, NLM_F_REQUEST, seq, queue);
        at = command(b, at, CMD_UNBIND);
        return finish(b, at);
    }

    /** VERDICT at {@code offset}: NFQA_VERDICT_HDR and, when {@code withMark}, NFQA_MARK; returns the length. */
    static int writeVerdict(ByteBuffer b, int offset, int seq, int queue, long packetId, int verdict, int mark,
            boolean withMark) {
        int length = withMark ? VERDICT_WITH_MARK_LEN : VERDICT_LEN;
        b.putInt(offset, length);
        b.putShort(offset + 4, (short) MSG_VERDICT);
        b.putShort(offset + 6, (short) NLM_F_REQUEST);
        b.putInt(offset + 8, seq);
        b.putInt(offset + 12, 0);
        nfgenmsg(b, offset + 16, queue);
        attributeHeader(b, offset + 20, NLA_HDRLEN + 8, NFQA_VERDICT_HDR);
        putBe32(b, offset + 24, verdict);
        putBe32(b, offset + 28, (int) packetId);
        if (withMark) {
            attributeHeader(b, offset + 32, NLA_HDRLEN + 4, NFQA_MARK);
            putBe32(b, offset + 36, mark);
        }
        return length;
    }

    static int getBe32(ByteBuffer b, int at) {
        int v = b.getInt(at);
        return b.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    static int getBe16(ByteBuffer b, int at) {
        short v = b.getShort(at);
        return (b.order() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v)) & 0xffff;
    }

    static long getBe64(ByteBuffer b, int at) {
        long v = b.getLong(at);
        return b.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    static void putBe32(ByteBuffer b, int at, int value) {
        b.putInt(at, b.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value));
    }

    private static int header(ByteBuffer b, int type, int flags, int seq, int queue) {
        b.putInt(0, 0);
        b.putShort(4, (short) type);
        b.putShort(6, (short) flags);
        b.putInt(8, seq);
        b.putInt(12, 0);
        nfgenmsg(b, NLMSG_HDRLEN, queue);
        return NLMSG_HDRLEN + NFGENMSG_LEN;
    }

    /** nfgenmsg: family AF_UNSPEC, version NFNETLINK_V0, res_id = the queue number, big-endian. */
    private static void nfgenmsg(ByteBuffer b, int at, int queue) {
        b.put(at, (byte) 0);
        b.put(at + 1, (byte) 0);
        b.put(at + 2, (byte) (queue >>> 8));
        b.put(at + 3, (byte) queue);
    }

    /** NFQA_CFG_CMD: struct nfqnl_msg_config_cmd { u8 command; u8 pad; be16 pf; }, pf unused since Linux 3.8. */
    private static int command(ByteBuffer b, int at, int command) {
        attributeHeader(b, at, NLA_HDRLEN + 4, CFG_CMD);
        b.put(at + 4, (byte) command);
        b.put(at + 5, (byte) 0);
        b.putShort(at + 6, (short) 0);
        return at + 8;
    }

    private static int be32Attribute(ByteBuffer b, int at, int type, int value) {
        attributeHeader(b, at, NLA_HDRLEN + 4, type);
        putBe32(b, at + 4, value);
        return at + 8;
    }

    private static void attributeHeader(ByteBuffer b, int at, int length, int type) {
        b.putShort(at, (short) length);
        b.putShort(at + 2, (short) type);
    }

    private static int finish(ByteBuffer b, int length) {
        b.putInt(0, length);
        return length;
    }
}
