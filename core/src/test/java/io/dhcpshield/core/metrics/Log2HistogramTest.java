package io.dhcpshield.core.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Log2 buckets, the sum, and the percentiles read from them. */
class Log2HistogramTest {

    @Test
    void bucketsArePowersOfTwo() {
        assertEquals(0, Log2Histogram.bucket(0));
        assertEquals(0, Log2Histogram.bucket(1));
        assertEquals(1, Log2Histogram.bucket(2));
        assertEquals(1, Log2Histogram.bucket(3));
        assertEquals(10, Log2Histogram.bucket(1024));
        assertEquals(Log2Histogram.BUCKETS - 1, Log2Histogram.bucket(Long.MAX_VALUE));
    }

    @Test
    void percentilesAreBucketUpperBoundsAndTheSumIsExact() {
        Log2Histogram h = new Log2Histogram();
        h.record(1000, 98);
        h.record(100_000, 2);
        Log2Histogram.Snapshot s = h.snapshot();
        assertEquals(1023, s.percentile(0.50));
        assertEquals(1023, s.percentile(0.98));
        assertEquals(131071, s.percentile(0.99));
        assertEquals(100, s.count());
        assertEquals(98 * 1000 + 2 * 100_000, s.sum());
        assertEquals(0, Log2Histogram.Snapshot.empty().percentile(0.5));
    }
}
