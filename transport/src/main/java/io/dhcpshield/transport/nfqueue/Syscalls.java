package io.dhcpshield.transport.nfqueue;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The libc calls behind the netlink queue, bound by JNA direct mapping. Hot-path calls take raw addresses (no JNA
 * objects per packet); every call returns -1 and leaves errno in {@link Native#getLastError()} on failure. Constants
 * are the Linux x86-64 values, the platform of the project's native Netty jars.
 */
final class Syscalls {

    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_NETFILTER = 12;

    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_NO_ENOBUFS = 5;

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_RDONLY = 0;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final int CLONE_NEWNET = 0x40000000;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EBUSY = 16;
    static final int ENOBUFS = 105;

    static {
        Native.register(Syscalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Syscalls() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, byte[] address, int addressLength);

    static native int getsockname(int fd, byte[] address, int[] addressLength);

    static native int setsockopt(int fd, int level, int name, int[] value, int valueLength);

    /** For SO_RCVTIMEO: a struct timeval as two longs. */
    static native int setsockopt(int fd, int level, int name, long[] value, int valueLength);

    static native int getsockopt(int fd, int level, int name, int[] value, int[] valueLength);

    /** fcntl is variadic; a fixed int third argument is passed the same way on x86-64. */
    static native int fcntl(int fd, int command, int argument);

    /** The batch receive: {@code vector} is the address of an mmsghdr array; timeout is a timespec address or 0. */
    static native int recvmmsg(int fd, long vector, int length, int flags, long timeout);

    static native long send(int fd, long buffer, long length, int flags);

    static native long send(int fd, byte[] buffer, long length, int flags);

    static native int close(int fd);

    static native int open(String path, int flags);

    static native int setns(int fd, int namespaceType);

    static native String strerror(int errno);

    static int errno() {
        return Native.getLastError();
    }

    /** "No buffer space available (errno 105)". */
    static String describe(int errno) {
        return strerror(errno) + " (errno " + errno + ")";
    }
}
