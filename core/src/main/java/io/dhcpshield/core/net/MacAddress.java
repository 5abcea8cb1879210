package io.dhcpshield.core.net;

import io.netty.buffer.ByteBuf;

/**
 * A 48-bit IEEE 802 MAC address held in the low bits of a {@code long}, so that identity can be carried without
 * allocating a byte array per packet.
 */
public record MacAddress(long value) implements Comparable<MacAddress> {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public MacAddress {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: " + Long.toHexString(value));
        }
    }

    /** Reads six bytes at an absolute index without moving the buffer's reader index. */
    public static MacAddress read(ByteBuf buf, int index) {
        return new MacAddress(readLong(buf, index));
    }

    /** The six bytes at {@code index} as a 48-bit number; no allocation. */
    public static long readLong(ByteBuf buf, int index) {
        return ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2);
    }

    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} or {@code aa-bb-cc-dd-ee-ff}, case-insensitive. */
    public static MacAddress parse(String text) {
        String hex = text.trim().replace(":", "").replace("-", "");
        if (hex.length() != 12) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        try {
            return new MacAddress(Long.parseLong(hex, 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'", e);
        }
    }

    /** The last three bytes, the part of the MAC that becomes the 24-bit client mark. */
    public int low24() {
        return (int) (value & 0xFF_FFFF);
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    @Override
    public int compareTo(MacAddress other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            int b = (int) (value >>> (40 - 8 * i)) & 0xFF;
            out[i * 3] = HEX[b >>> 4];
            out[i * 3 + 1] = HEX[b & 0xF];
            if (i < 5) {
                out[i * 3 + 2] = ':';
            }
        }
        return new String(out);
    }
}
