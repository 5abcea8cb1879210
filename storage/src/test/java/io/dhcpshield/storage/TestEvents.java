package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.util.List;

/** Synthetic events shaped like real ones. */
final class TestEvents {

    private TestEvents() {
    }

    /** Client {@code i % 1000} sending a DHCPv4 message of type 1..8 (by i) at {@code timeMicros}. */
    static DhcpEvent v4(long i, long timeMicros) {
        int client = (int) (i % 1000);
        int type = (int) (i % 8) + 1;
        long mac = 0x0200_0000_0000L | client;
        return v4Message(timeMicros, type, mac, IpAddress.v4(0x6440_0300 | (client & 0xFF)), 3600,
                "circuit-" + (client % 16));
    }

    static DhcpEvent v4Message(long timeMicros, int type, long mac, IpAddress assigned, long lease, String circuit) {
        boolean reply = type == 2 || type == 5 || type == 6;
        return new DhcpEvent(timeMicros, 0, "site-a", reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER,
                4, type, type, "TYPE" + type, 0x1234_5678L, (int) (0x0100_0000 | (mac & 0xFF_FFFF)), MarkSource.CHADDR,
                new MacAddress(mac), null, "01:02:00:00:00:00:00", "host-\t'" + (mac & 0xFF), "MSFT 5.0", null,
                "1,3,6,15", IpAddress.parse("10.0.0.1"), IpAddress.parse("255.255.255.255"),
                IpAddress.parse("100.64.0.1"), circuit, "remote-1", null, 1,
                null, reply ? assigned : null, null, reply ? lease : -1,
                IpAddress.parse("100.64.0.254"), null, List.of());
    }

    /** Every field of an event, in constructor order: events compare equal when these are equal. */
    static List<Object> fields(DhcpEvent e) {
        return java.util.Arrays.asList(e.timeMicros(), e.queue(), e.siteId(), e.direction(), e.family(),
                e.messageType(), e.innerType(), e.messageTypeName(), e.transactionId(), e.mark(), e.markSource(),
                e.clientMac(), e.duid(), e.clientId(), e.hostname(), e.vendorClass(), e.userClass(),
                e.requestedOptions(), e.source(), e.destination(), e.relayAddress(), e.circuitId(), e.remoteId(),
                e.subscriberId(), e.relayHops(), e.requestedAddress(), e.assignedAddress(), e.delegatedPrefix(),
                e.leaseSeconds(), e.serverId(), e.serverDuid(), e.errors(), e.l2Source(), e.origin());
    }

    /** The events as a sorted list of their field lists: equal for equal multisets of events. */
    static List<String> multiset(java.util.Collection<DhcpEvent> events) {
        return events.stream().map(e -> fields(e).toString()).sorted().toList();
    }

    static DhcpEvent v6Reply(long timeMicros, String duid, IpAddress assigned, String prefix, long lease) {
        return new DhcpEvent(timeMicros, 1, "site-b", Direction.SERVER_TO_CLIENT, 6, 13, 7, "RELAY-REPL/REPLY", 0xabcdefL,
                0x0100_0000 | 0x42, MarkSource.DUID_HASH, null, duid, null, null, null, null, null,
                IpAddress.parse("2001:db8::1"), IpAddress.parse("2001:db8::2"), IpAddress.parse("2001:db8:1::1"),
                null, null, null, 1, null, assigned, prefix, lease, null, "00:01:00:01:aa", List.of("truncated", "x"));
    }
}
