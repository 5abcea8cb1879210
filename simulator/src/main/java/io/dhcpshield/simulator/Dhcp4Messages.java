package io.dhcpshield.simulator;

import io.dhcpshield.core.dhcp4.Dhcp4MessageType;
import io.dhcpshield.core.dhcp4.Dhcp4OptionCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * DHCPv4 message builders: what a client sends (DISCOVER, REQUEST when selecting and when renewing, RELEASE), as
 * itself on the segment or through a relay (giaddr, hops 1, Option 82 with circuit and remote id), and what a server
 * sends (OFFER, ACK) for the rogue-server profile. Every message is the UDP payload only.
 */
public final class Dhcp4Messages {

    /** The BOOTP minimum: clients pad to 300 bytes and some servers drop anything shorter. */
    static final int MIN_LENGTH = 300;
    static final int MAGIC_COOKIE = 0x63825363;
    static final byte[] PARAMETER_REQUEST_LIST = {1, 3, 6, 15, 51, 54, 58, 59};
    static final byte[] VENDOR_CLASS = "dhcp-shield-sim".getBytes(StandardCharsets.US_ASCII);

    /**
     * The relay fields a relay agent adds.
     *
     * @param giaddr    the relay's address on the client's link (IPv4 as an int)
     * @param circuitId Option 82 sub-option 1, or null
     * @param remoteId  Option 82 sub-option 2, or null
     */
    public record Relay(int giaddr, IdTemplate circuitId, IdTemplate remoteId) {
    }

    private Dhcp4Messages() {
    }

    /**
     * A client message.
     *
     * @param type        DISCOVER, REQUEST or RELEASE (the code)
     * @param mac         the client's MAC (chaddr, and option 61 as type 1 + MAC)
     * @param client      the client's index (hostname sim-N, the relay id templates)
     * @param ciaddr      the client's address when it has one (renewing REQUEST, RELEASE), else 0
     * @param requested   option 50 (a selecting REQUEST), else 0
     * @param serverId    option 54 (a selecting REQUEST, RELEASE), else 0
     * @param relay       the relay fields, or null for a client broadcasting on its own segment
     */
    public static ByteBuf client(ByteBufAllocator alloc, int type, int xid, long mac, long client, int ciaddr,
                                 int requested, int serverId, Relay relay) {
        ByteBuf b = alloc.directBuffer(MIN_LENGTH + 64);
        header(b, 1, xid, mac, relay == null ? 0x8000 : 0, ciaddr, 0, relay == null ? 0 : relay.giaddr(),
                relay == null ? 0 : 1);
        b.writeByte(Dhcp4OptionCodes.MESSAGE_TYPE).writeByte(1).writeByte(type);
        b.writeByte(Dhcp4OptionCodes.CLIENT_ID).writeByte(7).writeByte(1);
        writeMac(b, mac);
        if (requested != 0) {
            b.writeByte(Dhcp4OptionCodes.REQUESTED_ADDRESS).writeByte(4).writeInt(requested);
        }
        if (serverId != 0) {
            b.writeByte(Dhcp4OptionCodes.SERVER_ID).writeByte(4).writeInt(serverId);
        }
        if (type != Dhcp4MessageType.RELEASE.code()) {
            byte[] host = ("sim-" + client).getBytes(StandardCharsets.US_ASCII);
            b.writeByte(Dhcp4OptionCodes.HOSTNAME).writeByte(host.length).writeBytes(host);
            b.writeByte(Dhcp4OptionCodes.VENDOR_CLASS).writeByte(VENDOR_CLASS.length).writeBytes(VENDOR_CLASS);
            b.writeByte(Dhcp4OptionCodes.PARAMETER_REQUEST_LIST).writeByte(PARAMETER_REQUEST_LIST.length)
                    .writeBytes(PARAMETER_REQUEST_LIST);
        }
        if (relay != null && (relay.circuitId() != null || relay.remoteId() != null)) {
            // RFC 3046 2.1: the relay agent appends option 82 after the client's options, just before END.
            byte[] circuit = relay.circuitId() != null ? relay.circuitId().bytes(client) : null;
            byte[] remote = relay.remoteId() != null ? relay.remoteId().bytes(client) : null;
            int len = (circuit != null ? 2 + circuit.length : 0) + (remote != null ? 2 + remote.length : 0);
            b.writeByte(Dhcp4OptionCodes.RELAY_AGENT_INFO).writeByte(len);
            if (circuit != null) {
                b.writeByte(1).writeByte(circuit.length).writeBytes(circuit);
            }
            if (remote != null) {
                b.writeByte(2).writeByte(remote.length).writeBytes(remote);
            }
        }
        return end(b);
    }

    /** A server's OFFER or ACK of {@code yiaddr} to {@code mac}, broadcast flag set (the rogue-server profile). */
    public static ByteBuf serverReply(ByteBufAllocator alloc, int type, int xid, long mac, int yiaddr, int serverId,
                                      int subnetMask, int router, int leaseSeconds) {
        ByteBuf b = alloc.directBuffer(MIN_LENGTH + 32);
        header(b, 2, xid, mac, 0x8000, 0, yiaddr, 0, 0);
        b.writeByte(Dhcp4OptionCodes.MESSAGE_TYPE).writeByte(1).writeByte(type);
        b.writeByte(Dhcp4OptionCodes.SERVER_ID).writeByte(4).writeInt(serverId);
        b.writeByte(Dhcp4OptionCodes.LEASE_TIME).writeByte(4).writeInt(leaseSeconds);
        b.writeByte(Dhcp4OptionCodes.SUBNET_MASK).writeByte(4).writeInt(subnetMask);
        b.writeByte(Dhcp4OptionCodes.ROUTER).writeByte(4).writeInt(router);
        return end(b);
    }

    /** The fixed header and the magic cookie: op, htype 1, hlen 6, the addresses, chaddr; sname and file empty. */
    static void header(ByteBuf b, int op, int xid, long mac, int flags, int ciaddr, int yiaddr, int giaddr, int hops) {
        b.writeByte(op).writeByte(1).writeByte(6).writeByte(hops);
        b.writeInt(xid);
        b.writeShort(0).writeShort(flags);
        b.writeInt(ciaddr).writeInt(yiaddr).writeInt(0).writeInt(giaddr);
        writeMac(b, mac);
        b.writeZero(10 + 64 + 128);
        b.writeInt(MAGIC_COOKIE);
    }

    private static ByteBuf end(ByteBuf b) {
        b.writeByte(Dhcp4OptionCodes.END);
        if (b.readableBytes() < MIN_LENGTH) {
            b.writeZero(MIN_LENGTH - b.readableBytes());
        }
        return b;
    }

    static void writeMac(ByteBuf b, long mac) {
        b.writeShort((int) (mac >>> 32)).writeInt((int) mac);
    }
}
