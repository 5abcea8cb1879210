package io.dhcpshield.cli;

import io.dhcpshield.cli.SyntheticPackets.Dhcp4;
import io.dhcpshield.cli.SyntheticPackets.Tag;
import io.dhcpshield.transport.pcap.LinkTypes;
import io.dhcpshield.transport.pcap.PcapFileWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.dhcpshield.cli.SyntheticPackets.ETHERTYPE_IPV4;
import static io.dhcpshield.cli.SyntheticPackets.ETHERTYPE_IPV6;
import static io.dhcpshield.cli.SyntheticPackets.TPID_8021AD;
import static io.dhcpshield.cli.SyntheticPackets.TPID_8021Q;
import static io.dhcpshield.cli.SyntheticPackets.area;
import static io.dhcpshield.cli.SyntheticPackets.ascii;
import static io.dhcpshield.cli.SyntheticPackets.concat;
import static io.dhcpshield.cli.SyntheticPackets.destinationOptionsPadding;
import static io.dhcpshield.cli.SyntheticPackets.dhcp6;
import static io.dhcpshield.cli.SyntheticPackets.dnsName;
import static io.dhcpshield.cli.SyntheticPackets.dot1q;
import static io.dhcpshield.cli.SyntheticPackets.duidEn;
import static io.dhcpshield.cli.SyntheticPackets.duidLl;
import static io.dhcpshield.cli.SyntheticPackets.duidLlt;
import static io.dhcpshield.cli.SyntheticPackets.duidUuid;
import static io.dhcpshield.cli.SyntheticPackets.ethernet;
import static io.dhcpshield.cli.SyntheticPackets.hex;
import static io.dhcpshield.cli.SyntheticPackets.hopByHopPadding;
import static io.dhcpshield.cli.SyntheticPackets.hopByHopRouterAlert;
import static io.dhcpshield.cli.SyntheticPackets.ia;
import static io.dhcpshield.cli.SyntheticPackets.iaAddress;
import static io.dhcpshield.cli.SyntheticPackets.iaPrefix;
import static io.dhcpshield.cli.SyntheticPackets.ip;
import static io.dhcpshield.cli.SyntheticPackets.items16;
import static io.dhcpshield.cli.SyntheticPackets.opt4;
import static io.dhcpshield.cli.SyntheticPackets.opt6;
import static io.dhcpshield.cli.SyntheticPackets.relay;
import static io.dhcpshield.cli.SyntheticPackets.relayWithout;
import static io.dhcpshield.cli.SyntheticPackets.sll;
import static io.dhcpshield.cli.SyntheticPackets.sll2;
import static io.dhcpshield.cli.SyntheticPackets.status;
import static io.dhcpshield.cli.SyntheticPackets.sub4;
import static io.dhcpshield.cli.SyntheticPackets.u16;
import static io.dhcpshield.cli.SyntheticPackets.u32;
import static io.dhcpshield.cli.SyntheticPackets.u8;
import static io.dhcpshield.cli.SyntheticPackets.udp4;
import static io.dhcpshield.cli.SyntheticPackets.udp6;

/**
 * Writes the synthetic captures of {@code testdata/synthetic/}: small pcap files, a few frames each, covering what the
 * real corpus never exercises (see the README there). Run by {@code testdata/synthetic/regenerate.sh}, which then
 * has tshark dissect every file; {@code SyntheticAgreementTest} checks that the committed files are exactly what
 * this class writes. Every byte and timestamp is fixed, so regenerating changes nothing unless this class changes.
 *
 * <p>Addresses are from the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32); enterprise 32473
 * is the documentation enterprise number (RFC 5612).
 */
public final class SyntheticCaptures {

    /** Minute 0 of the synthetic timeline; each capture starts at its own minute after it. */
    private static final Instant START = Instant.parse("2024-06-03T08:00:00Z");

    // ---------------------------------------------------------------- who is on the wire

    static final byte[] BROADCAST = hex("ff:ff:ff:ff:ff:ff");
    static final byte[] ALL_DHCP_MAC = hex("33:33:00:01:00:02");
    static final byte[] LAPTOP = hex("3c:22:fb:4a:91:0e");
    static final byte[] PI = hex("b8:27:eb:5d:02:c4");
    static final byte[] PRINTER = hex("00:1e:c9:33:7a:18");
    static final byte[] VM = hex("52:54:00:12:34:56");
    static final byte[] WIFI_BRIDGE = hex("f4:f2:6d:88:10:0b");
    static final byte[] CPE = hex("00:d0:9e:41:6b:23");
    static final byte[] SERVER = hex("00:50:56:a1:3e:07");
    static final byte[] RELAY = hex("00:1b:21:7c:d4:52");
    static final byte[] AGGREGATION = hex("00:1b:21:7c:e0:01");

    static final String SERVER4 = "192.0.2.10";
    static final String GIADDR = "198.51.100.1";
    static final String LAPTOP_LL = "fe80::3e22:fbff:fe4a:910e";
    static final String PI_LL = "fe80::ba27:ebff:fe5d:2c4";
    static final String SERVER6_LL = "fe80::250:56ff:fea1:3e07";
    static final String SERVER6 = "2001:db8:0:53::547";
    static final String ACCESS_RELAY6 = "2001:db8:10:1::1";
    static final String AGGREGATION_RELAY6 = "2001:db8:20::1";
    static final String CORE_RELAY6 = "2001:db8:30::1";

    static final byte[] PRL = u8(1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 119, 121, 252);
    static final byte[] SERVER_DUID = duidLlt(1, 0x2c5b1e40L, SERVER);
    static final byte[] LAPTOP_DUID = duidLl(1, LAPTOP);
    static final byte[] PI_DUID_EN = duidEn(32473, hex("0c1f4b72a9d3"));
    static final byte[] KIOSK_DUID_UUID = duidUuid("9f1c2d3e-4b5a-4c6d-8e7f-a0b1c2d3e4f5");
    static final byte[] PRINTER_DUID_LLT = duidLlt(1, 0x2d0f7a11L, PRINTER);

