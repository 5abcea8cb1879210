package io.dhcpshield.transport.pcap;

/**
 * The link-layer header types this product handles, as the {@code LINKTYPE_} values stored in capture files.
 */
public final class LinkTypes {

    public static final int ETHERNET = 1;
    public static final int RAW = 101;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {
    }

    /** The constant's name, such as {@code "ETHERNET"}, or {@code "UNKNOWN(n)"} for any other value. */
    public static String name(int linkType) {
        return switch (linkType) {
            case ETHERNET -> "ETHERNET";
            case RAW -> "RAW";
            case LINUX_SLL -> "LINUX_SLL";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> "UNKNOWN(" + linkType + ")";
        };
    }
}
