package io.dhcpshield.transport.nfqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The queue counters' own summaries. */
class NfQueueCountersTest {

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
