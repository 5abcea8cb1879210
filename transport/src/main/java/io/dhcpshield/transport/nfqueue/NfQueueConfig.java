package io.dhcpshield.transport.nfqueue;

/**
 * How one netfilter queue is bound and read. The defaults live here and only here; {@link #defaults(int)} gives them
 * and the {@code with*} methods return changed copies.
 *
 * @param queueNumber the kernel queue number (0..65535)
 * @param copyRange bytes of each packet the kernel copies to userspace (1..65531); 4096 covers any DHCP packet
 * @param queueMaxLength packets the kernel holds for this queue before fail-open (or drop) applies
 * @param failOpen NFQA_CFG_F_FAIL_OPEN: accept packets unmarked instead of dropping them when the queue is full
 * @param gso NFQA_CFG_F_GSO: queue GSO packets whole instead of segmenting them first
 * @param receiveBufferBytes the socket receive buffer asked with SO_RCVBUFFORCE (the kernel doubles it); each queued
 *     small packet costs about 2-2.5 KB of it
 * @param noEnobufs NETLINK_NO_ENOBUFS: no ENOBUFS error from receive when the socket buffer overflows
 * @param batchSize datagrams read per recvmmsg call (1..1024); the verdicts of one batch leave in one send
 * @param readBudget packets read per readiness event at most, so queues sharing an event loop stay fair
 */
public record NfQueueConfig(
        int queueNumber,
        int copyRange,
        int queueMaxLength,
        boolean failOpen,
        boolean gso,
        int receiveBufferBytes,
        boolean noEnobufs,
        int batchSize,
        int readBudget) {

    public static final int DEFAULT_COPY_RANGE = 4096;
    public static final int DEFAULT_QUEUE_MAX_LENGTH = 8192;
    public static final boolean DEFAULT_FAIL_OPEN = true;
    public static final boolean DEFAULT_GSO = true;
    public static final int DEFAULT_RECEIVE_BUFFER_BYTES = 32 << 20;
    public static final boolean DEFAULT_NO_ENOBUFS = true;
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int DEFAULT_READ_BUDGET = 256;

    /** The largest copy range the kernel takes (NFQNL_MAX_COPY_RANGE). */
    public static final int MAX_COPY_RANGE = 0xffff - 4;
    /** Room in an rx slot for the netlink and attribute headers around the copied packet. */
    static final int RX_HEADROOM = 512;

    public NfQueueConfig {
        check(queueNumber >= 0 && queueNumber <= 0xffff, "queueNumber", queueNumber, "0..65535");
        check(copyRange >= 1 && copyRange <= MAX_COPY_RANGE, "copyRange", copyRange, "1.." + MAX_COPY_RANGE);
        check(queueMaxLength >= 1, "queueMaxLength", queueMaxLength, "at least 1");
        check(receiveBufferBytes >= 4096 && receiveBufferBytes <= 1 << 30, "receiveBufferBytes", receiveBufferBytes,
                "4096..1073741824");
        check(batchSize >= 1 && batchSize <= 1024, "batchSize", batchSize, "1..1024");
        check(readBudget >= 1, "readBudget", readBudget, "at least 1");
    }

    /** The defaults for one queue. */
    public static NfQueueConfig defaults(int queueNumber) {
        return new NfQueueConfig(queueNumber, DEFAULT_COPY_RANGE, DEFAULT_QUEUE_MAX_LENGTH, DEFAULT_FAIL_OPEN,
                DEFAULT_GSO, DEFAULT_RECEIVE_BUFFER_BYTES, DEFAULT_NO_ENOBUFS, DEFAULT_BATCH_SIZE, DEFAULT_READ_BUDGET);
    }

    /** Bytes of one receive slot: the copy range plus header room, so a queued message never truncates. */
    public int rxSlotBytes() {
        return (copyRange + RX_HEADROOM + 7) & ~7;
    }

    public NfQueueConfig withQueueNumber(int value) {
        return new NfQueueConfig(value, copyRange, queueMaxLength, failOpen, gso, receiveBufferBytes, noEnobufs,
                batchSize, readBudget);
    }

    public NfQueueConfig withCopyRange(int value) {
        return new NfQueueConfig(queueNumber, value, queueMaxLength, failOpen, gso, receiveBufferBytes, noEnobufs,
                batchSize, readBudget);
    }

    public NfQueueConfig withQueueMaxLength(int value) {
        return new NfQueueConfig(queueNumber, copyRange, value, failOpen, gso, receiveBufferBytes, noEnobufs,
                batchSize, readBudget);
    }

    public NfQueueConfig withFailOpen(boolean value) {
        return new NfQueueConfig(queueNumber, copyRange, queueMaxLength, value, gso, receiveBufferBytes, noEnobufs,
                batchSize, readBudget);
    }

    public NfQueueConfig withGso(boolean value) {
        return new NfQueueConfig(queueNumber, copyRange, queueMaxLength, failOpen, value, receiveBufferBytes,
                noEnobufs, batchSize, readBudget);
    }

    public NfQueueConfig withReceiveBufferBytes(int value) {
        return new NfQueueConfig(queueNumber, copyRange, queueMaxLength, failOpen, gso, value, noEnobufs, batchSize,
                readBudget);
    }

    public NfQueueConfig withNoEnobufs(boolean value) {
        return new NfQueueConfig(queueNumber, copyRange, queueMaxLength, failOpen, gso, receiveBufferBytes, value,
                batchSize, readBudget);
    }

    public NfQueueConfig withBatchSize(int value) {
        return new NfQueueConfig(queueNumber, copyRange, queueMaxLength, failOpen, gso, receiveBufferBytes,
                noEnobufs, value, readBudget);
    }

    public NfQueueConfig withReadBudget(int value) {
        return new NfQueueConfig(queueNumber, copyRange, queueMaxLength, failOpen, gso, receiveBufferBytes,
                noEnobufs, batchSize, value);
    }

    private static void check(boolean ok, String field, long value, String range) {
        if (!ok) {
            throw new IllegalArgumentException("nfqueue " + field + " must be " + range + ", was " + value);
        }
    }
}
