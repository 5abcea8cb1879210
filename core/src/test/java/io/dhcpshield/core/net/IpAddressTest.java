package io.dhcpshield.core.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class IpAddressTest {

    @Test
    void ipv6IsPrintedPerRfc5952() {
        assertEquals("2001:db8::1", IpAddress.parse("2001:0db8:0:0:0:0:0:1").toString());
        assertEquals("::", IpAddress.parse("::").toString());
        assertEquals("::1", IpAddress.parse("::1").toString());
        assertEquals("fe80::201:2ff:fe03:405", IpAddress.parse("fe80:0:0:0:201:2ff:fe03:405").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parse("2001:db8:0:1:1:1:1:1").toString(), "one zero group is not ::");
        assertEquals("2001:0:0:1::1", IpAddress.parse("2001:0:0:1:0:0:0:1").toString(), "the longest run wins");
        assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:db8:0:0:1:0:0:1").toString(), "first of equal runs");
    }

    @Test
    void ipv4RoundTripsAndRejectsGarbage() {
        assertEquals("100.64.3.7", IpAddress.parse("100.64.3.7").toString());
        assertEquals(0x64400307L, IpAddress.parse("100.64.3.7").v4Value());
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("300.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("host.example"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("1::2::3"));
    }
}
