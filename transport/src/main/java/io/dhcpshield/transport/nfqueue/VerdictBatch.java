package io.dhcpshield.transport.nfqueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The verdicts of one read batch, written back to back (several NFQNL_MSG_VERDICT messages) into one preallocated
 * buffer and sent with one send(2). Packets are answered in the order they were read, which is packet-id order.
 */
final class VerdictBatch {

    private final int queue;
    private final int capacity;
    private final ByteBuffer buffer;
    private final long address;
    private final NfQueueCounters counters;
    private int length;
    private int count;
    private int sequence;
    private long readNanos;

    VerdictBatch(int queue, int messages, NfQueueCounters counters) {
        this.queue = queue;
        this.capacity = messages * NfqWire.VERDICT_WITH_MARK_LEN;
        this.buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        this.address = ReceiveRing.address(buffer);
        this.counters = counters;
    }

    /** Starts a batch of packets read at {@code nanos}. */
    void begin(long nanos) {
        readNanos = nanos;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return length + NfqWire.VERDICT_WITH_MARK_LEN > capacity;
    }

    int count() {
        return count;
    }

    /** Appends one verdict; the caller flushes first when {@link #isFull()}. */
    void add(long packetId, int verdict, int mark, boolean withMark) {
        length += NfqWire.writeVerdict(buffer, length, ++sequence, queue, packetId, verdict, mark, withMark);
        count++;
    }

    /** Sends the batch: the bytes sent, or -errno (the batch is discarded either way). */
    int send(NetlinkSocket socket) {
        if (count == 0) {
            return 0;
        }
        // Counted before the send: the kernel applies the verdicts inside send(), so anyone who can observe a
        // verdicted packet already sees it counted. A failed send takes the count back.
        counters.verdicted.add(count);
        counters.verdictBatches.increment();
        // Latency ends when the verdicts are handed to the kernel: what happens inside send() is the kernel
        // re-injecting and forwarding the packets (netfilter, routing, veth), which costs the same for any consumer.
        long handedOver = System.nanoTime();
        int result = socket.send(address, length);
        if (result == -Syscalls.EINTR) {
            result = socket.send(address, length);
        }
        if (result >= 0) {
            counters.verdictLatency.record(handedOver - readNanos, count);
        } else {
            counters.verdicted.add(-count);
            counters.verdictBatches.decrement();
            counters.verdictErrors.add(count);
        }
        length = 0;
        count = 0;
        return result;
    }
}
