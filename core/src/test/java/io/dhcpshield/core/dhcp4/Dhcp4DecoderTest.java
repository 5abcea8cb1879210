package io.dhcpshield.core.dhcp4;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.DecodeFault;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.TestPackets.Dhcp4;
import io.dhcpshield.core.codec.VendorData;
import io.dhcpshield.core.net.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dhcpshield.core.codec.TestPackets.decode;
import static io.dhcpshield.core.codec.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.*;

class Dhcp4DecoderTest {

    private static Dhcp4Message v4(byte[] ipFrame) {
        DecodedPacket p = decode(ipFrame, Framing.IP);
        assertNotNull(p.dhcp4(), "not decoded as DHCPv4: " + p.faults());
        return p.dhcp4();
    }

    private static List<DecodeError> errors(byte[] ipFrame) {
        return decode(ipFrame, Framing.IP).faults().stream().map(DecodeFault::error).toList();
    }

    @Test
    void fixedHeaderFieldsAreRead() {
        Dhcp4Message m = v4(new Dhcp4().op(2).xid(0xCAFEBABE).yiaddr(100, 64, 3, 7).giaddr(10, 1, 2, 3).type(5).ip());
        assertEquals(2, m.op());
        assertEquals(0xCAFEBABEL, m.xid());
        assertEquals("100.64.3.7", m.yiaddr().toString());
        assertEquals("10.1.2.3", m.giaddr().toString());
        assertEquals("02:00:5e:10:20:30", m.chaddrMac().toString());
        assertEquals(Dhcp4MessageType.ACK, m.messageType());
        assertTrue(m.cookieValid());
        assertEquals("", m.serverName());
    }

    @Test
    void allEighteenMessageTypesAreNamedAndOthersStayValid() {
        assertEquals("DISCOVER", Dhcp4MessageType.valueOf(1).name());
        assertEquals("INFORM", Dhcp4MessageType.valueOf(8).name());
        assertEquals("DHCPTLS", Dhcp4MessageType.valueOf(18).name());
        Dhcp4MessageType unknown = Dhcp4MessageType.valueOf(99);
        assertEquals(99, unknown.code());
        assertFalse(unknown.isKnown());
        assertSame(unknown, Dhcp4MessageType.valueOf(99));
        assertEquals(Dhcp4MessageType.BOOTP, v4(new Dhcp4().ip()).messageType());
    }

    @Test
    void typedOptionsAreDecoded() {
        Dhcp4Message m = v4(new Dhcp4().type(3)
                .option(12, "printer-7")
                .option(50, hex("c0a80a14"))
                .option(51, hex("00000e10"))
                .option(54, hex("c0a80a01"))
                .option(57, hex("05dc"))
                .option(58, hex("00000708"))
                .option(59, hex("00000c4e"))
                .option(60, "MSFT 5.0")
                .option(61, hex("01 02005e102030"))
                .option(118, hex("0a000000"))
                .ip());
        assertEquals("printer-7", m.hostname());
        assertEquals(IpAddress.parse("192.168.10.20"), m.requestedAddress());
        assertEquals(3600L, m.leaseTime());
        assertEquals(IpAddress.parse("192.168.10.1"), m.serverId());
        assertEquals(1500, m.maxMessageSize());
        assertEquals(1800L, m.renewalTime());
        assertEquals(3150L, m.rebindingTime());
        assertEquals("MSFT 5.0", m.vendorClass());
        assertArrayEquals(hex("01 02005e102030"), m.clientId());
        assertEquals(IpAddress.parse("10.0.0.0"), m.subnetSelection());
    }

    @Test
    void parameterRequestListKeepsTheClientsOrder() {
        Dhcp4Message m = v4(new Dhcp4().type(1).option(55, hex("01 79 03 06 0f 77 fc 5f 2c 2e")).ip());
        assertArrayEquals(new int[] {1, 121, 3, 6, 15, 119, 252, 95, 44, 46}, m.parameterRequestList());
    }

    @Test
    void unknownOptionsAreKeptRawInWireOrder() {
        Dhcp4Message m = v4(new Dhcp4().type(1).option(224, hex("de ad")).option(12, "h").option(250, new byte[0]).ip());
        assertEquals(List.of(53, 224, 12, 250), m.options().stream().map(Dhcp4Option::code).toList());
        assertArrayEquals(hex("dead"), m.option(224));
        assertEquals("option-224", m.options().get(1).name());
        assertEquals(0, m.option(250).length);
    }

