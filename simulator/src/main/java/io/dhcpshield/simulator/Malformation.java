package io.dhcpshield.simulator;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.dhcp4.Dhcp4MessageType;
import io.dhcpshield.core.dhcp4.Dhcp4OptionCodes;
import io.dhcpshield.core.dhcp6.Dhcp6MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6OptionCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The malformed packets of the {@code malformed} profile: each breaks one rule a decoder must check, and names the
 * {@link DecodeError} our decoder is expected to count it under. They start from a valid client message (relayed
 * like the rest of the run) so everything before the fault is plausible.
 */
public enum Malformation {
    /** DHCPv4: the message stops inside the fixed header. */
    TRUNCATED_HEADER(4, DecodeError.TRUNCATED_HEADER),
    /** DHCPv4: the magic cookie is not 99.130.83.99. */
    BAD_MAGIC_COOKIE(4, DecodeError.BAD_MAGIC_COOKIE),
    /** DHCPv4: an option's length runs past the end of the message. */
    OPTION_OVERRUN(4, DecodeError.OPTION_OVERRUN),
    /** DHCPv4: option 53 with two bytes. */
    BAD_OPTION_LENGTH(4, DecodeError.BAD_OPTION_LENGTH),
    /** DHCPv4: an Option 82 sub-option longer than option 82 itself. */
    SUBOPTION_OVERRUN(4, DecodeError.SUBOPTION_OVERRUN),
    /** DHCPv6: three bytes, not even a message header. */
    V6_TRUNCATED_HEADER(6, DecodeError.TRUNCATED_HEADER),
    /** DHCPv6: the last option's length runs past the end. */
    V6_OPTION_OVERRUN(6, DecodeError.OPTION_OVERRUN),
    /** DHCPv6: a RELAY-FORW without OPTION_RELAY_MSG. */
    RELAY_MESSAGE_MISSING(6, DecodeError.RELAY_MESSAGE_MISSING),
    /** DHCPv6: 33 levels of RELAY-FORW, one more than a decoder should walk. */
    RELAY_DEPTH_EXCEEDED(6, DecodeError.RELAY_DEPTH_EXCEEDED);

    private final int family;
    private final DecodeError expected;

    Malformation(int family, DecodeError expected) {
        this.family = family;
        this.expected = expected;
    }

    public int family() {
        return family;
    }

    /** The fault our decoder reports for this packet. */
    public DecodeError expected() {
        return expected;
    }

