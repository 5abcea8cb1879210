package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.codec.VendorData;
import io.dhcpshield.core.net.IpAddress;

import java.util.List;

/**
 * One RELAY-FORW or RELAY-REPL wrapper: the relay's header and the options it added (all of them, in wire order,
 * except OPTION_RELAY_MSG whose content is the next hop or the message). {@code clientLinkLayerType} is -1 without
 * option 79.
 */
public record RelayHop(int messageType, int hopCount, IpAddress linkAddress, IpAddress peerAddress,
                       byte[] interfaceId, VendorData remoteId, byte[] subscriberId,
                       int clientLinkLayerType, byte[] clientLinkLayerAddress, List<Dhcp6Option> options) {

    public RelayHop {
        options = List.copyOf(options);
    }
}
