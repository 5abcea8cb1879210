package io.dhcpshield.core.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed histogram in power-of-two buckets: bucket 0 holds 0..1, bucket i holds [2^i, 2^(i+1)). Recording is two
 * atomic adds and never allocates; any thread may record and read. Percentiles are reported as bucket upper bounds.
 * Used for verdict latency (nanoseconds), HTTP latency and writer batch sizes.
 */
public final class Log2Histogram {

    /** 2^40 ns is about 18 minutes; anything larger lands in the last bucket. */
    public static final int BUCKETS = 41;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong sum = new AtomicLong();

    /** Adds one sample. */
    public void record(long value) {
        record(value, 1);
    }

    /** Adds {@code count} samples of {@code value} each (a whole verdict batch shares one read time). */
    public void record(long value, int count) {
        counts.getAndAdd(bucket(value), count);
        sum.getAndAdd(Math.max(0, value) * count);
    }

    public Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy, sum.get());
    }

    public static int bucket(long value) {
        if (value <= 1) {
            return 0;
        }
        return Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(value));
    }

    /** The inclusive upper bound of bucket {@code i}. */
    public static long upperBound(int i) {
        return i >= 62 ? Long.MAX_VALUE : (1L << (i + 1)) - 1;
    }

    /**
     * The counts at one moment.
     *
     * @param buckets samples per bucket (not cumulative)
     * @param sum     the sum of every sample's value
     */
    public record Snapshot(long[] buckets, long sum) {

        public static Snapshot empty() {
            return new Snapshot(new long[BUCKETS], 0);
        }

        public long count() {
            long total = 0;
            for (long c : buckets) {
                total += c;
            }
            return total;
        }

        /** The upper bound of the bucket holding the {@code quantile} (0..1) sample, or 0 when empty. */
        public long percentile(double quantile) {
            long total = count();
            if (total == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(quantile * total));
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= rank) {
                    return upperBound(i);
                }
            }
            return Long.MAX_VALUE;
        }

        /** Bucket by bucket sum (group totals). */
        public Snapshot plus(Snapshot o) {
            long[] s = new long[buckets.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = buckets[i] + o.buckets[i];
            }
            return new Snapshot(s, sum + o.sum);
        }
    }
}