    /** The report's name for packets of this kind: {@code MALFORMED-bad-magic-cookie}. */
    public String reportName() {
        return "MALFORMED-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The kinds of one family, in declaration order (the profile cycles through them). */
    public static Malformation[] of(int family) {
        return java.util.Arrays.stream(values()).filter(m -> m.family == family).toArray(Malformation[]::new);
    }

    /** Builds one packet of this kind for client {@code mac}, relayed as {@code relay4}/{@code relay6} say. */
    public ByteBuf build(ByteBufAllocator alloc, int xid, long mac, long client, byte[] duid,
                         Dhcp4Messages.Relay relay4, Dhcp6Messages.Relay relay6) {
        int discover = Dhcp4MessageType.DISCOVER.code();
        switch (this) {
            case TRUNCATED_HEADER -> {
                ByteBuf full = Dhcp4Messages.client(alloc, discover, xid, mac, client, 0, 0, 0, relay4);
                return full.writerIndex(200);
            }
            case BAD_MAGIC_COOKIE -> {
                ByteBuf b = Dhcp4Messages.client(alloc, discover, xid, mac, client, 0, 0, 0, relay4);
                return b.setInt(236, 0x63825364);
            }
            case OPTION_OVERRUN -> {
                ByteBuf b = alloc.directBuffer(256);
                Dhcp4Messages.header(b, 1, xid, mac, 0, 0, 0, relay4 != null ? relay4.giaddr() : 0, relay4 != null ? 1 : 0);
                b.writeByte(Dhcp4OptionCodes.MESSAGE_TYPE).writeByte(1).writeByte(discover);
                // A hostname claiming 200 bytes with 6 present: the message ends inside the option.
                return b.writeByte(Dhcp4OptionCodes.HOSTNAME).writeByte(200).writeBytes(new byte[] {'s', 'i', 'm', '-', 'o', 'v'});
            }
            case BAD_OPTION_LENGTH -> {
                ByteBuf b = alloc.directBuffer(320);
                Dhcp4Messages.header(b, 1, xid, mac, 0, 0, 0, relay4 != null ? relay4.giaddr() : 0, relay4 != null ? 1 : 0);
                b.writeByte(Dhcp4OptionCodes.MESSAGE_TYPE).writeByte(2).writeByte(discover).writeByte(0);
                b.writeByte(Dhcp4OptionCodes.END);
                return b.writeZero(Dhcp4Messages.MIN_LENGTH - b.readableBytes());
            }
            case SUBOPTION_OVERRUN -> {
                ByteBuf b = alloc.directBuffer(320);
                Dhcp4Messages.header(b, 1, xid, mac, 0, 0, 0, relay4 != null ? relay4.giaddr() : 0, relay4 != null ? 1 : 0);
                b.writeByte(Dhcp4OptionCodes.MESSAGE_TYPE).writeByte(1).writeByte(discover);
                // Option 82 of 6 bytes whose circuit-id claims 20.
                b.writeByte(Dhcp4OptionCodes.RELAY_AGENT_INFO).writeByte(6).writeByte(1).writeByte(20)
                        .writeBytes(new byte[] {'p', 'o', 'r', 't'});
                b.writeByte(Dhcp4OptionCodes.END);
                return b.writeZero(Dhcp4Messages.MIN_LENGTH - b.readableBytes());
            }
            case V6_TRUNCATED_HEADER -> {
                return alloc.directBuffer(3).writeByte(Dhcp6MessageType.SOLICIT.code()).writeShort(xid);
            }
            case V6_OPTION_OVERRUN -> {
                ByteBuf b = alloc.directBuffer(64);
                b.writeInt((Dhcp6MessageType.SOLICIT.code() << 24) | (xid & 0xFFFFFF));
                Dhcp6Messages.option(b, Dhcp6OptionCodes.CLIENTID, duid);
                // An elapsed-time option claiming 40 bytes with 2 present.
                return b.writeShort(Dhcp6OptionCodes.ELAPSED_TIME).writeShort(40).writeShort(0);
            }
            case RELAY_MESSAGE_MISSING -> {
                byte[] link = relay6 != null ? relay6.linkAddress() : new byte[16];
                ByteBuf b = alloc.directBuffer(64);
                b.writeByte(Dhcp6MessageType.RELAY_FORW.code()).writeByte(0).writeBytes(link)
                        .writeBytes(ClientRange.linkLocal(mac));
                return b.writeShort(Dhcp6OptionCodes.INTERFACE_ID).writeShort(4).writeBytes(new byte[] {'s', 'i', 'm', '0'});
            }
            case RELAY_DEPTH_EXCEEDED -> {
                byte[] link = relay6 != null ? relay6.linkAddress() : new byte[16];
                Dhcp6Messages.Relay deep = new Dhcp6Messages.Relay(link, null, 32);
                ByteBuf inner = Dhcp6Messages.client(alloc, Dhcp6MessageType.SOLICIT.code(), xid, duid, 1, null, null,
                        mac, client, deep);
                // One more level around the 32 the builder allows.
                ByteBuf b = alloc.directBuffer(inner.readableBytes() + 40);
                b.writeByte(Dhcp6MessageType.RELAY_FORW.code()).writeByte(32).writeBytes(link).writeBytes(link);
                b.writeShort(Dhcp6OptionCodes.RELAY_MSG).writeShort(inner.readableBytes()).writeBytes(inner);
                inner.release();
                return b;
            }
            default -> throw new IllegalStateException(name());
        }
    }
}
