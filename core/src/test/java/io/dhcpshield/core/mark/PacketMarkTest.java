package io.dhcpshield.core.mark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PacketMarkTest {

    @Test
    void seedTypeCodesAreKeptExactly() {
        int[] v4 = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
        for (int t = 1; t <= 8; t++) {
            assertEquals(v4[t - 1], PacketMark.v4TypeCode(t));
        }
        for (int t = 1; t <= 13; t++) {
            assertEquals(0x10 + t, PacketMark.v6TypeCode(t), "v6 type " + t);
        }
        assertEquals(0x1C, PacketMark.v6TypeCode(12), "RELAY-FORW");
        assertEquals(0x1D, PacketMark.v6TypeCode(13), "RELAY-REPL");
    }

    @Test
    void codesOutsideTheSeedNeverCollideWithSeedCodes() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int t = 1; t <= 31; t++) {
            assertTrue(seen.add(PacketMark.v4TypeCode(t)), "v4 " + t);
        }
        for (int t = 1; t <= 47; t++) {
            assertTrue(seen.add(PacketMark.v6TypeCode(t)), "v6 " + t);
        }
        assertTrue(seen.add(PacketMark.V4_OTHER));
        assertTrue(seen.add(PacketMark.V6_OTHER));
        assertFalse(seen.contains(0), "a verdicted DHCP packet never has type bits 0");
        assertEquals(PacketMark.V4_OTHER, PacketMark.v4TypeCode(-1));
        assertEquals(PacketMark.V6_OTHER, PacketMark.v6TypeCode(200));
    }

    @Test
    void seedExampleRequestFromAaBbCcDdEeFf() {
        int mark = PacketMark.compose(PacketMark.v4TypeCode(3), 0xDDEEFF);
        assertEquals(0x03DDEEFF, mark);
        assertEquals(0x03, PacketMark.typeCode(mark));
        assertEquals(0xDDEEFF, PacketMark.clientMark(mark));
        assertEquals("0x03ddeeff", PacketMark.toHex(mark));
    }

    @Test
    void clientHashIsStableAnd24Bits() {
        byte[] duid = {0, 2, 0, 0, 0, 9, 1, 2, 3};
        int h = ClientHash.of(duid);
        assertEquals(h, ClientHash.of(duid.clone()));
        assertEquals(0, h & ~0xFFFFFF);
        assertNotEquals(h, ClientHash.of(new byte[] {0, 2, 0, 0, 0, 9, 1, 2, 4}));
        // FNV-1a of the empty input is the offset basis 0x811c9dc5, folded: 0x1c9dc5 ^ 0x81.
        assertEquals(0x1C9D44, ClientHash.of(new byte[0]));
    }
}
