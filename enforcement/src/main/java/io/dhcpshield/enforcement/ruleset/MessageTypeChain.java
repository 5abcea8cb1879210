package io.dhcpshield.enforcement.ruleset;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-message-type chains of seed 001/002: the mark's high byte, the chain it dispatches to and the prefix of
 * its three named counters ({@code <type>_total}, {@code <type>_a}, {@code <type>_d}).
 */
public enum MessageTypeChain {
    V4_DISCOVER(0x01, "v4_discover", Direction.INBOUND),
    V4_OFFER(0x02, "v4_offer", Direction.OUTBOUND),
    V4_REQUEST(0x03, "v4_request", Direction.INBOUND),
    V4_DECLINE(0x04, "v4_decline", Direction.INBOUND),
    V4_ACK(0x05, "v4_ack", Direction.OUTBOUND),
    V4_NAK(0x06, "v4_nak", Direction.OUTBOUND),
    V4_RELEASE(0x07, "v4_release", Direction.INBOUND),
    V4_INFORM(0x08, "v4_inform", Direction.INBOUND),
    V6_SOLICIT(0x11, "v6_solicit", Direction.INBOUND),
    V6_ADVERTISE(0x12, "v6_advertise", Direction.OUTBOUND),
    V6_REQUEST(0x13, "v6_request", Direction.INBOUND),
    V6_CONFIRM(0x14, "v6_confirm", Direction.INBOUND),
    V6_RENEW(0x15, "v6_renew", Direction.INBOUND),
    V6_REBIND(0x16, "v6_rebind", Direction.INBOUND),
    V6_REPLY(0x17, "v6_reply", Direction.OUTBOUND),
    V6_RELEASE(0x18, "v6_release", Direction.INBOUND),
    V6_DECLINE(0x19, "v6_decline", Direction.INBOUND),
    V6_RECONFIGURE(0x1A, "v6_reconfigure", Direction.OUTBOUND),
    V6_INFO_REQUEST(0x1B, "v6_info_request", Direction.INBOUND),
    V6_RELAY_FORW(0x1C, "v6_relay_forw", Direction.INBOUND),
    V6_RELAY_REPL(0x1D, "v6_relay_repl", Direction.OUTBOUND);

    /** Client-to-server messages are rate limited; server replies are only counted and checked against the sets. */
    public enum Direction { INBOUND, OUTBOUND }

    private final int typeCode;
    private final String typeName;
    private final Direction direction;

    MessageTypeChain(int typeCode, String typeName, Direction direction) {
        this.typeCode = typeCode;
        this.typeName = typeName;
        this.direction = direction;
    }

    /** The mark's high byte (0x01 DISCOVER ... 0x1D RELAY-REPL). */
    public int typeCode() { return typeCode; }

    /** The counter prefix and profile key, e.g. {@code v4_discover}. */
    public String typeName() { return typeName; }

    public Direction direction() { return direction; }

    /** {@code v4_discover_chain} inbound, {@code v4_offer_out_chain} outbound. */
    public String chainName() {
        return direction == Direction.INBOUND ? typeName + "_chain" : typeName + "_out_chain";
    }

    public String totalCounter() { return typeName + "_total"; }
    public String acceptedCounter() { return typeName + "_a"; }
    public String droppedCounter() { return typeName + "_d"; }

    /** The composite mark's type bits: {@code typeCode << 24}. */
    public long typeBits() { return ((long) typeCode) << 24; }

    public static List<MessageTypeChain> inbound() {
        return Arrays.stream(values()).filter(t -> t.direction == Direction.INBOUND).toList();
    }

    public static List<MessageTypeChain> outbound() {
        return Arrays.stream(values()).filter(t -> t.direction == Direction.OUTBOUND).toList();
    }

    public static Optional<MessageTypeChain> byTypeName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.typeName.equals(n)).findFirst();
    }
}
