package io.dhcpshield.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.util.ByteProcessor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.Charset;

/**
 * A heap buffer that is larger than the packet it holds and fails every read outside the packet's window with an
 * {@link OutOfWindowRead}. The bytes around the window are poison (0xA5), so a stray read that the guard missed would
 * still change the result. The error is not an {@link IndexOutOfBoundsException} on purpose: the decoder catches
 * those (to keep the verdict), and a read past the caller's slice must surface in a test instead.
 */
final class WindowedByteBuf extends UnpooledHeapByteBuf {

    static final byte POISON = (byte) 0xA5;

    /** A read the decoder made outside the slice it was given. */
    static final class OutOfWindowRead extends AssertionError {
        OutOfWindowRead(String message) {
            super(message);
        }
    }

    private final int from;
    private final int to;

    private WindowedByteBuf(byte[] array, int from, int to) {
        super(UnpooledByteBufAllocator.DEFAULT, array, array.length);
        this.from = from;
        this.to = to;
    }

    /** {@code packet} at index {@code before}, with {@code before} and {@code after} poison bytes around it. */
    static WindowedByteBuf around(byte[] packet, int before, int after) {
        byte[] array = new byte[before + packet.length + after];
        java.util.Arrays.fill(array, POISON);
        System.arraycopy(packet, 0, array, before, packet.length);
        return new WindowedByteBuf(array, before, before + packet.length);
    }

    /** Index of the packet's first byte. */
    int windowIndex() {
        return from;
    }

    int windowLength() {
        return to - from;
    }

    private void check(int index, int length) {
        if (index < from || length < 0 || index > to - length) {
            throw new OutOfWindowRead("read of " + length + " bytes at " + index + " outside the packet [" + from + ", "
                    + to + ")");
        }
    }

    @Override
    protected byte _getByte(int index) {
        check(index, 1);
        return super._getByte(index);
    }

    @Override
    protected short _getShort(int index) {
        check(index, 2);
        return super._getShort(index);
    }

    @Override
    protected short _getShortLE(int index) {
        check(index, 2);
        return super._getShortLE(index);
    }

    @Override
    protected int _getUnsignedMedium(int index) {
        check(index, 3);
        return super._getUnsignedMedium(index);
    }

    @Override
    protected int _getUnsignedMediumLE(int index) {
        check(index, 3);
        return super._getUnsignedMediumLE(index);
    }

    @Override
    protected int _getInt(int index) {
        check(index, 4);
        return super._getInt(index);
    }

    @Override
    protected int _getIntLE(int index) {
        check(index, 4);
        return super._getIntLE(index);
    }

    @Override
    protected long _getLong(int index) {
        check(index, 8);
        return super._getLong(index);
    }

    @Override
    protected long _getLongLE(int index) {
        check(index, 8);
        return super._getLongLE(index);
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        check(index, length);
        return super.getBytes(index, dst, dstIndex, length);
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        check(index, length);
        return super.getBytes(index, dst, dstIndex, length);
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        check(index, dst.remaining());
        return super.getBytes(index, dst);
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
        check(index, length);
        return super.getBytes(index, out, length);
    }

    @Override
    public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        check(index, length);
        return super.getBytes(index, out, length);
    }

    @Override
    public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        check(index, length);
        return super.getBytes(index, out, position, length);
    }

    @Override
    public CharSequence getCharSequence(int index, int length, Charset charset) {
        check(index, length);
        return super.getCharSequence(index, length, charset);
    }

    @Override
    public String toString(int index, int length, Charset charset) {
        check(index, length);
        return super.toString(index, length, charset);
    }

    @Override
    public int indexOf(int fromIndex, int toIndex, byte value) {
        check(Math.min(fromIndex, toIndex), Math.abs(toIndex - fromIndex));
        return super.indexOf(fromIndex, toIndex, value);
    }

    @Override
    public int forEachByte(int index, int length, ByteProcessor processor) {
        check(index, length);
        return super.forEachByte(index, length, processor);
    }

    @Override
    public int forEachByteDesc(int index, int length, ByteProcessor processor) {
        check(index, length);
        return super.forEachByteDesc(index, length, processor);
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) {
        check(index, length);
        return super.nioBuffer(index, length);
    }

    @Override
    public ByteBuffer internalNioBuffer(int index, int length) {
        check(index, length);
        return super.internalNioBuffer(index, length);
    }

    @Override
    public ByteBuf copy(int index, int length) {
        check(index, length);
        return super.copy(index, length);
    }

    @Override
    public ByteBuf slice(int index, int length) {
        check(index, length);
        return super.slice(index, length);
    }

    @Override
    public ByteBuf retainedSlice(int index, int length) {
        check(index, length);
        return super.retainedSlice(index, length);
    }

    /** The raw array would let a reader around the guard. */
    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("the packet is read through the guarded getters only");
    }

    @Override
    public ByteBuf duplicate() {
        throw new UnsupportedOperationException("a duplicate would not be guarded");
    }

    @Override
    public ByteBuf retainedDuplicate() {
        throw new UnsupportedOperationException("a duplicate would not be guarded");
    }
}
