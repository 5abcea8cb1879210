package io.dhcpshield.processor.systemd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What systemd's side of {@code NOTIFY_SOCKET} sees: a real AF_UNIX datagram socket bound at a path or an abstract
 * name, and every message received on it with the time it arrived. Waits on messages, never sleeps.
 */
public final class NotifyReceiver implements AutoCloseable {

    /** One datagram as received ({@code READY=1}, {@code STATUS=...}, possibly several lines). */
    public record Message(long nanos, String text) {
        public boolean has(String assignment) {
            return text.lines().anyMatch(l -> l.equals(assignment) || l.startsWith(assignment));
        }
    }

    private final String name;
    private final int fd;
    private final List<Message> messages = new ArrayList<>();
    private final Thread reader;
    private volatile boolean open = true;

    private NotifyReceiver(String name) {
        this.name = name;
        fd = UnixDatagram.socket(UnixDatagram.AF_UNIX, UnixDatagram.SOCK_DGRAM | UnixDatagram.SOCK_CLOEXEC, 0);
        byte[] address = UnixDatagram.address(name);
        if (fd < 0 || UnixDatagram.bind(fd, address, address.length) < 0) {
            throw new IllegalStateException("bind " + name + ": " + UnixDatagram.error());
        }
        // A short receive timeout lets close() end the reader.
        UnixDatagram.setsockopt(fd, UnixDatagram.SOL_SOCKET, UnixDatagram.SO_RCVTIMEO, new long[] {0, 100_000}, 16);
        reader = new Thread(this::read, "notify-receiver");
        reader.setDaemon(true);
        reader.start();
    }

    /** Bound at {@code name}: a path (replaced if it exists) or {@code @abstract}. */
    public static NotifyReceiver bind(String name) {
        if (name.startsWith("/")) {
            try {
                Files.deleteIfExists(Path.of(name));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new NotifyReceiver(name);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String name() {
        return name;
    }

    private void read() {
        byte[] buf = new byte[4096];
        while (open) {
            long n = UnixDatagram.recv(fd, buf, buf.length, 0);
            if (n > 0) {
                Message m = new Message(System.nanoTime(), new String(buf, 0, (int) n, StandardCharsets.UTF_8));
                synchronized (this) {
                    messages.add(m);
                    notifyAll();
                }
            }
        }
    }

    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The first message after index {@code from} that matches; fails after {@code timeout}. */
    public synchronized Message await(int from, Predicate<Message> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = Math.max(0, from); i < messages.size(); i++) {
                if (match.test(messages.get(i))) {
                    return messages.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout + "; received " + messages);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The first message that carries {@code assignment} ({@code READY=1}, {@code STATUS=}). */
    public Message await(String assignment, Duration timeout) throws InterruptedException {
        return await(0, m -> m.has(assignment), timeout, assignment);
    }

    public synchronized int indexOf(Message m) {
        return messages.indexOf(m);
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        reader.join(2000);
        UnixDatagram.close(fd);
        if (name.startsWith("/")) {
            try {
                Files.deleteIfExists(Path.of(name));
            } catch (java.io.IOException ignored) {
                // a temp file
            }
        }
    }
}
