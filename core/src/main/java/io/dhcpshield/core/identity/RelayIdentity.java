package io.dhcpshield.core.identity;

import io.dhcpshield.core.net.IpAddress;

/**
 * The relay that forwarded a client's message, as the relay itself identifies the access point: its address and the
 * circuit/remote identifiers. Each value carries a label of where it came from ({@code giaddr}, {@code option82.1},
 * {@code link-address}, {@code interface-id}, ...); a value absent from the packet is null with a null label.
 */
public record RelayIdentity(IpAddress address, String addressSource,
                            byte[] circuitId, String circuitIdSource,
                            byte[] remoteId, String remoteIdSource) {
}
