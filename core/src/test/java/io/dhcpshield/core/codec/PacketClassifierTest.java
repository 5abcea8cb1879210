package io.dhcpshield.core.codec;

import io.dhcpshield.core.mark.ClientHash;
import io.dhcpshield.core.mark.MarkSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.dhcpshield.core.codec.TestPackets.*;
import static org.junit.jupiter.api.Assertions.*;

class PacketClassifierTest {

    private static final byte[] LINK = hex("20010db8000000000000000000000001");
    private static final byte[] PEER = hex("fe800000000000000000000000000002");

    @Test
    void discoverMarkIsTypeOneAndLastThreeChaddrBytes() {
        Classification c = classify(new Dhcp4().type(1).ip(), Framing.IP);
        assertTrue(c.isDhcp());
        assertEquals(4, c.family());
        assertEquals(1, c.messageType());
        assertEquals(0x01102030, c.mark());
        assertEquals(MarkSource.CHADDR, c.markSource());
        assertEquals(0x02005e102030L, c.mac());
        assertNull(c.error());
    }

    @Test
    void requestFromRelayKeepsChaddrAsClient() {
        Classification c = classify(new Dhcp4().type(3).giaddr(10, 0, 0, 1).ip(), Framing.IP);
        assertEquals(0x03102030, c.mark());
    }

    @Test
    void option61TypeOneSuppliesTheMacWhenChaddrIsNotEthernet() {
        byte[] frame = new Dhcp4().htype(0).hlen(0).chaddr(new byte[0]).type(1)
                .option(61, hex("01:aa:bb:cc:dd:ee:ff")).ip();
        Classification c = classify(frame, Framing.IP);
        assertEquals(MarkSource.OPTION61, c.markSource());
        assertEquals(0x01ddeeff, c.mark());
    }

    @Test
    void unrelayedClientWithoutUsableChaddrIsIdentifiedByItsEthernetSource() {
        byte[] frame = TestPackets.ethernet(hex("0a:0b:0c:0d:0e:0f"), 0x0800,
                new Dhcp4().htype(0).hlen(0).chaddr(new byte[0]).type(1).ip());
        Classification c = classify(frame, Framing.ETHERNET);
        assertEquals(MarkSource.L2_SOURCE, c.markSource());
        assertEquals(0x010d0e0f, c.mark());
    }

    @Test
    void outOfBandLinkLayerSourceIdentifiesAnUnrelayedClientOnRawIp() {
        byte[] frame = new Dhcp4().htype(0).hlen(0).chaddr(new byte[0]).type(1).ip();
        Classification c = PacketClassifier.classify(buf(frame), 0, frame.length, Framing.IP, 0x0a0b0c0d0e0fL,
                new Classification());
        assertEquals(MarkSource.L2_SOURCE, c.markSource());
        assertEquals(0x010d0e0f, c.mark());
        assertEquals(MarkSource.NONE, classify(frame, Framing.IP).markSource());
    }

    @Test
    void aClientIdSplitOverSeveralOptionsIsTheirConcatenation() {
        // Found by PacketClassifierFuzzTest: the fast path read only the first option 61 instance, the full decoder
        // and the event the concatenation (RFC 3396), so the mark came from an identifier no event ever showed.
        Dhcp4 noChaddr = new Dhcp4().op(2).htype(0).hlen(0).chaddr(new byte[0]).type(1);
        Classification mac = classify(noChaddr.option(61, hex("01 aa bb")).option(61, hex("cc dd ee ff")).ip(),
                Framing.IP);
        assertEquals(MarkSource.OPTION61, mac.markSource());
        assertEquals(0xaabbccddeeffL, mac.mac());

        byte[] hashed = new Dhcp4().op(2).htype(0).hlen(0).chaddr(new byte[0]).type(1)
                .option(61, hex("03")).option(61, hex("01 3c 22 fb 4a 91 0e")).ip();
        Classification c = classify(hashed, Framing.IP);
        assertEquals(MarkSource.CLIENT_ID_HASH, c.markSource());
        assertEquals(ClientHash.of(hex("03 01 3c 22 fb 4a 91 0e")), c.clientMark());
        assertEquals(c.mark(), decode(hashed, Framing.IP).mark());
    }

    @Test
    void clientWithoutMacGetsHashOfClientIdentifierLabelledAsHash() {
        byte[] clientId = hex("ff:00:00:00:01:00:04:de:ad:be:ef");
        byte[] frame = new Dhcp4().htype(0).hlen(0).chaddr(new byte[0]).type(1).option(61, clientId).ip();
        Classification c = classify(frame, Framing.IP);
        assertEquals(MarkSource.CLIENT_ID_HASH, c.markSource());
        assertEquals(ClientHash.of(clientId), c.clientMark());
        assertEquals(-1, c.mac());
    }

