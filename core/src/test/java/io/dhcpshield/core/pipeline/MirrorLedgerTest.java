package io.dhcpshield.core.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MirrorLedgerTest {

    private static byte[] payload(int n) {
        return new byte[] {1, 1, 6, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static MirrorLedger.Entry entry(String site) {
        return new MirrorLedger.Entry(new byte[] {(byte) site.length()}, site, "192.0.2.1:4000");
    }

    private static MirrorLedger.Entry take(MirrorLedger l, byte[] payload) {
        return l.take(Unpooled.wrappedBuffer(payload), 0, payload.length);
    }

    private static void assertCounts(MirrorLedger l, long recorded, long matched, long unmatched, long evicted,
                                     long withdrawn, int waiting) {
        MirrorLedger.Snapshot s = l.snapshot();
        assertEquals(new MirrorLedger.Snapshot(recorded, matched, unmatched, evicted, withdrawn, waiting), s);
        assertEquals(s.recorded(), s.matched() + s.evicted() + s.withdrawn() + s.waiting(), "every record accounted");
    }

    @Test
    void aCopyTakesItsRecordByItsBytesOnce() {
        MirrorLedger l = new MirrorLedger(8);
        MirrorLedger.Entry a = entry("a");
        MirrorLedger.Entry b = entry("bb");
        l.record(payload(1), a);
        l.record(payload(2), b);
        assertSame(b, take(l, payload(2)), "matched by content, not by order");
        assertSame(a, take(l, payload(1)));
        assertNull(take(l, payload(1)), "a record is taken once");
        assertNull(take(l, payload(3)), "bytes nobody recorded");
        assertCounts(l, 2, 2, 2, 0, 0, 0);
    }

    @Test
    void thePayloadIsFoundInsideALargerBufferAndTheRecordKeepsItsOwnCopy() {
        MirrorLedger l = new MirrorLedger(8);
        byte[] p = payload(7);
        MirrorLedger.Entry e = entry("s");
        l.record(p, e);
        p[7] = 99;                                  // the caller's array is not the record's
        ByteBuf packet = Unpooled.buffer();
        packet.writeZero(28).writeBytes(payload(7)).writeZero(5);
        assertSame(e, l.take(packet, 28, 8));
        assertCounts(l, 1, 1, 0, 0, 0, 0);
    }

    @Test
    void equalPayloadsAreTakenOldestFirst() {
        MirrorLedger l = new MirrorLedger(8);
        MirrorLedger.Entry first = entry("first");
        MirrorLedger.Entry second = entry("second");
        l.record(payload(5), first);
        l.record(payload(5), second);
        assertSame(first, take(l, payload(5)));
        assertSame(second, take(l, payload(5)));
        assertNull(take(l, payload(5)));
        assertCounts(l, 2, 2, 1, 0, 0, 0);
    }

    @Test
    void atCapacityTheOldestWaitingRecordIsEvictedAndCounted() {
        MirrorLedger l = new MirrorLedger(2);
        l.record(payload(1), entry("1"));
        l.record(payload(2), entry("2"));
        l.record(payload(3), entry("3"));
        assertCounts(l, 3, 0, 0, 1, 0, 2);
        assertNull(take(l, payload(1)), "the oldest went");
        assertEquals("2", take(l, payload(2)).site());
        assertEquals("3", take(l, payload(3)).site());
        assertCounts(l, 3, 2, 1, 1, 0, 0);
    }

    @Test
    void evictionAfterAnOutOfOrderMatchTakesTheOldestStillWaiting() {
        MirrorLedger l = new MirrorLedger(2);
        l.record(payload(1), entry("1"));
        l.record(payload(2), entry("2"));
        assertEquals("1", take(l, payload(1)).site());
        l.record(payload(3), entry("3"));
        assertCounts(l, 3, 1, 0, 0, 0, 2);
        l.record(payload(4), entry("4"));
        assertNull(take(l, payload(2)), "2 was the oldest waiting");
        assertEquals("3", take(l, payload(3)).site());
        assertEquals("4", take(l, payload(4)).site());
        assertCounts(l, 4, 3, 1, 1, 0, 0);
    }

    @Test
    void evictingOneOfEqualPayloadsLeavesTheYoungerWaiting() {
        MirrorLedger l = new MirrorLedger(2);
        l.record(payload(9), entry("old"));
        l.record(payload(9), entry("young"));
        l.record(payload(1), entry("other"));
        assertEquals("young", take(l, payload(9)).site());
        assertNull(take(l, payload(9)));
        assertCounts(l, 3, 1, 1, 1, 0, 1);
    }

    @Test
    void aWithdrawnRecordIsNoLongerWaiting() {
        MirrorLedger l = new MirrorLedger(4);
        l.record(payload(1), entry("old"));
        l.record(payload(1), entry("new"));
        assertTrue(l.withdraw(payload(1)));
        assertEquals("old", take(l, payload(1)).site(), "the newest record of the payload was withdrawn");
        assertFalse(l.withdraw(payload(1)));
        assertCounts(l, 2, 1, 0, 0, 1, 0);
    }

    @Test
    void matchingCostsTheSameWhateverTheOrderCopiesArriveIn() {
        // 200,000 waiting records taken newest first: a linear scan per match (the ledger's first version unlinked
        // each match from an ArrayDeque) would compare ~2 * 10^10 entries here; a constant-time match takes ms.
        int n = 200_000;
        MirrorLedger l = new MirrorLedger(n);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < n; i++) {
                l.record(payload(i), entry("s"));
            }
            for (int i = n - 1; i >= 0; i--) {
                assertTrue(take(l, payload(i)) != null, "record " + i);
            }
        });
        assertCounts(l, n, n, 0, 0, 0, 0);
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new MirrorLedger(0));
        assertTrue(MirrorLedger.isMirrorPort(1067) && MirrorLedger.isMirrorPort(1547));
        assertFalse(MirrorLedger.isMirrorPort(67) || MirrorLedger.isMirrorPort(547));
    }
}
