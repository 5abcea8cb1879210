package io.dhcpshield.transport.tzsp.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dhcpshield.transport.tzsp.Tzsp;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void collectorsParseWithTheDefaultPortAndBracketedIpv6() {
        assertEquals(new Collector("collector.example.net", Tzsp.DEFAULT_PORT), Collector.parse("collector.example.net"));
        assertEquals(new Collector("10.0.0.5", 37010), Collector.parse("10.0.0.5:37010"));
        assertEquals(new Collector("2001:db8::5", Tzsp.DEFAULT_PORT), Collector.parse("[2001:db8::5]"));
        assertEquals(new Collector("2001:db8::5", 9), Collector.parse("[2001:db8::5]:9"));
        assertEquals("[2001:db8::5]:9", Collector.parse("[2001:db8::5]:9").toString());
    }

    @Test
    void badCollectorsAreRefusedSayingWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Collector.parse("2001:db8::5"))
                .getMessage().contains("[ADDRESS]:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Collector.parse("host:http"))
                .getMessage().contains("not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Collector.parse("host:70000"))
                .getMessage().contains("1..65535"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Collector.parse("no-such-host.invalid").resolve()).getMessage().contains("cannot resolve"));
    }

    @Test
    void theDefaultsCaptureDhcpOnBothFamiliesAndBehindAVlanTag() {
        AgentConfig c = AgentConfig.of("eth1", List.of(Collector.parse("10.0.0.5")));
        assertEquals(AgentConfig.DHCP_FILTER, c.filter());
        assertEquals("udp and (port 67 or port 68 or port 546 or port 547)"
                + " or (vlan and udp and (port 67 or port 68 or port 546 or port 547))", c.filter());
        assertEquals(2048, c.snaplen());
        assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.of("eth1", List.of(Collector.parse("a"), Collector.parse("a:37008"))));
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.of("eth1", List.of()));
        assertThrows(IllegalArgumentException.class, () -> c.withSensorId("x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> c.withSnaplen(AgentConfig.MAX_SNAPLEN + 1));
    }
}
