package io.dhcpshield.core.mark;

import io.netty.buffer.ByteBuf;

/**
 * The 24-bit client mark of a client without a recoverable MAC: FNV-1a (32-bit) over the identifier's bytes, folded
 * to 24 bits by XOR of the top byte into the rest. Stable across runs and machines, so kernel set entries survive
 * restarts.
 */
public final class ClientHash {

    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private ClientHash() {
    }

    /** The hash state before any byte, for an identifier read in pieces ({@link #update}, then {@link #finish}). */
    public static final int START = FNV_OFFSET;

    public static int of(ByteBuf buf, int index, int length) {
        return finish(update(START, buf, index, length));
    }

    /** Adds {@code length} bytes at {@code index} to the hash state {@code h}. */
    public static int update(int h, ByteBuf buf, int index, int length) {
        for (int i = index, end = index + length; i < end; i++) {
            h ^= buf.getUnsignedByte(i);
            h *= FNV_PRIME;
        }
        return h;
    }

    /** The 24-bit client mark of a hash state. */
    public static int finish(int h) {
        return fold(h);
    }

    public static int of(byte[] bytes) {
        int h = FNV_OFFSET;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return fold(h);
    }

    private static int fold(int h) {
        return ((h >>> 24) ^ h) & PacketMark.CLIENT_MASK;
    }
}
