package io.dhcpshield.simulator;

import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp4.Dhcp4MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6Message;
import io.dhcpshield.core.dhcp6.Dhcp6MessageType;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.dhcp6.IdentityAssociation;
import io.dhcpshield.core.dhcp6.RelayHop;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the builders write, read back by the product's own decoder: clean, with the fields the profile meant. */
class MessageBuildersTest {

    static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    static final long MAC = 0x02_00_5e_10_00_07L;
    static final int GIADDR = 0xC6120002; // 198.18.0.2
    static final Dhcp4Messages.Relay RELAY4 =
            new Dhcp4Messages.Relay(GIADDR, IdTemplate.of("sim-port-%d"), IdTemplate.of("dhcp-shield-sim"));
    static final byte[] LINK = IpAddress.parse("2001:db8:1::2").toBytes();

    static DecodedPacket decode4(ByteBuf payload, int src, int dst) {
        DecodedPacket p = DhcpDecoder.decode(Frames.ipv4(payload, src, dst), 0, 28 + payload.readableBytes(), Framing.IP);
        payload.release();
        return p;
    }

    static DecodedPacket decode6(ByteBuf payload, int src, int dst) {
        DecodedPacket p = DhcpDecoder.decode(Frames.ipv6(payload, src, dst), 0, 48 + payload.readableBytes(), Framing.IP);
        payload.release();
        return p;
    }

    @Test
    void relayedDiscoverCarriesGiaddrOption82AndTheClientsOptions() {
        DecodedPacket p = decode4(Dhcp4Messages.client(ALLOC, 1, 0x1234abcd, MAC, 7, 0, 0, 0, RELAY4), 67, 67);
        assertEquals(java.util.List.of(), p.faults());
        Dhcp4Message m = p.dhcp4();
        assertEquals(Dhcp4MessageType.DISCOVER, m.messageType());
        assertEquals(0x1234abcdL, m.xid());
        assertEquals(1, m.hops());
        assertEquals(IpAddress.parse("198.18.0.2"), m.giaddr());
        assertEquals(new MacAddress(MAC), m.chaddrMac());
        assertArrayEquals(new byte[] {1, 2, 0, 0x5e, 0x10, 0, 7}, m.clientId());
        assertEquals("sim-7", m.hostname());
        assertEquals("dhcp-shield-sim", m.vendorClass());
        assertArrayEquals(new int[] {1, 3, 6, 15, 51, 54, 58, 59}, m.parameterRequestList());
        assertArrayEquals("sim-port-7".getBytes(StandardCharsets.US_ASCII), m.relayAgentInfo().circuitId());
        assertArrayEquals("dhcp-shield-sim".getBytes(StandardCharsets.US_ASCII), m.relayAgentInfo().remoteId());
        assertEquals(new MacAddress(MAC), p.identity().mac());
        assertArrayEquals("sim-port-7".getBytes(StandardCharsets.US_ASCII), p.identity().relay().circuitId());
    }

    @Test
    void selectingRequestNamesTheOfferAndTheServer() {
        int offered = 0xC6120105;
        int server = 0xC6130002;
        Dhcp4Message m = decode4(Dhcp4Messages.client(ALLOC, 3, 5, MAC, 7, 0, offered, server, RELAY4), 67, 67).dhcp4();
        assertEquals(Dhcp4MessageType.REQUEST, m.messageType());
        assertEquals(IpAddress.parse("198.18.1.5"), m.requestedAddress());
        assertEquals(IpAddress.parse("198.19.0.2"), m.serverId());
        assertTrue(m.ciaddr().isUnspecified());
    }

    @Test
    void renewAndReleaseCarryTheLeaseInCiaddr() {
        int leased = 0xC6120105;
        Dhcp4Message renew = decode4(Dhcp4Messages.client(ALLOC, 3, 6, MAC, 7, leased, 0, 0, RELAY4), 67, 67).dhcp4();
        assertEquals(IpAddress.parse("198.18.1.5"), renew.ciaddr());
        assertNull(renew.requestedAddress());
        assertNull(renew.serverId());
        DecodedPacket release = decode4(Dhcp4Messages.client(ALLOC, 7, 8, MAC, 7, leased, 0, 0xC6130002, RELAY4), 67, 67);
        assertEquals(java.util.List.of(), release.faults());
        assertEquals(Dhcp4MessageType.RELEASE, release.dhcp4().messageType());
        assertEquals(IpAddress.parse("198.18.1.5"), release.dhcp4().ciaddr());
        assertNull(release.dhcp4().hostname());
    }

    @Test
    void broadcastClientHasNoRelayFieldsAndAsksForABroadcastAnswer() {
        Dhcp4Message m = decode4(Dhcp4Messages.client(ALLOC, 1, 9, MAC, 0, 0, 0, 0, null), 68, 67).dhcp4();
        assertTrue(m.giaddr().isUnspecified());
        assertEquals(0, m.hops());
        assertEquals(0x8000, m.flags());
        assertNull(m.relayAgentInfo());
    }

