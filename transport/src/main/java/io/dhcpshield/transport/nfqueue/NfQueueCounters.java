package io.dhcpshield.transport.nfqueue;

import io.dhcpshield.core.metrics.Log2Histogram;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one queue, kept across re-binds: written by the queue's event loop, readable from any thread.
 * {@link #snapshot()} copies them into a plain record.
 */
public final class NfQueueCounters {

    /** Upper bounds (inclusive) of the read-batch size buckets: 1, 2-3, 4-7, ... 64-127, then 128 and more. */
    static final String[] READ_BATCH_LABELS = {"1", "2-3", "4-7", "8-15", "16-31", "32-63", "64-127", "128+"};

    final LongAdder received = new LongAdder();
    final LongAdder verdicted = new LongAdder();
    final LongAdder verdictBatches = new LongAdder();
    final LongAdder readBatches = new LongAdder();
    final LongAdder backloggedReads = new LongAdder();
    final LongAdder[] readBatchSizes = new LongAdder[READ_BATCH_LABELS.length];
    final LongAdder bytes = new LongAdder();
    final LongAdder enobufs = new LongAdder();
    final LongAdder idGaps = new LongAdder();
    final LongAdder missedVerdict = new LongAdder();
    final LongAdder acceptedUnseen = new LongAdder();
    final LongAdder malformedNetlink = new LongAdder();
    final LongAdder verdictErrors = new LongAdder();
    final LongAdder socketFailures = new LongAdder();
    final LongAdder recreated = new LongAdder();
    final Log2Histogram verdictLatency = new Log2Histogram();

    NfQueueCounters() {
        for (int i = 0; i < readBatchSizes.length; i++) {
            readBatchSizes[i] = new LongAdder();
        }
    }

    void readBatch(int datagrams) {
        readBatches.increment();
        int bucket = 31 - Integer.numberOfLeadingZeros(Math.max(1, datagrams));
        readBatchSizes[Math.min(bucket, readBatchSizes.length - 1)].increment();
    }

    public Snapshot snapshot() {
        long[] sizes = new long[readBatchSizes.length];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = readBatchSizes[i].sum();
        }
        return new Snapshot(received.sum(), verdicted.sum(), verdictBatches.sum(), readBatches.sum(), sizes,
                backloggedReads.sum(), bytes.sum(), enobufs.sum(), idGaps.sum(), missedVerdict.sum(),
                acceptedUnseen.sum(), malformedNetlink.sum(), verdictErrors.sum(), socketFailures.sum(),
                recreated.sum(), verdictLatency.snapshot());
    }

    /**
     * The counters at one moment.
     *
     * @param received packet messages read from the socket (each carries a packet id)
     * @param verdicted verdicts sent
     * @param verdictBatches send(2) calls carrying verdicts
     * @param readBatches recvmmsg calls that returned datagrams
     * @param readBatchSizes read batches per size bucket: 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64-127, 128+
     * @param backloggedReads reads that found the queue backlogged (full reads in a row for at least as many
     *     packets as the queue holds: {@link io.dhcpshield.core.pipeline.QueuedPacket#backlogged()})
     * @param bytes bytes received
     * @param enobufs ENOBUFS errors from receive (the socket buffer overflowed; reading went on)
     * @param idGaps packet ids never seen: packets the kernel passed by fail-open because the socket buffer was full
     * @param missedVerdict packets the subscriber did not answer, accepted by the transport with their own mark
     * @param acceptedUnseen packets accepted with their own mark without being shown to the subscriber: read
     *     before the bind was acknowledged, drained while closing, or arriving without demand
     * @param malformedNetlink netlink messages skipped as malformed
     * @param verdictErrors NLMSG_ERROR replies to verdicts, plus verdicts whose send failed
     * @param socketFailures fatal socket errors that ended a binding
     * @param recreated re-binds by the supervisor after a failure
     * @param verdictLatency read-to-verdict-send nanoseconds
     */
    public record Snapshot(
            long received,
            long verdicted,
            long verdictBatches,
            long readBatches,
            long[] readBatchSizes,
            long backloggedReads,
            long bytes,
            long enobufs,
            long idGaps,
            long missedVerdict,
            long acceptedUnseen,
            long malformedNetlink,
            long verdictErrors,
            long socketFailures,
            long recreated,
            Log2Histogram.Snapshot verdictLatency) {

        /** Median read-to-verdict-send time, as the upper bound of its log2 bucket. */
        public long verdictLatencyP50Nanos() {
            return verdictLatency.percentile(0.50);
        }

        /** 99th percentile read-to-verdict-send time, as the upper bound of its log2 bucket. */
        public long verdictLatencyP99Nanos() {
            return verdictLatency.percentile(0.99);
        }

        /** Datagrams per recvmmsg call on average. */
        public double meanReadBatch() {
            return readBatches == 0 ? 0 : (double) received / readBatches;
        }

        /** "1:3 2-3:10 ..." for the non-empty read-batch buckets. */
        public String readBatchHistogram() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < readBatchSizes.length; i++) {
                if (readBatchSizes[i] > 0) {
                    s.append(s.isEmpty() ? "" : " ").append(READ_BATCH_LABELS[i]).append(':').append(readBatchSizes[i]);
                }
            }
            return s.toString();
        }

        /** The sum of two snapshots (for group totals); histograms add bucket by bucket. */
        public Snapshot plus(Snapshot o) {
            return new Snapshot(received + o.received, verdicted + o.verdicted, verdictBatches + o.verdictBatches,
                    readBatches + o.readBatches, add(readBatchSizes, o.readBatchSizes),
                    backloggedReads + o.backloggedReads, bytes + o.bytes,
                    enobufs + o.enobufs, idGaps + o.idGaps, missedVerdict + o.missedVerdict,
                    acceptedUnseen + o.acceptedUnseen, malformedNetlink + o.malformedNetlink,
                    verdictErrors + o.verdictErrors, socketFailures + o.socketFailures, recreated + o.recreated,
                    verdictLatency.plus(o.verdictLatency));
        }

        /** All zero, the start of a sum. */
        public static Snapshot empty() {
            return new NfQueueCounters().snapshot();
        }

        @Override
        public String toString() {
            return "received=" + received + " verdicted=" + verdicted + " verdictBatches=" + verdictBatches
                    + " readBatches=" + readBatches + " [" + readBatchHistogram() + "] backloggedReads="
                    + backloggedReads + " bytes=" + bytes
                    + " enobufs=" + enobufs + " idGaps=" + idGaps + " missedVerdict=" + missedVerdict
                    + " acceptedUnseen=" + acceptedUnseen + " malformedNetlink=" + malformedNetlink
                    + " verdictErrors=" + verdictErrors + " socketFailures=" + socketFailures
                    + " recreated=" + recreated + " verdictLatencyP50<=" + verdictLatencyP50Nanos()
                    + "ns p99<=" + verdictLatencyP99Nanos() + "ns";
        }

        private static long[] add(long[] a, long[] b) {
            long[] sum = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                sum[i] = a[i] + b[i];
            }
            return sum;
        }
    }
}