    @Test
    void relayAgentInformationSubOptionsAreDecoded() {
        byte[] o82 = hex("01 05 6765302f31 02 06 001122334455 05 04 0a000001"
                + " 06 04 73756231 09 07 00000de9 02 0102 07 02 abcd");
        Dhcp4Message m = v4(new Dhcp4().type(1).option(82, o82).ip());
        RelayAgentInfo rai = m.relayAgentInfo();
        assertNotNull(rai);
        assertEquals("ge0/1", new String(rai.circuitId()));
        assertArrayEquals(hex("001122334455"), rai.remoteId());
        assertEquals(IpAddress.parse("10.0.0.1"), rai.linkSelection());
        assertEquals("sub1", new String(rai.subscriberId()));
        assertArrayEquals(hex("00000de9 02 0102"), rai.vendorSpecific());
        assertEquals(List.of(1, 2, 5, 6, 9, 7), rai.subOptions().stream().map(RelayAgentInfo.SubOption::code).toList());
        assertArrayEquals(hex("abcd"), rai.get(7));
    }

    @Test
    void subOptionOverrunInOption82IsATypedError() {
        byte[] frame = new Dhcp4().type(1).option(82, hex("01 09 6765302f31")).ip();
        assertEquals(List.of(DecodeError.SUBOPTION_OVERRUN), errors(frame));
        assertNull(v4(frame).relayAgentInfo());
    }

    @Test
    void splitLongOptionsAreConcatenatedPerRfc3396() {
        byte[] frame = new Dhcp4().type(1)
                .option(82, hex("01 03 616263"))
                .option(12, "abc")
                .option(82, hex("02 02 6869"))
                .option(12, "def")
                .ip();
        Dhcp4Message m = v4(frame);
        assertEquals("abcdef", m.hostname());
        RelayAgentInfo rai = m.relayAgentInfo();
        assertEquals("abc", new String(rai.circuitId()));
        assertEquals("hi", new String(rai.remoteId()));
        assertEquals(5, m.options().size(), "the wire view keeps every instance");
    }

    @Test
    void overloadedFileAndSnameFieldsCarryOptionsFileFirst() {
        byte[] file = hex("0c 03 616263 ff");
        byte[] sname = hex("0c 03 646566 3c 03 787878 ff");
        Dhcp4Message m = v4(new Dhcp4().type(2).option(52, new byte[] {3}).file(file).sname(sname).ip());
        assertEquals(3, m.overload());
        assertNull(m.serverName());
        assertNull(m.bootFile());
        assertEquals("abcdef", m.hostname(), "options, then file, then sname (RFC 3396)");
        assertEquals("xxx", m.vendorClass());
        assertEquals(Dhcp4Option.Area.FILE, m.options().get(2).area());
        assertEquals(Dhcp4Option.Area.SNAME, m.options().get(3).area());
    }

    @Test
    void snameAndFileAreStringsWithoutOverload() {
        Dhcp4Message m = v4(new Dhcp4().type(2).sname("boot.example".getBytes()).file("pxelinux.0".getBytes()).ip());
        assertEquals("boot.example", m.serverName());
        assertEquals("pxelinux.0", m.bootFile());
    }

    @Test
    void badOverloadValueIsATypedError() {
        assertEquals(List.of(DecodeError.BAD_OVERLOAD), errors(new Dhcp4().type(1).option(52, new byte[] {7}).ip()));
    }

    @Test
    void clientFqdnInWireAndAsciiEncodings() {
        Dhcp4Message wire = v4(new Dhcp4().type(3).option(81, hex("05 00 00 04686f7374076578616d706c6500")).ip());
        assertEquals("host.example", wire.clientFqdn().name());
        assertTrue(wire.clientFqdn().serverUpdates());
        Dhcp4Message ascii = v4(new Dhcp4().type(3).option(81, hex("00 ff ff 6c6170746f70")).ip());
        assertEquals("laptop", ascii.clientFqdn().name());
        assertEquals(255, ascii.clientFqdn().rcode1());
    }