    @Test
    void rogueOfferIsAServerReply() {
        DecodedPacket p = decode4(Dhcp4Messages.serverReply(ALLOC, 2, 11, MAC, 0xC612C805, 0xC6120009, 0xFFFF0000,
                0xC6120009, 120), 67, 68);
        assertEquals(java.util.List.of(), p.faults());
        assertEquals(2, p.dhcp4().op());
        assertEquals(Dhcp4MessageType.OFFER, p.dhcp4().messageType());
        assertEquals(IpAddress.parse("198.18.200.5"), p.dhcp4().yiaddr());
        assertEquals(IpAddress.parse("198.18.0.9"), p.dhcp4().serverId());
        assertEquals(120L, p.dhcp4().leaseTime());
    }

    @Test
    void solicitNestedInThreeRelayLevelsUnwrapsToTheClientsMessage() {
        ClientRange range = new ClientRange(MAC, 10, ClientRange.DuidType.LL, 0, 1);
        byte[] duid = range.duid(MAC);
        Dhcp6Messages.Relay relay = new Dhcp6Messages.Relay(LINK, IdTemplate.of("sim-if-%d"), 3);
        DecodedPacket p = decode6(Dhcp6Messages.client(ALLOC, 1, 0xabcdef, duid, 8, null, null, MAC, 7, relay), 547, 547);
        assertEquals(java.util.List.of(), p.faults());
        Dhcp6Packet v6 = p.dhcp6();
        assertEquals(Dhcp6MessageType.RELAY_FORW, v6.outerType());
        assertEquals(3, v6.hops().size());
        RelayHop inner = v6.innermostHop();
        assertEquals(0, inner.hopCount());
        assertEquals(2, v6.hops().get(0).hopCount());
        assertEquals(IpAddress.parse("2001:db8:1::2"), inner.linkAddress());
        assertEquals(IpAddress.parse("fe80::5eff:fe10:7"), inner.peerAddress());
        assertArrayEquals("sim-if-7".getBytes(StandardCharsets.US_ASCII), inner.interfaceId());
        Dhcp6Message m = v6.message();
        assertEquals(Dhcp6MessageType.SOLICIT, m.type());
        assertEquals(0xabcdef, m.transactionId());
        assertEquals("LL", m.clientId().typeName());
        assertEquals(new MacAddress(MAC), m.clientId().mac());
        IdentityAssociation ia = m.identityAssociations().get(0);
        assertEquals(IdentityAssociation.Kind.NA, ia.kind());
        assertEquals(8, ia.iaid());
        assertTrue(ia.addresses().isEmpty());
        assertArrayEquals(new int[] {23, 24}, m.requestedOptions());
        assertEquals(0, m.elapsedTime());
    }

    @Test
    void requestNamesTheServerAndTheAdvertisedAddressWithAnLltDuid() {
        ClientRange range = new ClientRange(MAC, 10, ClientRange.DuidType.LLT, 0x2d000000L, 1);
        byte[] server = new ClientRange(0x020000000002L, 1, ClientRange.DuidType.LL, 0, 1).duid(0x020000000002L);
        byte[] address = IpAddress.parse("2001:db8:1::1:5").toBytes();
        DecodedPacket p = decode6(Dhcp6Messages.client(ALLOC, 3, 77, range.duid(MAC), 8, server, address, MAC, 7,
                null), 546, 547);
        assertEquals(java.util.List.of(), p.faults());
        Dhcp6Message m = p.dhcp6().message();
        assertEquals(Dhcp6MessageType.REQUEST, m.type());
        assertEquals("LLT", m.clientId().typeName());
        assertEquals(0x2d000000L, m.clientId().time());
        assertArrayEquals(server, m.serverId().raw());
        assertEquals(IpAddress.parse("2001:db8:1::1:5"), m.identityAssociations().get(0).addresses().get(0).address());
        assertTrue(p.dhcp6().hops().isEmpty());
    }

    @Test
    void rogueAdvertiseInRelayReplyCarriesPreference255() {
        ClientRange range = new ClientRange(MAC, 10, ClientRange.DuidType.LL, 0, 1);
        Dhcp6Messages.Relay relay = new Dhcp6Messages.Relay(LINK, null, 1);
        DecodedPacket p = decode6(Dhcp6Messages.serverReply(ALLOC, 2, 5, range.duid(MAC), range.duid(0x02005ebadd01L), 1,
                IpAddress.parse("2001:db8:1::ba:d001").toBytes(), MAC, 1, relay), 547, 547);
        assertEquals(java.util.List.of(), p.faults());
        assertEquals(Dhcp6MessageType.RELAY_REPL, p.dhcp6().outerType());
        assertEquals(Dhcp6MessageType.ADVERTISE, p.dhcp6().message().type());
        assertEquals(255, p.dhcp6().message().preference());
        assertNotNull(p.dhcp6().message().serverId());
    }

    @Test
    void everyMalformationIsCountedUnderTheFaultItClaims() {
        Dhcp6Messages.Relay relay6 = new Dhcp6Messages.Relay(LINK, IdTemplate.of("sim-if-%d"), 1);
        byte[] duid = new ClientRange(MAC, 1, ClientRange.DuidType.LL, 0, 1).duid(MAC);
        for (Malformation kind : Malformation.values()) {
            ByteBuf b = kind.build(ALLOC, 42, MAC, 3, duid, RELAY4, relay6);
            DecodedPacket p = kind.family() == 4 ? decode4(b, 67, 67) : decode6(b, 547, 547);
            assertTrue(p.faults().stream().anyMatch(f -> f.error() == kind.expected()),
                    kind + " decoded with " + p.faults());
        }
    }
}
