package io.dhcpshield.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Builds DHCP packets byte by byte for tests: payloads, then IP/UDP, then link-layer framing around them. */
public final class TestPackets {

    public static final byte[] CLIENT_MAC = hex("02:00:5e:10:20:30");
    public static final byte[] ROUTER_MAC = hex("02:00:5e:99:88:77");

    private TestPackets() {
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(":", "").replace(" ", ""));
    }

    public static ByteBuf buf(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }

    public static Classification classify(byte[] frame, Framing framing) {
        return PacketClassifier.classify(buf(frame), 0, frame.length, framing, new Classification());
    }

    public static DecodedPacket decode(byte[] frame, Framing framing) {
        return DhcpDecoder.decode(buf(frame), 0, frame.length, framing);
    }

    /** A DHCPv4 message builder; options are appended raw, in call order, to the options area. */
    public static final class Dhcp4 {
        int op = 1;
        int htype = 1;
        int hlen = 6;
        int xid = 0x11223344;
        byte[] giaddr = new byte[4];
        byte[] yiaddr = new byte[4];
        byte[] chaddr = CLIENT_MAC;
        byte[] sname = new byte[64];
        byte[] file = new byte[128];
        int cookie = 0x63825363;
        final ByteArrayOutputStream options = new ByteArrayOutputStream();
        boolean end = true;

        public Dhcp4 op(int v) { op = v; return this; }
        public Dhcp4 htype(int v) { htype = v; return this; }
        public Dhcp4 hlen(int v) { hlen = v; return this; }
        public Dhcp4 xid(int v) { xid = v; return this; }
        public Dhcp4 giaddr(int a, int b, int c, int d) { giaddr = new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}; return this; }
        public Dhcp4 yiaddr(int a, int b, int c, int d) { yiaddr = new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}; return this; }
        public Dhcp4 chaddr(byte[] v) { chaddr = v; return this; }
        public Dhcp4 sname(byte[] v) { sname = java.util.Arrays.copyOf(v, 64); return this; }
        public Dhcp4 file(byte[] v) { file = java.util.Arrays.copyOf(v, 128); return this; }
        public Dhcp4 cookie(int v) { cookie = v; return this; }
        public Dhcp4 noEnd() { end = false; return this; }

        public Dhcp4 option(int code, byte[] value) {
            options.write(code);
            options.write(value.length);
            options.writeBytes(value);
            return this;
        }

        public Dhcp4 option(int code, String text) {
            return option(code, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        public Dhcp4 type(int messageType) {
            return option(53, new byte[] {(byte) messageType});
        }

        public Dhcp4 raw(byte... bytes) {
            options.writeBytes(bytes);
            return this;
        }

        public byte[] payload() {
            ByteBuf b = Unpooled.buffer();
            b.writeByte(op).writeByte(htype).writeByte(hlen).writeByte(0).writeInt(xid).writeShort(0).writeShort(0);
            b.writeZero(4).writeBytes(yiaddr).writeZero(4).writeBytes(giaddr);
            b.writeBytes(java.util.Arrays.copyOf(chaddr, 16));
            b.writeBytes(sname).writeBytes(file).writeInt(cookie);
            b.writeBytes(options.toByteArray());
            if (end) {
                b.writeByte(255);
            }
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        }

        /** IPv4 + UDP 68 → 67 around the payload, as NFQUEUE delivers it. */
        public byte[] ip() {
            return ipv4Udp(payload(), 68, 67);
        }

        public byte[] ethernet() {
            return TestPackets.ethernet(CLIENT_MAC, 0x0800, ip());
        }
    }

    /** A DHCPv6 client/server message builder. */
    public static final class Dhcp6 {
        int type;
        int xid = 0xabcdef;
        final ByteArrayOutputStream options = new ByteArrayOutputStream();

        public Dhcp6(int type) {
            this.type = type;
        }

        public Dhcp6 option(int code, byte[] value) {
            options.write(code >>> 8);
            options.write(code);
            options.write(value.length >>> 8);
            options.write(value.length);
            options.writeBytes(value);
            return this;
        }

        public Dhcp6 raw(byte... bytes) {
            options.writeBytes(bytes);
            return this;
        }

        public byte[] payload() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(type);
            out.write(xid >>> 16);
            out.write(xid >>> 8);
            out.write(xid);
            out.writeBytes(options.toByteArray());
            return out.toByteArray();
        }
    }

    /** A DHCPv6 option TLV. */
    public static byte[] opt6(int code, byte[] value) {
        return new Dhcp6(0).option(code, value).options.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A RELAY-FORW (12) wrapper around {@code inner}, with extra relay options before OPTION_RELAY_MSG. */
    public static byte[] relayForw(int hopCount, byte[] linkAddress, byte[] peerAddress, byte[] inner, byte[]... extra) {
        return relay(12, hopCount, linkAddress, peerAddress, inner, extra);
    }

    public static byte[] relay(int type, int hopCount, byte[] linkAddress, byte[] peerAddress, byte[] inner,
                               byte[]... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(hopCount);
        out.writeBytes(linkAddress);
        out.writeBytes(peerAddress);
        for (byte[] e : extra) {
            out.writeBytes(e);
        }
        out.writeBytes(opt6(9, inner));
        return out.toByteArray();
    }

    public static byte[] ipv4Udp(byte[] payload, int srcPort, int dstPort) {
        ByteBuf b = Unpooled.buffer();
        int total = 20 + 8 + payload.length;
        b.writeByte(0x45).writeByte(0).writeShort(total).writeShort(1).writeShort(0).writeByte(64).writeByte(17)
                .writeShort(0).writeInt(0).writeInt(0xFFFFFFFF);
        b.writeShort(srcPort).writeShort(dstPort).writeShort(8 + payload.length).writeShort(0).writeBytes(payload);
        return bytes(b);
    }

    public static byte[] ipv6Udp(byte[] payload, int srcPort, int dstPort) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0x60000000).writeShort(8 + payload.length).writeByte(17).writeByte(64);
        b.writeBytes(hex("fe800000000000000000000000000001"));
        b.writeBytes(hex("ff020000000000000000000000010002"));
        b.writeShort(srcPort).writeShort(dstPort).writeShort(8 + payload.length).writeShort(0).writeBytes(payload);
        return bytes(b);
    }

    public static byte[] ethernet(byte[] src, int etherType, byte[] l3, int... vlans) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(hex("ffffffffffff")).writeBytes(src);
        for (int i = 0; i < vlans.length; i++) {
            b.writeShort(i == 0 && vlans.length > 1 ? 0x88A8 : 0x8100).writeShort(vlans[i]);
        }
        b.writeShort(etherType).writeBytes(l3);
        return bytes(b);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
