package io.dhcpshield.transport.nfqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Log2 buckets and the percentiles read from them. */
class LatencyHistogramTest {

    @Test
    void bucketsArePowersOfTwo() {
        assertEquals(0, LatencyHistogram.bucket(0));
        assertEquals(0, LatencyHistogram.bucket(1));
        assertEquals(1, LatencyHistogram.bucket(2));
        assertEquals(1, LatencyHistogram.bucket(3));
        assertEquals(10, LatencyHistogram.bucket(1024));
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucket(Long.MAX_VALUE));
    }

    @Test
    void percentilesAreBucketUpperBounds() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1000, 98);
        h.record(100_000, 2);
        long[] buckets = h.snapshot();
        assertEquals(1023, LatencyHistogram.percentile(buckets, 0.50));
        assertEquals(1023, LatencyHistogram.percentile(buckets, 0.98));
        assertEquals(131071, LatencyHistogram.percentile(buckets, 0.99));
        assertEquals(0, LatencyHistogram.percentile(new long[LatencyHistogram.BUCKETS], 0.5));
    }

    @Test
    void readBatchSizesLandInLog2Buckets() {
        NfQueueCounters c = new NfQueueCounters();
        c.readBatch(1);
        c.readBatch(3);
        c.readBatch(64);
        c.readBatch(1000);
        assertEquals("1:1 2-3:1 64-127:1 128+:1", c.snapshot().readBatchHistogram());
    }
}
