package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.DecodeFault;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.TestPackets.Dhcp6;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.dhcpshield.core.codec.TestPackets.*;
import static org.junit.jupiter.api.Assertions.*;

class Dhcp6DecoderTest {

    private static final byte[] LINK1 = hex("20010db8000100000000000000000001");
    private static final byte[] LINK2 = hex("20010db8000200000000000000000001");
    private static final byte[] PEER = hex("fe800000000000000000000000000abc");
    private static final byte[] DUID_LLT = hex("0001 0001 2b3c4d5e 001122334455");

    private static DecodedPacket decode6(byte[] payload) {
        return decode(ipv6Udp(payload, 547, 547), Framing.IP);
    }

    private static List<DecodeError> errors(DecodedPacket p) {
        return p.faults().stream().map(DecodeFault::error).toList();
    }

    @Test
    void messageTypesOneToThirteenAreNamedAndOthersAreUnknownButValid() {
        assertEquals("SOLICIT", Dhcp6MessageType.valueOf(1).name());
        assertEquals("INFORMATION-REQUEST", Dhcp6MessageType.valueOf(11).name());
        assertEquals("RELAY-REPL", Dhcp6MessageType.valueOf(13).name());
        assertFalse(Dhcp6MessageType.valueOf(200).isKnown());
        DecodedPacket p = decode6(new Dhcp6(200).option(1, DUID_LLT).payload());
        assertEquals(200, p.dhcp6().outerType().code());
        assertEquals(0x1F, p.typeCode());
        assertTrue(p.faults().isEmpty());
    }

    @Test
    void twoRelayHopsAreWalkedToTheSolicitKeepingEveryHop() {
        byte[] solicit = new Dhcp6(1).option(1, DUID_LLT).option(8, hex("0000")).payload();
        byte[] inner = relayForw(0, LINK1, PEER, solicit,
                opt6(18, "Gi0/0/1".getBytes()), opt6(79, hex("0001 0a0b0c0d0e0f")));
        byte[] outer = relayForw(1, LINK2, LINK1, inner,
                opt6(37, hex("00000de9 6d6f64656d2d3432")), opt6(38, "sub-42".getBytes()));
        DecodedPacket p = decode6(outer);
        Dhcp6Packet d = p.dhcp6();
        assertEquals(Dhcp6MessageType.RELAY_FORW, d.outerType());
        assertEquals(2, d.hops().size());
        RelayHop first = d.hops().get(0);
        assertEquals(1, first.hopCount());
        assertEquals(IpAddress.of(LINK2), first.linkAddress());
        assertEquals(3561, first.remoteId().enterpriseNumber());
        assertEquals("modem-42", new String(first.remoteId().data()));
        assertEquals("sub-42", new String(first.subscriberId()));
        RelayHop second = d.innermostHop();
        assertEquals(0, second.hopCount());
        assertEquals(IpAddress.of(PEER), second.peerAddress());
        assertEquals("Gi0/0/1", new String(second.interfaceId()));
        assertEquals(1, second.clientLinkLayerType());
        assertArrayEquals(hex("0a0b0c0d0e0f"), second.clientLinkLayerAddress());
        assertEquals(Dhcp6MessageType.SOLICIT, d.message().type());
        assertEquals(0xabcdef, d.message().transactionId());
        assertEquals(0, d.message().elapsedTime());
        // Relay identity comes from the hop next to the client.
        assertEquals(IpAddress.of(LINK1), p.identity().relay().address());
        assertEquals("interface-id", p.identity().relay().circuitIdSource());
        // The DUID-LLT's MAC wins over option 79: it is in every message of the exchange, replies included.
        assertEquals(MarkSource.DUID_LLT, p.markSource());
        assertEquals(0x1C334455, p.mark());
        assertTrue(p.faults().isEmpty());
    }

    @Test
    void relayReplyIsWalkedTheSameWay() {
        byte[] reply = new Dhcp6(7).option(1, DUID_LLT).option(2, hex("0003 0001 020000000001")).payload();
        DecodedPacket p = decode6(relay(13, 0, LINK1, PEER, reply));
        assertEquals(Dhcp6MessageType.RELAY_REPL, p.dhcp6().outerType());
        assertEquals(Dhcp6MessageType.REPLY, p.dhcp6().message().type());
        assertEquals(0x1D334455, p.mark());
        assertEquals("LL", p.dhcp6().message().serverId().typeName());
    }

