package io.dhcpshield.transport.nfqueue;

import static io.dhcpshield.transport.nfqueue.Syscalls.errno;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NETLINK_NETFILTER socket. Setup methods throw; the hot-path methods return {@code -errno} instead, and a closed
 * socket answers {@code -EBADF} without touching a file descriptor number that may already belong to someone else.
 */
final class NetlinkSocket {

    private static final Logger log = LoggerFactory.getLogger(NetlinkSocket.class);
    /** How long the blocking setup reads (the bind ACK) may wait. */
    private static final int SETUP_TIMEOUT_SECONDS = 2;

    private final int fd;
    /** recvmmsg and send of the read loop (FFM where the JDK has it). */
    private final DataPathCalls calls;
    private final FileDescriptor fileDescriptor;
    private volatile boolean closed;

    private NetlinkSocket(int fd, DataPathCalls calls) {
        this.fd = fd;
        this.calls = calls;
        // Netty's epoll registration asks isOpen() before EPOLL_CTL_DEL; answer from our own state.
        this.fileDescriptor = new FileDescriptor(fd) {
            @Override
            public boolean isOpen() {
                return !closed;
            }
        };
    }

    /** Opens and binds the socket (kernel-assigned portid) with the buffer options of {@code config}. */
    static NetlinkSocket open(NfQueueConfig config) throws IOException {
        DataPathCalls calls;
        try {
            calls = DataPathCalls.create();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        int fd = Syscalls.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC,
                Syscalls.NETLINK_NETFILTER);
        if (fd < 0) {
            throw failure("socket(AF_NETLINK, NETLINK_NETFILTER)", errno());
        }
        NetlinkSocket socket = new NetlinkSocket(fd, calls);
        try {
            socket.setUp(config);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void setUp(NfQueueConfig config) throws IOException {
        // struct sockaddr_nl { u16 nl_family; u16 pad; u32 nl_pid = 0 (kernel assigns); u32 nl_groups; }
        byte[] address = new byte[12];
        address[0] = (byte) Syscalls.AF_NETLINK;
        if (Syscalls.bind(fd, address, address.length) < 0) {
            throw failure("bind(netlink)", errno());
        }
        int[] size = {config.receiveBufferBytes()};
        if (Syscalls.setsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUFFORCE, size, 4) < 0) {
            int forceErrno = errno();
            if (Syscalls.setsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUF, size, 4) < 0) {
                throw failure("setsockopt(SO_RCVBUF)", errno());
            }
            log.warn("SO_RCVBUFFORCE refused ({}), needs CAP_NET_ADMIN; SO_RCVBUF is capped by net.core.rmem_max",
                    Syscalls.describe(forceErrno));
        }
        if (config.noEnobufs()
                && Syscalls.setsockopt(fd, Syscalls.SOL_NETLINK, Syscalls.NETLINK_NO_ENOBUFS, new int[] {1}, 4) < 0) {
            throw failure("setsockopt(NETLINK_NO_ENOBUFS)", errno());
        }
        long[] timeout = {SETUP_TIMEOUT_SECONDS, 0};
        if (Syscalls.setsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVTIMEO, timeout, 16) < 0) {
            throw failure("setsockopt(SO_RCVTIMEO)", errno());
        }
    }

    /** Switches to non-blocking reads once setup is done. */
    void nonBlocking() throws IOException {
        int flags = Syscalls.fcntl(fd, Syscalls.F_GETFL, 0);
        if (flags < 0 || Syscalls.fcntl(fd, Syscalls.F_SETFL, flags | Syscalls.O_NONBLOCK) < 0) {
            throw failure("fcntl(O_NONBLOCK)", errno());
        }
    }

    /** The portid the kernel gave the socket (for logs). */
    long portId() {
        byte[] address = new byte[12];
        if (Syscalls.getsockname(fd, address, new int[] {12}) < 0) {
            return -1;
        }
        return (address[4] & 0xffL) | (address[5] & 0xffL) << 8 | (address[6] & 0xffL) << 16
                | (address[7] & 0xffL) << 24;
    }

    /** The receive buffer the kernel granted (it doubles what was asked). */
    int receiveBufferBytes() {
        int[] value = {0};
        return Syscalls.getsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUF, value, new int[] {4}) < 0
                ? -1 : value[0];
    }

    /** recvmmsg into the mmsghdr array at {@code vector}: the number of datagrams, or -errno. */
    int receive(long vector, int count) {
        if (closed) {
            return -Syscalls.EBADF;
        }
        return calls.receive(fd, vector, count);
    }

    /** A blocking recvmmsg (bounded by the setup timeout), for the bind ACK. */
    int receiveBlocking(long vector, int count) {
        if (closed) {
            return -Syscalls.EBADF;
        }
        int n = Syscalls.recvmmsg(fd, vector, count, 0, 0L);
        return n >= 0 ? n : -errno();
    }

    /** send(2) of {@code length} bytes at {@code address}: bytes sent, or -errno. */
    int send(long address, int length) {
        if (closed) {
            return -Syscalls.EBADF;
        }
        return calls.send(fd, address, length);
    }

    int send(byte[] message, int length) {
        if (closed) {
            return -Syscalls.EBADF;
        }
        long n = Syscalls.send(fd, message, length, 0);
        return n >= 0 ? (int) n : -errno();
    }

    /** Reads and clears the pending socket error (SO_ERROR): 0 when none, the errno otherwise. */
    int takeError() {
        if (closed) {
            return Syscalls.EBADF;
        }
        int[] value = {0};
        return Syscalls.getsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_ERROR, value, new int[] {4}) < 0
                ? errno() : value[0];
    }

    /** "ffm" or "jna": what makes the read loop's recvmmsg and send calls. */
    String callsKind() {
        return calls.kind();
    }

    /** What Netty's epoll registration uses. */
    FileDescriptor fileDescriptor() {
        return fileDescriptor;
    }

    int fd() {
        return fd;
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the file descriptor once; the kernel then destroys the queue bindings of this portid. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Syscalls.close(fd) < 0) {
            log.debug("close({}) failed: {}", fd, Syscalls.describe(errno()));
        }
    }

    static IOException failure(String operation, int errno) {
        return new IOException(operation + " failed: " + Syscalls.describe(errno));
    }
}
