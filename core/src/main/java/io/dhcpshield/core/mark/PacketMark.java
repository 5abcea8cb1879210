package io.dhcpshield.core.mark;

/**
 * The 32-bit nftables mark: the high byte is the message-type code that {@code route_by_type} dispatches on, the low
 * 24 bits are the client mark looked up in the enforcement sets.
 *
 * <p>Type codes (seed "Key concepts", extended where the seed is silent):
 * <ul>
 *   <li>DHCPv4 types 1-8: {@code 0x01-0x08} as in the seed; types 9-31 (FORCERENEW, leasequery family, DHCPTLS...):
 *       {@code 0x20 + type} ({@code 0x29-0x3F}); a BOOTP message without option 53, or any other type:
 *       {@link #V4_OTHER} {@code 0x0F}.</li>
 *   <li>DHCPv6 types 1-13: {@code 0x10 + type} ({@code 0x11-0x1D}) as in the seed; types 14-47: {@code 0x40 + type}
 *       ({@code 0x4E-0x6F}); anything else: {@link #V6_OTHER} {@code 0x1F}. Relayed messages carry the outermost
 *       type (RELAY-FORW {@code 0x1C}), matching the seed's {@code v6_relay_forw_chain}.</li>
 * </ul>
 * Every DHCP packet we verdict therefore has a non-zero high byte; a DHCP packet seen after the queue chain with
 * type bits 0 passed without inspection (fail-open).
 */
public final class PacketMark {

    public static final int TYPE_SHIFT = 24;
    public static final int CLIENT_MASK = 0x00FF_FFFF;
    public static final int TYPE_MASK = 0xFF00_0000;

    /** DHCPv4 message without a recognised type (BOOTP, or a code outside 1-31). */
    public static final int V4_OTHER = 0x0F;
    /** DHCPv6 message without a recognised type (a code outside 1-47). */
    public static final int V6_OTHER = 0x1F;

    private PacketMark() {
    }

    public static int compose(int typeCode, int clientMark) {
        return (typeCode << TYPE_SHIFT) | (clientMark & CLIENT_MASK);
    }

    public static int typeCode(int mark) {
        return mark >>> TYPE_SHIFT;
    }

    public static int clientMark(int mark) {
        return mark & CLIENT_MASK;
    }

    /** The type code of a DHCPv4 message type (option 53), or {@link #V4_OTHER} for -1 (absent) and unknown codes. */
    public static int v4TypeCode(int messageType) {
        if (messageType >= 1 && messageType <= 8) {
            return messageType;
        }
        if (messageType >= 9 && messageType <= 31) {
            return 0x20 + messageType;
        }
        return V4_OTHER;
    }

    /** The type code of a DHCPv6 message type, or {@link #V6_OTHER} for codes we do not map. */
    public static int v6TypeCode(int messageType) {
        if (messageType >= 1 && messageType <= 13) {
            return 0x10 + messageType;
        }
        if (messageType >= 14 && messageType <= 47) {
            return 0x40 + messageType;
        }
        return V6_OTHER;
    }

    public static String toHex(int mark) {
        String h = Integer.toHexString(mark);
        return "0x" + "0".repeat(8 - h.length()) + h;
    }
}
