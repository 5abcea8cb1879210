package io.dhcpshield.microbench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small big-endian byte writer with the TLV shapes DHCP uses, plus the IPv4/IPv6 + UDP wrapping a packet has when
 * NFQUEUE hands it over (raw IP, no link layer). Benchmark fixtures only: nothing here is on a measured path.
 */
final class PacketBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    static PacketBuilder create() {
        return new PacketBuilder();
    }

    PacketBuilder u8(int v) {
        out.write(v);
        return this;
    }

    PacketBuilder u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    PacketBuilder u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    PacketBuilder bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    PacketBuilder ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    PacketBuilder zeros(int n) {
        return bytes(new byte[n]);
    }

    /** A DHCPv4 option (or sub-option): one-byte code, one-byte length, value. */
    PacketBuilder tlv8(int code, byte[] value) {
        if (value.length > 255) {
            throw new IllegalArgumentException("DHCPv4 option " + code + " value is " + value.length + " bytes");
        }
        return u8(code).u8(value.length).bytes(value);
    }

    /** A DHCPv6 option: two-byte code, two-byte length, value. */
    PacketBuilder tlv16(int code, byte[] value) {
        return u16(code).u16(value.length).bytes(value);
    }

    int size() {
        return out.size();
    }

    byte[] build() {
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- value helpers

    static byte[] bytesOf(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] mac(long mac) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return b;
    }

    static byte[] ipv4(int a, int b, int c, int d) {
        return bytesOf(a, b, c, d);
    }

    /** An IPv6 address from its eight 16-bit groups. */
    static byte[] ipv6(int... groups) {
        if (groups.length != 8) {
            throw new IllegalArgumentException("an IPv6 address has 8 groups");
        }
        PacketBuilder b = create();
        for (int g : groups) {
            b.u16(g);
        }
        return b.build();
    }

    /** A domain name in DNS wire format (length-prefixed labels, root label last). */
    static byte[] dnsName(String name) {
        PacketBuilder b = create();
        for (String label : name.split("\\.")) {
            b.u8(label.length()).ascii(label);
        }
        return b.u8(0).build();
    }

    /** {@code data} with only its first {@code length} bytes, as a capture or copy range that cut it. */
    static byte[] cut(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    // ---------------------------------------------------------------- IP + UDP (what NFQUEUE delivers)

    /** IPv4 header (no options, TTL 64, DF clear) + UDP header with its checksum + payload. */
    static byte[] ipv4Udp(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        byte[] udp = udp(srcPort, dstPort, payload,
                pseudoHeaderSum(src, dst, 17, udpLength));
        PacketBuilder ip = create()
                .u8(0x45).u8(0)                  // version 4, IHL 5; DSCP/ECN
                .u16(20 + udpLength)             // total length
                .u16(0x1234).u16(0)              // identification; flags + fragment offset
                .u8(64).u8(17).u16(0)            // TTL; protocol UDP; checksum (filled below)
                .bytes(src).bytes(dst);
        byte[] header = ip.build();
        int sum = fold(sum(header, 0, header.length, 0));
        header[10] = (byte) (~sum >>> 8);
        header[11] = (byte) ~sum;
        return create().bytes(header).bytes(udp).build();
    }

    /** IPv6 header (next header UDP, hop limit 64) + UDP header with its (mandatory) checksum + payload. */
    static byte[] ipv6Udp(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        byte[] udp = udp(srcPort, dstPort, payload, pseudoHeaderSum(src, dst, 17, udpLength));
        return create()
                .u32(0x6000_0000L)               // version 6, traffic class 0, flow label 0
                .u16(udpLength).u8(17).u8(64)    // payload length; next header UDP; hop limit
                .bytes(src).bytes(dst)
                .bytes(udp)
                .build();
    }

    private static byte[] udp(int srcPort, int dstPort, byte[] payload, int pseudoSum) {
        byte[] udp = create().u16(srcPort).u16(dstPort).u16(8 + payload.length).u16(0).bytes(payload).build();
        int sum = ~fold(sum(udp, 0, udp.length, pseudoSum)) & 0xFFFF;
        if (sum == 0) {
            sum = 0xFFFF;
        }
        udp[6] = (byte) (sum >>> 8);
        udp[7] = (byte) sum;
        return udp;
    }

    private static int pseudoHeaderSum(byte[] src, byte[] dst, int protocol, int length) {
        return sum(dst, 0, dst.length, sum(src, 0, src.length, 0)) + protocol + length;
    }

    private static int sum(byte[] b, int from, int to, int sum) {
        for (int i = from; i < to; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        return sum;
    }

    private static int fold(int sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }
}
