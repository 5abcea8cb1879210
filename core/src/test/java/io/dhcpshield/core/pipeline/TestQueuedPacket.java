package io.dhcpshield.core.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** An in-memory queued packet that records the verdict it was given. */
final class TestQueuedPacket implements QueuedPacket {
    final int queue;
    final long id;
    final ByteBuf buf;
    final long l2Source;
    final int originalMark;
    /** The input interface: 2 (arrived on an interface), 0 for a packet the host sends (output hook). */
    int inInterface = 2;
    /** What the source says of the read that carried it. */
    boolean backlogged;
    Verdict verdict;
    int verdictMark;
    int verdictCalls;

    TestQueuedPacket(int queue, long id, byte[] ipPacket, long l2Source, int originalMark) {
        this.queue = queue;
        this.id = id;
        this.buf = Unpooled.wrappedBuffer(ipPacket);
        this.l2Source = l2Source;
        this.originalMark = originalMark;
    }

    TestQueuedPacket(long id, byte[] ipPacket) {
        this(1, id, ipPacket, -1, 0);
    }

    @Override public int queue() { return queue; }
    @Override public long packetId() { return id; }
    @Override public ByteBuf buffer() { return buf; }
    @Override public int payloadIndex() { return 0; }
    @Override public int payloadLength() { return buf.readableBytes(); }
    @Override public long l2Source() { return l2Source; }
    @Override public int inInterface() { return inInterface; }
    @Override public int outInterface() { return 0; }
    @Override public int mark() { return originalMark; }
    @Override public long receivedNanos() { return 0; }
    @Override public boolean backlogged() { return backlogged; }

    /** This packet as the host sends it (the output hook: no input interface). */
    TestQueuedPacket leaving() {
        inInterface = 0;
        return this;
    }

    @Override
    public void verdict(Verdict verdict, int mark) {
        this.verdict = verdict;
        this.verdictMark = mark;
        verdictCalls++;
    }
}
