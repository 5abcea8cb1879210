package io.dhcpshield.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket on a hand-moved clock, and the exact percentiles. */
class PacingAndLatencyTest {

    static final long MS = 1_000_000L;

    @Test
    void pacerStartsTheRatePerSecondTickByTick() {
        RatePacer pacer = new RatePacer(1000, RatePacer.defaultBurst(1000));
        pacer.start(0);
        long started = 0;
        for (long t = 1; t <= 1000; t++) {
            started += pacer.take(t * MS);
        }
        assertEquals(1000, started);
    }

    @Test
    void pacerCatchesUpAStallOnlyByItsBurst() {
        RatePacer pacer = new RatePacer(1000, 100);
        pacer.start(0);
        assertEquals(10, pacer.take(10 * MS));
        // A 500 ms stall: 500 were due, only the burst of 100 goes now.
        assertEquals(100, pacer.take(510 * MS));
        assertEquals(1, pacer.take(511 * MS));
    }

    @Test
    void tokensGivenBackAreTakenAgain() {
        RatePacer pacer = new RatePacer(1000, 100);
        pacer.start(0);
        assertEquals(20, pacer.take(20 * MS));
        pacer.giveBack(5);
        assertEquals(6, pacer.take(21 * MS));
    }

    @Test
    void unpacedPacerLeavesTheLimitToTheWindow() {
        RatePacer pacer = new RatePacer(0, 1);
        pacer.start(0);
        assertTrue(pacer.unpaced());
        assertEquals(Long.MAX_VALUE, pacer.take(1));
    }

    @Test
    void percentilesAreNearestRank() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 2000; i >= 1; i--) {
            r.record(i);
        }
        LatencyRecorder.Summary s = r.summary();
        assertEquals(2000, s.count());
        assertEquals(1000, s.p50());
        assertEquals(1800, s.p90());
        assertEquals(1980, s.p99());
        assertEquals(2000, s.max());
        assertEquals(1000, s.mean());
        assertEquals(0, new LatencyRecorder().summary().p99());
    }

    @Test
    void clientRangeWrapsAndDerivesDuidsFromTheMac() {
        ClientRange range = new ClientRange(0x02005e10fffeL, 4, ClientRange.DuidType.LL, 0, 1);
        assertEquals(0x02005e10ffffL, range.mac(1));
        assertEquals(0x02005e110000L, range.mac(2));
        assertEquals(0x02005e10fffeL, range.mac(4));
        assertEquals("00:03:00:01:02:00:5e:10:ff:fe",
                io.dhcpshield.core.dhcp6.Duid.of(range.duid(range.mac(0))).toString());
        long random = range.randomMac();
        assertEquals(0x02, (random >>> 40) & 0x03);
    }
}
