package io.dhcpshield.core.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp6.Dhcp6MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.dhcp6.RelayHop;
import io.dhcpshield.core.mark.ClientHash;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.mark.PacketMark;
import io.dhcpshield.core.net.MacAddress;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Differential fuzzing of the verdict path (docs/fuzzing.md): {@link PacketClassifier#classify} reads the type and
 * the client from the raw bytes, allocation-free; the full decoder builds the DHCPv4 message or the DHCPv6 relay
 * chain. This target derives the mark from the full decode independently, by the rules of docs/codec.md ("The mark"),
 * and checks that the fast path agrees on the message type, the client (MAC and mark source), the mark and the error.
 * Both read the same framing code, so the DHCP payload's bounds are taken from the classification.
 */
class PacketClassifierFuzzTest {

    /** The faults that only the structure of the message decides; the fast path must notice each of them. */
    private static final Set<DecodeError> STRUCTURAL = EnumSet.of(DecodeError.TRUNCATED_HEADER,
            DecodeError.BAD_MAGIC_COOKIE, DecodeError.OPTION_OVERRUN, DecodeError.RELAY_DEPTH_EXCEEDED,
            DecodeError.RELAY_MESSAGE_MISSING);

    @FuzzTest
    void fastPathAgreesWithTheFullDecode(byte[] input) {
        FuzzPacket p = FuzzPacket.of(input);
        WindowedByteBuf buf = p.place();
        try {
            Classification c = PacketClassifier.classify(buf, buf.windowIndex(), buf.windowLength(), p.framing(),
                    p.l2Source(), new Classification());
            DecodedPacket d = DhcpDecoder.decode(buf, buf.windowIndex(), buf.windowLength(), p.framing(), p.l2Source());
            Expected e = Expected.of(d, c.dhcpLength(), p.l2Source());
            assertEquals(e.family, c.family(), "family");
            assertEquals(e.messageType, c.messageType(), "message type");
            assertEquals(e.source, c.markSource(), "mark source");
            assertEquals(e.mac, c.mac(), () -> "client MAC, " + e.source.label());
            assertEquals(PacketMark.toHex(e.mark()), PacketMark.toHex(c.mark()), "mark");
            assertEquals(c.mark(), d.mark());

            Set<DecodeError> faults = d.faults().stream().map(DecodeFault::error).collect(Collectors.toSet());
            if (c.error() != null) {
                assertTrue(faults.contains(c.error()), () -> "fast path says " + c.error() + ", full decode " + d.faults());
            }
            boolean structural = faults.stream().anyMatch(STRUCTURAL::contains);
            assertFalse(structural && c.error() == null, () -> "fast path missed " + d.faults());
        } finally {
            buf.release();
        }
    }

    /** The mark by docs/codec.md, from the decoded model. */
    record Expected(int family, int messageType, int typeCode, MarkSource source, long mac, int clientMark) {

        int mark() {
            return family == 0 ? 0 : PacketMark.compose(typeCode, clientMark);
        }

        static Expected of(DecodedPacket d, int dhcpLength, long outOfBandSource) {
            MacAddress frameSource = d.frame().l2Source();
            long l2 = frameSource != null ? frameSource.value() : outOfBandSource;
            if (d.dhcp4() != null) {
                return v4(d.dhcp4(), dhcpLength, l2);
            }
            if (d.dhcp6() != null) {
                return v6(d.dhcp6(), dhcpLength, l2);
            }
            return new Expected(0, -1, 0, MarkSource.NONE, -1, 0);
        }

        private static Expected v4(Dhcp4Message m, int n, long l2) {
            byte[] type = m.option(53);
            int messageType = type == null || type.length == 0 ? -1 : type[0] & 0xFF;
            int typeCode = PacketMark.v4TypeCode(messageType);
            // The fast path reads the fixed header's identity only when the header holds all of chaddr (44 bytes).
            boolean header = n >= 44;
            byte[] chaddr = m.chaddr();
            byte[] clientId = m.clientId(); // RFC 3396: every instance, concatenated
            if (header && m.htype() == 1 && m.hlen() == 6 && nonZero(chaddr, 6)) {
                return mac(4, messageType, typeCode, MarkSource.CHADDR, Arrays.copyOf(chaddr, 6));
            }
            if (clientId != null && clientId.length == 7 && clientId[0] == 1) {
                return mac(4, messageType, typeCode, MarkSource.OPTION61, Arrays.copyOfRange(clientId, 1, 7));
            }
            if (header && m.op() == 1 && m.giaddr().isUnspecified() && l2 >= 0) {
                return new Expected(4, messageType, typeCode, MarkSource.L2_SOURCE, l2, (int) (l2 & PacketMark.CLIENT_MASK));
            }
            if (clientId != null && clientId.length > 0) {
                return new Expected(4, messageType, typeCode, MarkSource.CLIENT_ID_HASH, -1, ClientHash.of(clientId));
            }
            int hlen = m.hlen();
            if (header && hlen > 0 && hlen <= 16 && nonZero(chaddr, hlen)) {
                return new Expected(4, messageType, typeCode, MarkSource.CHADDR_HASH, -1,
                        ClientHash.of(Arrays.copyOf(chaddr, hlen)));
            }
            return new Expected(4, messageType, typeCode, MarkSource.NONE, -1, 0);
        }

        private static Expected v6(Dhcp6Packet p, int n, long l2) {
            int messageType = n >= 1 ? p.outerType().code() : -1;
            int typeCode = PacketMark.v6TypeCode(messageType);
            Duid duid = p.message() != null ? p.message().clientId() : null;
            if (duid != null && duid.mac() != null && duid.type() == Duid.LLT) {
                return mac(6, messageType, typeCode, MarkSource.DUID_LLT, duid.mac().toBytes());
            }
            if (duid != null && duid.mac() != null && duid.type() == Duid.LL) {
                return mac(6, messageType, typeCode, MarkSource.DUID_LL, duid.mac().toBytes());
            }
            RelayHop nextToClient = p.innermostHop();
            if (nextToClient != null && nextToClient.clientLinkLayerType() == 1
                    && nextToClient.clientLinkLayerAddress().length == 6) {
                return mac(6, messageType, typeCode, MarkSource.OPTION79, nextToClient.clientLinkLayerAddress());
            }
            if (p.hops().isEmpty() && l2 >= 0 && Dhcp6MessageType.isFromClient(messageType)) {
                return new Expected(6, messageType, typeCode, MarkSource.L2_SOURCE, l2, (int) (l2 & PacketMark.CLIENT_MASK));
            }
            if (duid != null && duid.raw().length > 0) {
                return new Expected(6, messageType, typeCode, MarkSource.DUID_HASH, -1, ClientHash.of(duid.raw()));
            }
            return new Expected(6, messageType, typeCode, MarkSource.NONE, -1, 0);
        }

        private static Expected mac(int family, int messageType, int typeCode, MarkSource source, byte[] mac) {
            long value = MacAddress.of(mac).value();
            return new Expected(family, messageType, typeCode, source, value, (int) (value & PacketMark.CLIENT_MASK));
        }

        private static boolean nonZero(byte[] b, int length) {
            if (b.length < length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (b[i] != 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
