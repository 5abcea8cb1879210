package io.dhcpshield.core.codec;

import io.dhcpshield.core.dhcp6.Dhcp6MessageType;
import io.dhcpshield.core.mark.ClientHash;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.mark.PacketMark;
import io.dhcpshield.core.net.MacAddress;
import io.netty.buffer.ByteBuf;

/**
 * The verdict's fast path: finds the DHCP message behind whatever framing, reads its type and its client, and
 * computes the mark. It reads the buffer with absolute indexes (the reader index does not move), allocates nothing
 * and never throws for any input: problems land in {@link Classification#error()}.
 */
public final class PacketClassifier {

    static final int DHCP4_FIXED_HEADER = 236;
    static final int DHCP4_OPTIONS_START = 240;
    static final int DHCP4_CHADDR = 28;
    static final int DHCP4_SNAME = 44;
    static final int DHCP4_FILE = 108;
    static final int MAGIC_COOKIE = 0x63825363;
    static final int DHCP6_RELAY_HEADER = 34;
    static final int MAX_RELAY_DEPTH = 32;
    private static final int MAX_VLAN_TAGS = 8;
    private static final int MAX_IPV6_EXTENSIONS = 8;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private PacketClassifier() {
    }

    /**
     * Classifies {@code length} bytes at {@code index} of {@code buf} into {@code out}.
     *
     * @return {@code out}, for chaining
     */
    public static Classification classify(ByteBuf buf, int index, int length, Framing framing, Classification out) {
        return classify(buf, index, length, framing, -1, out);
    }

