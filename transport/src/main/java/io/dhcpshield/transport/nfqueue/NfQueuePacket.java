package io.dhcpshield.transport.nfqueue;

import io.dhcpshield.core.pipeline.QueuedPacket;
import io.dhcpshield.core.pipeline.Verdict;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The reused {@link QueuedPacket} of one queue binding, a view over the receive slot the packet arrived in: valid only
 * during the {@code onNext} that carries it. Beyond the pipeline contract it exposes the rest of NFQA_PACKET_HDR, the
 * kernel timestamp and the packet's full length.
 */
public final class NfQueuePacket implements QueuedPacket {

    private final ByteBuf buffer;
    private final VerdictBatch verdicts;

    int queue;
    long packetId;
    int hwProtocol;
    int hook;
    int payloadIndex;
    int payloadLength;
    int originalLength;
    long l2Source;
    int inInterface;
    int outInterface;
    int mark;
    long timestampMicros;
    long receivedNanos;
    /** Set per read (not per message): see {@link #backlogged()}. */
    boolean backlogged;
    boolean verdicted;

    NfQueuePacket(ByteBuf buffer, VerdictBatch verdicts) {
        this.buffer = buffer;
        this.verdicts = verdicts;
        clear();
    }

    /** Resets every decoded field before the parser fills them from the next message. */
    void clear() {
        queue = -1;
        packetId = -1;
        hwProtocol = 0;
        hook = -1;
        payloadIndex = 0;
        payloadLength = 0;
        originalLength = -1;
        l2Source = -1;
        inInterface = 0;
        outInterface = 0;
        mark = 0;
        timestampMicros = -1;
        verdicted = false;
    }

    @Override
    public int queue() {
        return queue;
    }

    @Override
    public long packetId() {
        return packetId;
    }

    @Override
    public ByteBuf buffer() {
        return buffer;
    }

    @Override
    public int payloadIndex() {
        return payloadIndex;
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public long l2Source() {
        return l2Source;
    }

    @Override
    public int inInterface() {
        return inInterface;
    }

    @Override
    public int outInterface() {
        return outInterface;
    }

    @Override
    public int mark() {
        return mark;
    }

    @Override
    public long receivedNanos() {
        return receivedNanos;
    }

    @Override
    public boolean backlogged() {
        return backlogged;
    }

    /** The first call wins; later calls, and calls after {@code onNext} returned, are ignored. */
    @Override
    public void verdict(Verdict verdict, int mark) {
        Objects.requireNonNull(verdict, "verdict");
        if (verdicted) {
            return;
        }
        verdicted = true;
        verdicts.add(packetId, verdict.code(), mark, true);
    }

    /** The link-layer protocol from NFQA_PACKET_HDR (0x0800 for IPv4, 0x86dd for IPv6). */
    public int hwProtocol() {
        return hwProtocol;
    }

    /** The netfilter hook the packet was queued from (0 = PREROUTING ... 4 = POSTROUTING). */
    public int hook() {
        return hook;
    }

    /** NFQA_TIMESTAMP in microseconds since the epoch, or -1 when the kernel sent none. */
    public long timestampMicros() {
        return timestampMicros;
    }

    /** The packet's length before the copy range cut it (NFQA_CAP_LEN), or the payload length when not cut. */
    public int originalLength() {
        return originalLength >= 0 ? originalLength : payloadLength;
    }

    @Override
    public String toString() {
        return "NfQueuePacket[queue=" + queue + ", id=" + packetId + ", hook=" + hook + ", in=" + inInterface
                + ", out=" + outInterface + ", mark=0x" + Integer.toHexString(mark) + ", length=" + payloadLength
                + "]";
    }
}
