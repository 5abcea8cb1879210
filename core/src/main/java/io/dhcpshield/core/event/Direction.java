package io.dhcpshield.core.event;

/** Which way a DHCP message travels, from its own semantics (BOOTREQUEST/BOOTREPLY, client vs server types). */
public enum Direction {
    /** Client (or relay on its behalf) toward the server: DISCOVER, REQUEST, SOLICIT, RELAY-FORW, ... */
    CLIENT_TO_SERVER,
    /** Server (or relay on its behalf) toward the client: OFFER, ACK, ADVERTISE, REPLY, RELAY-REPL, ... */
    SERVER_TO_CLIENT,
    /** Types that are neither (leasequery, unknown). */
    OTHER
}
