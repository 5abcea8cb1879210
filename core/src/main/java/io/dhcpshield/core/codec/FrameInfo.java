package io.dhcpshield.core.codec;

import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

/**
 * What lies below DHCP: the link-layer source (null when the framing has none, as with NFQUEUE's raw IP), VLAN ids
 * (-1 when untagged), IP addresses and UDP ports (null / -1 when the packet was cut before them).
 */
public record FrameInfo(MacAddress l2Source, int outerVlan, int innerVlan,
                        IpAddress source, IpAddress destination, int sourcePort, int destinationPort) {
}
