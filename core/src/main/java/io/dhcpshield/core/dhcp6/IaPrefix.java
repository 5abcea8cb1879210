package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.net.IpAddress;

/** OPTION_IAPREFIX (26) inside an IA_PD: a delegated prefix with its lifetimes and optional status. */
public record IaPrefix(IpAddress prefix, int prefixLength, long preferredLifetime, long validLifetime,
                       StatusCode status) {

    @Override
    public String toString() {
        return prefix + "/" + prefixLength;
    }
}