    @Test
    void bootpWithoutOption53GetsTheOtherV4TypeCode() {
        Classification c = classify(new Dhcp4().ip(), Framing.IP);
        assertEquals(-1, c.messageType());
        assertEquals(0x0F, c.typeCode());
    }

    @Test
    void leasequeryTypesAreCodedAboveTheSeedRange() {
        assertEquals(0x2A, classify(new Dhcp4().type(10).ip(), Framing.IP).typeCode());
        assertEquals(0x32, classify(new Dhcp4().type(18).ip(), Framing.IP).typeCode());
    }

    @Test
    void messageTypeInsideOverloadedFileFieldIsFound() {
        byte[] file = hex("35 01 03 ff");
        Classification c = classify(new Dhcp4().option(52, new byte[] {1}).file(file).ip(), Framing.IP);
        assertEquals(3, c.messageType());
        assertEquals(0x03, c.typeCode());
    }

    @Test
    void onlyTheFirstOverloadOptionDecidesWhichFieldsCarryOptions() {
        // Found by PacketClassifierFuzzTest: the fast path took the last option 52 and read the file field that the
        // full decoder (first option 52 of length 1) leaves alone, so the verdict said REQUEST and the event BOOTP.
        byte[] frame = new Dhcp4().option(52, new byte[] {2}).option(52, new byte[] {1}).file(hex("35 01 03 ff")).ip();
        Classification c = classify(frame, Framing.IP);
        assertEquals(-1, c.messageType());
        assertEquals(0x0f, c.typeCode());
        assertEquals("BOOTP", decode(frame, Framing.IP).messageTypeName());
    }

    @Test
    void qinqTaggedFrameIsDecodedWithBothVlanIds() {
        byte[] frame = TestPackets.ethernet(CLIENT_MAC, 0x0800, new Dhcp4().type(1).ip(), 100, 200);
        Classification c = classify(frame, Framing.ETHERNET);
        assertEquals(2, c.vlanCount());
        assertEquals(100, c.outerVlan());
        assertEquals(200, c.innerVlan());
        assertEquals(0x01102030, c.mark());
    }

    @Test
    void linuxCookedCapturesYieldTheSameMark() {
        byte[] ip = new Dhcp4().type(8).ip();
        byte[] sll = concat(hex("0000 0001 0006"), hex("0a0b0c0d0e0f0000"), hex("0800"), ip);
        byte[] sll2 = concat(hex("0800 0000 00000002 0001 00 06"), hex("0a0b0c0d0e0f0000"), ip);
        assertEquals(0x08102030, classify(sll, Framing.LINUX_SLL).mark());
        assertEquals(0x08102030, classify(sll2, Framing.LINUX_SLL2).mark());
        assertTrue(classify(sll, Framing.LINUX_SLL).l2SourceIndex() >= 0);
    }

    @Test
    void solicitWithDuidLlIsMarkedFromTheDuid() {
        byte[] solicit = new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload();
        Classification c = classify(ipv6Udp(solicit, 546, 547), Framing.IP);
        assertEquals(6, c.family());
        assertEquals(0x11334455, c.mark());
        assertEquals(MarkSource.DUID_LL, c.markSource());
    }

    @Test
    void solicitWithDuidLltIsMarkedFromTheDuid() {
        byte[] solicit = new Dhcp6(1).option(1, hex("0001 0001 2a2b2c2d 001122334455")).payload();
        Classification c = classify(ipv6Udp(solicit, 546, 547), Framing.IP);
        assertEquals(0x11334455, c.mark());
        assertEquals(MarkSource.DUID_LLT, c.markSource());
    }

    @Test
    void relayedSolicitCarriesTheOuterTypeAndTheInnermostClient() {
        byte[] solicit = new Dhcp6(1).option(1, hex("0002 00000009 0102030405")).payload();
        byte[] hop1 = relayForw(0, LINK, PEER, solicit, opt6(79, hex("0001 a0b0c0d0e0f0")));
        byte[] hop2 = relayForw(1, LINK, PEER, hop1, opt6(18, hex("657468302f31")));
        Classification c = classify(ipv6Udp(hop2, 547, 547), Framing.IP);
        assertEquals(12, c.messageType());
        assertEquals(1, c.innerMessageType());
        assertEquals(2, c.relayDepth());
        assertEquals(0x1Cd0e0f0, c.mark());
        assertEquals(MarkSource.OPTION79, c.markSource());
    }

