package io.dhcpshield.transport.nfqueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Moves the calling thread into a named network namespace ({@code ip netns add NAME}) with setns(2). Only that thread
 * moves; a socket keeps the namespace it was created in, so a queue reader opened on such a thread reads that
 * namespace's queues.
 */
public final class NetworkNamespace {

    private static final String DIRECTORY = "/var/run/netns/";

    private NetworkNamespace() {
    }

    /** Checks that {@code name} is a namespace {@code ip netns} knows. */
    public static void check(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("network namespace name must be a plain name, was " + name);
        }
        if (!Files.exists(Path.of(DIRECTORY, name))) {
            throw new IllegalArgumentException("network namespace " + name + " does not exist (no " + DIRECTORY
                    + name + ")");
        }
    }

    /** Moves the calling thread into namespace {@code name}; needs CAP_SYS_ADMIN. */
    public static void enter(String name) {
        check(name);
        int fd = Syscalls.open(DIRECTORY + name, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        if (fd < 0) {
            throw new UncheckedIOException(NetlinkSocket.failure("open(" + DIRECTORY + name + ")", Syscalls.errno()));
        }
        try {
            if (Syscalls.setns(fd, Syscalls.CLONE_NEWNET) < 0) {
                throw new UncheckedIOException(new IOException("setns(" + name + ") failed: "
                        + Syscalls.describe(Syscalls.errno())));
            }
        } finally {
            Syscalls.close(fd);
        }
    }

    /** Threads from {@code delegate} that enter namespace {@code name} before running their task. */
    public static ThreadFactory threadFactory(String name, ThreadFactory delegate) {
        check(name);
        Objects.requireNonNull(delegate, "delegate");
        return task -> delegate.newThread(() -> {
            enter(name);
            task.run();
        });
    }
}