    /**
     * Classifies raw packets whose link-layer source the packet source knows out of band (NFQUEUE's NFQA_HWADDR):
     * {@code l2Source} is a 48-bit MAC, or -1. A source found in the framing itself takes precedence.
     */
    public static Classification classify(ByteBuf buf, int index, int length, Framing framing, long l2Source,
                                          Classification out) {
        out.reset(index, length);
        out.framing = framing;
        out.l2Source = l2Source;
        if (index < 0 || length < 0 || index > buf.capacity() - length) {
            out.frameError = DecodeError.FRAME_TRUNCATED;
            return out;
        }
        try {
            int end = index + length;
            if (locateDhcp(buf, index, end, framing, out)) {
                if (out.family == 4) {
                    classifyV4(buf, out);
                } else {
                    classifyV6(buf, out);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // A bounds bug must cost the packet its inspection, never its verdict.
            out.dhcpError = DecodeError.DECODER_FAILURE;
        }
        return out;
    }

    // ---------------------------------------------------------------- framing

    private static boolean locateDhcp(ByteBuf buf, int p, int end, Framing framing, Classification c) {
        int etherType;
        switch (framing) {
            case IP -> {
                if (p >= end) {
                    c.frameError = DecodeError.IP_TRUNCATED;
                    return false;
                }
                int version = buf.getUnsignedByte(p) >>> 4;
                return locateIp(buf, p, end, version == 4 ? 0x0800 : version == 6 ? 0x86DD : -1, c);
            }
            case ETHERNET -> {
                if (end - p < 14) {
                    c.frameError = DecodeError.FRAME_TRUNCATED;
                    return false;
                }
                c.l2SourceIndex = p + 6;
                etherType = buf.getUnsignedShort(p + 12);
                p += 14;
            }
            case LINUX_SLL -> {
                if (end - p < 16) {
                    c.frameError = DecodeError.FRAME_TRUNCATED;
                    return false;
                }
                if (buf.getUnsignedShort(p + 2) == 1 && buf.getUnsignedShort(p + 4) == 6) {
                    c.l2SourceIndex = p + 6;
                }
                etherType = buf.getUnsignedShort(p + 14);
                p += 16;
            }
            case LINUX_SLL2 -> {
                if (end - p < 20) {
                    c.frameError = DecodeError.FRAME_TRUNCATED;
                    return false;
                }
                if (buf.getUnsignedShort(p + 8) == 1 && buf.getUnsignedByte(p + 11) == 6) {
                    c.l2SourceIndex = p + 12;
                }
                etherType = buf.getUnsignedShort(p);
                p += 20;
            }
            default -> {
                c.frameError = DecodeError.UNSUPPORTED_LINK_TYPE;
                return false;
            }
        }
        int tags = 0;
        while (etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100) {
            if (end - p < 4 || ++tags > MAX_VLAN_TAGS) {
                c.frameError = DecodeError.FRAME_TRUNCATED;
                return false;
            }
            int vid = buf.getUnsignedShort(p) & 0x0FFF;
            if (c.vlanCount == 0) {
                c.outerVlan = vid;
            } else if (c.vlanCount == 1) {
                c.innerVlan = vid;
            }
            c.vlanCount++;
            etherType = buf.getUnsignedShort(p + 2);
            p += 4;
        }
        return locateIp(buf, p, end, etherType, c);
    }

    private static boolean locateIp(ByteBuf buf, int p, int end, int etherType, Classification c) {
        c.ipIndex = p;
        int udp;
        if (etherType == 0x0800) {
            if (end - p < 20) {
                c.frameError = DecodeError.IP_TRUNCATED;
                return false;
            }
            int vihl = buf.getUnsignedByte(p);
            int ihl = (vihl & 0x0F) * 4;
            int totalLength = buf.getUnsignedShort(p + 2);
            if (vihl >>> 4 != 4 || ihl < 20 || totalLength < ihl) {
                c.frameError = DecodeError.BAD_IP_HEADER;
                return false;
            }
            if (end - p < ihl) {
                c.frameError = DecodeError.IP_TRUNCATED;
                return false;
            }
            if ((buf.getUnsignedShort(p + 6) & 0x1FFF) != 0) {
                c.frameError = DecodeError.IP_FRAGMENT;
                return false;
            }
            if (buf.getUnsignedByte(p + 9) != 17) {
                c.frameError = DecodeError.NOT_UDP;
                return false;
            }
            if (totalLength < end - p) {
                end = p + totalLength; // Ethernet padding after the datagram is not payload.
            }
            udp = p + ihl;
        } else if (etherType == 0x86DD) {
            if (end - p < 40) {
                c.frameError = DecodeError.IP_TRUNCATED;
                return false;
            }
            if (buf.getUnsignedByte(p) >>> 4 != 6) {
                c.frameError = DecodeError.BAD_IP_HEADER;
                return false;
            }
            int payloadLength = buf.getUnsignedShort(p + 4);
            if (payloadLength != 0 && payloadLength < end - p - 40) {
                end = p + 40 + payloadLength;
            }
            int next = buf.getUnsignedByte(p + 6);
            udp = p + 40;
            for (int n = 0; next != 17; n++) {
                if (next == 44) { // fragment header: 8 bytes
                    if (end - udp < 8) {
                        c.frameError = DecodeError.IP_TRUNCATED;
                        return false;
                    }
                    if ((buf.getUnsignedShort(udp + 2) & 0xFFF8) != 0) {
                        c.frameError = DecodeError.IP_FRAGMENT;
                        return false;
                    }
                    next = buf.getUnsignedByte(udp);
                    udp += 8;
                } else if (next == 0 || next == 43 || next == 60) {
                    if (end - udp < 8) {
                        c.frameError = DecodeError.IP_TRUNCATED;
                        return false;
                    }
                    int extLength = (buf.getUnsignedByte(udp + 1) + 1) * 8;
                    next = buf.getUnsignedByte(udp);
                    udp += extLength;
                } else {
                    c.frameError = DecodeError.NOT_UDP;
                    return false;
                }
                if (n >= MAX_IPV6_EXTENSIONS || udp > end) {
                    c.frameError = DecodeError.IP_TRUNCATED;
                    return false;
                }
            }
        } else {
            c.frameError = DecodeError.NOT_IP;
            return false;
        }
        if (end - udp < 8) {
            c.frameError = DecodeError.UDP_TRUNCATED;
            return false;
        }
        int src = buf.getUnsignedShort(udp);
        int dst = buf.getUnsignedShort(udp + 2);
        c.srcPort = src;
        c.dstPort = dst;
        // The port decides the protocol, as in tshark: DHCPv6 ports over IPv4 still carry DHCPv6.
        int dhcpVersion;
        // 1067/1547: the collector's re-injected mirror copies (seed 001's drop_mirrored ports) carry DHCP too.
        if (src == 67 || src == 68 || dst == 67 || dst == 68 || dst == 1067) {
            dhcpVersion = 4;
        } else if (src == 546 || src == 547 || dst == 546 || dst == 547 || dst == 1547) {
            dhcpVersion = 6;
        } else {
            c.frameError = DecodeError.NOT_DHCP_PORT;
            return false;
        }
        int udpLength = buf.getUnsignedShort(udp + 4);
        int available = end - udp;
        if (udpLength < 8 || udpLength > available) {
            // Keep decoding what is there: a short capture still tells the type and the client.
            c.frameError = DecodeError.BAD_UDP_LENGTH;
        } else {
            available = udpLength;
        }
        c.family = dhcpVersion;
        c.dhcpIndex = udp + 8;
        c.dhcpLength = available - 8;
        return true;
    }

    // ---------------------------------------------------------------- DHCPv4

    private static void classifyV4(ByteBuf buf, Classification c) {
        int d = c.dhcpIndex;
        int n = c.dhcpLength;
        int htype = -1;
        int hlen = 0;
        int op = 0;
        long giaddr = 0;
        if (n >= DHCP4_SNAME) {
            op = buf.getUnsignedByte(d);
            htype = buf.getUnsignedByte(d + 1);
            hlen = buf.getUnsignedByte(d + 2);
            giaddr = buf.getUnsignedInt(d + 24);
        }
        if (n < DHCP4_OPTIONS_START) {
            c.dhcpError = DecodeError.TRUNCATED_HEADER;
        } else if (buf.getInt(d + DHCP4_FIXED_HEADER) != MAGIC_COOKIE) {
            c.dhcpError = DecodeError.BAD_MAGIC_COOKIE;
        } else {
            int overload = scanV4Options(buf, d + DHCP4_OPTIONS_START, d + n, c, true);
            if (overload > 0 && overload <= 3) {
                if ((overload & 1) != 0) {
                    scanV4Options(buf, d + DHCP4_FILE, d + DHCP4_FILE + 128, c, false);
                }
                if ((overload & 2) != 0) {
                    scanV4Options(buf, d + DHCP4_SNAME, d + DHCP4_SNAME + 64, c, false);
                }
            } else if (overload > 3 && c.dhcpError == null) {
                c.dhcpError = DecodeError.BAD_OVERLOAD;
            }
        }
        c.innerMessageType = c.messageType;
        c.typeCode = PacketMark.v4TypeCode(c.messageType);

        int chaddr = d + DHCP4_CHADDR;
        if (htype == 1 && hlen == 6 && nonZero(buf, chaddr, 6)) {
            setMac(buf, chaddr, MarkSource.CHADDR, c);
        } else if (c.clientIdLength == 7 && !c.clientIdSplit && buf.getUnsignedByte(c.clientIdIndex) == 1) {
            setMac(buf, c.clientIdIndex + 1, MarkSource.OPTION61, c);
        } else if (c.clientIdLength == 7 && c.clientIdSplit && c.clientIdHead >>> 48 == 1) {
            setMac(c.clientIdHead & MAC_MASK, MarkSource.OPTION61, c);
        } else if (op == 1 && giaddr == 0 && c.hasL2Source()) {
            setL2Mac(buf, c);
        } else if (c.clientIdLength > 0) {
            c.clientMark = c.clientIdSplit ? ClientHash.finish(c.clientIdHash)
                    : ClientHash.of(buf, c.clientIdIndex, c.clientIdLength);
            c.markSource = MarkSource.CLIENT_ID_HASH;
        } else if (hlen > 0 && hlen <= 16 && nonZero(buf, chaddr, hlen)) {
            c.clientMark = ClientHash.of(buf, chaddr, hlen);
            c.markSource = MarkSource.CHADDR_HASH;
        }
    }

    /**
     * RFC 3396: a client id in several option 61 instances is their concatenation, as the full decoder and the events
     * read it. Rare, so the first instance is kept by index and only a second one starts hashing the pieces as they
     * come (no allocation either way).
     */
    private static void appendClientId(ByteBuf buf, int index, int length, Classification c) {
        if (!c.clientIdSplit) {
            c.clientIdSplit = true;
            c.clientIdHash = ClientHash.START;
            int first = c.clientIdLength;
            c.clientIdLength = 0;
            appendPiece(buf, c.clientIdIndex, first, c);
        }
        appendPiece(buf, index, length, c);
    }

    private static void appendPiece(ByteBuf buf, int index, int length, Classification c) {
        for (int k = 0; k < length && c.clientIdLength + k < 7; k++) {
            c.clientIdHead = c.clientIdHead << 8 | buf.getUnsignedByte(index + k);
        }
        c.clientIdHash = ClientHash.update(c.clientIdHash, buf, index, length);
        c.clientIdLength += length;
    }

    /**
     * Walks one option area for options 53, 52 and 61 (first instance of 53 and 52; every instance of 61).
     *
     * @return the overload value (the first option 52 of length 1, as the full decoder reads it) when
     *         {@code mainArea}, else 0
     */
    private static int scanV4Options(ByteBuf buf, int i, int end, Classification c, boolean mainArea) {
        int overload = -1;
        while (i < end) {
            int code = buf.getUnsignedByte(i);
            if (code == 0) {
                i++;
                continue;
            }
            if (code == 255) {
                break;
            }
            int len = i + 1 < end ? buf.getUnsignedByte(i + 1) : -1;
            if (len < 0 || i + 2 + len > end) {
                if (c.dhcpError == null) {
                    c.dhcpError = DecodeError.OPTION_OVERRUN;
                }
                break;
            }
            switch (code) {
                case 53 -> {
                    if (len >= 1 && c.messageType < 0) {
                        c.messageType = buf.getUnsignedByte(i + 2);
                    }
                    if (len != 1 && c.dhcpError == null) {
                        c.dhcpError = DecodeError.BAD_OPTION_LENGTH;
                    }
                }
                case 52 -> {
                    if (mainArea && len == 1 && overload < 0) {
                        overload = buf.getUnsignedByte(i + 2);
                    }
                }
                case 61 -> {
                    if (c.clientIdIndex < 0 && len > 0) {
                        c.clientIdIndex = i + 2;
                        c.clientIdLength = len;
                    } else if (len > 0) {
                        appendClientId(buf, i + 2, len, c);
                    }
                }
                default -> {
                }
            }
            i += 2 + len;
        }
        return Math.max(overload, 0);
    }

    // ---------------------------------------------------------------- DHCPv6

    private static void classifyV6(ByteBuf buf, Classification c) {
        int pos = c.dhcpIndex;
        int end = pos + c.dhcpLength;
        if (end - pos < 1) {
            c.dhcpError = DecodeError.TRUNCATED_HEADER;
            c.typeCode = PacketMark.V6_OTHER;
            return;
        }
        c.messageType = buf.getUnsignedByte(pos);
        c.typeCode = PacketMark.v6TypeCode(c.messageType);
        int option79 = -1;
        int depth = 0;
        boolean reachedInner = true;
        while (Dhcp6MessageType.isRelay(buf.getUnsignedByte(pos))) {
            // A 33rd wrapper is too deep whatever it holds (the depth is checked first, as in the full decoder).
            if (depth == MAX_RELAY_DEPTH) {
                c.dhcpError = DecodeError.RELAY_DEPTH_EXCEEDED;
                reachedInner = false;
                break;
            }
            if (end - pos < DHCP6_RELAY_HEADER) {
                c.dhcpError = DecodeError.TRUNCATED_HEADER;
                reachedInner = false;
                break;
            }
            depth++;
            int relayMsg = -1;
            int relayMsgEnd = -1;
            // Only the relay next to the client knows its link-layer address: an outer relay's option 79 names the
            // relay below it. So each hop starts again, and its first option 79 decides (as in RelayHop).
            option79 = -1;
            boolean seen79 = false;
            int i = pos + DHCP6_RELAY_HEADER;
            while (i < end) {
                if (end - i < 4) {
                    c.dhcpError = DecodeError.OPTION_OVERRUN;
                    break;
                }
                int code = buf.getUnsignedShort(i);
                int len = buf.getUnsignedShort(i + 2);
                if (end - i - 4 < len) {
                    c.dhcpError = DecodeError.OPTION_OVERRUN;
                    break;
                }
                if (code == 9 && relayMsg < 0) {
                    relayMsg = i + 4;
                    relayMsgEnd = i + 4 + len;
                } else if (code == 79 && len >= 2 && !seen79) {
                    seen79 = true;
                    option79 = len == 8 && buf.getUnsignedShort(i + 4) == 1 ? i + 6 : -1;
                }
                i += 4 + len;
            }
            if (relayMsg < 0 || relayMsgEnd - relayMsg < 1) {
                if (c.dhcpError == null) {
                    c.dhcpError = DecodeError.RELAY_MESSAGE_MISSING;
                }
                reachedInner = false;
                break;
            }
            pos = relayMsg;
            end = relayMsgEnd;
        }
        c.relayDepth = depth;
        int duid = -1;
        int duidLength = 0;
        if (reachedInner) {
            c.innerMessageType = buf.getUnsignedByte(pos);
            if (end - pos < 4) {
                if (c.dhcpError == null) {
                    c.dhcpError = DecodeError.TRUNCATED_HEADER;
                }
            } else {
                int i = pos + 4;
                while (i < end) {
                    if (end - i < 4) {
                        if (c.dhcpError == null) {
                            c.dhcpError = DecodeError.OPTION_OVERRUN;
                        }
                        break;
                    }
                    int code = buf.getUnsignedShort(i);
                    int len = buf.getUnsignedShort(i + 2);
                    if (end - i - 4 < len) {
                        if (c.dhcpError == null) {
                            c.dhcpError = DecodeError.OPTION_OVERRUN;
                        }
                        break;
                    }
                    if (code == 1 && duid < 0) {
                        duid = i + 4;
                        duidLength = len;
                    }
                    i += 4 + len;
                }
            }
        }
        c.clientIdIndex = duid;
        c.clientIdLength = duidLength;
        if (duid >= 0 && duidLength == 14 && buf.getUnsignedShort(duid) == 1 && buf.getUnsignedShort(duid + 2) == 1) {
            setMac(buf, duid + 8, MarkSource.DUID_LLT, c);
        } else if (duid >= 0 && duidLength == 10 && buf.getUnsignedShort(duid) == 3
                && buf.getUnsignedShort(duid + 2) == 1) {
            setMac(buf, duid + 4, MarkSource.DUID_LL, c);
        } else if (option79 >= 0) {
            setMac(buf, option79, MarkSource.OPTION79, c);
        } else if (depth == 0 && c.hasL2Source() && Dhcp6MessageType.isFromClient(c.messageType)) {
            setL2Mac(buf, c);
        } else if (duidLength > 0) {
            c.clientMark = ClientHash.of(buf, duid, duidLength);
            c.markSource = MarkSource.DUID_HASH;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void setMac(ByteBuf buf, int index, MarkSource source, Classification c) {
        setMac(MacAddress.readLong(buf, index), source, c);
    }

    private static void setMac(long mac, MarkSource source, Classification c) {
        c.mac = mac;
        c.clientMark = (int) (mac & PacketMark.CLIENT_MASK);
        c.markSource = source;
    }

    private static void setL2Mac(ByteBuf buf, Classification c) {
        long mac = c.l2SourceIndex >= 0 ? MacAddress.readLong(buf, c.l2SourceIndex) : c.l2Source;
        c.mac = mac;
        c.clientMark = (int) (mac & PacketMark.CLIENT_MASK);
        c.markSource = MarkSource.L2_SOURCE;
    }

    private static boolean nonZero(ByteBuf buf, int index, int length) {
        for (int i = 0; i < length; i++) {
            if (buf.getByte(index + i) != 0) {
                return true;
            }
        }
        return false;
    }
}
