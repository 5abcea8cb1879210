package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.net.IpAddress;

/** OPTION_IAADDR (5) inside an IA_NA or IA_TA: an address with its lifetimes and optional status. */
public record IaAddress(IpAddress address, long preferredLifetime, long validLifetime, StatusCode status) {
}
