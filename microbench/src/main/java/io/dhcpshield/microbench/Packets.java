package io.dhcpshield.microbench;

import static io.dhcpshield.microbench.PacketBuilder.bytesOf;
import static io.dhcpshield.microbench.PacketBuilder.create;
import static io.dhcpshield.microbench.PacketBuilder.dnsName;
import static io.dhcpshield.microbench.PacketBuilder.ipv4;
import static io.dhcpshield.microbench.PacketBuilder.ipv6;
import static io.dhcpshield.microbench.PacketBuilder.mac;

import io.dhcpshield.core.mark.PacketMark;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark packets, byte for byte as NFQUEUE hands them to the appliance (raw IP, {@code Framing.IP}), with the
 * mark each must classify to.
 */
final class Packets {

    /** The DHCPv4 client: its chaddr (and option 61) MAC. */
    static final long V4_CLIENT_MAC = 0x3C22FB_A1B2C3L;
    /** DHCPDISCOVER type code 0x01, client mark = the last three bytes of chaddr. */
    static final int V4_DISCOVER_MARK = PacketMark.compose(0x01, (int) V4_CLIENT_MAC);

    /** The DHCPv6 client: the MAC in its DUID-LLT (and in the inner relay's option 79). */
    static final long V6_CLIENT_MAC = 0x525400_123456L;
    /** RELAY-FORW type code 0x1C (outermost type), client mark = the last three bytes of the DUID-LLT MAC. */
    static final int V6_RELAY_MARK = PacketMark.compose(0x10 + 12, (int) V6_CLIENT_MAC);

    /** Where {@link #truncatedDiscover()} is cut: this many bytes into the value of option 55 (the PRL). */
    private static final int CUT_INTO_PRL = 5;

    private Packets() {
    }

    /** A relayed DHCPDISCOVER (relay 10.20.30.1 to server 10.0.0.10, port 67 to 67) with 12 options, then END. */
    static byte[] discover() {
        PacketBuilder message = create();
        writeDiscover(message);
        return ipv4Udp(message.build());
    }

    /**
     * {@link #discover()} as a copy range or snap length would cut it: the headers keep their full lengths and the
     * bytes stop in the middle of option 55, so the classifier must report a typed error yet still mark the packet.
     */
    static byte[] truncatedDiscover() {
        PacketBuilder message = create();
        int prlOffset = writeDiscover(message);
        byte[] whole = ipv4Udp(message.build());
        int ipAndUdpHeaders = whole.length - message.size();
        return PacketBuilder.cut(whole, ipAndUdpHeaders + prlOffset + 2 + CUT_INTO_PRL);
    }

    private static byte[] ipv4Udp(byte[] dhcp) {
        return PacketBuilder.ipv4Udp(ipv4(10, 20, 30, 1), ipv4(10, 0, 0, 10), 67, 67, dhcp);
    }

