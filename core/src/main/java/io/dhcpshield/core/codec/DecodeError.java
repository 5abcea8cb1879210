package io.dhcpshield.core.codec;

/**
 * Why a packet could not be decoded completely. The decoder never throws: it returns what it read plus one of these,
 * and operators count packets by them. {@link Category#NOT_DHCP} reasons describe traffic that is not DHCP at all;
 * {@link Category#MALFORMED} ones describe DHCP that breaks its own rules.
 */
public enum DecodeError {
    // Not DHCP at all.
    UNSUPPORTED_LINK_TYPE(Category.NOT_DHCP, "link type we do not decode"),
    NOT_IP(Category.NOT_DHCP, "not IPv4 or IPv6"),
    NOT_UDP(Category.NOT_DHCP, "not UDP"),
    NOT_DHCP_PORT(Category.NOT_DHCP, "UDP but not a DHCP port (67/68, 546/547)"),
    IP_FRAGMENT(Category.NOT_DHCP, "a non-first IP fragment: the UDP header is elsewhere"),

    // Framing broken below DHCP.
    FRAME_TRUNCATED(Category.MALFORMED, "link-layer header cut short"),
    IP_TRUNCATED(Category.MALFORMED, "IP header cut short"),
    BAD_IP_HEADER(Category.MALFORMED, "IP header length or version inconsistent"),
    UDP_TRUNCATED(Category.MALFORMED, "UDP header cut short"),
    BAD_UDP_LENGTH(Category.MALFORMED, "UDP length disagrees with the bytes present"),

    // DHCP itself.
    TRUNCATED_HEADER(Category.MALFORMED, "DHCP fixed header cut short"),
    BAD_MAGIC_COOKIE(Category.MALFORMED, "DHCPv4 magic cookie is not 99.130.83.99"),
    OPTION_OVERRUN(Category.MALFORMED, "an option's length runs past the end of its area"),
    BAD_OPTION_LENGTH(Category.MALFORMED, "an option's length is wrong for its type"),
    SUBOPTION_OVERRUN(Category.MALFORMED, "a sub-option or nested option runs past its parent"),
    BAD_OVERLOAD(Category.MALFORMED, "option 52 (overload) has a value other than 1, 2 or 3"),
    RELAY_DEPTH_EXCEEDED(Category.MALFORMED, "DHCPv6 relay nesting deeper than 32"),
    RELAY_MESSAGE_MISSING(Category.MALFORMED, "DHCPv6 relay message without OPTION_RELAY_MSG"),

    /** The decoder itself failed: a bug, caught at the edge so the packet still gets its verdict. */
    DECODER_FAILURE(Category.MALFORMED, "internal decoder failure");

    /** Whether the packet is not DHCP, or DHCP that is malformed. */
    public enum Category { NOT_DHCP, MALFORMED }

    private static final DecodeError[] VALUES = values();

    private final Category category;
    private final String description;

    DecodeError(Category category, String description) {
        this.category = category;
        this.description = description;
    }

    public Category category() {
        return category;
    }

    public String description() {
        return description;
    }

    /** The counter label: lower case with dashes, e.g. {@code bad-magic-cookie}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static DecodeError ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
