package io.dhcpshield.core.dhcp6;

import java.util.List;

/**
 * A whole DHCPv6 UDP payload: the relay hops from the outermost (the one this packet's sender added) to the innermost
 * (the relay next to the client), and the client/server message they carry. {@code message} is null when the walk
 * could not reach it (truncation, a relay without OPTION_RELAY_MSG, nesting over 32).
 */
public record Dhcp6Packet(Dhcp6MessageType outerType, List<RelayHop> hops, Dhcp6Message message) {

    public Dhcp6Packet {
        hops = List.copyOf(hops);
    }

    /** The hop closest to the client, or null for an unrelayed message. */
    public RelayHop innermostHop() {
        return hops.isEmpty() ? null : hops.get(hops.size() - 1);
    }
}
