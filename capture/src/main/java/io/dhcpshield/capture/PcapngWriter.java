package io.dhcpshield.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a pcapng file, the format Wireshark and tshark open by default: a Section Header Block, an Interface
 * Description Block for each link type as it is first used, and an Enhanced Packet Block per packet carrying its
 * comment ({@code opt_comment}, which Wireshark shows as the packet comment, tshark as {@code frame.comment}).
 * Little-endian, microsecond timestamps (the {@code if_tsresol} default), options padded to 32 bits.
 *
 * <p>Each block reaches the file in one write, without a user-space buffer: a reader that stops at {@link #size()}
 * sees whole blocks only, even while packets are still being added. Not thread-safe.
 */
public final class PcapngWriter implements Closeable {

    /** {@code LINKTYPE_ETHERNET}. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** {@code LINKTYPE_RAW}: the packet starts with its IPv4 or IPv6 header. */
    public static final int LINKTYPE_RAW = 101;
    /** The snapshot length every interface declares (Wireshark's largest ordinary one). */
    public static final int SNAPLEN = 262_144;

    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION = 1;
    static final int ENHANCED_PACKET = 6;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int OPT_END = 0;
    private static final int OPT_COMMENT = 1;
    private static final int SHB_USERAPPL = 4;
    /** Type, total length, interface id, timestamp (2), captured and original length; the trailing total length. */
    private static final int PACKET_OVERHEAD = 28 + 4;
    private static final int INTERFACE_BLOCK = 20;

    private final FileChannel channel;
    /** The link type of each interface, by interface id. */
    private int[] linkTypes = new int[0];
    private ByteBuffer block = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
    private long size;

    private PcapngWriter(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Creates {@code file} (it must not exist) and writes the section header naming {@code application}.
     */
    public static PcapngWriter create(Path file, String application) throws IOException {
        Objects.requireNonNull(file, "file");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        PcapngWriter w = new PcapngWriter(ch);
        try {
            w.writeSectionHeader(application);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return w;
    }

    /** Bytes written so far: whole blocks only. */
    public long size() {
        return size;
    }

    /**
     * How many bytes {@link #write} would add for a packet of {@code length} bytes with {@code comment}: its
     * Enhanced Packet Block, and the Interface Description Block of its link type when this is the first packet of
     * that type.
     */
    public long cost(int linkType, int length, byte[] comment) {
        long n = PACKET_OVERHEAD + pad(length) + options(comment);
        return interfaceOf(linkType) < 0 ? n + INTERFACE_BLOCK : n;
    }

    /**
     * Appends one packet.
     *
     * @param linkType   the {@code LINKTYPE_} value of the packet's first header
     * @param timeMicros when the packet was read, microseconds since the epoch
     * @param packet     the bytes from its position to its limit (left unchanged)
     * @param comment    the packet comment, UTF-8; null or empty for none
     * @return the bytes added to the file
     */
    public long write(int linkType, long timeMicros, ByteBuffer packet, byte[] comment) throws IOException {
        if (linkType < 0 || linkType > 0xFFFF) {
            throw new IllegalArgumentException("link type " + linkType + " out of range");
        }
        if (comment != null && comment.length > 0xFFFF) {
            throw new IllegalArgumentException("comment longer than 65535 bytes");
        }
        long before = size;
        int id = interfaceOf(linkType);
        if (id < 0) {
            id = writeInterface(linkType);
        }
        int length = packet.remaining();
        int total = PACKET_OVERHEAD + pad(length) + options(comment);
        ByteBuffer b = start(ENHANCED_PACKET, total);
        b.putInt(id);
        b.putInt((int) (timeMicros >>> 32));
        b.putInt((int) timeMicros);
        b.putInt(length);
        b.putInt(length);
        b.put(packet.duplicate());
        zeros(b, pad(length) - length);
        if (comment != null && comment.length > 0) {
            option(b, OPT_COMMENT, comment);
            b.putShort((short) OPT_END).putShort((short) 0);
        }
        finish(b, total);
        return size - before;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void writeSectionHeader(String application) throws IOException {
        byte[] app = application == null ? new byte[0] : application.getBytes(StandardCharsets.UTF_8);
        int total = 28 + options(app);
        ByteBuffer b = start(SECTION_HEADER, total);
        b.putInt(BYTE_ORDER_MAGIC);
        b.putShort((short) 1).putShort((short) 0);
        b.putLong(-1L); // section length not given: the file grows while it is read
        if (app.length > 0) {
            option(b, SHB_USERAPPL, app);
            b.putShort((short) OPT_END).putShort((short) 0);
        }
        finish(b, total);
    }

    private int writeInterface(int linkType) throws IOException {
        ByteBuffer b = start(INTERFACE_DESCRIPTION, INTERFACE_BLOCK);
        b.putShort((short) linkType).putShort((short) 0);
        b.putInt(SNAPLEN);
        finish(b, INTERFACE_BLOCK);
        int id = linkTypes.length;
        linkTypes = Arrays.copyOf(linkTypes, id + 1);
        linkTypes[id] = linkType;
        return id;
    }

    private int interfaceOf(int linkType) {
        for (int i = 0; i < linkTypes.length; i++) {
            if (linkTypes[i] == linkType) {
                return i;
            }
        }
        return -1;
    }

    private ByteBuffer start(int type, int total) {
        if (block.capacity() < total) {
            block = ByteBuffer.allocate(Math.max(total, block.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        block.clear();
        block.putInt(type).putInt(total);
        return block;
    }

    /** Closes the block with its repeated total length and writes it whole. */
    private void finish(ByteBuffer b, int total) throws IOException {
        b.putInt(total);
        if (b.position() != total) {
            throw new IllegalStateException("block of " + b.position() + " bytes declared " + total);
        }
        b.flip();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        size += total;
    }

    private static void option(ByteBuffer b, int code, byte[] value) {
        b.putShort((short) code).putShort((short) value.length);
        b.put(value);
        zeros(b, pad(value.length) - value.length);
    }

    /** The options' bytes: the option padded to 32 bits and the end-of-options marker; nothing without a value. */
    private static int options(byte[] value) {
        return value == null || value.length == 0 ? 0 : 4 + pad(value.length) + 4;
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }

    private static void zeros(ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            b.put((byte) 0);
        }
    }

    /**
     * What a pcapng file of ours holds, read block by block: the length of its whole blocks (a file cut mid-block
     * by a crash is valid up to there), its packets and their bytes.
     */
    public record Contents(long validLength, long packets, long packetBytes) {
    }

    /**
     * Walks {@code file}'s blocks (little-endian, as this writer writes them) and stops at the first one that is cut
     * or inconsistent. A file that does not start with a little-endian section header has no valid length.
     */
    public static Contents scan(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            long at = 0;
            long packets = 0;
            long bytes = 0;
            while (at + 12 <= fileSize) {
                head.clear();
                read(ch, head, at);
                int type = head.getInt(0);
                long total = Integer.toUnsignedLong(head.getInt(4));
                boolean first = at == 0;
                if (first && (type != SECTION_HEADER || head.getInt(8) != BYTE_ORDER_MAGIC)) {
                    break;
                }
                if (total < 12 || total % 4 != 0 || at + total > fileSize) {
                    break;
                }
                tail.clear();
                read(ch, tail, at + total - 4);
                if (Integer.toUnsignedLong(tail.getInt(0)) != total) {
                    break;
                }
                if (type == ENHANCED_PACKET && total >= PACKET_OVERHEAD) {
                    ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                    read(ch, len, at + 20);
                    packets++;
                    bytes += Integer.toUnsignedLong(len.getInt(0));
                }
                at += total;
            }
            return new Contents(at, packets, bytes);
        }
    }

    private static void read(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
