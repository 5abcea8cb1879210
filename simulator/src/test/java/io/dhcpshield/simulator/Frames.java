package io.dhcpshield.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test helper: a UDP payload inside an IPv4/IPv6 + UDP header, as NFQUEUE delivers it to the decoder. */
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
}
