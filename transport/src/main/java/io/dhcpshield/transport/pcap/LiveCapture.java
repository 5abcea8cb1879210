package io.dhcpshield.transport.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Live capture of an Ethernet interface through libpcap ({@code pcap_create} … {@code pcap_activate}), with a kernel
 * BPF filter so that only matching frames reach user space. Only Ethernet ({@code DLT_EN10MB}) interfaces open.
 *
 * <p>One thread reads ({@link #next}) and closes; {@link #breakLoop()} may be called from any other thread to wake
 * the reader. {@link #stats()} belongs to the reading thread too.
 *
 * <p>The handle is non-blocking and {@link #next} waits with its own {@code poll(2)} on the capture socket: libpcap
 * 1.10's blocking read keeps polling through its own timeout until a frame arrives, which would leave a reader on a
 * quiet interface stuck (and an agent's watchdog thinking it wedged).
 */
public final class LiveCapture implements AutoCloseable {

    private static final LibPcap PCAP = LibPcap.INSTANCE;
    /** The longest single wait in {@link #next}: how soon a {@link #breakLoop()} is seen by a reader that waits. */
    private static final int WAIT_SLICE_MILLIS = 100;
    private static final short POLLIN = 0x001;
    private static final short POLLERR = 0x008;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ERROR = 4;
    private static final int ENODEV = 19;
    private static final int ENETDOWN = 100;

    /** poll(2) from libc (direct mapping). */
    private static final class LibC {
        static {
            com.sun.jna.Native.register(com.sun.jna.Platform.C_LIBRARY_NAME);
        }

        static native int poll(Pointer fds, long nfds, int timeoutMillis);

        static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);
    }

    /**
     * How to open a capture.
     *
     * @param device the interface name
     * @param snaplen bytes kept of each frame; longer frames arrive cut, with their original length
     * @param promiscuous whether to put the interface in promiscuous mode
     * @param bufferBytes the kernel ring buffer size
     * @param timeoutMillis how long {@link #next} waits for a frame before it returns {@link Read#TIMEOUT}
     * @param filter a pcap-filter(7) expression, compiled and installed in the kernel; null or empty: everything
     */
    public record Options(String device, int snaplen, boolean promiscuous, int bufferBytes, int timeoutMillis,
                          String filter) {
        public Options {
            Objects.requireNonNull(device, "device");
            if (device.isEmpty()) {
                throw new IllegalArgumentException("device must not be empty");
            }
            if (snaplen < 64 || snaplen > 262_144) {
                throw new IllegalArgumentException("snaplen must be 64..262144, was " + snaplen);
            }
            if (bufferBytes < 65_536) {
                throw new IllegalArgumentException("bufferBytes must be at least 65536, was " + bufferBytes);
            }
            if (timeoutMillis < 1) {
                throw new IllegalArgumentException("timeoutMillis must be positive, was " + timeoutMillis);
            }
        }
    }

    /** Receives one frame: {@code data} is valid only during the call (it points into libpcap's ring). */
    @FunctionalInterface
    public interface FrameHandler {
        void frame(ByteBuffer data, int originalLength);
    }

    /** What one {@link #next} call did. */
    public enum Read {
        /** A frame went to the handler. */
        FRAME,
        /** No frame within the timeout. */
        TIMEOUT,
        /** {@link #breakLoop()} was called. */
        STOPPED
    }

    /**
     * The kernel's counters since the capture opened (libpcap's {@code struct pcap_stat}; 32-bit, so they wrap).
     *
     * @param received frames that passed the filter
     * @param dropped frames the filter passed but the ring had no room for
     * @param interfaceDropped frames the interface dropped, as the driver reports it
     */
    public record Stats(long received, long dropped, long interfaceDropped) {
    }

    private final String device;
    private final PointerByReference header = new PointerByReference();
    private final PointerByReference data = new PointerByReference();
    private final Memory statBuffer = new Memory(LibPcap.STAT_SIZE);
    /** One struct pollfd: int fd, short events, short revents. */
    private final Memory pollFd = new Memory(8);
    /** getsockopt(SO_ERROR)'s int and its socklen_t. */
    private final Memory socketError = new Memory(8);
    private final int timeoutMillis;
    private volatile Pointer handle;
    private volatile boolean breakRequested;

    private LiveCapture(String device, Pointer handle, int fd, int timeoutMillis) {
        this.device = device;
        this.handle = handle;
        this.timeoutMillis = timeoutMillis;
        pollFd.setInt(0, fd);
        pollFd.setShort(4, POLLIN);
    }

    /**
     * Opens and activates a capture, checks the link type is Ethernet and installs the filter.
     *
     * @throws PcapException naming the device and libpcap's reason: no such device, permission denied (CAP_NET_RAW
     *     is needed), interface down, not Ethernet, or a filter that does not compile
     */
    public static LiveCapture open(Options options) {
        Objects.requireNonNull(options, "options");
        byte[] errbuf = new byte[LibPcap.PCAP_ERRBUF_SIZE];
        Pointer p = PCAP.pcap_create(options.device(), errbuf);
        if (p == null) {
            throw new PcapException("Cannot capture on " + options.device() + ": " + Native.toString(errbuf));
        }
        try {
            check(p, options.device(), "snaplen", PCAP.pcap_set_snaplen(p, options.snaplen()));
            check(p, options.device(), "promiscuous mode", PCAP.pcap_set_promisc(p, options.promiscuous() ? 1 : 0));
            // Immediate mode: frames are delivered as they arrive, not when a ring block fills or times out.
            check(p, options.device(), "immediate mode", PCAP.pcap_set_immediate_mode(p, 1));
            check(p, options.device(), "buffer size", PCAP.pcap_set_buffer_size(p, options.bufferBytes()));
            check(p, options.device(), "timeout", PCAP.pcap_set_timeout(p, options.timeoutMillis()));
            int rc = PCAP.pcap_activate(p);
            if (rc < 0) {
                throw new PcapException("Cannot capture on " + options.device() + ": " + PCAP.pcap_statustostr(rc)
                        + detail(p, rc));
            }
            int dlt = PCAP.pcap_datalink(p);
            if (dlt != LibPcap.DLT_EN10MB) {
                throw new PcapException("Cannot capture on " + options.device() + ": its link type is "
                        + PCAP.pcap_datalink_val_to_name(dlt) + " (" + dlt + "), not Ethernet (EN10MB);"
                        + " only Ethernet interfaces are supported");
            }
            if (options.filter() != null && !options.filter().isBlank()) {
                setFilter(p, options.device(), options.filter());
            }
            if (PCAP.pcap_setnonblock(p, 1, errbuf) != 0) {
                throw new PcapException("Cannot capture on " + options.device() + ": non-blocking mode: "
                        + Native.toString(errbuf));
            }
            int fd = PCAP.pcap_get_selectable_fd(p);
            if (fd < 0) {
                throw new PcapException("Cannot capture on " + options.device() + ": no selectable descriptor");
            }
            return new LiveCapture(options.device(), p, fd, options.timeoutMillis());
        } catch (RuntimeException e) {
            PCAP.pcap_close(p);
            throw e;
        }
    }

    private static void setFilter(Pointer p, String device, String filter) {
        Memory program = new Memory(LibPcap.BPF_PROGRAM_SIZE);
        program.clear();
        if (PCAP.pcap_compile(p, program, filter, 1, LibPcap.PCAP_NETMASK_UNKNOWN) != 0) {
            throw new PcapException("Cannot compile filter '" + filter + "' for " + device + ": "
                    + PCAP.pcap_geterr(p));
        }
        try {
            if (PCAP.pcap_setfilter(p, program) != 0) {
                throw new PcapException("Cannot install filter '" + filter + "' on " + device + ": "
                        + PCAP.pcap_geterr(p));
            }
        } finally {
            // pcap_setfilter copied the program (and the kernel its own copy).
            PCAP.pcap_freecode(program);
        }
    }

    private static void check(Pointer p, String device, String what, int rc) {
        if (rc != 0) {
            throw new PcapException("Cannot set " + what + " on " + device + ": " + PCAP.pcap_statustostr(rc));
        }
    }

    private static String detail(Pointer p, int rc) {
        String err = PCAP.pcap_geterr(p);
        return err == null || err.isEmpty() ? "" : " (" + err + ")";
    }

    /** The interface name. */
    public String device() {
        return device;
    }

    /**
     * Waits up to the timeout for one frame and hands it to {@code handler}.
     *
     * @throws PcapException if the capture failed (the interface went away or down)
     * @throws IllegalStateException if closed
     */
    public Read next(FrameHandler handler) {
        Pointer p = open();
        int rc = PCAP.pcap_next_ex(p, header, data);
        if (rc == 0) {
            // Nothing in the ring: wait for the socket ourselves, in slices so that a breakLoop() is seen soon.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (rc == 0 && !breakRequested) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return Read.TIMEOUT;
                }
                // A timeout, EINTR or a readable socket all end in another look. A socket error is the kernel's word
                // that the interface went down (ENETDOWN) or away (ENODEV): libpcap 1.10's non-blocking read does not
                // report it (the socket would stay in error, poll returning at once, and capture nothing until the
                // interface came back), so it fails the capture here and the caller reopens.
                if (LibC.poll(pollFd, 1, (int) Math.min(left, WAIT_SLICE_MILLIS)) > 0
                        && (pollFd.getShort(6) & POLLERR) != 0) {
                    failIfSocketError();
                }
                rc = PCAP.pcap_next_ex(p, header, data);
            }
            if (rc == 0) {
                breakRequested = false;
                return Read.STOPPED;
            }
        }
        if (rc == 1) {
            Pointer h = header.getValue();
            int captured = h.getInt(LibPcap.PKTHDR_CAPLEN);
            int original = (int) Math.min(Integer.toUnsignedLong(h.getInt(LibPcap.PKTHDR_LEN)), Integer.MAX_VALUE);
            handler.frame(data.getValue().getByteBuffer(0, captured), original);
            return Read.FRAME;
        }
        if (rc == 0) {
            return Read.TIMEOUT;
        }
        if (rc == LibPcap.PCAP_ERROR_BREAK) {
            breakRequested = false;
            return Read.STOPPED;
        }
        throw new PcapException("Capture on " + device + " failed: " + PCAP.pcap_geterr(p));
    }

    /** Reads (and clears) the capture socket's pending error; throws when there is one. */
    private void failIfSocketError() {
        socketError.setInt(0, 0);
        socketError.setInt(4, 4);
        if (LibC.getsockopt(pollFd.getInt(0), SOL_SOCKET, SO_ERROR, socketError, socketError.share(4)) != 0) {
            return;
        }
        int err = socketError.getInt(0);
        if (err != 0) {
            String what = err == ENETDOWN ? "the interface went down" : err == ENODEV ? "the interface went away"
                    : "socket error " + err;
            throw new PcapException("Capture on " + device + " failed: " + what);
        }
    }

    /** The kernel's counters (pcap_stats); call from the reading thread. */
    public Stats stats() {
        Pointer p = open();
        if (PCAP.pcap_stats(p, statBuffer) != 0) {
            throw new PcapException("Cannot read statistics of " + device + ": " + PCAP.pcap_geterr(p));
        }
        return new Stats(Integer.toUnsignedLong(statBuffer.getInt(LibPcap.STAT_RECV)),
                Integer.toUnsignedLong(statBuffer.getInt(LibPcap.STAT_DROP)),
                Integer.toUnsignedLong(statBuffer.getInt(LibPcap.STAT_IFDROP)));
    }

    /** Makes a {@link #next} in progress (or the next one) return {@link Read#STOPPED}; safe from any thread. */
    public void breakLoop() {
        // Under the lock, so that close cannot free the handle between the read and the call.
        synchronized (this) {
            Pointer p = handle;
            if (p != null) {
                breakRequested = true;
                PCAP.pcap_breakloop(p);
            }
        }
    }

    private Pointer open() {
        Pointer p = handle;
        if (p == null) {
            throw new IllegalStateException("closed: " + device);
        }
        return p;
    }

    /** Releases the handle; call from the reading thread, once it no longer reads. Calling it again does nothing. */
    @Override
    public void close() {
        Pointer p;
        synchronized (this) {
            p = handle;
            handle = null;
        }
        if (p != null) {
            PCAP.pcap_close(p);
        }
    }

    @Override
    public String toString() {
        return "LiveCapture[" + device + ']';
    }
}
