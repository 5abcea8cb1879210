package io.dhcpshield.core.identity;

import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.MacAddress;

/**
 * Who a DHCP message is about: the client MAC with where it was read ({@link MarkSource}), the DHCPv6 DUID (from
 * OPTION_CLIENTID of the innermost message), the DHCPv4 client identifier (option 61, type byte first) and the relay
 * identity. Any part may be null.
 */
public record ClientIdentity(MacAddress mac, MarkSource macSource, Duid duid, byte[] clientId, RelayIdentity relay) {
}
