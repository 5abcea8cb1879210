package io.dhcpshield.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helper: a UDP payload inside an IPv4/IPv6 + UDP header (what NFQUEUE delivers), and a pcap of such frames. */
final class Frames {

    private Frames() {
    }

    static ByteBuf ipv4(ByteBuf payload, int srcPort, int dstPort) {
        int n = payload.readableBytes();
        ByteBuf b = Unpooled.buffer(28 + n);
        b.writeByte(0x45).writeByte(0).writeShort(28 + n).writeInt(0).writeByte(64).writeByte(17).writeShort(0);
        b.writeInt(0xC6120002).writeInt(0xC6130002);
        b.writeShort(srcPort).writeShort(dstPort).writeShort(8 + n).writeShort(0);
        b.writeBytes(payload, payload.readerIndex(), n);
        return b;
    }

    static ByteBuf ipv6(ByteBuf payload, int srcPort, int dstPort) {
        int n = payload.readableBytes();
        ByteBuf b = Unpooled.buffer(48 + n);
        b.writeInt(0x60000000).writeShort(8 + n).writeByte(17).writeByte(64);
        b.writeLong(0x20010db800010000L).writeLong(2).writeLong(0x20010db800020000L).writeLong(2);
        b.writeShort(srcPort).writeShort(dstPort).writeShort(8 + n).writeShort(0);
        b.writeBytes(payload, payload.readerIndex(), n);
        return b;
    }

    /** Writes raw-IP frames (LINKTYPE_RAW) as a pcap file. */
    static void pcap(Path file, List<ByteBuf> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.write(h.array());
        int ts = 1;
        for (ByteBuf f : frames) {
            byte[] bytes = new byte[f.readableBytes()];
            f.getBytes(f.readerIndex(), bytes);
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(ts++).putInt(0).putInt(bytes.length).putInt(bytes.length);
            out.write(r.array());
            out.write(bytes);
        }
        Files.write(file, out.toByteArray());
    }
}
