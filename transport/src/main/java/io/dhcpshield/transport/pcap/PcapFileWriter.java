package io.dhcpshield.transport.pcap;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes frames to a pcap file with nanosecond timestamps through libpcap's dump functions.
 *
 * <p>Instances are not thread-safe.
 */
public final class PcapFileWriter implements AutoCloseable {

    /** The largest snapshot length libpcap accepts for ordinary link types. */
    public static final int MAX_SNAPLEN = 262_144;

    private static final LibPcap PCAP = LibPcap.INSTANCE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String file;
    private final int snaplen;
    private final Pointer pcap;
    private final Memory packet;
    private final Pointer payload;
    private Pointer dumper;

    private PcapFileWriter(String file, int snaplen, Pointer pcap, Pointer dumper, Memory packet) {
        this.file = file;
        this.snaplen = snaplen;
        this.pcap = pcap;
        this.dumper = dumper;
        this.packet = packet;
        this.payload = packet.share(LibPcap.PKTHDR_SIZE);
    }

    /**
     * Creates or truncates a pcap file.
     *
     * @param linkType the {@code LINKTYPE_} value written to the file header, for example {@link LinkTypes#RAW}
     * @param snaplen the snapshot length: longer frames are written truncated to it, between 1 and
     *        {@link #MAX_SNAPLEN}
     * @throws PcapException if the file cannot be created or libpcap does not know the link type
     */
    public static PcapFileWriter create(Path path, int linkType, int snaplen) {
        Objects.requireNonNull(path, "path");
        if (snaplen < 1 || snaplen > MAX_SNAPLEN) {
            throw new IllegalArgumentException("snaplen: " + snaplen + " (expected: 1-" + MAX_SNAPLEN + ')');
        }
        String file = path.toAbsolutePath().toString();
        Memory packet = new Memory(LibPcap.PKTHDR_SIZE + snaplen);
        Pointer pcap = PCAP.pcap_open_dead_with_tstamp_precision(
                DltMapping.toDlt(linkType), snaplen, LibPcap.PCAP_TSTAMP_PRECISION_NANO);
        if (pcap == null) {
            packet.close();
            throw new PcapException("Cannot create capture file " + file + ": out of memory");
        }
        Pointer dumper = PCAP.pcap_dump_open(pcap, file);
        if (dumper == null) {
            String error = PCAP.pcap_geterr(pcap);
            PCAP.pcap_close(pcap);
            packet.close();
            throw new PcapException("Cannot create capture file " + file + ": " + error);
        }
        return new PcapFileWriter(file, snaplen, pcap, dumper, packet);
    }

    /**
     * Appends a frame of {@code length} bytes from {@code data}, keeping at most the snapshot length of them.
     *
     * @param epochNanos the frame's timestamp in nanoseconds since the epoch
     * @throws IllegalStateException if the writer is closed
     */
    public void write(long epochNanos, byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        if (epochNanos < 0) {
            throw new IllegalArgumentException("epochNanos: " + epochNanos + " (expected: >= 0)");
        }
        Pointer d = openDumper();
        int capturedLength = Math.min(length, snaplen);
        packet.setNativeLong(LibPcap.PKTHDR_TV_SEC, new NativeLong(epochNanos / NANOS_PER_SECOND));
        packet.setNativeLong(LibPcap.PKTHDR_TV_USEC, new NativeLong(epochNanos % NANOS_PER_SECOND));
        packet.setInt(LibPcap.PKTHDR_CAPLEN, capturedLength);
        packet.setInt(LibPcap.PKTHDR_LEN, length);
        payload.write(0, data, offset, capturedLength);
        PCAP.pcap_dump(d, packet, payload);
    }

    /**
     * Pushes buffered frames to the file.
     *
     * @throws PcapException if the operating system rejects the write
     * @throws IllegalStateException if the writer is closed
     */
    public void flush() {
        if (PCAP.pcap_dump_flush(openDumper()) != 0) {
            throw new PcapException("Cannot flush capture file " + file);
        }
    }

    private Pointer openDumper() {
        Pointer d = dumper;
        if (d == null) {
            throw new IllegalStateException("closed: " + file);
        }
        return d;
    }

    /**
     * Flushes and closes the file and releases native memory; calling it again has no effect.
     *
     * @throws PcapException if the final flush fails, after everything was released
     */
    @Override
    public void close() {
        Pointer d = dumper;
        if (d == null) {
            return;
        }
        dumper = null;
        boolean flushed = PCAP.pcap_dump_flush(d) == 0;
        PCAP.pcap_dump_close(d);
        PCAP.pcap_close(pcap);
        packet.close();
        if (!flushed) {
            throw new PcapException("Cannot flush capture file " + file);
        }
    }

    @Override
    public String toString() {
        return "PcapFileWriter[" + file + ']';
    }
}
