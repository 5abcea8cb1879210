package io.dhcpshield.core.dhcp4;

import io.dhcpshield.core.mark.PacketMark;

/**
 * A DHCPv4 message type (option 53) as an open value class: named constants for the IANA registry's codes 1-18, and a
 * valid "unknown" instance for any other code, so unknown types survive decoding. {@link #BOOTP} stands for a
 * message without option 53.
 */
public final class Dhcp4MessageType {

    private static final Dhcp4MessageType[] BY_CODE = new Dhcp4MessageType[256];

    /** A BOOTP message (no option 53); code -1. */
    public static final Dhcp4MessageType BOOTP = new Dhcp4MessageType(-1, "BOOTP");
    public static final Dhcp4MessageType DISCOVER = register(1, "DISCOVER");
    public static final Dhcp4MessageType OFFER = register(2, "OFFER");
    public static final Dhcp4MessageType REQUEST = register(3, "REQUEST");
    public static final Dhcp4MessageType DECLINE = register(4, "DECLINE");
    public static final Dhcp4MessageType ACK = register(5, "ACK");
    public static final Dhcp4MessageType NAK = register(6, "NAK");
    public static final Dhcp4MessageType RELEASE = register(7, "RELEASE");
    public static final Dhcp4MessageType INFORM = register(8, "INFORM");
    public static final Dhcp4MessageType FORCERENEW = register(9, "FORCERENEW");
    public static final Dhcp4MessageType LEASEQUERY = register(10, "LEASEQUERY");
    public static final Dhcp4MessageType LEASEUNASSIGNED = register(11, "LEASEUNASSIGNED");
    public static final Dhcp4MessageType LEASEUNKNOWN = register(12, "LEASEUNKNOWN");
    public static final Dhcp4MessageType LEASEACTIVE = register(13, "LEASEACTIVE");
    public static final Dhcp4MessageType BULKLEASEQUERY = register(14, "BULKLEASEQUERY");
    public static final Dhcp4MessageType LEASEQUERYDONE = register(15, "LEASEQUERYDONE");
    public static final Dhcp4MessageType ACTIVELEASEQUERY = register(16, "ACTIVELEASEQUERY");
    public static final Dhcp4MessageType LEASEQUERYSTATUS = register(17, "LEASEQUERYSTATUS");
    public static final Dhcp4MessageType DHCPTLS = register(18, "DHCPTLS");

    static {
        for (int i = 0; i < BY_CODE.length; i++) {
            if (BY_CODE[i] == null) {
                BY_CODE[i] = new Dhcp4MessageType(i, "UNKNOWN-" + i);
            }
        }
    }

    private final int code;
    private final String name;

    private Dhcp4MessageType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static Dhcp4MessageType register(int code, String name) {
        Dhcp4MessageType t = new Dhcp4MessageType(code, name);
        BY_CODE[code] = t;
        return t;
    }

    /** The constant for {@code code}; -1 gives {@link #BOOTP}, other codes outside 0-255 are rejected. */
    public static Dhcp4MessageType valueOf(int code) {
        if (code == -1) {
            return BOOTP;
        }
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("DHCPv4 message type out of range: " + code);
        }
        return BY_CODE[code];
    }

    public int code() {
        return code;
    }

    public String name() {
        return name;
    }

    /** True for the types IANA has named (1-18) and for BOOTP. */
    public boolean isKnown() {
        return !name.startsWith("UNKNOWN-");
    }

    /** The high byte this type gets in the packet mark. */
    public int markCode() {
        return PacketMark.v4TypeCode(code);
    }

    @Override
    public String toString() {
        return name;
    }
}