    @Test
    void nestingOver32IsATypedErrorAndHopsUpToTheCapAreKept() {
        byte[] msg = new Dhcp6(1).option(1, DUID_LLT).payload();
        for (int i = 0; i < 33; i++) {
            msg = relayForw(i, LINK1, PEER, msg);
        }
        DecodedPacket p = decode6(msg);
        assertEquals(List.of(DecodeError.RELAY_DEPTH_EXCEEDED), errors(p));
        assertEquals(32, p.dhcp6().hops().size());
        assertNull(p.dhcp6().message());
        assertEquals(0x1C, p.typeCode());
    }

    @Test
    void exactly32HopsAreAccepted() {
        byte[] msg = new Dhcp6(1).option(1, DUID_LLT).payload();
        for (int i = 0; i < 32; i++) {
            msg = relayForw(i, LINK1, PEER, msg);
        }
        DecodedPacket p = decode6(msg);
        assertTrue(p.faults().isEmpty(), p.faults().toString());
        assertEquals(Dhcp6MessageType.SOLICIT, p.dhcp6().message().type());
    }

    @Test
    void relayWithoutRelayMessageIsATypedError() {
        byte[] relayOnly = concat(hex("0c00"), LINK1, PEER, opt6(18, hex("01")));
        DecodedPacket p = decode6(relayOnly);
        assertEquals(List.of(DecodeError.RELAY_MESSAGE_MISSING), errors(p));
        assertEquals(1, p.dhcp6().hops().size());
    }

    @Test
    void everyDuidTypeIsDecoded() {
        Duid llt = Duid.of(DUID_LLT);
        assertEquals("LLT", llt.typeName());
        assertEquals(1, llt.hardwareType());
        assertEquals(0x2b3c4d5eL, llt.time());
        assertEquals("00:11:22:33:44:55", llt.mac().toString());

        Duid en = Duid.of(hex("0002 00000009 0c0c0c0c"));
        assertEquals("EN", en.typeName());
        assertEquals(9, en.enterpriseNumber());
        assertArrayEquals(hex("0c0c0c0c"), en.identifier());
        assertNull(en.mac());

        Duid ll = Duid.of(hex("0003 0001 a1a2a3a4a5a6"));
        assertEquals("LL", ll.typeName());
        assertEquals("a1:a2:a3:a4:a5:a6", ll.mac().toString());
        assertEquals(-1, ll.time());

        Duid uuid = Duid.of(hex("0004 123e4567e89b12d3a456426614174000"));
        assertEquals("UUID", uuid.typeName());
        assertEquals(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), uuid.uuid());

        Duid infiniband = Duid.of(hex("0003 0020 0102030405060708"));
        assertEquals(32, infiniband.hardwareType());
        assertNull(infiniband.mac(), "only Ethernet link-layer addresses are MACs");

