package io.dhcpshield.core.codec;

/**
 * What sits in front of the IP header: the layer a packet source delivers. NFQUEUE delivers {@link #IP}; pcap files
 * and TZSP deliver one of the link types.
 */
public enum Framing {
    /** Raw IPv4 or IPv6, told apart by the version nibble (NFQUEUE payloads, pcap LINKTYPE_RAW). */
    IP,
    /** Ethernet II with any number of 802.1Q / 802.1ad tags. */
    ETHERNET,
    /** Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 16-byte header). */
    LINUX_SLL,
    /** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 20-byte header). */
    LINUX_SLL2,
    /** A link type we do not decode. */
    UNSUPPORTED;

    /**
     * The pcap/pcapng LINKTYPE_ value that carries this framing ({@code LINKTYPE_RAW} 101 for IP,
     * {@code LINKTYPE_ETHERNET} 1, ...), for writing captures; -1 for {@link #UNSUPPORTED}.
     */
    public int linkType() {
        return switch (this) {
            case IP -> 101;
            case ETHERNET -> 1;
            case LINUX_SLL -> 113;
            case LINUX_SLL2 -> 276;
            case UNSUPPORTED -> -1;
        };
    }

    /** Maps a pcap LINKTYPE_ value to the framing it implies. */
    public static Framing ofLinkType(int linkType) {
        return switch (linkType) {
            case 1 -> ETHERNET;
            case 101, 228, 229, 12, 14 -> IP;
            case 113 -> LINUX_SLL;
            case 276 -> LINUX_SLL2;
            default -> UNSUPPORTED;
        };
    }
}
