package io.dhcpshield.core.codec;

import io.dhcpshield.core.dhcp4.Dhcp4Decoder;
import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp4.RelayAgentInfo;
import io.dhcpshield.core.dhcp6.Dhcp6Decoder;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.dhcp6.RelayHop;
import io.dhcpshield.core.identity.ClientIdentity;
import io.dhcpshield.core.identity.RelayIdentity;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * One decoder for every packet source (NFQUEUE, pcap, TZSP): the fast-path {@link PacketClassifier} for the mark,
 * then the full DHCPv4/DHCPv6 decode. Reads the caller's buffer in place and never throws for any bytes.
 */
public final class DhcpDecoder {

    private DhcpDecoder() {
    }

    public static DecodedPacket decode(ByteBuffer packet, Framing framing) {
        return decode(Unpooled.wrappedBuffer(packet), 0, packet.remaining(), framing);
    }

    public static DecodedPacket decode(ByteBuf buf, int index, int length, Framing framing) {
        return decode(buf, index, length, framing, -1);
    }

    /** As {@link #decode(ByteBuf, int, int, Framing)}, with a link-layer source known out of band (-1: none). */
    public static DecodedPacket decode(ByteBuf buf, int index, int length, Framing framing, long l2Source) {
        return decode(buf, PacketClassifier.classify(buf, index, length, framing, l2Source, new Classification()));
    }

    /**
     * The full decode of a packet the fast path already classified into {@code c} (its indexes must point into
     * {@code buf}): the classification is reused, not repeated, so the mark, client and type stay exactly what the
     * verdict carried.
     */
    public static DecodedPacket decode(ByteBuf buf, Classification c) {
        int index = c.frameIndex;
        Faults faults = new Faults(index);
        FrameInfo frame = frameInfo(buf, c);
        if (c.frameError != null) {
            faults.add(c.frameError, c.ipIndex >= 0 ? c.ipIndex : index, c.frameError.description());
        }
        Dhcp4Message v4 = null;
        Dhcp6Packet v6 = null;
        try {
            if (c.family == 4) {
                v4 = Dhcp4Decoder.decode(buf, c.dhcpIndex, c.dhcpLength, faults);
            } else if (c.family == 6) {
                v6 = Dhcp6Decoder.decode(buf, c.dhcpIndex, c.dhcpLength, faults);
            }
        } catch (IndexOutOfBoundsException e) {
            faults.add(DecodeError.DECODER_FAILURE, c.dhcpIndex, String.valueOf(e.getMessage()));
        }
        if (c.dhcpError == DecodeError.DECODER_FAILURE) {
            faults.add(DecodeError.DECODER_FAILURE, c.dhcpIndex, "fast path");
        }
        ClientIdentity identity = c.isDhcp() ? identity(c, v4, v6) : null;
        return new DecodedPacket(frame, v4, v6, c.mark(), c.markSource(), identity, faults.toList());
    }

    private static FrameInfo frameInfo(ByteBuf buf, Classification c) {
        MacAddress l2 = c.l2SourceIndex >= 0 ? MacAddress.read(buf, c.l2SourceIndex)
                : c.l2Source >= 0 ? new MacAddress(c.l2Source) : null;
        IpAddress src = null;
        IpAddress dst = null;
        int ip = c.ipIndex;
        int end = c.frameIndex + c.frameLength;
        if (ip >= 0 && end - ip >= 20 && buf.getUnsignedByte(ip) >>> 4 == 4) {
            src = IpAddress.readV4(buf, ip + 12);
            dst = IpAddress.readV4(buf, ip + 16);
        } else if (ip >= 0 && end - ip >= 40 && buf.getUnsignedByte(ip) >>> 4 == 6) {
            src = IpAddress.readV6(buf, ip + 8);
            dst = IpAddress.readV6(buf, ip + 24);
        }
        return new FrameInfo(l2, c.outerVlan, c.innerVlan, src, dst, c.srcPort, c.dstPort);
    }

    private static ClientIdentity identity(Classification c, Dhcp4Message v4, Dhcp6Packet v6) {
        MacAddress mac = c.mac >= 0 ? new MacAddress(c.mac) : null;
        if (v4 != null) {
            RelayAgentInfo rai = v4.relayAgentInfo();
            boolean relayed = !v4.giaddr().isUnspecified();
            RelayIdentity relay = relayed || rai != null
                    ? new RelayIdentity(relayed ? v4.giaddr() : null, relayed ? "giaddr" : null,
                            rai != null ? rai.circuitId() : null, rai != null && rai.circuitId() != null ? "option82.1" : null,
                            rai != null ? rai.remoteId() : null, rai != null && rai.remoteId() != null ? "option82.2" : null)
                    : null;
            return new ClientIdentity(mac, c.markSource, null, v4.clientId(), relay);
        }
        Duid duid = v6.message() != null ? v6.message().clientId() : null;
        RelayHop hop = v6.innermostHop();
        RelayIdentity relay = null;
        if (hop != null) {
            relay = new RelayIdentity(hop.linkAddress(), "link-address",
                    hop.interfaceId(), hop.interfaceId() != null ? "interface-id" : null,
                    hop.remoteId() != null ? hop.remoteId().data() : null, hop.remoteId() != null ? "remote-id" : null);
        }
        return new ClientIdentity(mac, c.markSource, duid, null, relay);
    }
}
