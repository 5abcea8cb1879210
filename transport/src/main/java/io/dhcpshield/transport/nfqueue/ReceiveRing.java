package io.dhcpshield.transport.nfqueue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The preallocated receive side of one binding: {@code batch} slots of {@code slotBytes} each, and the mmsghdr and
 * iovec arrays recvmmsg fills, set up once. Memory is GC-owned direct buffers, so a flyweight kept by mistake
 * reads stale bytes instead of freed memory.
 */
final class ReceiveRing {

    /** struct mmsghdr on x86-64: a 56-byte msghdr, then unsigned msg_len, padded to 64. */
    static final int MMSGHDR_SIZE = 64;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;
    private static final int IOVEC_SIZE = 16;

    private final int batch;
    private final int slotBytes;
    private final ByteBuffer slots;
    private final ByteBuffer headers;
    private final long headersAddress;
    private final ByteBuf slotsBuf;

    ReceiveRing(int batch, int slotBytes) {
        this.batch = batch;
        this.slotBytes = slotBytes;
        this.slots = ByteBuffer.allocateDirect(batch * slotBytes).order(ByteOrder.nativeOrder());
        this.headers = ByteBuffer.allocateDirect(batch * (MMSGHDR_SIZE + IOVEC_SIZE)).order(ByteOrder.nativeOrder());
        this.headersAddress = address(headers);
        long slotsAddress = address(slots);
        long iovecs = headersAddress + (long) batch * MMSGHDR_SIZE;
        for (int i = 0; i < batch; i++) {
            int iov = batch * MMSGHDR_SIZE + i * IOVEC_SIZE;
            headers.putLong(iov, slotsAddress + (long) i * slotBytes);
            headers.putLong(iov + 8, slotBytes);
            int h = i * MMSGHDR_SIZE;
            headers.putLong(h + MSG_IOV, iovecs + (long) i * IOVEC_SIZE);
            headers.putLong(h + MSG_IOVLEN, 1);
        }
        this.slotsBuf = Unpooled.wrappedBuffer(slots.duplicate().clear());
    }

    static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    int batch() {
        return batch;
    }

    /** The mmsghdr array to pass to recvmmsg. */
    long vector() {
        return headersAddress;
    }

    /** All slots as native-order memory, for the parser. */
    ByteBuffer memory() {
        return slots;
    }

    /** All slots as a Netty buffer, for the flyweight (payload indexes are absolute). */
    ByteBuf buffer() {
        return slotsBuf;
    }

    int offset(int slot) {
        return slot * slotBytes;
    }

    /** Bytes received into {@code slot} by the last recvmmsg. */
    int length(int slot) {
        return headers.getInt(slot * MMSGHDR_SIZE + MSG_LEN);
    }

    /** msg_flags of {@code slot} (MSG_TRUNC when the datagram did not fit). */
    int flags(int slot) {
        return headers.getInt(slot * MMSGHDR_SIZE + MSG_FLAGS);
    }
}
