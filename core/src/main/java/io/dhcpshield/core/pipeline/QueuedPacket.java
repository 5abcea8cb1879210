package io.dhcpshield.core.pipeline;

import io.netty.buffer.ByteBuf;

/**
 * One packet a kernel queue handed to userspace, as the transport presents it to the pipeline. It is a flyweight:
 * valid only during the synchronous {@code onNext} that carries it, and the pipeline calls {@link #verdict} exactly
 * once before returning (the transport accepts with the packet's own mark, and counts it, if it does not).
 */
public interface QueuedPacket {

    /** The queue number (1..queue_count). */
    int queue();

    /** The kernel's packet id (unsigned 32-bit), increasing per queue. */
    long packetId();

    /** The buffer holding the packet; the IP header starts at {@link #payloadIndex()}. */
    ByteBuf buffer();

    int payloadIndex();

    int payloadLength();

    /** The link-layer source from NFQA_HWADDR as a 48-bit number, or -1 when absent or not 6 bytes. */
    long l2Source();

    /** The input interface index, 0 when none (locally generated). */
    int inInterface();

    /** The output interface index, 0 when not yet routed. */
    int outInterface();

    /** The packet's mark when it was queued (NFQA_MARK), 0 when none. */
    int mark();

    /** {@link System#nanoTime()} when the transport read the packet, for verdict latency. */
    long receivedNanos();

    /**
     * True when the read that carried this packet found the queue backlogged: it has not emptied for as long as it
     * takes to read as many packets as it holds, so input has outrun the reader for a while and fail-open is next.
     * A source that cannot tell says false.
     */
    default boolean backlogged() {
        return false;
    }

    /** Answers the kernel for this packet: appended to the current batch and sent when the read batch ends. */
    void verdict(Verdict verdict, int mark);
}
