package io.dhcpshield.simulator;

import io.dhcpshield.core.dhcp6.Dhcp6MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6OptionCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * DHCPv6 message builders: what a client sends (SOLICIT, REQUEST, RENEW, RELEASE with its DUID and one IA_NA),
 * optionally wrapped in RELAY-FORW (interface-id in the innermost level, nested any number of levels), and what a
 * server sends (ADVERTISE, REPLY) for the rogue-server profile. Every message is the UDP payload only.
 */
public final class Dhcp6Messages {

    private static final int RELAY_HEADER = 34;
    private static final int[] REQUESTED_OPTIONS = {Dhcp6OptionCodes.DNS_SERVERS, Dhcp6OptionCodes.DOMAIN_LIST};

    /**
     * The relay levels a relay chain adds.
     *
     * @param linkAddress the innermost relay's address on the client's link (16 bytes): the server picks the subnet by it
     * @param interfaceId the innermost relay's interface-id (option 18), or null
     * @param levels      how many RELAY-FORW levels (1 = one relay; more = relays relaying to relays)
     */
    public record Relay(byte[] linkAddress, IdTemplate interfaceId, int levels) {

        public Relay {
            if (linkAddress.length != 16) {
                throw new IllegalArgumentException("link-address must be 16 bytes");
            }
            if (levels < 1 || levels > 32) {
                throw new IllegalArgumentException("relay levels must be 1..32, not " + levels);
            }
        }
    }

    private Dhcp6Messages() {
    }

    /**
     * A client message, relayed when {@code relay} is set.
     *
     * @param type       SOLICIT, REQUEST, RENEW or RELEASE (the code)
     * @param xid        the 24-bit transaction id
     * @param duid       the client's DUID (option 1)
     * @param iaid       the IA_NA's IAID
     * @param serverDuid option 2 (REQUEST, RENEW, RELEASE), or null
     * @param address    the IA_NA's address (REQUEST, RENEW, RELEASE), or null
     * @param mac        the client's MAC: the innermost relay's peer-address is its link-local address
     * @param client     the client's index (the interface-id template)
     */
    public static ByteBuf client(ByteBufAllocator alloc, int type, int xid, byte[] duid, int iaid, byte[] serverDuid,
                                 byte[] address, long mac, long client, Relay relay) {
        int len = 4 + 4 + duid.length + (serverDuid != null ? 4 + serverDuid.length : 0)
                + 4 + 12 + (address != null ? 4 + 24 : 0) + 4 + 2
                + (type != Dhcp6MessageType.RELEASE.code() ? 4 + 2 * REQUESTED_OPTIONS.length : 0);
        byte[] interfaceId = relay != null && relay.interfaceId() != null ? relay.interfaceId().bytes(client) : null;
        ByteBuf b = alloc.directBuffer(len + (relay != null ? relay.levels() * (RELAY_HEADER + 4) + 64 : 0));
        if (relay != null) {
            wrap(b, Dhcp6MessageType.RELAY_FORW.code(), relay.linkAddress(), ClientRange.linkLocal(mac), interfaceId,
                    relay.levels(), len);
        }
        b.writeInt((type << 24) | (xid & 0xFFFFFF));
        option(b, Dhcp6OptionCodes.CLIENTID, duid);
        if (serverDuid != null) {
            option(b, Dhcp6OptionCodes.SERVERID, serverDuid);
        }
        iaNa(b, iaid, address, 0, 0);
        b.writeShort(Dhcp6OptionCodes.ELAPSED_TIME).writeShort(2).writeShort(0);
        if (type != Dhcp6MessageType.RELEASE.code()) {
            b.writeShort(Dhcp6OptionCodes.ORO).writeShort(2 * REQUESTED_OPTIONS.length);
            for (int code : REQUESTED_OPTIONS) {
                b.writeShort(code);
            }
        }
        return b;
    }

    /**
     * A server's ADVERTISE or REPLY assigning {@code address} (the rogue-server profile), wrapped in RELAY-REPL levels
     * when {@code relay} is set. ADVERTISE carries preference 255, which makes a client take it at once.
     */
    public static ByteBuf serverReply(ByteBufAllocator alloc, int type, int xid, byte[] clientDuid, byte[] serverDuid,
                                      int iaid, byte[] address, long mac, long client, Relay relay) {
        boolean advertise = type == Dhcp6MessageType.ADVERTISE.code();
        int len = 4 + 4 + clientDuid.length + 4 + serverDuid.length + 4 + 12 + 4 + 24 + (advertise ? 5 : 0);
        byte[] interfaceId = relay != null && relay.interfaceId() != null ? relay.interfaceId().bytes(client) : null;
        ByteBuf b = alloc.directBuffer(len + (relay != null ? relay.levels() * (RELAY_HEADER + 4) + 64 : 0));
        if (relay != null) {
            wrap(b, Dhcp6MessageType.RELAY_REPL.code(), relay.linkAddress(), ClientRange.linkLocal(mac), interfaceId,
                    relay.levels(), len);
        }
        b.writeInt((type << 24) | (xid & 0xFFFFFF));
        option(b, Dhcp6OptionCodes.CLIENTID, clientDuid);
        option(b, Dhcp6OptionCodes.SERVERID, serverDuid);
        iaNa(b, iaid, address, 3000, 4000);
        if (advertise) {
            b.writeShort(Dhcp6OptionCodes.PREFERENCE).writeShort(1).writeByte(255);
        }
        return b;
    }

    /**
     * Writes {@code levels} relay headers, outermost first, each ending in an OPTION_RELAY_MSG header whose content
     * is the next level (or, innermost, the {@code messageLength} bytes the caller writes next). The innermost level
     * has hop-count 0 and the client's link-local peer-address; outer levels count up and name the relay below.
     */
    static void wrap(ByteBuf b, int relayType, byte[] linkAddress, byte[] peer, byte[] interfaceId, int levels,
                     int messageLength) {
        int[] lengths = new int[levels];
        int inner = messageLength;
        for (int level = 0; level < levels; level++) {
            int own = RELAY_HEADER + (level == 0 && interfaceId != null ? 4 + interfaceId.length : 0) + 4;
            lengths[level] = own + inner;
            inner = lengths[level];
        }
        for (int level = levels - 1; level >= 0; level--) {
            b.writeByte(relayType).writeByte(level);
            b.writeBytes(linkAddress);
            b.writeBytes(level == 0 ? peer : linkAddress);
            if (level == 0 && interfaceId != null) {
                option(b, Dhcp6OptionCodes.INTERFACE_ID, interfaceId);
            }
            b.writeShort(Dhcp6OptionCodes.RELAY_MSG).writeShort(level == 0 ? messageLength : lengths[level - 1]);
        }
    }

    private static void iaNa(ByteBuf b, int iaid, byte[] address, int preferred, int valid) {
        b.writeShort(Dhcp6OptionCodes.IA_NA).writeShort(12 + (address != null ? 4 + 24 : 0));
        b.writeInt(iaid).writeInt(0).writeInt(0);
        if (address != null) {
            b.writeShort(Dhcp6OptionCodes.IAADDR).writeShort(24).writeBytes(address).writeInt(preferred)
                    .writeInt(valid);
        }
    }

    static void option(ByteBuf b, int code, byte[] value) {
        b.writeShort(code).writeShort(value.length).writeBytes(value);
    }
}
