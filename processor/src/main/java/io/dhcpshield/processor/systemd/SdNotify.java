package io.dhcpshield.processor.systemd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sd_notify(3)} without libsystemd: each state ({@code READY=1}, {@code STATUS=...}, {@code WATCHDOG=1},
 * {@code STOPPING=1}) is one datagram to the AF_UNIX socket systemd names in {@code $NOTIFY_SOCKET} (a path, or an
 * abstract name starting with {@code @}). Without {@code NOTIFY_SOCKET} (not under systemd, or
 * {@code Type=simple}) every call does nothing. A failed send is logged once and otherwise ignored: notification is
 * advisory and must never stop the daemon. Thread-safe.
 */
public final class SdNotify implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);
    private static final SdNotify DISABLED = new SdNotify(null, -1);

    private final byte[] address;
    private int fd;
    private boolean failureLogged;

    private SdNotify(byte[] address, int fd) {
        this.address = address;
        this.fd = fd;
    }

    /** From {@code $NOTIFY_SOCKET}; disabled when it is not set. */
    public static SdNotify fromEnvironment() {
        return of(System.getenv("NOTIFY_SOCKET"));
    }

    /** To the socket {@code name} (a path or {@code @abstract}); disabled when null or empty. */
    public static SdNotify of(String name) {
        if (name == null || name.isEmpty()) {
            return DISABLED;
        }
        if (!name.startsWith("/") && !name.startsWith("@")) {
            log.warn("NOTIFY_SOCKET {} is not an AF_UNIX path or abstract name: not notifying systemd", name);
            return DISABLED;
        }
        byte[] address = UnixDatagram.address(name);
        int fd = UnixDatagram.socket(UnixDatagram.AF_UNIX, UnixDatagram.SOCK_DGRAM | UnixDatagram.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            log.warn("cannot open a socket to notify systemd: {}", UnixDatagram.error());
            return DISABLED;
        }
        return new SdNotify(address, fd);
    }

    /**
     * The watchdog interval systemd expects pings within ({@code $WATCHDOG_USEC}), when it is meant for this process
     * ({@code $WATCHDOG_PID} absent or ours).
     */
    public static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec == null || usec.isBlank() || (forPid != null && !forPid.isBlank() && !forPid.equals(
                Long.toString(pid)))) {
            return Optional.empty();
        }
        try {
            long us = Long.parseLong(usec.trim());
            return us > 0 ? Optional.of(Duration.ofNanos(us * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            log.warn("WATCHDOG_USEC {} is not a number: no watchdog pings", usec);
            return Optional.empty();
        }
    }

    public boolean enabled() {
        return address != null;
    }

    /** Sends one or more newline-separated assignments; false when disabled or the send failed. */
    public synchronized boolean send(String state) {
        if (address == null || fd < 0) {
            return false;
        }
        byte[] b = state.getBytes(StandardCharsets.UTF_8);
        long n = UnixDatagram.sendto(fd, b, b.length, UnixDatagram.MSG_NOSIGNAL, address, address.length);
        if (n < 0) {
            if (!failureLogged) {
                failureLogged = true;
                log.warn("notifying systemd failed ({}); later failures are not logged", UnixDatagram.error());
            }
            return false;
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            UnixDatagram.close(fd);
            fd = -1;
        }
    }
}