        Duid other = Duid.of(hex("00ff 0102"));
        assertEquals("type-255", other.typeName());
        assertTrue(other.isWellFormed());
        assertFalse(Duid.of(hex("0001 0001")).isWellFormed());
        assertEquals("00:01:00:01:2b:3c:4d:5e:00:11:22:33:44:55", llt.toString());
    }

    @Test
    void shortDuidIsATypedError() {
        DecodedPacket p = decode6(new Dhcp6(1).option(1, hex("0001 0001")).payload());
        assertEquals(List.of(DecodeError.BAD_OPTION_LENGTH), errors(p));
    }

    @Test
    void identityAssociationsWithAddressesPrefixesAndStatus() {
        byte[] iaaddr = opt6(5, concat(hex("20010db80000000000000000000000aa"), hex("00000e10 00001c20"),
                opt6(13, concat(hex("0000"), "ok".getBytes()))));
        byte[] iaNa = concat(hex("00000001 00000708 00000b40"), iaaddr);
        byte[] iaTa = concat(hex("00000002"), opt6(5, concat(hex("20010db80000000000000000000000bb"), hex("0000003c 00000078"))));
        byte[] iaprefix = opt6(26, concat(hex("00001194 00001c20 38"), hex("2a000001000101000000000000000000")));
        byte[] iaPd = concat(hex("00000003 00000e10 00001518"), iaprefix, opt6(13, concat(hex("0006"), "none".getBytes())));
        DecodedPacket p = decode6(new Dhcp6(7).option(1, DUID_LLT).option(3, iaNa).option(4, iaTa).option(25, iaPd)
                .option(13, concat(hex("0000"), "all good".getBytes())).payload());
        assertTrue(p.faults().isEmpty(), p.faults().toString());
        List<IdentityAssociation> ias = p.dhcp6().message().identityAssociations();
        assertEquals(3, ias.size());

        IdentityAssociation na = ias.get(0);
        assertEquals(IdentityAssociation.Kind.NA, na.kind());
        assertEquals(1, na.iaid());
        assertEquals(1800, na.t1());
        assertEquals(2880, na.t2());
        assertEquals("2001:db8::aa", na.addresses().get(0).address().toString());
        assertEquals(3600, na.addresses().get(0).preferredLifetime());
        assertEquals(7200, na.addresses().get(0).validLifetime());
        assertEquals("ok", na.addresses().get(0).status().message());

        IdentityAssociation ta = ias.get(1);
        assertEquals(IdentityAssociation.Kind.TA, ta.kind());
        assertEquals(-1, ta.t1());
        assertEquals("2001:db8::bb", ta.addresses().get(0).address().toString());

        IdentityAssociation pd = ias.get(2);
        assertEquals("2a00:1:1:100::/56", pd.prefixes().get(0).toString());
        assertEquals(4500, pd.prefixes().get(0).preferredLifetime());
        assertEquals("NoPrefixAvail", pd.status().codeName());
        assertEquals("all good", p.dhcp6().message().statusCode().message());
    }

    @Test
    void iaWithNestedOptionOverrunIsATypedError() {
        byte[] iaNa = concat(hex("00000001 00000708 00000b40"), hex("0005 0030 20010db8"));
        DecodedPacket p = decode6(new Dhcp6(3).option(1, DUID_LLT).option(3, iaNa).payload());
        assertEquals(List.of(DecodeError.SUBOPTION_OVERRUN), errors(p));
        assertNull(p.dhcp6().message().identityAssociations());
    }

    @Test
    void clientOptionsAreDecoded() {
        byte[] vendorClass = concat(hex("0000 0137"), hex("0008"), "MSFT 5.0".getBytes());
        byte[] userClass = concat(hex("0003"), "abc".getBytes(), hex("0002"), "de".getBytes());
        byte[] vendorOpts = concat(hex("00000de9"), opt6(1, hex("0102")));
        byte[] fqdn = hex("01 04686f7374076578616d706c6500");
        DecodedPacket p = decode6(new Dhcp6(1).option(1, DUID_LLT)
                .option(6, hex("0017 0018 0027 001f"))
                .option(8, hex("0064"))
                .option(14, new byte[0])
                .option(16, vendorClass)
                .option(15, userClass)
                .option(17, vendorOpts)
                .option(39, fqdn)
                .option(20, new byte[0])
                .option(999, hex("abcd"))
                .payload());
        assertTrue(p.faults().isEmpty(), p.faults().toString());
        Dhcp6Message m = p.dhcp6().message();
        assertArrayEquals(new int[] {23, 24, 39, 31}, m.requestedOptions());
        assertEquals(100, m.elapsedTime());
        assertTrue(m.rapidCommit());
        assertTrue(m.reconfigureAccept());
        assertEquals(311, m.vendorClass().enterpriseNumber());
        assertEquals(List.of("MSFT 5.0"), m.vendorClassItems());
        assertEquals(List.of("abc", "de"), m.userClass().stream().map(String::new).toList());
        assertEquals(3561, m.vendorOptions().get(0).enterpriseNumber());
        assertEquals("host.example", m.clientFqdn().name());
        assertTrue(m.clientFqdn().serverUpdates());
        assertArrayEquals(hex("abcd"), m.option(999));
        assertEquals("option-999", m.options().get(m.options().size() - 1).name());
    }

    @Test
    void badFixedLengthsAreTypedErrors() {
        DecodedPacket p = decode6(new Dhcp6(1).option(1, DUID_LLT).option(8, hex("01")).option(14, hex("00"))
                .option(6, hex("001700")).option(19, new byte[0]).payload());
        assertEquals(List.of(DecodeError.BAD_OPTION_LENGTH, DecodeError.BAD_OPTION_LENGTH,
                DecodeError.BAD_OPTION_LENGTH, DecodeError.BAD_OPTION_LENGTH), errors(p));
        assertNull(p.dhcp6().message().elapsedTime());
    }

    @Test
    void optionOverrunKeepsEarlierOptions() {
        DecodedPacket p = decode6(new Dhcp6(1).option(1, DUID_LLT).raw(hex("0010 00ff 0102")).payload());
        assertEquals(List.of(DecodeError.OPTION_OVERRUN), errors(p));
        assertEquals(1, p.dhcp6().message().options().size());
        assertEquals(0x11334455, p.mark());
    }

    @Test
    void truncatedMessageHeaderIsATypedError() {
        DecodedPacket p = decode6(hex("01abcd"));
        assertEquals(List.of(DecodeError.TRUNCATED_HEADER), errors(p));
        assertEquals(0x11, p.typeCode());
        DecodedPacket relay = decode6(concat(hex("0c00"), LINK1));
        assertEquals(List.of(DecodeError.TRUNCATED_HEADER), errors(relay));
    }
}