    /** Writes the DHCPv4 message and returns the offset of option 55 inside it. */
    private static int writeDiscover(PacketBuilder m) {
        byte[] chaddr = mac(V4_CLIENT_MAC);
        m.u8(1).u8(1).u8(6).u8(1)           // op BOOTREQUEST, htype Ethernet, hlen 6, hops 1 (one relay)
                .u32(0x5EED_F00DL)           // xid
                .u16(0).u16(0x8000)          // secs; flags: broadcast
                .bytes(ipv4(0, 0, 0, 0))     // ciaddr
                .bytes(ipv4(0, 0, 0, 0))     // yiaddr
                .bytes(ipv4(0, 0, 0, 0))     // siaddr
                .bytes(ipv4(10, 20, 30, 1))  // giaddr: the relay
                .bytes(chaddr).zeros(10)     // chaddr, padded to 16
                .zeros(64)                   // sname
                .zeros(128)                  // file
                .u32(0x63825363L);           // magic cookie

        m.tlv8(53, bytesOf(1));                                          // DHCPDISCOVER
        m.tlv8(61, create().u8(1).bytes(chaddr).build());                // client id: type 1 + MAC
        m.tlv8(50, ipv4(10, 20, 30, 57));                                // requested address
        m.tlv8(12, ascii("laptop-42"));                                  // hostname
        m.tlv8(60, ascii("MSFT 5.0"));                                   // vendor class
        int prlOffset = m.size();
        m.tlv8(55, bytesOf(1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 121, 249)); // PRL, 12 codes
        m.tlv8(57, create().u16(1500).build());                          // max message size
        m.tlv8(81, create().u8(0x05).u8(0).u8(0)                         // client FQDN: flags S|E, rcodes
                .bytes(dnsName("laptop-42.corp.example.com")).build());
        m.tlv8(116, bytesOf(1));                                         // auto-configure
        m.tlv8(145, bytesOf(1));                                         // FORCERENEW nonce: HMAC-MD5
        m.tlv8(77, create().u8(8).ascii("corp-lan").build());            // user class, one RFC 3004 item
        m.tlv8(82, create()                                              // relay agent information
                .tlv8(1, ascii("ge-0/0/7.100:vlan100"))                  //   circuit-id
                .tlv8(2, mac(0x001B21_0A0B0CL))                          //   remote-id: the switch
                .build());
        m.u8(255);                                                       // END
        return prlOffset;
    }

    /**
     * A SOLICIT forwarded by two relays, as the outer relay (2001:db8:0:1::1) sends it to the server (2001:db8::547),
     * port 547 to 547: outer RELAY-FORW (interface-id 18, remote-id 37) around an inner RELAY-FORW (option 79, the
     * client's link-layer address) around the SOLICIT (client id DUID-LLT, IA_NA, ORO, elapsed time, vendor class).
     */
    static byte[] relayedSolicit() {
        byte[] clientMac = mac(V6_CLIENT_MAC);
        byte[] solicit = create()
                .u8(1).u8(0x1A).u16(0x2B3C)                                  // SOLICIT, transaction id
                .tlv16(1, create().u16(1).u16(1)                             // client id: DUID-LLT, Ethernet,
                        .u32(0x2F1E_0C00L).bytes(clientMac).build())         //   time, MAC
                .tlv16(3, create().u32(0x0000_0001L).u32(0).u32(0).build())  // IA_NA: IAID 1, T1 0, T2 0
                .tlv16(6, create().u16(23).u16(24).u16(39).u16(82).u16(17).build()) // ORO
                .tlv16(8, create().u16(0).build())                           // elapsed time
                .tlv16(16, create().u32(311)                                 // vendor class: Microsoft,
                        .u16(8).ascii("MSFT 5.0").build())                   //   one item
                .build();
        byte[] innerRelay = create()
                .u8(12).u8(0)                                                // RELAY-FORW, hop-count 0
                .bytes(ipv6(0x2001, 0xdb8, 0, 0x10, 0, 0, 0, 1))             // link-address: client's link
                .bytes(ipv6(0xfe80, 0, 0, 0, 0x5054, 0x00ff, 0xfe12, 0x3456)) // peer-address: the client
                .tlv16(79, create().u16(1).bytes(clientMac).build())         // client link-layer address
                .tlv16(9, solicit)                                           // relay message
                .build();
        byte[] outerRelay = create()
                .u8(12).u8(1)                                                // RELAY-FORW, hop-count 1
                .bytes(ipv6(0, 0, 0, 0, 0, 0, 0, 0))                         // link-address: unspecified
                .bytes(ipv6(0x2001, 0xdb8, 0, 0x10, 0, 0, 0, 1))             // peer-address: the inner relay
                .tlv16(18, ascii("ae1.210"))                                 // interface-id
                .tlv16(37, create().u32(3561)                                // remote-id: enterprise,
                        .ascii("olt-7/1/3:ont-12").build())                  //   id
                .tlv16(9, innerRelay)                                        // relay message
                .build();
        return PacketBuilder.ipv6Udp(ipv6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1), ipv6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x547),
                547, 547, outerRelay);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
