package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.mark.PacketMark;

/**
 * A DHCPv6 message type as an open value class: RFC 8415's types 1-13 and the later registry entries by name, and a
 * valid "unknown" instance for any other code.
 */
public final class Dhcp6MessageType {

    private static final Dhcp6MessageType[] BY_CODE = new Dhcp6MessageType[256];

    public static final Dhcp6MessageType SOLICIT = register(1, "SOLICIT");
    public static final Dhcp6MessageType ADVERTISE = register(2, "ADVERTISE");
    public static final Dhcp6MessageType REQUEST = register(3, "REQUEST");
    public static final Dhcp6MessageType CONFIRM = register(4, "CONFIRM");
    public static final Dhcp6MessageType RENEW = register(5, "RENEW");
    public static final Dhcp6MessageType REBIND = register(6, "REBIND");
    public static final Dhcp6MessageType REPLY = register(7, "REPLY");
    public static final Dhcp6MessageType RELEASE = register(8, "RELEASE");
    public static final Dhcp6MessageType DECLINE = register(9, "DECLINE");
    public static final Dhcp6MessageType RECONFIGURE = register(10, "RECONFIGURE");
    public static final Dhcp6MessageType INFORMATION_REQUEST = register(11, "INFORMATION-REQUEST");
    public static final Dhcp6MessageType RELAY_FORW = register(12, "RELAY-FORW");
    public static final Dhcp6MessageType RELAY_REPL = register(13, "RELAY-REPL");
    public static final Dhcp6MessageType LEASEQUERY = register(14, "LEASEQUERY");
    public static final Dhcp6MessageType LEASEQUERY_REPLY = register(15, "LEASEQUERY-REPLY");
    public static final Dhcp6MessageType LEASEQUERY_DONE = register(16, "LEASEQUERY-DONE");
    public static final Dhcp6MessageType LEASEQUERY_DATA = register(17, "LEASEQUERY-DATA");
    public static final Dhcp6MessageType RECONFIGURE_REQUEST = register(18, "RECONFIGURE-REQUEST");
    public static final Dhcp6MessageType RECONFIGURE_REPLY = register(19, "RECONFIGURE-REPLY");
    public static final Dhcp6MessageType DHCPV4_QUERY = register(20, "DHCPV4-QUERY");
    public static final Dhcp6MessageType DHCPV4_RESPONSE = register(21, "DHCPV4-RESPONSE");
    public static final Dhcp6MessageType ACTIVELEASEQUERY = register(22, "ACTIVELEASEQUERY");
    public static final Dhcp6MessageType STARTTLS = register(23, "STARTTLS");

    static {
        for (int i = 0; i < BY_CODE.length; i++) {
            if (BY_CODE[i] == null) {
                BY_CODE[i] = new Dhcp6MessageType(i, "UNKNOWN-" + i);
            }
        }
    }

    private final int code;
    private final String name;

    private Dhcp6MessageType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static Dhcp6MessageType register(int code, String name) {
        Dhcp6MessageType t = new Dhcp6MessageType(code, name);
        BY_CODE[code] = t;
        return t;
    }

    public static Dhcp6MessageType valueOf(int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("DHCPv6 message type out of range: " + code);
        }
        return BY_CODE[code];
    }

    /** True for RELAY-FORW and RELAY-REPL, whose body is a relay header and not a client/server message. */
    public static boolean isRelay(int code) {
        return code == 12 || code == 13;
    }

    /** True for the messages a client sends (so an unrelayed one's L2 source is the client's MAC). */
    public static boolean isFromClient(int code) {
        return switch (code) {
            case 1, 3, 4, 5, 6, 8, 9, 11 -> true;
            default -> false;
        };
    }

    public int code() {
        return code;
    }

    public String name() {
        return name;
    }

    public boolean isKnown() {
        return !name.startsWith("UNKNOWN-");
    }

    public int markCode() {
        return PacketMark.v6TypeCode(code);
    }

    @Override
    public String toString() {
        return name;
    }
}
