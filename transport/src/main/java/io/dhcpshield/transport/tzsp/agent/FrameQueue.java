package io.dhcpshield.transport.tzsp.agent;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The bounded queue between the capture thread and the sender: the capture never waits on it. A datagram offered to
 * a full queue is released and counted ({@code queue_full}); the newest frame is the one dropped, so what was
 * already queued goes out in order.
 */
final class FrameQueue {

    private final ArrayBlockingQueue<ByteBuf> datagrams;
    private final AgentCounters counters;
    private volatile Runnable onOffer = () -> { };

    FrameQueue(int capacity, AgentCounters counters) {
        this.datagrams = new ArrayBlockingQueue<>(capacity);
        this.counters = counters;
        counters.queueDepth(datagrams::size);
    }

    /** Called after every successful offer (the sender schedules a drain). */
    void onOffer(Runnable wakeUp) {
        this.onOffer = wakeUp;
    }

    /** Queues {@code datagram} (ownership passes to the queue), or releases it and counts the drop. */
    boolean offer(ByteBuf datagram) {
        if (!datagrams.offer(datagram)) {
            datagram.release();
            counters.drop(AgentCounters.DropReason.QUEUE_FULL);
            return false;
        }
        onOffer.run();
        return true;
    }

    /** The oldest datagram, or null. */
    ByteBuf poll() {
        return datagrams.poll();
    }

    boolean isEmpty() {
        return datagrams.isEmpty();
    }

    int size() {
        return datagrams.size();
    }

    /** Releases everything still queued (after the sender stopped). */
    void clear() {
        ByteBuf b;
        while ((b = datagrams.poll()) != null) {
            b.release();
        }
    }
}
