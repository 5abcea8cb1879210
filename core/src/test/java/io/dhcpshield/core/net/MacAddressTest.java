package io.dhcpshield.core.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MacAddressTest {

    @Test
    void parsesPrintsAndExposesTheLow24Bits() {
        MacAddress mac = MacAddress.parse("AA:BB:CC:DD:EE:FF");
        assertEquals("aa:bb:cc:dd:ee:ff", mac.toString());
        assertEquals(0xDDEEFF, mac.low24());
        assertEquals(mac, MacAddress.parse("aa-bb-cc-dd-ee-ff"));
        assertArrayEquals(new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc, (byte) 0xdd, (byte) 0xee, (byte) 0xff},
                mac.toBytes());
        assertEquals(mac, MacAddress.of(mac.toBytes()));
    }

    @Test
    void rejectsWhatIsNotAMac() {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("aa:bb:cc"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("zz:bb:cc:dd:ee:ff"));
        assertThrows(IllegalArgumentException.class, () -> new MacAddress(1L << 48));
    }
}
