package io.dhcpshield.core.event;

import io.dhcpshield.core.dhcp6.Dhcp6MessageType;

/** Which way a DHCP message travels, from its own semantics (BOOTREQUEST/BOOTREPLY, client vs server types). */
public enum Direction {
    /** Client (or relay on its behalf) toward the server: DISCOVER, REQUEST, SOLICIT, RELAY-FORW, ... */
    CLIENT_TO_SERVER,
    /** Server (or relay on its behalf) toward the client: OFFER, ACK, ADVERTISE, REPLY, RELAY-REPL, ... */
    SERVER_TO_CLIENT,
    /** Types that are neither (leasequery, unknown). */
    OTHER;

    /** A DHCPv4 message's direction from its BOOTP op field (1 BOOTREQUEST, 2 BOOTREPLY). */
    public static Direction ofDhcp4(int op) {
        return op == 1 ? CLIENT_TO_SERVER : op == 2 ? SERVER_TO_CLIENT : OTHER;
    }

    /**
     * A DHCPv6 message's direction from its outermost type and the type of the innermost message under the relay
     * hops (the same as the outer one when unrelayed).
     */
    public static Direction ofDhcp6(int outer, int inner) {
        if (Dhcp6MessageType.isFromClient(inner) || outer == 12) {
            return CLIENT_TO_SERVER;
        }
        return inner == 2 || inner == 7 || inner == 10 || outer == 13 ? SERVER_TO_CLIENT : OTHER;
    }
}
