package io.dhcpshield.core.codec;

import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.mark.PacketMark;

/**
 * The fast-path view of one packet: where its layers start, its DHCP message type, its client and its mark. One
 * instance is owned by each worker and refilled for every packet by {@link PacketClassifier}, so the verdict path
 * allocates nothing. Indexes are absolute positions in the buffer that was classified.
 */
public final class Classification {

    /** DHCP version by UDP port: 4 (67/68), 6 (546/547), or 0 when the packet is not DHCP. */
    int family;
    /** What sits in front of the IP header in the classified bytes. */
    Framing framing;
    /** The first problem met below DHCP (framing, IP, UDP), or null. */
    DecodeError frameError;
    /** The first problem met inside the DHCP message, or null. */
    DecodeError dhcpError;

    int frameIndex;
    int frameLength;
    int l2SourceIndex;
    /** A link-layer source given out of band (NFQA_HWADDR), or -1. */
    long l2Source;
    int vlanCount;
    int outerVlan;
    int innerVlan;
    int ipIndex;
    int srcPort;
    int dstPort;
    int dhcpIndex;
    int dhcpLength;

    int messageType;
    int innerMessageType;
    int relayDepth;
    int typeCode;
    int clientMark;
    MarkSource markSource;
    long mac;

    int clientIdIndex;
    int clientIdLength;
    /** DHCPv4 option 61 came in several instances (RFC 3396): the two fields below hold their concatenation. */
    boolean clientIdSplit;
    /** The first seven bytes of a split client id (type byte, then six), big-endian in the low 56 bits. */
    long clientIdHead;
    /** The {@link io.dhcpshield.core.mark.ClientHash} state over a split client id. */
    int clientIdHash;

    /** Clears every field; the classifier calls this first. */
    void reset(int index, int length) {
        family = 0;
        framing = null;
        frameError = null;
        dhcpError = null;
        frameIndex = index;
        frameLength = length;
        l2SourceIndex = -1;
        l2Source = -1;
        vlanCount = 0;
        outerVlan = -1;
        innerVlan = -1;
        ipIndex = -1;
        srcPort = -1;
        dstPort = -1;
        dhcpIndex = -1;
        dhcpLength = 0;
        messageType = -1;
        innerMessageType = -1;
        relayDepth = 0;
        typeCode = 0;
        clientMark = 0;
        markSource = MarkSource.NONE;
        mac = -1;
        clientIdIndex = -1;
        clientIdLength = 0;
        clientIdSplit = false;
        clientIdHead = 0;
        clientIdHash = 0;
    }

    /**
     * A classification rebuilt from what an event on the verdict path kept of this one ({@code DhcpEvent} keeps
     * these values as fields of its own, relative to its copy of the packet, instead of a copy of this object: ~100
     * bytes less a packet on the verdict path). It carries what {@link DhcpDecoder#decode(io.netty.buffer.ByteBuf, Classification)}
     * reads and nothing else (no VLAN count, no message types, no client id): for that decode only. The mark is
     * given whole and split into its type and client parts.
     */
    public static Classification restored(int family, Framing framing, DecodeError frameError, DecodeError dhcpError,
                                          int frameLength, int l2SourceIndex, long l2Source, int outerVlan,
                                          int innerVlan, int ipIndex, int srcPort, int dstPort, int dhcpIndex,
                                          int dhcpLength, int mark, MarkSource markSource, long mac) {
        Classification c = new Classification();
        c.reset(0, frameLength);
        c.family = family;
        c.framing = framing;
        c.frameError = frameError;
        c.dhcpError = dhcpError;
        c.l2SourceIndex = l2SourceIndex;
        c.l2Source = l2Source;
        c.outerVlan = outerVlan;
        c.innerVlan = innerVlan;
        c.ipIndex = ipIndex;
        c.srcPort = srcPort;
        c.dstPort = dstPort;
        c.dhcpIndex = dhcpIndex;
        c.dhcpLength = dhcpLength;
        c.typeCode = PacketMark.typeCode(mark);
        c.clientMark = PacketMark.clientMark(mark);
        c.markSource = markSource;
        c.mac = mac;
        return c;
    }

    /** The link-layer source given out of band (NFQA_HWADDR), or -1. */
    public long l2Source() {
        return l2Source;
    }

    /** True when the packet is DHCPv4 or DHCPv6 (possibly malformed) and so gets a type mark. */
    public boolean isDhcp() {
        return family != 0;
    }

    public int family() {
        return family;
    }

    /** The framing the bytes were classified with ({@link Framing#IP} for NFQUEUE payloads). */
    public Framing framing() {
        return framing;
    }

    /** The 32-bit mark for the verdict; 0 for non-DHCP packets. */
    public int mark() {
        return family == 0 ? 0 : PacketMark.compose(typeCode, clientMark);
    }

    /** The high byte of the mark. */
    public int typeCode() {
        return typeCode;
    }

    public int clientMark() {
        return clientMark;
    }

    public MarkSource markSource() {
        return markSource;
    }

    /** The client MAC as a 48-bit number, or -1 when no MAC was recovered. */
    public long mac() {
        return mac;
    }

    /**
     * The message type: DHCPv4 option 53 (-1 when absent: BOOTP), or the outermost DHCPv6 type (RELAY-FORW for a
     * relayed message). -1 when unknown.
     */
    public int messageType() {
        return messageType;
    }

    /** DHCPv6: the type of the innermost message under the relay hops; DHCPv4: same as {@link #messageType()}. */
    public int innerMessageType() {
        return innerMessageType;
    }

    /** DHCPv6 relay hops walked to reach the innermost message. */
    public int relayDepth() {
        return relayDepth;
    }

    /** The error that decides how this packet is counted: the framing one if any, else the DHCP one; or null. */
    public DecodeError error() {
        return frameError != null ? frameError : dhcpError;
    }

    public DecodeError frameError() {
        return frameError;
    }

    public DecodeError dhcpError() {
        return dhcpError;
    }

    /** True when the link-layer source is known, from the framing or out of band. */
    public boolean hasL2Source() {
        return l2SourceIndex >= 0 || l2Source >= 0;
    }

    public int l2SourceIndex() {
        return l2SourceIndex;
    }

    public int vlanCount() {
        return vlanCount;
    }

    /** The outermost 802.1Q/802.1ad VLAN id, or -1. */
    public int outerVlan() {
        return outerVlan;
    }

    /** The second VLAN id of a QinQ frame, or -1. */
    public int innerVlan() {
        return innerVlan;
    }

    public int ipIndex() {
        return ipIndex;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    /** Index of the first DHCP byte (the op or msg-type field), or -1 when the packet never reached DHCP. */
    public int dhcpIndex() {
        return dhcpIndex;
    }

    public int dhcpLength() {
        return dhcpLength;
    }

    public int frameIndex() {
        return frameIndex;
    }

    public int frameLength() {
        return frameLength;
    }

    @Override
    public String toString() {
        return "Classification{family=" + family + ", type=" + messageType + ", mark=" + PacketMark.toHex(mark())
                + ", source=" + markSource.label() + ", error=" + error() + '}';
    }
}
