package io.dhcpshield.transport.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LinkTypesTest {

    @Test
    void namesKnownAndUnknownTypes() {
        assertEquals("ETHERNET", LinkTypes.name(LinkTypes.ETHERNET));
        assertEquals("LINUX_SLL2", LinkTypes.name(LinkTypes.LINUX_SLL2));
        assertEquals("UNKNOWN(147)", LinkTypes.name(147));
    }
}