    @Test
    void anOuterRelaysOption79NamesTheRelayBelowItNotTheClient() {
        // Found by PacketClassifierFuzzTest: without option 79 from the relay next to the client, the fast path took
        // the outer relay's, which is the inner relay's own MAC: every client behind it shared one mark.
        byte[] solicit = new Dhcp6(1).option(1, hex("0002 00000009 0102030405")).payload();
        byte[] hop1 = relayForw(0, LINK, PEER, solicit);
        byte[] hop2 = relayForw(1, LINK, PEER, hop1, opt6(79, hex("0001 a0b0c0d0e0f0")));
        Classification c = classify(ipv6Udp(hop2, 547, 547), Framing.IP);
        assertEquals(MarkSource.DUID_HASH, c.markSource());
        assertEquals(ClientHash.of(hex("0002 00000009 0102030405")), c.clientMark());
    }

    @Test
    void theFirstOption79OfTheRelayDecides() {
        byte[] solicit = new Dhcp6(1).option(1, hex("0002 00000009 0102030405")).payload();
        byte[] hop = relayForw(0, LINK, PEER, solicit, opt6(79, hex("0001 a0b0c0d0e0f0")),
                opt6(79, hex("0001 111111111111")));
        Classification c = classify(ipv6Udp(hop, 547, 547), Framing.IP);
        assertEquals(MarkSource.OPTION79, c.markSource());
        assertEquals(0xa0b0c0d0e0f0L, c.mac());
    }

    @Test
    void duidEnWithoutAnyMacIsHashedAndLabelled() {
        byte[] duid = hex("0002 00000009 0102030405");
        byte[] solicit = new Dhcp6(1).option(1, duid).payload();
        Classification c = classify(ipv6Udp(solicit, 546, 547), Framing.IP);
        assertEquals(MarkSource.DUID_HASH, c.markSource());
        assertEquals(ClientHash.of(duid), c.clientMark());
        assertEquals(0x11, c.typeCode());
    }

    @Test
    void unrelayedV6ClientFallsBackToEthernetSourceButAServerReplyDoesNot() {
        byte[] duid = hex("0004 00112233445566778899aabbccddeeff");
        byte[] solicit = ethernet(CLIENT_MAC, 0x86DD, ipv6Udp(new Dhcp6(1).option(1, duid).payload(), 546, 547));
        assertEquals(MarkSource.L2_SOURCE, classify(solicit, Framing.ETHERNET).markSource());
        byte[] reply = ethernet(ROUTER_MAC, 0x86DD, ipv6Udp(new Dhcp6(7).option(1, duid).payload(), 547, 546));
        assertEquals(MarkSource.DUID_HASH, classify(reply, Framing.ETHERNET).markSource());
    }

    @Test
    void relayNestingDeeperThan32IsATypedErrorNotAStackOverflow() {
        byte[] msg = new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload();
        for (int i = 0; i < 40; i++) {
            msg = relayForw(i, LINK, PEER, msg);
        }
        Classification c = classify(ipv6Udp(msg, 547, 547), Framing.IP);
        assertEquals(DecodeError.RELAY_DEPTH_EXCEEDED, c.error());
        assertEquals(0x1C, c.typeCode());
        assertEquals(32, c.relayDepth());
    }

    @Test
    void aThirtyThirdRelayIsTooDeepEvenWhenItsHeaderIsCutShort() {
        // Found by PacketClassifierFuzzTest: the fast path called it truncated-header, the full decoder
        // relay-depth-exceeded, so the counter and the event named different errors.
        byte[] msg = hex("0c 00 20010db8");
        for (int i = 0; i < 32; i++) {
            msg = relayForw(i, LINK, PEER, msg);
        }
        byte[] frame = ipv6Udp(msg, 547, 547);
        assertEquals(DecodeError.RELAY_DEPTH_EXCEEDED, classify(frame, Framing.IP).error());
        assertEquals(DecodeError.RELAY_DEPTH_EXCEEDED, decode(frame, Framing.IP).faults().get(0).error());
    }

    @Test
    void nonDhcpTrafficIsCountedByReasonWithMarkZero() {
        assertEquals(DecodeError.NOT_DHCP_PORT, classify(ipv4Udp(new byte[10], 53, 53), Framing.IP).error());
        byte[] tcp = ipv4Udp(new byte[10], 68, 67);
        tcp[9] = 6;
        assertEquals(DecodeError.NOT_UDP, classify(tcp, Framing.IP).error());
        assertEquals(DecodeError.NOT_IP, classify(ethernet(CLIENT_MAC, 0x0806, new byte[28]), Framing.ETHERNET).error());
        byte[] fragment = new Dhcp4().type(1).ip();
        fragment[7] = 10; // fragment offset 80 bytes
        assertEquals(DecodeError.IP_FRAGMENT, classify(fragment, Framing.IP).error());
        for (byte[] p : new byte[][] {tcp, fragment}) {
            Classification c = classify(p, Framing.IP);
            assertFalse(c.isDhcp());
            assertEquals(0, c.mark());
            assertEquals(DecodeError.Category.NOT_DHCP, c.error().category());
        }
    }