    @Test
    void userClassInRfc3004FormAndAsABareString() {
        Dhcp4Message rfc = v4(new Dhcp4().type(1).option(77, hex("03 616263 02 6465")).ip());
        assertEquals(List.of("abc", "de"), rfc.userClass().stream().map(String::new).toList());
        Dhcp4Message bare = v4(new Dhcp4().type(1).option(77, "iPXE").ip());
        assertEquals(List.of("iPXE"), bare.userClass().stream().map(String::new).toList());
    }

    @Test
    void vendorIdentifyingOptionsAreSplitPerEnterprise() {
        Dhcp4Message m = v4(new Dhcp4().type(1)
                .option(124, hex("00000de9 04 03616263 0000000a 01 ff"))
                .option(125, hex("00000de9 06 0104deadbeef"))
                .ip());
        List<VendorData> classes = m.vendorIdentifyingClasses();
        assertEquals(2, classes.size());
        assertEquals(3561, classes.get(0).enterpriseNumber());
        assertArrayEquals(hex("03616263"), classes.get(0).data());
        assertEquals(10, classes.get(1).enterpriseNumber());
        assertEquals(3561, m.vendorIdentifyingInfo().get(0).enterpriseNumber());
        assertArrayEquals(hex("0104deadbeef"), m.vendorIdentifyingInfo().get(0).data());
    }

    @Test
    void vendorIdentifyingOverrunIsATypedError() {
        assertEquals(List.of(DecodeError.SUBOPTION_OVERRUN),
                errors(new Dhcp4().type(1).option(125, hex("00000de9 09 0104")).ip()));
    }

    @Test
    void wrongLengthForAFixedSizeOptionIsATypedErrorAndTheValueIsNotInvented() {
        byte[] frame = new Dhcp4().type(1).option(50, hex("0a0000")).ip();
        assertEquals(List.of(DecodeError.BAD_OPTION_LENGTH), errors(frame));
        assertNull(v4(frame).requestedAddress());
    }

    @Test
    void truncatedHeaderReportsTheErrorAndKeepsWhatWasRead() {
        byte[] payload = new Dhcp4().xid(0x01020304).type(1).payload();
        byte[] frame = io.dhcpshield.core.codec.TestPackets.ipv4Udp(java.util.Arrays.copyOf(payload, 100), 68, 67);
        DecodedPacket p = decode(frame, Framing.IP);
        assertEquals(List.of(DecodeError.TRUNCATED_HEADER), p.faults().stream().map(DecodeFault::error).toList());
        assertEquals(0x01020304L, p.dhcp4().xid());
        assertEquals("02:00:5e:10:20:30", p.identity().mac().toString());
    }

    @Test
    void badMagicCookieIsATypedErrorWithItsOffset() {
        DecodedPacket p = decode(new Dhcp4().cookie(0x01020304).type(1).ip(), Framing.IP);
        DecodeFault f = p.faults().get(0);
        assertEquals(DecodeError.BAD_MAGIC_COOKIE, f.error());
        assertEquals(20 + 8 + 236, f.offset());
        assertFalse(p.dhcp4().cookieValid());
        assertTrue(p.dhcp4().options().isEmpty());
    }

    @Test
    void optionOverrunKeepsTheOptionsBeforeIt() {
        byte[] frame = new Dhcp4().type(3).option(12, "ok").raw((byte) 60, (byte) 50, (byte) 'x').noEnd().ip();
        DecodedPacket p = decode(frame, Framing.IP);
        assertEquals(DecodeError.OPTION_OVERRUN, p.faults().get(0).error());
        assertEquals("ok", p.dhcp4().hostname());
        assertEquals(Dhcp4MessageType.REQUEST, p.dhcp4().messageType());
    }

    @Test
    void relayIdentityIsLabelledWithItsSources() {
        DecodedPacket p = decode(new Dhcp4().type(1).giaddr(10, 9, 8, 7).option(82, hex("01 02 6131 02 02 6232")).ip(),
                Framing.IP);
        var relay = p.identity().relay();
        assertEquals("10.9.8.7", relay.address().toString());
        assertEquals("giaddr", relay.addressSource());
        assertEquals("a1", new String(relay.circuitId()));
        assertEquals("option82.1", relay.circuitIdSource());
        assertEquals("option82.2", relay.remoteIdSource());
    }
}
