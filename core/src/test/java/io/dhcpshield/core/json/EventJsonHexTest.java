package io.dhcpshield.core.json;

import io.dhcpshield.core.mark.PacketMark;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventJsonHexTest {

    @Test
    void hexWritesWhatStringFormatWrites() {
        long[] edges = {0, 1, 0xf, 0x10, 0xff, 0x100, 0xffffff, 0x1000000, 0xffffffffL, 0x100000000L, -1, Long.MIN_VALUE,
                Long.MAX_VALUE};
        for (int digits : new int[] {2, 6, 8}) {
            for (long v : edges) {
                assertEquals(String.format("0x%0" + digits + "x", v), EventJson.hex(v, digits));
            }
            SplittableRandom r = new SplittableRandom(digits);
            for (int i = 0; i < 10_000; i++) {
                long v = r.nextLong() >>> r.nextInt(64);
                assertEquals(String.format("0x%0" + digits + "x", v), EventJson.hex(v, digits));
            }
        }
        for (int mark : new int[] {0, 1, 0x01000001, 0x7fffffff, -1, Integer.MIN_VALUE, 0x0d00beef}) {
            assertEquals(String.format("0x%08x", mark), PacketMark.toHex(mark));
        }
    }
}