    @Test
    void ipv6ExtensionHeadersAreSkippedToReachUdp() {
        byte[] solicit = new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload();
        byte[] plain = ipv6Udp(solicit, 546, 547);
        // Insert an 8-byte hop-by-hop header (next header UDP) after the fixed header.
        byte[] withHbh = concat(java.util.Arrays.copyOf(plain, 40), hex("1100 000000000000"),
                java.util.Arrays.copyOfRange(plain, 40, plain.length));
        withHbh[6] = 0;
        withHbh[5] = (byte) (withHbh[5] + 8);
        assertEquals(0x11334455, classify(withHbh, Framing.IP).mark());
    }

    @Test
    void truncatedDhcpStillYieldsAMarkWhenTheClientIsKnown() {
        byte[] full = new Dhcp4().type(1).ip();
        byte[] cut = java.util.Arrays.copyOf(full, 28 + 100);
        Classification c = classify(cut, Framing.IP);
        assertTrue(c.isDhcp());
        assertEquals(DecodeError.BAD_UDP_LENGTH, c.frameError());
        assertEquals(DecodeError.TRUNCATED_HEADER, c.dhcpError());
        assertEquals(0x0F102030, c.mark());
    }

    @Test
    void optionRunningPastTheEndIsAnOverrunAndEarlierOptionsStillCount() {
        byte[] frame = new Dhcp4().type(3).raw((byte) 12, (byte) 200, (byte) 'x').noEnd().ip();
        Classification c = classify(frame, Framing.IP);
        assertEquals(DecodeError.OPTION_OVERRUN, c.dhcpError());
        assertEquals(0x03102030, c.mark());
    }

    @Test
    void badCookieKeepsTheChaddrMark() {
        Classification c = classify(new Dhcp4().cookie(0).type(1).ip(), Framing.IP);
        assertEquals(DecodeError.BAD_MAGIC_COOKIE, c.error());
        assertEquals(0x0F102030, c.mark());
    }

    @Test
    void indexesOutsideTheBufferAreReportedNotThrown() {
        byte[] frame = new Dhcp4().type(1).ip();
        Classification c = PacketClassifier.classify(buf(frame), 10, frame.length, Framing.IP, new Classification());
        assertEquals(DecodeError.FRAME_TRUNCATED, c.error());
    }

    @Test
    void classifyingAtAnOffsetInsideALargerBufferReadsOnlyThatPacket() {
        byte[] frame = new Dhcp4().type(1).ip();
        byte[] padded = concat(new byte[37], frame, new byte[50]);
        Classification c = PacketClassifier.classify(buf(padded), 37, frame.length, Framing.IP, new Classification());
        assertEquals(0x01102030, c.mark());
    }

    @Test
    void fastPathAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] v4 = new Dhcp4().type(1).option(61, hex("01:aa:bb:cc:dd:ee:ff")).option(12, "host")
                .option(55, hex("01 03 06 0f 1c 2a")).ip();
        byte[] solicit = new Dhcp6(1).option(1, hex("0003 0001 001122334455")).payload();
        byte[] v6 = ipv6Udp(relayForw(0, LINK, PEER, solicit, opt6(79, hex("0001 a0b0c0d0e0f0"))), 547, 547);
        ByteBuf b4 = PooledByteBufAllocator.DEFAULT.directBuffer(v4.length).writeBytes(v4);
        ByteBuf b6 = PooledByteBufAllocator.DEFAULT.directBuffer(v6.length).writeBytes(v6);
        Classification c = new Classification();
        try {
            for (int i = 0; i < 20_000; i++) { // warm up so the JIT has removed what escape analysis can
                PacketClassifier.classify(b4, 0, v4.length, Framing.IP, c);
                PacketClassifier.classify(b6, 0, v6.length, Framing.IP, c);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            long sum = 0;
            for (int i = 0; i < 100_000; i++) {
                sum += PacketClassifier.classify(b4, 0, v4.length, Framing.IP, c).mark();
                sum += PacketClassifier.classify(b6, 0, v6.length, Framing.IP, c).mark();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertNotEquals(0, sum);
            // 200,000 packets: even one 16-byte object per packet would be 3.2 MB.
            assertTrue(allocated < 64 * 1024, "fast path allocated " + allocated + " bytes for 200,000 packets");
        } finally {
            b4.release();
            b6.release();
        }
    }
}
