package io.dhcpshield.transport.nfqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The CONFIG and VERDICT layouts byte for byte: host-order headers, big-endian payloads, 4-byte alignment. */
class NfqWireTest {

    private final ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    @Test
    void bindCarriesCommandParamsMaxlenFlagsAndMaskWithAnAckRequest() {
        NfQueueConfig config = NfQueueConfig.defaults(0x0102).withQueueMaxLength(8192);
        int length = NfqWire.writeBind(b, 5, config);

        assertEquals(64, length);
        assertEquals(64, b.getInt(0));
        assertEquals(0x0302, b.getShort(4), "NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG");
        assertEquals(NfqWire.NLM_F_REQUEST | NfqWire.NLM_F_ACK, b.getShort(6));
        assertEquals(5, b.getInt(8));
        assertEquals(0x01, b.get(18), "res_id is big-endian");
        assertEquals(0x02, b.get(19));
        // NFQA_CFG_CMD { BIND }
        assertEquals(8, b.getShort(20));
        assertEquals(NfqWire.CFG_CMD, b.getShort(22));
        assertEquals(NfqWire.CMD_BIND, b.get(24));
        // NFQA_CFG_PARAMS: nla_len 9 (5-byte packed struct), padded to 12
        assertEquals(9, b.getShort(28));
        assertEquals(NfqWire.CFG_PARAMS, b.getShort(30));
        assertEquals(4096, NfqWire.getBe32(b, 32));
        assertEquals(NfqWire.COPY_PACKET, b.get(36));
        // NFQA_CFG_QUEUE_MAXLEN, FLAGS, MASK
        assertEquals(NfqWire.CFG_QUEUE_MAXLEN, b.getShort(42));
        assertEquals(8192, NfqWire.getBe32(b, 44));
        assertEquals(NfqWire.CFG_FLAGS, b.getShort(50));
        assertEquals(NfqWire.CFG_F_FAIL_OPEN | NfqWire.CFG_F_GSO, NfqWire.getBe32(b, 52));
        assertEquals(NfqWire.CFG_MASK, b.getShort(58));
        assertEquals(NfqWire.CFG_F_FAIL_OPEN | NfqWire.CFG_F_GSO, NfqWire.getBe32(b, 60));
    }

    @Test
    void flagsTurnedOffAreStillInTheMask() {
        NfqWire.writeBind(b, 1, NfQueueConfig.defaults(1).withFailOpen(false).withGso(false));
        assertEquals(0, NfqWire.getBe32(b, 52));
        assertEquals(NfqWire.CFG_F_FAIL_OPEN | NfqWire.CFG_F_GSO, NfqWire.getBe32(b, 60));
    }

    @Test
    void aVerdictWithMarkIsFortyBytes() {
        int length = NfqWire.writeVerdict(b, 40, 9, 3, 0xfffffffeL, 1, 0x01abcdef, true);

        assertEquals(40, length);
        assertEquals(40, b.getInt(40));
        assertEquals(0x0301, b.getShort(44));
        assertEquals(NfqWire.NLM_F_REQUEST, b.getShort(46));
        assertEquals(3, b.get(59));
        assertEquals(12, b.getShort(60));
        assertEquals(NfqWire.NFQA_VERDICT_HDR, b.getShort(62));
        assertEquals(1, NfqWire.getBe32(b, 64));
        assertEquals(0xfffffffe, NfqWire.getBe32(b, 68));
        assertEquals(8, b.getShort(72));
        assertEquals(NfqWire.NFQA_MARK, b.getShort(74));
        assertEquals(0x01abcdef, NfqWire.getBe32(b, 76));
    }

    @Test
    void aVerdictWithoutMarkLeavesTheMarkAttributeOut() {
        assertEquals(32, NfqWire.writeVerdict(b, 0, 1, 3, 7, 0, 0, false));
        assertEquals(32, b.getInt(0));
    }

    @Test
    void unbindAndMaxlenAreSmallConfigMessages() {
        assertEquals(28, NfqWire.writeUnbind(b, 2, 3));
        assertEquals(NfqWire.CMD_UNBIND, b.get(24));
        assertEquals(28, NfqWire.writeMaxLength(b, 3, 3, 0));
        assertEquals(NfqWire.CFG_QUEUE_MAXLEN, b.getShort(22));
        assertEquals(0, NfqWire.getBe32(b, 24));
    }
}