    private SyntheticCaptures() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "testdata/synthetic");
        Files.createDirectories(dir);
        for (Capture c : captures()) {
            c.write(dir);
            System.out.printf("%-40s %2d frames%n", c.file(), c.frames().size());
        }
    }

    /** One capture file: its name, link type, start minute and frames. */
    record Capture(String file, int linkType, int minute, List<byte[]> frames) {

        /** Frames are 250 ms apart plus a few hundred nanoseconds, so nanosecond timestamps are exercised. */
        long epochNanos(int frameIndex) {
            long start = START.getEpochSecond() + 60L * minute;
            return start * 1_000_000_000L + frameIndex * 250_000_000L + 137L * (frameIndex + 1);
        }

        void write(Path dir) {
            try (PcapFileWriter w = PcapFileWriter.create(dir.resolve(file), linkType, PcapFileWriter.MAX_SNAPLEN)) {
                for (int i = 0; i < frames.size(); i++) {
                    byte[] f = frames.get(i);
                    w.write(epochNanos(i), f, 0, f.length);
                }
            }
        }
    }

    /** Every synthetic capture, in the order the README lists them. */
    static List<Capture> captures() {
        List<Capture> out = new ArrayList<>();
        out.add(new Capture("dhcp4-client-fqdn.pcap", LinkTypes.ETHERNET, 0, clientFqdn()));
        out.add(new Capture("dhcp4-vendor-identifying.pcap", LinkTypes.ETHERNET, 1, vendorIdentifying()));
        out.add(new Capture("dhcp4-relay-agent-info.pcap", LinkTypes.ETHERNET, 2, relayAgentInfo()));
        out.add(new Capture("dhcp4-overload.pcap", LinkTypes.ETHERNET, 3, overload()));
        out.add(new Capture("dhcp4-client-id-marks.pcap", LinkTypes.ETHERNET, 4, clientIdMarks()));
        out.add(new Capture("dhcp4-user-class.pcap", LinkTypes.ETHERNET, 5, userClass4()));
        out.add(new Capture("dhcp6-status-codes.pcap", LinkTypes.ETHERNET, 10, statusCodes()));
        out.add(new Capture("dhcp6-relay-agent-options.pcap", LinkTypes.ETHERNET, 11, relayAgentOptions()));
        out.add(new Capture("dhcp6-relay-nesting.pcap", LinkTypes.ETHERNET, 12, relayNesting()));
        out.add(new Capture("dhcp6-duid-hash-marks.pcap", LinkTypes.ETHERNET, 13, duidHashMarks()));
        out.add(new Capture("dhcp6-user-vendor-class.pcap", LinkTypes.ETHERNET, 14, userVendorClass6()));
        out.add(new Capture("link-8021q.pcap", LinkTypes.ETHERNET, 20, vlan()));
        out.add(new Capture("link-qinq.pcap", LinkTypes.ETHERNET, 21, qinq()));
        out.add(new Capture("link-linux-sll.pcap", LinkTypes.LINUX_SLL, 22, cooked(false)));
        out.add(new Capture("link-linux-sll2.pcap", LinkTypes.LINUX_SLL2, 23, cooked(true)));
        out.add(new Capture("link-raw-ip.pcap", LinkTypes.RAW, 24, rawIp()));
        out.add(new Capture("link-ipv4.pcap", LinkTypes.IPV4, 25, List.of(discoverIp(), offerIp())));
        out.add(new Capture("link-ipv6.pcap", LinkTypes.IPV6, 26, List.of(solicitIp(), advertiseIp())));
        out.add(new Capture("ipv6-extension-headers.pcap", LinkTypes.ETHERNET, 27, extensionHeaders()));
        out.add(new Capture("malformed-dhcp4.pcap", LinkTypes.ETHERNET, 30, malformed4()));
        out.add(new Capture("malformed-dhcp6.pcap", LinkTypes.ETHERNET, 31, malformed6()));
        return out;
    }

    // ================================================================== framing helpers

    /** A client broadcast: 0.0.0.0:68 -> 255.255.255.255:67, TOS 0x10 as dhclient sends it. */
    private static byte[] fromClient4(byte[] mac, Dhcp4 m) {
        return ethernet(BROADCAST, mac, ETHERTYPE_IPV4, clientIp(m));
    }

    private static byte[] clientIp(Dhcp4 m) {
        return udp4("0.0.0.0", "255.255.255.255", 68, 67, 64, 0, 0x10, m.build());
    }

    /** A renewing client unicasting to the server from its leased address. */
    private static byte[] renewing4(byte[] mac, String from, Dhcp4 m) {
        return ethernet(SERVER, mac, ETHERTYPE_IPV4, udp4(from, SERVER4, 68, 67, 64, 0x6a12, 0x10, m.build()));
    }

    /** The server answering a local client at its offered address. */
    private static byte[] toClient4(byte[] mac, String to, int ipId, Dhcp4 m) {
        return ethernet(mac, SERVER, ETHERTYPE_IPV4, serverIp(to, ipId, m));
    }

    private static byte[] serverIp(String to, int ipId, Dhcp4 m) {
        return udp4(SERVER4, to, 67, 68, 64, ipId, m.build());
    }

    /** A relay agent forwarding to the server, 67 -> 67 from its giaddr. */
    private static byte[] relayToServer4(int ipId, Dhcp4 m) {
        return ethernet(SERVER, RELAY, ETHERTYPE_IPV4, udp4(GIADDR, SERVER4, 67, 67, 64, ipId, m.build()));
    }

    private static byte[] serverToRelay4(int ipId, Dhcp4 m) {
        return ethernet(RELAY, SERVER, ETHERTYPE_IPV4, udp4(SERVER4, GIADDR, 67, 67, 64, ipId, m.build()));
    }

    /** A DHCPv6 client multicasting to All_DHCP_Relay_Agents_and_Servers, hop limit 1. */
    private static byte[] fromClient6(byte[] mac, String linkLocal, byte[] message) {
        return ethernet(ALL_DHCP_MAC, mac, ETHERTYPE_IPV6, udp6(linkLocal, "ff02::1:2", 546, 547, 1, message));
    }

    private static byte[] toClient6(byte[] mac, String linkLocal, byte[] message) {
        return ethernet(mac, SERVER, ETHERTYPE_IPV6, udp6(SERVER6_LL, linkLocal, 547, 546, 64, message));
    }

    private static byte[] relayToServer6(byte[] relayMac, String relayAddress, byte[] message) {
        return ethernet(SERVER, relayMac, ETHERTYPE_IPV6, udp6(relayAddress, SERVER6, 547, 547, 64, message));
    }

    private static byte[] serverToRelay6(byte[] relayMac, String relayAddress, byte[] message) {
        return ethernet(relayMac, SERVER, ETHERTYPE_IPV6, udp6(SERVER6, relayAddress, 547, 547, 64, message));
    }

    private static byte[] clientId61(byte[] mac) {
        return concat(u8(1), mac);
    }

    // ================================================================== DHCPv4

    /** Option 81 (RFC 4702): ASCII and wire-format names, server RCODEs of 255, a partial name, an empty name. */
    private static List<byte[]> clientFqdn() {
        long xid = 0x5e1f0a01L;
        String fqdn = "pc-lab-07.corp.example.com";
        return List.of(
                fromClient4(LAPTOP, Dhcp4.request(xid).chaddr(LAPTOP).type(1).option(61, clientId61(LAPTOP))
                        .option(57, u16(1500)).option(12, "pc-lab-07")
                        .option(81, concat(u8(0x01, 0, 0), ascii(fqdn))) // S, ASCII (deprecated encoding)
                        .option(60, "MSFT 5.0").option(55, PRL)),
                toClient4(LAPTOP, "192.0.2.57", 0x1f3a, Dhcp4.reply(xid).chaddr(LAPTOP).yiaddr("192.0.2.57").type(2)
                        .option(54, ip(SERVER4)).option(51, u32(86400)).option(58, u32(43200))
                        .option(59, u32(75600)).option(1, ip("255.255.255.0")).option(3, ip("192.0.2.1"))
                        .option(6, concat(ip("192.0.2.53"), ip("192.0.2.54"))).option(15, "corp.example.com")),
                fromClient4(LAPTOP, Dhcp4.request(xid).secs(1).chaddr(LAPTOP).type(3).option(61, clientId61(LAPTOP))
                        .option(50, ip("192.0.2.57")).option(54, ip(SERVER4)).option(12, "pc-lab-07")
                        .option(81, concat(u8(0x05, 0, 0), dnsName(fqdn + "."))) // S + E, wire format
                        .option(55, PRL)),
                toClient4(LAPTOP, "192.0.2.57", 0x1f3b, Dhcp4.reply(xid).secs(1).chaddr(LAPTOP).yiaddr("192.0.2.57")
                        .type(5).option(54, ip(SERVER4)).option(51, u32(86400)).option(1, ip("255.255.255.0"))
                        .option(3, ip("192.0.2.1"))
                        .option(81, concat(u8(0x05, 255, 255), dnsName(fqdn + ".")))),
                renewing4(LAPTOP, "192.0.2.57", Dhcp4.request(0x5e1f0a02L).ciaddr("192.0.2.57").chaddr(LAPTOP)
                        .type(3).option(61, clientId61(LAPTOP))
                        .option(81, concat(u8(0x04, 0, 0), dnsName("pc-lab-07")))), // E, partial name
                fromClient4(PRINTER, Dhcp4.request(0x0b7c4410L).chaddr(PRINTER).type(1)
                        .option(81, u8(0x08, 0, 0)) // N, no name: the server is to choose one
                        .option(55, u8(1, 3, 6, 15))));
    }

    /** Options 124 and 125 (RFC 3925) from a TR-069 gateway, two enterprises each. */
    private static List<byte[]> vendorIdentifying() {
        long xid = 0x9a000c01L;
        byte[] classes = concat(enterprise(3561, concat(u8(7), ascii("HGW-320"))),
                enterprise(4491, concat(u8(9), ascii("docsis3.1"))));
        byte[] info = concat(enterprise(3561, concat(sub4(1, ascii("00D09E")), sub4(2, ascii("GW2403170042")),
                        sub4(3, ascii("HGW-320")))),
                enterprise(4491, sub4(1, u8(2)))); // CableLabs: option request, TFTP servers
        byte[] serverInfo = concat(enterprise(3561, concat(sub4(4, ascii("0050C2")), sub4(5, ascii("ACS-EDGE-01")),
                sub4(6, ascii("ACS")))), enterprise(4491, sub4(2, ip("192.0.2.69"))));
        return List.of(
                fromClient4(CPE, Dhcp4.request(xid).chaddr(CPE).broadcast().type(1).option(61, clientId61(CPE))
                        .option(60, "dslforum.org").option(124, classes).option(125, info)
                        .option(55, u8(1, 3, 6, 42, 43, 125))),
                toClient4(BROADCAST, "255.255.255.255", 0x2201, Dhcp4.reply(xid).chaddr(CPE).broadcast()
                        .yiaddr("192.0.2.80").type(2).option(54, ip(SERVER4)).option(51, u32(3600))
                        .option(1, ip("255.255.255.0")).option(3, ip("192.0.2.1")).option(125, serverInfo)),
                fromClient4(CPE, Dhcp4.request(xid).chaddr(CPE).broadcast().type(3).option(61, clientId61(CPE))
                        .option(50, ip("192.0.2.80")).option(54, ip(SERVER4)).option(60, "dslforum.org")
                        .option(124, classes).option(125, info)));
    }

    private static byte[] enterprise(long number, byte[] data) {
        return concat(u32(number), u8(data.length), data);
    }

    /** Option 82 with circuit-id, remote-id, link selection, subscriber-id, vendor-specific and an unknown code. */
    private static List<byte[]> relayAgentInfo() {
        long xid = 0x31c0de01L;
        byte[] option82 = concat(sub4(1, ascii("ge-0/0/3.100:110")), sub4(2, CPE), sub4(5, ip("198.51.100.0")),
                sub4(6, ascii("SUB-000482")),
                // RFC 4243 vendor-specific: enterprise 3561 (Broadband Forum), TR-101 actual data rates.
                sub4(9, enterprise(3561, concat(sub4(0x81, u32(1024)), sub4(0x82, u32(20480))))),
                sub4(200, hex("0a0b0c")));
        byte[] option82b = concat(sub4(1, hex("0004006e0001")), sub4(2, ascii("cpe-7q2k")));
        return List.of(
                relayToServer4(0x0101, Dhcp4.request(xid).hops(1).giaddr(GIADDR).chaddr(PI).type(1)
                        .option(61, clientId61(PI)).option(12, "raspberrypi").option(55, u8(1, 3, 6, 15, 28, 42))
                        .option(82, option82)),
                serverToRelay4(0x4c01, Dhcp4.reply(xid).hops(1).giaddr(GIADDR).chaddr(PI).yiaddr("198.51.100.23")
                        .type(2).option(54, ip(SERVER4)).option(51, u32(7200)).option(1, ip("255.255.255.0"))
                        .option(3, ip("198.51.100.1")).option(82, option82)),
                relayToServer4(0x0102, Dhcp4.request(0x31c0de02L).hops(1).giaddr(GIADDR).chaddr(PI).type(3)
                        .option(61, clientId61(PI)).option(50, ip("198.51.100.23")).option(54, ip(SERVER4))
                        .option(82, option82b)),
                serverToRelay4(0x4c02, Dhcp4.reply(0x31c0de02L).hops(1).giaddr(GIADDR).chaddr(PI)
                        .yiaddr("198.51.100.23").type(5).option(54, ip(SERVER4)).option(51, u32(7200))
                        .option(82, option82b)));
    }

    /** Option 52 = 1, 2, 3 with options in file and sname, and RFC 3396 split options within and across areas. */
    private static List<byte[]> overload() {
        return List.of(
                toClient4(LAPTOP, "192.0.2.58", 0x3301, Dhcp4.reply(0x0c1a0001L).chaddr(LAPTOP).yiaddr("192.0.2.58")
                        .siaddr("192.0.2.20").sname("boot.example.net").type(2).option(54, ip(SERVER4))
                        .option(52, u8(1))
                        .fileBytes(area(128, true, opt4(51, u32(86400)), opt4(58, u32(43200)), opt4(59, u32(75600)),
                                opt4(1, ip("255.255.255.0")), opt4(3, ip("192.0.2.1"))))),
                toClient4(LAPTOP, "192.0.2.58", 0x3302, Dhcp4.reply(0x0c1a0001L).chaddr(LAPTOP).yiaddr("192.0.2.58")
                        .siaddr("192.0.2.20").file("pxelinux.0").type(5).option(54, ip(SERVER4))
                        .option(51, u32(86400)).option(52, u8(2))
                        .snameBytes(area(64, true, opt4(1, ip("255.255.255.0")), opt4(3, ip("192.0.2.1")),
                                opt4(6, concat(ip("192.0.2.53"), ip("192.0.2.54")))))),
                toClient4(LAPTOP, "192.0.2.58", 0x3303, Dhcp4.reply(0x0c1a0002L).chaddr(LAPTOP).yiaddr("192.0.2.58")
                        .type(5).option(54, ip(SERVER4)).option(52, u8(3))
                        .fileBytes(area(128, true, opt4(51, u32(86400)), opt4(58, u32(43200)), opt4(59, u32(75600)),
                                opt4(1, ip("255.255.255.0"))))
                        .snameBytes(area(64, true, opt4(3, ip("192.0.2.1")), opt4(15, "corp.example.com")))),
                fromClient4(VM, Dhcp4.request(0x0c1a0003L).chaddr(VM).type(1).option(61, clientId61(VM))
                        .option(12, "kitchen-").option(12, "display-02") // RFC 3396: one hostname in two
                        .option(55, u8(1, 3, 6, 15)).option(55, u8(119, 121, 252))),
                fromClient4(VM, Dhcp4.request(0x0c1a0004L).chaddr(VM).type(3).option(61, clientId61(VM))
                        .option(50, ip("192.0.2.59")).option(54, ip(SERVER4)).option(12, "media-server-")
                        .option(55, u8(1, 3, 6)).option(52, u8(1))
                        .fileBytes(area(128, true, opt4(12, "basement"), opt4(55, u8(15, 119))))));
    }

    /** Client marks without an Ethernet chaddr: option 61 (htype 0), client-id and chaddr hashes, L2 source, none. */
    private static List<byte[]> clientIdMarks() {
        byte[] rfc4361 = concat(u8(255), u32(0x0a3b4c5dL), PRINTER_DUID_LLT); // IAID + DUID as client id
        return List.of(
                // Behind a Wi-Fi bridge that rewrites the Ethernet source: option 61 must win over the L2 source.
                fromClient4(WIFI_BRIDGE, Dhcp4.request(0x7001aa01L).hardware(0, new byte[0]).type(1)
                        .option(61, clientId61(VM)).option(55, u8(1, 3, 6))),
                relayToServer4(0x0201, Dhcp4.request(0x7001aa02L).hops(1).giaddr(GIADDR).hardware(0, new byte[0])
                        .type(3).option(61, rfc4361).option(50, ip("198.51.100.40")).option(54, ip(SERVER4))),
                fromClient4(WIFI_BRIDGE, Dhcp4.request(0x7001aa03L).hardware(0, new byte[0]).type(1)
                        .option(55, u8(1, 3, 6))),
                relayToServer4(0x0202, Dhcp4.request(0x7001aa04L).hops(1).giaddr(GIADDR).hardware(6, PRINTER)
                        .type(1).option(55, u8(1, 3, 6))),
                serverToRelay4(0x4d01, Dhcp4.reply(0x7001aa05L).hops(1).giaddr(GIADDR).hardware(0, new byte[0])
                        .yiaddr("198.51.100.41").type(2).option(54, ip(SERVER4)).option(51, u32(600))),
                relayToServer4(0x0203, Dhcp4.request(0x7001aa06L).hops(1).giaddr(GIADDR).chaddr(new byte[6])
                        .type(1).option(61, concat(u8(0), ascii("host-17")))));
    }

    /** Option 77: RFC 3004 items, iPXE's bare string, a single item. */
    private static List<byte[]> userClass4() {
        return List.of(
                fromClient4(LAPTOP, Dhcp4.request(0x77000001L).chaddr(LAPTOP).type(1)
                        .option(77, concat(u8(4), ascii("corp"), u8(12), ascii("kiosk-floor2"))).option(55, PRL)),
                fromClient4(PRINTER, Dhcp4.request(0x77000002L).chaddr(PRINTER).type(1).option(77, "iPXE")
                        .option(60, "PXEClient:Arch:00007:UNDI:003016").option(93, u16(7))
                        .option(55, u8(1, 3, 6, 12, 15, 17, 43, 60, 66, 67, 119, 128, 175))),
                fromClient4(PI, Dhcp4.request(0x77000003L).chaddr(PI).type(3).option(50, ip("192.0.2.90"))
                        .option(77, concat(u8(9), ascii("IPv6-only")))));
    }

    // ================================================================== DHCPv6

    /** Status codes at top level, in IA_NA and IA_PD, and nested in IAADDR and IAPREFIX. */
    private static List<byte[]> statusCodes() {
        int xid = 0x3a7b1c;
        byte[] client = opt6(1, LAPTOP_DUID);
        byte[] server = opt6(2, SERVER_DUID);
        long iaid = 0x0e4a910eL;
        return List.of(
                fromClient6(LAPTOP, LAPTOP_LL, dhcp6(1, xid, client, opt6(8, u16(0)), opt6(6, u16(23, 24, 82)),
                        ia(3, iaid, 0, 0), ia(25, 1, 0, 0))),
                toClient6(LAPTOP, LAPTOP_LL, dhcp6(2, xid, client, server,
                        status(2, "No addresses available for this link"),
                        ia(3, iaid, 0, 0, status(2, "No addresses available")),
                        ia(25, 1, 0, 0, status(6, "No prefixes available")))),
                toClient6(LAPTOP, LAPTOP_LL, dhcp6(7, 0x3a7b1d, client, server,
                        ia(3, iaid, 1800, 2880,
                                iaAddress("2001:db8:0:1::57", 3600, 7200, status(0, "Address renewed")),
                                status(0, "Success")),
                        ia(25, 1, 1800, 2880, iaPrefix("2001:db8:ff00::", 56, 0, 0, status(3, "Binding not found"))),
                        status(0, "All bindings processed"))),
                toClient6(LAPTOP, LAPTOP_LL, dhcp6(7, 0x3a7b1e, client, server, status(5, ""))),
                toClient6(LAPTOP, LAPTOP_LL, dhcp6(7, 0x3a7b1f, client, server, status(0, "Released"),
                        ia(3, iaid, 0, 0, status(3, "No binding for this IA")))));
    }

    /** One relay with interface-id 18, remote-id 37, subscriber-id 38 and client link-layer 79; its RELAY-REPLs. */
    private static List<byte[]> relayAgentOptions() {
        byte[] client = opt6(1, PI_DUID_EN);
        byte[] server = opt6(2, SERVER_DUID);
        byte[] interfaceId = opt6(18, ascii("Gi0/1.110"));
        byte[] forwOptions = concat(interfaceId, opt6(37, u32(3561), ascii("cpe-7q2k")),
                opt6(38, ascii("SUB-17731")), opt6(79, u16(1), PI));
        long iaid = 0x5d02c4L;
        byte[] solicit = dhcp6(1, 0x51c0a1, client, opt6(8, u16(0)), opt6(6, u16(23, 24)), ia(3, iaid, 0, 0));
        byte[] advertise = dhcp6(2, 0x51c0a1, client, server, opt6(7, u8(255)),
                ia(3, iaid, 1800, 2880, iaAddress("2001:db8:10:1::1:23", 3600, 7200)));
        byte[] request = dhcp6(3, 0x51c0a2, client, server, opt6(8, u16(100)),
                ia(3, iaid, 0, 0, iaAddress("2001:db8:10:1::1:23", 0, 0)));
        byte[] reply = dhcp6(7, 0x51c0a2, client, server,
                ia(3, iaid, 1800, 2880, iaAddress("2001:db8:10:1::1:23", 3600, 7200)));
        return List.of(
                relayToServer6(RELAY, ACCESS_RELAY6, relay(12, 0, ACCESS_RELAY6, PI_LL, solicit, forwOptions)),
                serverToRelay6(RELAY, ACCESS_RELAY6, relay(13, 0, ACCESS_RELAY6, PI_LL, advertise, interfaceId)),
                relayToServer6(RELAY, ACCESS_RELAY6, relay(12, 0, ACCESS_RELAY6, PI_LL, request, forwOptions)),
                serverToRelay6(RELAY, ACCESS_RELAY6, relay(13, 0, ACCESS_RELAY6, PI_LL, reply, interfaceId)));
    }

    /** Two and three relays deep, forward and reply; option 79 of the innermost relay wins. */
    private static List<byte[]> relayNesting() {
        byte[] kiosk = opt6(1, KIOSK_DUID_UUID);
        byte[] printer = opt6(1, PRINTER_DUID_LLT);
        byte[] pi = opt6(1, PI_DUID_EN);
        byte[] server = opt6(2, SERVER_DUID);
        String kioskLl = "fe80::5054:ff:fe12:3456";
        String printerLl = "fe80::21e:c9ff:fe33:7a18";
        byte[] accessIf = opt6(18, ascii("Gi0/1.110"));
        byte[] aggregationIf = opt6(18, ascii("ae1.200"));
        byte[] coreIf = opt6(18, ascii("xe-0/1/0"));
        byte[] remoteId = opt6(37, u32(9), ascii("agg-sw-04"));
        byte[] solicitKiosk = dhcp6(1, 0x0a0b01, kiosk, opt6(8, u16(0)), ia(3, 7, 0, 0));
        byte[] solicitPrinter = dhcp6(1, 0x0a0b02, printer, opt6(8, u16(0)), ia(3, 1, 0, 0));
        byte[] replyKiosk = dhcp6(7, 0x0a0b03, kiosk, server,
                ia(3, 7, 1800, 2880, iaAddress("2001:db8:10:1::7", 3600, 7200)));
        byte[] solicitPi = dhcp6(1, 0x0a0b04, pi, opt6(8, u16(0)), ia(3, 2, 0, 0));
        byte[] advertisePi = dhcp6(2, 0x0a0b04, pi, server, ia(3, 2, 1800, 2880,
                iaAddress("2001:db8:10:1::2", 3600, 7200)));
        return List.of(
                relayToServer6(AGGREGATION, AGGREGATION_RELAY6, relay(12, 1, AGGREGATION_RELAY6, ACCESS_RELAY6,
                        relay(12, 0, ACCESS_RELAY6, kioskLl, solicitKiosk, accessIf, opt6(79, u16(1), VM)),
                        aggregationIf)),
                relayToServer6(AGGREGATION, CORE_RELAY6, relay(12, 2, CORE_RELAY6, AGGREGATION_RELAY6,
                        relay(12, 1, AGGREGATION_RELAY6, ACCESS_RELAY6,
                                relay(12, 0, ACCESS_RELAY6, printerLl, solicitPrinter, accessIf,
                                        opt6(79, u16(1), PRINTER)),
                                remoteId),
                        coreIf)),
                serverToRelay6(AGGREGATION, AGGREGATION_RELAY6, relay(13, 1, AGGREGATION_RELAY6, ACCESS_RELAY6,
                        relay(13, 0, ACCESS_RELAY6, kioskLl, replyKiosk, accessIf), aggregationIf)),
                // A misconfigured outer relay also adds option 79 (its own neighbour): the innermost one counts.
                relayToServer6(AGGREGATION, CORE_RELAY6, relay(12, 2, CORE_RELAY6, AGGREGATION_RELAY6,
                        relay(12, 1, AGGREGATION_RELAY6, ACCESS_RELAY6,
                                relay(12, 0, ACCESS_RELAY6, PI_LL, solicitPi, accessIf, opt6(79, u16(1), PI)),
                                remoteId),
                        coreIf, opt6(79, u16(1), RELAY))),
                serverToRelay6(AGGREGATION, CORE_RELAY6, relay(13, 2, CORE_RELAY6, AGGREGATION_RELAY6,
                        relay(13, 1, AGGREGATION_RELAY6, ACCESS_RELAY6,
                                relay(13, 0, ACCESS_RELAY6, PI_LL, advertisePi, accessIf), remoteId),
                        coreIf)));
    }

    /** DUID-EN and DUID-UUID clients: the L2 source for their own unrelayed messages, a DUID hash for the server's. */
    private static List<byte[]> duidHashMarks() {
        byte[] pi = opt6(1, PI_DUID_EN);
        byte[] kiosk = opt6(1, KIOSK_DUID_UUID);
        byte[] server = opt6(2, SERVER_DUID);
        String kioskLl = "fe80::5054:ff:fe12:3456";
        return List.of(
                fromClient6(PI, PI_LL, dhcp6(1, 0x2e0001, pi, opt6(8, u16(0)), ia(3, 2, 0, 0))),
                toClient6(PI, PI_LL, dhcp6(2, 0x2e0001, pi, server,
                        ia(3, 2, 1800, 2880, iaAddress("2001:db8:0:1::2", 3600, 7200)))),
                fromClient6(VM, kioskLl, dhcp6(11, 0x2e0002, kiosk, opt6(8, u16(0)), opt6(6, u16(23, 24)))),
                toClient6(VM, kioskLl, dhcp6(7, 0x2e0002, kiosk, server,
                        opt6(23, ip("2001:db8:0:53::53")), opt6(24, dnsName("corp.example.com.")))));
    }

    /** User class 15, vendor class 16 (one and two items), two vendor-opts 17 and a client FQDN 39. */
    private static List<byte[]> userVendorClass6() {
        byte[] client = opt6(1, PRINTER_DUID_LLT);
        byte[] server = opt6(2, SERVER_DUID);
        String ll = "fe80::21e:c9ff:fe33:7a18";
        byte[] userClass = opt6(15, items16("corp-laptop", "vpn"));
        byte[] vendorOpts4491 = opt6(17, u32(4491), opt6(1, u16(32, 33, 34)));
        byte[] vendorOpts3561 = opt6(17, u32(3561), opt6(1, ascii("001EC9")), opt6(3, ascii("MFP-4410")));
        byte[] fqdn = opt6(39, u8(0x01), dnsName("mfp-4410.corp.example.com."));
        return List.of(
                fromClient6(PRINTER, ll, dhcp6(1, 0x15e001, client, opt6(8, u16(0)), opt6(6, u16(23, 24, 39, 17)),
                        userClass, opt6(16, u32(311), items16("MSFT 5.0")), vendorOpts4491, vendorOpts3561, fqdn,
                        ia(3, 1, 0, 0))),
                fromClient6(PRINTER, ll, dhcp6(3, 0x15e002, client, server, opt6(8, u16(0)), userClass,
                        opt6(16, u32(11129), items16("mfp-4410", "fw-2.31")), vendorOpts4491, fqdn,
                        ia(3, 1, 0, 0, iaAddress("2001:db8:0:1::44", 0, 0)))),
                toClient6(PRINTER, ll, dhcp6(7, 0x15e002, client, server,
                        opt6(17, u32(4491), opt6(2, ip("2001:db8:0:53::69"))),
                        opt6(39, u8(0x03), dnsName("mfp-4410.corp.example.com.")),
                        ia(3, 1, 1800, 2880, iaAddress("2001:db8:0:1::44", 3600, 7200)))));
    }

    // ================================================================== link layers

    private static Dhcp4 discover(long xid) {
        return Dhcp4.request(xid).chaddr(LAPTOP).type(1).option(61, clientId61(LAPTOP)).option(12, "pc-lab-07")
                .option(55, PRL);
    }

    private static Dhcp4 offer(long xid) {
        return Dhcp4.reply(xid).chaddr(LAPTOP).yiaddr("192.0.2.57").type(2).option(54, ip(SERVER4))
                .option(51, u32(86400)).option(1, ip("255.255.255.0")).option(3, ip("192.0.2.1"));
    }

    private static byte[] solicit(int xid) {
        return dhcp6(1, xid, opt6(1, LAPTOP_DUID), opt6(8, u16(0)), opt6(6, u16(23, 24)), ia(3, 0x0e4a910eL, 0, 0));
    }

    private static byte[] advertise(int xid) {
        return dhcp6(2, xid, opt6(1, LAPTOP_DUID), opt6(2, SERVER_DUID),
                ia(3, 0x0e4a910eL, 1800, 2880, iaAddress("2001:db8:0:1::57", 3600, 7200)));
    }

    private static byte[] solicitIp() {
        return udp6(LAPTOP_LL, "ff02::1:2", 546, 547, 1, solicit(0x1b0001));
    }

    private static byte[] advertiseIp() {
        return udp6(SERVER6_LL, LAPTOP_LL, 547, 546, 64, advertise(0x1b0001));
    }

    private static byte[] discoverIp() {
        return clientIp(discover(0x1a000001L));
    }

    private static byte[] offerIp() {
        return serverIp("192.0.2.57", 0x5101, offer(0x1a000001L));
    }

    /** Ethernet with one 802.1Q tag, priorities 0 and 6. */
    private static List<byte[]> vlan() {
        return List.of(
                ethernet(BROADCAST, LAPTOP, ETHERTYPE_IPV4, discoverIp(), dot1q(110)),
                ethernet(LAPTOP, SERVER, ETHERTYPE_IPV4, offerIp(), new Tag(TPID_8021Q, 6, 110)),
                ethernet(ALL_DHCP_MAC, LAPTOP, ETHERTYPE_IPV6, solicitIp(), dot1q(110)));
    }

    /** Two tags: 802.1ad S-tag + 802.1Q C-tag, double 802.1Q, and the pre-standard 0x9100 outer tag. */
    private static List<byte[]> qinq() {
        return List.of(
                ethernet(BROADCAST, LAPTOP, ETHERTYPE_IPV4, discoverIp(), new Tag(TPID_8021AD, 0, 300), dot1q(110)),
                ethernet(LAPTOP, SERVER, ETHERTYPE_IPV4, offerIp(), new Tag(TPID_8021AD, 0, 300), dot1q(110)),
                ethernet(ALL_DHCP_MAC, LAPTOP, ETHERTYPE_IPV6, solicitIp(), dot1q(301), dot1q(111)),
                ethernet(BROADCAST, PI, ETHERTYPE_IPV4,
                        clientIp(Dhcp4.request(0x1a000002L).chaddr(PI).type(1).option(55, u8(1, 3, 6))),
                        new Tag(0x9100, 0, 302), dot1q(112)));
    }

    /**
     * Linux cooked captures (v1 or v2): a broadcast DISCOVER in, the OFFER out, a multicast SOLICIT in (DUID-EN, so
     * the mark comes from the cooked header's source), and a SOLICIT on a tun interface (ARPHRD_NONE, no address).
     */
    private static List<byte[]> cooked(boolean v2) {
        byte[] pi = opt6(1, PI_DUID_EN);
        byte[] piSolicit = udp6(PI_LL, "ff02::1:2", 546, 547, 1,
                dhcp6(1, 0x1c0001, pi, opt6(8, u16(0)), ia(3, 2, 0, 0)));
        byte[] tunSolicit = udp6("fe80::1", "ff02::1:2", 546, 547, 1,
                dhcp6(1, 0x1c0002, pi, opt6(8, u16(0)), ia(3, 2, 0, 0)));
        Object[][] frames = {
                {1, 1, LAPTOP, ETHERTYPE_IPV4, discoverIp()},
                {4, 1, SERVER, ETHERTYPE_IPV4, offerIp()},
                {2, 1, PI, ETHERTYPE_IPV6, piSolicit},
                {0, 0xFFFE, new byte[0], ETHERTYPE_IPV6, tunSolicit},
        };
        List<byte[]> out = new ArrayList<>();
        for (Object[] f : frames) {
            int packetType = (Integer) f[0];
            int arphrd = (Integer) f[1];
            byte[] address = (byte[]) f[2];
            int protocol = (Integer) f[3];
            byte[] payload = (byte[]) f[4];
            out.add(v2 ? sll2(protocol, 3, arphrd, packetType, address, payload)
                    : sll(packetType, arphrd, address, protocol, payload));
        }
        return out;
    }

    /** LINKTYPE_RAW: IPv4 and IPv6 in one file, no link-layer source to fall back on. */
    private static List<byte[]> rawIp() {
        return List.of(
                discoverIp(),
                udp6(PI_LL, "ff02::1:2", 546, 547, 1, dhcp6(1, 0x1d0001, opt6(1, PI_DUID_EN), opt6(8, u16(0)),
                        ia(3, 2, 0, 0))),
                clientIp(Dhcp4.request(0x1d000002L).hardware(0, new byte[0]).type(1).option(55, u8(1, 3, 6))));
    }

    /** IPv6 hop-by-hop (PadN; Router Alert) and destination options before UDP. */
    private static List<byte[]> extensionHeaders() {
        byte[] pi = opt6(1, PI_DUID_EN);
        byte[] forw = relay(12, 0, ACCESS_RELAY6, PI_LL, dhcp6(1, 0x1e0002, pi, opt6(8, u16(0)), ia(3, 2, 0, 0)),
                opt6(18, ascii("Gi0/1.110")), opt6(79, u16(1), PI));
        return List.of(
                ethernet(ALL_DHCP_MAC, LAPTOP, ETHERTYPE_IPV6, udp6(LAPTOP_LL, "ff02::1:2", 546, 547, 1,
                        solicit(0x1e0001), hopByHopPadding())),
                ethernet(SERVER, RELAY, ETHERTYPE_IPV6, udp6(ACCESS_RELAY6, SERVER6, 547, 547, 64, forw,
                        hopByHopRouterAlert(0), destinationOptionsPadding())),
                ethernet(LAPTOP, SERVER, ETHERTYPE_IPV6, udp6(SERVER6_LL, LAPTOP_LL, 547, 546, 64,
                        advertise(0x1e0001), destinationOptionsPadding())));
    }

    // ================================================================== malformed

    /** Option overrun in the options field, in file and in sname; a sub-option overrun in 82; option 52 = 4. */
    private static List<byte[]> malformed4() {
        return List.of(
                // Option 12 says 40 bytes, 9 follow before the datagram ends (no END).
                fromClient4(LAPTOP, Dhcp4.request(0xbad40001L).chaddr(LAPTOP).type(3).option(61, clientId61(LAPTOP))
                        .option(50, ip("192.0.2.57")).raw(concat(u8(12, 40), ascii("pc-lab-07"))).noEnd()),
                // The last byte of the datagram is option code 55 with no length byte.
                fromClient4(LAPTOP, Dhcp4.request(0xbad40002L).chaddr(LAPTOP).type(1).option(61, clientId61(LAPTOP))
                        .raw(u8(55)).noEnd()),
                // Overloaded file: 51 is fine, then 15 claims 200 of the 122 bytes left in file.
                toClient4(LAPTOP, "192.0.2.57", 0x6601, Dhcp4.reply(0xbad40003L).chaddr(LAPTOP).yiaddr("192.0.2.57")
                        .type(2).option(54, ip(SERVER4)).option(52, u8(1))
                        .fileBytes(area(128, false, opt4(51, u32(86400)), u8(15, 200), ascii("corp.example.com")))),
                // Overloaded sname: 1 is fine, then 3 claims 80 of the 56 bytes left in sname.
                toClient4(LAPTOP, "192.0.2.57", 0x6602, Dhcp4.reply(0xbad40004L).chaddr(LAPTOP).yiaddr("192.0.2.57")
                        .type(5).option(54, ip(SERVER4)).option(51, u32(86400)).option(52, u8(2))
                        .snameBytes(area(64, false, opt4(1, ip("255.255.255.0")), u8(3, 80), ip("192.0.2.1")))),
                // Option 82 of 10 bytes: circuit-id is fine, remote-id claims 9 bytes of the 2 left.
                relayToServer4(0x0301, Dhcp4.request(0xbad40005L).hops(1).giaddr(GIADDR).chaddr(PI).type(1)
                        .option(82, concat(sub4(1, ascii("ge-1")), u8(2, 9), hex("aabb")))),
                // Option 52 = 4: not an overload value; file still holds a boot file name.
                toClient4(LAPTOP, "192.0.2.57", 0x6603, Dhcp4.reply(0xbad40006L).chaddr(LAPTOP).yiaddr("192.0.2.57")
                        .file("pxelinux.0").type(2).option(54, ip(SERVER4)).option(52, u8(4))));
    }

    /**
     * Option overruns in a message, after it, in a relay and inside an IA (the only one, and the second of two);
     * 33 relays; a relay without a message.
     */
    private static List<byte[]> malformed6() {
        byte[] client = opt6(1, LAPTOP_DUID);
        byte[] server = opt6(2, SERVER_DUID);
        byte[] deep = dhcp6(1, 0xd33001, opt6(1, PRINTER_DUID_LLT), opt6(8, u16(0)));
        for (int hop = 0; hop < 33; hop++) {
            deep = relay(12, hop, hop == 0 ? ACCESS_RELAY6 : "::", hop == 0 ? PI_LL : ACCESS_RELAY6, deep);
        }
        return List.of(
                // ORO claims 40 bytes, 4 follow.
                fromClient6(LAPTOP, LAPTOP_LL, dhcp6(1, 0xbad601, client, opt6(8, u16(0)), u16(6, 40), u16(23, 24))),
                // Three stray bytes after the last option.
                fromClient6(LAPTOP, LAPTOP_LL, dhcp6(1, 0xbad602, client, opt6(8, u16(0)), u8(0, 3, 0))),
                // A relay whose remote-id after OPTION_RELAY_MSG claims 200 bytes.
                relayToServer6(RELAY, ACCESS_RELAY6, concat(relay(12, 0, ACCESS_RELAY6, PI_LL,
                        dhcp6(1, 0xbad603, opt6(1, PI_DUID_EN), opt6(8, u16(0)))), u16(37, 200), u32(3561))),
                // IA_NA of 40 bytes holding an IAADDR that claims 40.
                fromClient6(LAPTOP, LAPTOP_LL, dhcp6(3, 0xbad604, client, server, opt6(8, u16(0)),
                        opt6(3, u32(0x0e4a910eL), u32(0), u32(0), u16(5, 40), ip("2001:db8:0:1::57"),
                                u32(0), u32(0)))),
                relayToServer6(RELAY, ACCESS_RELAY6, deep),
                relayToServer6(RELAY, ACCESS_RELAY6, relayWithout(12, 0, ACCESS_RELAY6, PI_LL,
                        opt6(18, ascii("Gi0/1.110")), opt6(79, u16(1), PI))),
                // A well-formed IA_NA, then an IA_PD whose IAPREFIX claims 40 of the 25 bytes left: the fault is at
                // the IA_PD.
                fromClient6(LAPTOP, LAPTOP_LL, dhcp6(5, 0xbad607, client, server, opt6(8, u16(0)),
                        ia(3, 0x0e4a910eL, 1800, 2880, iaAddress("2001:db8:0:1::57", 3600, 7200)),
                        opt6(25, u32(1), u32(1800), u32(2880), u16(26, 40), u32(3600), u32(7200), u8(56),
                                ip("2001:db8:ff00::")))));
    }
}
