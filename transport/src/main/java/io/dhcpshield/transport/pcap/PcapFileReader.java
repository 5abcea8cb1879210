package io.dhcpshield.transport.pcap;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Reads the frames of a pcap or pcapng file, with nanosecond timestamps, through libpcap.
 *
 * <p>Like {@link java.nio.file.DirectoryStream}, it is an {@link Iterable} that hands out a single iterator, which
 * shares its position with {@link #next()} and ends once the reader is closed. Instances are not thread-safe.
 */
public final class PcapFileReader implements Iterable<PcapFrame>, AutoCloseable {

    private static final LibPcap PCAP = LibPcap.INSTANCE;

    private final String file;
    private final int linkType;
    private final PointerByReference header = new PointerByReference();
    private final PointerByReference data = new PointerByReference();
    private Pointer handle;
    private long frameNumber;
    private boolean iteratorTaken;

    private PcapFileReader(String file, Pointer handle) {
        this.file = file;
        this.handle = handle;
        this.linkType = DltMapping.toLinkType(PCAP.pcap_datalink(handle));
    }

    /**
     * Opens a capture file for reading.
     *
     * @throws PcapException if the file cannot be opened or is not a capture file libpcap understands
     */
    public static PcapFileReader open(Path path) {
        Objects.requireNonNull(path, "path");
        String file = path.toAbsolutePath().toString();
        byte[] errbuf = new byte[LibPcap.PCAP_ERRBUF_SIZE];
        Pointer handle = PCAP.pcap_open_offline_with_tstamp_precision(
                file, LibPcap.PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (handle == null) {
            throw new PcapException("Cannot open capture file " + file + ": " + Native.toString(errbuf));
        }
        return new PcapFileReader(file, handle);
    }

    /** The file's link-layer header type, one of the {@link LinkTypes} values for the types this product handles. */
    public int linkType() {
        return linkType;
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, or {@code null} at the end of the file
     * @throws PcapException if the file is truncated or corrupt
     * @throws IllegalStateException if the reader is closed
     */
    public PcapFrame next() {
        Pointer p = handle;
        if (p == null) {
            throw new IllegalStateException("closed: " + file);
        }
        int rc = PCAP.pcap_next_ex(p, header, data);
        if (rc == 1) {
            return frame();
        }
        if (rc == LibPcap.PCAP_ERROR_BREAK) {
            return null;
        }
        throw new PcapException("Cannot read frame " + (frameNumber + 1) + " of " + file + ": " + PCAP.pcap_geterr(p));
    }

    private PcapFrame frame() {
        Pointer h = header.getValue();
        long seconds = h.getNativeLong(LibPcap.PKTHDR_TV_SEC).longValue();
        long nanos = h.getNativeLong(LibPcap.PKTHDR_TV_USEC).longValue();
        int capturedLength = h.getInt(LibPcap.PKTHDR_CAPLEN);
        // len is unsigned and, unlike caplen, never checked by libpcap.
        int originalLength = (int) Math.min(Integer.toUnsignedLong(h.getInt(LibPcap.PKTHDR_LEN)), Integer.MAX_VALUE);
        byte[] bytes = data.getValue().getByteArray(0, capturedLength);
        return new PcapFrame(++frameNumber, seconds * 1_000_000_000L + nanos, originalLength, linkType, bytes);
    }

    /**
     * The frames not yet read.
     *
     * @throws IllegalStateException if called more than once
     */
    @Override
    public Iterator<PcapFrame> iterator() {
        if (iteratorTaken) {
            throw new IllegalStateException("iterator already obtained: " + file);
        }
        iteratorTaken = true;
        return new Iterator<>() {
            private PcapFrame pending;

            @Override
            public boolean hasNext() {
                if (pending == null && handle != null) {
                    pending = PcapFileReader.this.next();
                }
                return pending != null;
            }

            @Override
            public PcapFrame next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                PcapFrame frame = pending;
                pending = null;
                return frame;
            }
        };
    }

    /** Releases the libpcap handle; calling it again has no effect. */
    @Override
    public void close() {
        Pointer p = handle;
        if (p != null) {
            handle = null;
            PCAP.pcap_close(p);
        }
    }

    @Override
    public String toString() {
        return "PcapFileReader[" + file + ", " + LinkTypes.name(linkType) + ']';
    }
}
