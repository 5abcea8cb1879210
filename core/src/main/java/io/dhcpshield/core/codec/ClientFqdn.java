package io.dhcpshield.core.codec;

/**
 * The client FQDN option: DHCPv4 option 81 (RFC 4702) and DHCPv6 option 39 (RFC 4704). {@code rcode1}/{@code rcode2}
 * are -1 for DHCPv6, which has none.
 */
public record ClientFqdn(int flags, int rcode1, int rcode2, String name) {

    /** The S flag: the client asks the server to update the AAAA/A record. */
    public boolean serverUpdates() {
        return (flags & 0x01) != 0;
    }

    /** The N flag: no DNS updates at all. */
    public boolean noUpdates() {
        return (flags & (rcode1 < 0 ? 0x04 : 0x08)) != 0; // N is bit 2 in DHCPv6, bit 3 in DHCPv4
    }
}
