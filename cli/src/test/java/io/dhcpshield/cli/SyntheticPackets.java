package io.dhcpshield.cli;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Builds the frames of the synthetic captures byte by byte (the shape of core's {@code TestPackets}): DHCPv4 and
 * DHCPv6 payloads, then UDP over IPv4/IPv6 with correct lengths and checksums, then a link-layer header around them.
 * Every builder is deterministic, so the generated captures are byte-identical from run to run.
 */
final class SyntheticPackets {

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int TPID_8021Q = 0x8100;
    static final int TPID_8021AD = 0x88A8;

    private SyntheticPackets() {
    }

    // ================================================================== values

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[: ]", ""));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] ip(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static byte[] u8(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] u16(int... values) {
        Bytes b = new Bytes();
        for (int v : values) {
            b.u16(v);
        }
        return b.toArray();
    }

    static byte[] u32(long v) {
        return new Bytes().u32(v).toArray();
    }

    static byte[] concat(byte[]... parts) {
        Bytes b = new Bytes();
        for (byte[] p : parts) {
            b.bytes(p);
        }
        return b.toArray();
    }

    /** A DNS wire-format name (RFC 1035 labels); a trailing dot adds the root label, as in a fully qualified name. */
    static byte[] dnsName(String name) {
        Bytes b = new Bytes();
        String body = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (String label : body.split("\\.")) {
            b.u8(label.length()).bytes(ascii(label));
        }
        if (name.endsWith(".")) {
            b.u8(0);
        }
        return b.toArray();
    }

    /** A growable big-endian byte sink. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Bytes u32(long v) {
            return u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
        }

        Bytes bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }

    // ================================================================== DHCPv4

    /** A DHCPv4 option TLV; RFC 3396 splitting is done by the caller writing several TLVs with the same code. */
    static byte[] opt4(int code, byte[] value) {
        if (value.length > 255) {
            throw new IllegalArgumentException("option " + code + " is " + value.length + " bytes");
        }
        return concat(u8(code, value.length), value);
    }

    static byte[] opt4(int code, String text) {
        return opt4(code, ascii(text));
    }

    /** An Option 82 (or other TLV-in-TLV) sub-option: one-byte code and length. */
    static byte[] sub4(int code, byte[] value) {
        return opt4(code, value);
    }

    /**
     * An option area of exactly {@code size} bytes: the TLVs, END, then PAD. Used for the {@code sname} (64) and
     * {@code file} (128) fields under option 52, and for a malformed area without END ({@code end = false}).
     */
    static byte[] area(int size, boolean end, byte[]... options) {
        Bytes b = new Bytes();
        for (byte[] o : options) {
            b.bytes(o);
        }
        if (end) {
            b.u8(255);
        }
        if (b.size() > size) {
            throw new IllegalArgumentException("area of " + b.size() + " bytes > " + size);
        }
        return Arrays.copyOf(b.toArray(), size);
    }

    /** A DHCPv4/BOOTP message: the 236-byte fixed header, the magic cookie, then the options written in call order. */
    static final class Dhcp4 {
        private int op;
        private int htype = 1;
        private int hlen = 6;
        private int hops;
        private final long xid;
        private int secs;
        private int flags;
        private byte[] ciaddr = new byte[4];
        private byte[] yiaddr = new byte[4];
        private byte[] siaddr = new byte[4];
        private byte[] giaddr = new byte[4];
        private byte[] chaddr = new byte[16];
        private byte[] sname = new byte[64];
        private byte[] file = new byte[128];
        private final Bytes options = new Bytes();
        private boolean end = true;

        private Dhcp4(int op, long xid) {
            this.op = op;
            this.xid = xid;
        }

        /** A client message (op BOOTREQUEST). */
        static Dhcp4 request(long xid) {
            return new Dhcp4(1, xid);
        }

        /** A server message (op BOOTREPLY). */
        static Dhcp4 reply(long xid) {
            return new Dhcp4(2, xid);
        }

        Dhcp4 hardware(int type, byte[] address) {
            htype = type;
            hlen = address.length;
            chaddr = Arrays.copyOf(address, 16);
            return this;
        }

        Dhcp4 chaddr(byte[] mac) {
            return hardware(1, mac);
        }

        Dhcp4 hops(int v) {
            hops = v;
            return this;
        }

        Dhcp4 secs(int v) {
            secs = v;
            return this;
        }

        Dhcp4 broadcast() {
            flags = 0x8000;
            return this;
        }

        Dhcp4 ciaddr(String a) {
            ciaddr = ip(a);
            return this;
        }

        Dhcp4 yiaddr(String a) {
            yiaddr = ip(a);
            return this;
        }

        Dhcp4 siaddr(String a) {
            siaddr = ip(a);
            return this;
        }

        Dhcp4 giaddr(String a) {
            giaddr = ip(a);
            return this;
        }

        /** The server host name field as text (NUL padded). */
        Dhcp4 sname(String text) {
            return snameBytes(Arrays.copyOf(ascii(text), 64));
        }

        /** The boot file name field as text (NUL padded). */
        Dhcp4 file(String text) {
            return fileBytes(Arrays.copyOf(ascii(text), 128));
        }

        /** The 64 raw bytes of sname, e.g. an {@link #area} of overloaded options. */
        Dhcp4 snameBytes(byte[] v) {
            sname = Arrays.copyOf(v, 64);
            return this;
        }

        /** The 128 raw bytes of file, e.g. an {@link #area} of overloaded options. */
        Dhcp4 fileBytes(byte[] v) {
            file = Arrays.copyOf(v, 128);
            return this;
        }

        Dhcp4 type(int messageType) {
            return option(53, u8(messageType));
        }

        Dhcp4 option(int code, byte[] value) {
            options.bytes(opt4(code, value));
            return this;
        }

        Dhcp4 option(int code, String text) {
            return option(code, ascii(text));
        }

        /** Bytes written as they are into the options field (for malformed TLVs). */
        Dhcp4 raw(byte[] bytes) {
            options.bytes(bytes);
            return this;
        }

        /** Leaves out the END option (the area then ends with the UDP payload). */
        Dhcp4 noEnd() {
            end = false;
            return this;
        }

        byte[] build() {
            Bytes b = new Bytes().u8(op).u8(htype).u8(hlen).u8(hops).u32(xid).u16(secs).u16(flags);
            b.bytes(ciaddr).bytes(yiaddr).bytes(siaddr).bytes(giaddr).bytes(chaddr).bytes(sname).bytes(file);
            b.u32(0x63825363L).bytes(options.toArray());
            if (end) {
                b.u8(255);
            }
            return b.toArray();
        }
    }

    // ================================================================== DHCPv6

    /** A DHCPv6 option TLV: two-byte code and length. */
    static byte[] opt6(int code, byte[]... value) {
        byte[] v = concat(value);
        return concat(u16(code, v.length), v);
    }

    static byte[] duidLlt(int hardwareType, long time, byte[] linkLayer) {
        return concat(u16(1, hardwareType), u32(time), linkLayer);
    }

    static byte[] duidEn(long enterprise, byte[] identifier) {
        return concat(u16(2), u32(enterprise), identifier);
    }

    static byte[] duidLl(int hardwareType, byte[] linkLayer) {
        return concat(u16(3, hardwareType), linkLayer);
    }

    static byte[] duidUuid(String uuid) {
        return concat(u16(4), hex(uuid.replace("-", "")));
    }

    /** IA_NA (3) or IA_PD (25): IAID, T1, T2, then the nested options. */
    static byte[] ia(int code, long iaid, long t1, long t2, byte[]... nested) {
        return opt6(code, u32(iaid), u32(t1), u32(t2), concat(nested));
    }

    static byte[] iaAddress(String address, long preferred, long valid, byte[]... nested) {
        return opt6(5, ip(address), u32(preferred), u32(valid), concat(nested));
    }

    static byte[] iaPrefix(String prefix, int length, long preferred, long valid, byte[]... nested) {
        return opt6(26, u32(preferred), u32(valid), u8(length), ip(prefix), concat(nested));
    }

    static byte[] status(int code, String message) {
        return opt6(13, u16(code), ascii(message));
    }

    /** Items each prefixed by a two-byte length (user class 15, vendor class 16 data). */
    static byte[] items16(String... items) {
        Bytes b = new Bytes();
        for (String s : items) {
            b.u16(s.length()).bytes(ascii(s));
        }
        return b.toArray();
    }

    /** A DHCPv6 client/server message: type, transaction id, options. */
    static byte[] dhcp6(int type, int xid, byte[]... options) {
        return concat(u8(type, xid >>> 16, xid >>> 8, xid), concat(options));
    }

    /** A RELAY-FORW (12) or RELAY-REPL (13): the relay's options first, then OPTION_RELAY_MSG around {@code inner}. */
    static byte[] relay(int type, int hopCount, String linkAddress, String peerAddress, byte[] inner,
                        byte[]... relayOptions) {
        return concat(u8(type, hopCount), ip(linkAddress), ip(peerAddress), concat(relayOptions), opt6(9, inner));
    }

    /** A relay header and options with no OPTION_RELAY_MSG at all (malformed). */
    static byte[] relayWithout(int type, int hopCount, String linkAddress, String peerAddress, byte[]... options) {
        return concat(u8(type, hopCount), ip(linkAddress), ip(peerAddress), concat(options));
    }

    // ================================================================== IP and UDP

    /** A UDP datagram in IPv4: DF clear, given TTL and identification, header and UDP checksums computed. */
    static byte[] udp4(String src, String dst, int srcPort, int dstPort, int ttl, int id, byte[] payload) {
        return udp4(src, dst, srcPort, dstPort, ttl, id, 0, payload);
    }

    static byte[] udp4(String src, String dst, int srcPort, int dstPort, int ttl, int id, int tos, byte[] payload) {
        byte[] s = ip(src);
        byte[] d = ip(dst);
        byte[] udp = udp(srcPort, dstPort, payload, pseudo4(s, d, 8 + payload.length));
        byte[] header = new Bytes().u8(0x45).u8(tos).u16(20 + udp.length).u16(id).u16(0).u8(ttl).u8(17).u16(0)
                .bytes(s).bytes(d).toArray();
        int sum = checksum(header);
        header[10] = (byte) (sum >>> 8);
        header[11] = (byte) sum;
        return concat(header, udp);
    }

    /**
     * A UDP datagram in IPv6, optionally behind extension headers ({@link #hopByHop}, {@link #destinationOptions}),
     * each given with its next-header value; the UDP checksum covers the IPv6 pseudo-header.
     */
    static byte[] udp6(String src, String dst, int srcPort, int dstPort, int hopLimit, byte[] payload,
                       Extension... extensions) {
        byte[] s = ip(src);
        byte[] d = ip(dst);
        byte[] udp = udp(srcPort, dstPort, payload, pseudo6(s, d, 8 + payload.length));
        Bytes chain = new Bytes();
        for (int i = 0; i < extensions.length; i++) {
            int next = i + 1 < extensions.length ? extensions[i + 1].type() : 17;
            byte[] body = extensions[i].body();
            if ((body.length + 2) % 8 != 0) {
                throw new IllegalArgumentException("extension header not a multiple of 8 bytes");
            }
            chain.u8(next).u8((body.length + 2) / 8 - 1).bytes(body);
        }
        int first = extensions.length > 0 ? extensions[0].type() : 17;
        byte[] ext = chain.toArray();
        return new Bytes().u32(0x60000000L).u16(ext.length + udp.length).u8(first).u8(hopLimit).bytes(s).bytes(d)
                .bytes(ext).bytes(udp).toArray();
    }

    /** An IPv6 extension header: its protocol number and the bytes after next-header and length. */
    record Extension(int type, byte[] body) {
    }

    /** Hop-by-hop options (0): a Router Alert (RFC 2711) with {@code value}, then a two-byte PadN to 8 bytes. */
    static Extension hopByHopRouterAlert(int value) {
        return new Extension(0, concat(u8(5, 2), u16(value), u8(1, 0)));
    }

    /** Hop-by-hop options (0) holding one PadN that fills the header to 8 bytes. */
    static Extension hopByHopPadding() {
        return new Extension(0, u8(1, 4, 0, 0, 0, 0));
    }

    /** Destination options (60) holding one PadN. */
    static Extension destinationOptionsPadding() {
        return new Extension(60, u8(1, 4, 0, 0, 0, 0));
    }

    private static byte[] udp(int srcPort, int dstPort, byte[] payload, byte[] pseudo) {
        byte[] udp = new Bytes().u16(srcPort).u16(dstPort).u16(8 + payload.length).u16(0).bytes(payload).toArray();
        int sum = checksum(concat(pseudo, udp));
        if (sum == 0) {
            sum = 0xFFFF;
        }
        udp[6] = (byte) (sum >>> 8);
        udp[7] = (byte) sum;
        return udp;
    }

    private static byte[] pseudo4(byte[] src, byte[] dst, int udpLength) {
        return new Bytes().bytes(src).bytes(dst).u8(0).u8(17).u16(udpLength).toArray();
    }

    private static byte[] pseudo6(byte[] src, byte[] dst, int udpLength) {
        return new Bytes().bytes(src).bytes(dst).u32(udpLength).u32(17).toArray();
    }

    /** The Internet checksum (RFC 1071). */
    private static int checksum(byte[] b) {
        long sum = 0;
        for (int i = 0; i < b.length; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (i + 1 < b.length ? b[i + 1] & 0xFF : 0);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    // ================================================================== link layer

    /** A VLAN tag: TPID (0x8100, 0x88a8, 0x9100), priority and VLAN id. */
    record Tag(int tpid, int priority, int vid) {
    }

    static Tag dot1q(int vid) {
        return new Tag(TPID_8021Q, 0, vid);
    }

    /** Ethernet II, with the VLAN tags outermost first. */
    static byte[] ethernet(byte[] dst, byte[] src, int etherType, byte[] payload, Tag... tags) {
        Bytes b = new Bytes().bytes(dst).bytes(src);
        for (Tag t : tags) {
            b.u16(t.tpid()).u16(t.priority() << 13 | t.vid());
        }
        return b.u16(etherType).bytes(payload).toArray();
    }

    /** Linux cooked capture v1: packet type (0 to us, 1 broadcast, 4 outgoing), ARPHRD type, address, protocol. */
    static byte[] sll(int packetType, int arphrd, byte[] address, int protocol, byte[] payload) {
        return new Bytes().u16(packetType).u16(arphrd).u16(address.length).bytes(Arrays.copyOf(address, 8))
                .u16(protocol).bytes(payload).toArray();
    }

    /** Linux cooked capture v2: protocol, interface index, ARPHRD type, packet type, address. */
    static byte[] sll2(int protocol, int ifIndex, int arphrd, int packetType, byte[] address, byte[] payload) {
        return new Bytes().u16(protocol).u16(0).u32(ifIndex).u16(arphrd).u8(packetType).u8(address.length)
                .bytes(Arrays.copyOf(address, 8)).bytes(payload).toArray();
    }
}
