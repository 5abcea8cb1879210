package io.dhcpshield.core.mark;

/**
 * Where the 24-bit client part of a mark came from. Every derived identity is labelled, because a MAC read from
 * chaddr, from a client-chosen DUID and from a relay's option 79 deserve different trust.
 */
public enum MarkSource {
    /** DHCPv4 {@code chaddr} with htype 1 (Ethernet) and hlen 6. */
    CHADDR("chaddr"),
    /** DHCPv4 option 61 (client identifier) of type 1 with a 6-byte hardware address. */
    OPTION61("option61"),
    /** DHCPv6 client identifier, DUID-LLT with hardware type 1. */
    DUID_LLT("duid-llt"),
    /** DHCPv6 client identifier, DUID-LL with hardware type 1. */
    DUID_LL("duid-ll"),
    /** DHCPv6 relay option 79 (client link-layer address, RFC 6939) of the relay closest to the client. */
    OPTION79("option79"),
    /** The Ethernet source of a client message that no relay forwarded. */
    L2_SOURCE("l2-source"),
    /** No MAC: a 24-bit FNV-1a hash of the DHCPv6 DUID. */
    DUID_HASH("duid-hash"),
    /** No MAC: a 24-bit FNV-1a hash of the DHCPv4 client identifier (option 61). */
    CLIENT_ID_HASH("client-id-hash"),
    /** No MAC: a 24-bit FNV-1a hash of a non-Ethernet {@code chaddr}. */
    CHADDR_HASH("chaddr-hash"),
    /** Nothing identifies the client; the client part of the mark is 0. */
    NONE("none");

    private static final MarkSource[] VALUES = values();

    private final String label;

    MarkSource(String label) {
        this.label = label;
    }

    /** The label written in events and in {@code dpictl analyze} output. */
    public String label() {
        return label;
    }

    /** True when the 24 bits are the last three bytes of a real MAC address rather than a hash. */
    public boolean isMac() {
        return ordinal() <= L2_SOURCE.ordinal();
    }

    public static MarkSource ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
