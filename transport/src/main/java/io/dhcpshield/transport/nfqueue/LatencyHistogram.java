package io.dhcpshield.transport.nfqueue;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed histogram of nanosecond latencies in power-of-two buckets: bucket 0 holds 0..1 ns, bucket i holds
 * [2^i, 2^(i+1)). Written by one event loop, read from any thread; percentiles are reported as bucket upper bounds.
 */
final class LatencyHistogram {

    /** 2^40 ns is about 18 minutes; anything longer lands in the last bucket. */
    static final int BUCKETS = 41;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Adds {@code count} samples of {@code nanos} each (a whole verdict batch shares one read time). */
    void record(long nanos, int count) {
        counts.getAndAdd(bucket(nanos), count);
    }

    long[] snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    static int bucket(long nanos) {
        if (nanos <= 1) {
            return 0;
        }
        return Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(nanos));
    }

    /** The upper bound of the bucket holding the {@code quantile} (0..1) sample, or 0 when empty. */
    static long percentile(long[] buckets, double quantile) {
        long total = 0;
        for (long c : buckets) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return (1L << (i + 1)) - 1;
            }
        }
        return Long.MAX_VALUE;
    }
}
