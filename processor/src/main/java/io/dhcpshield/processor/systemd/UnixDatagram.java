package io.dhcpshield.processor.systemd;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import java.nio.charset.StandardCharsets;

/**
 * The libc calls behind an AF_UNIX datagram socket, bound by JNA direct mapping (the JDK's {@code DatagramChannel}
 * has no AF_UNIX, and no abstract namespace at all). Constants are the Linux x86-64 values. Every call returns -1 and
 * leaves errno in {@link Native#getLastError()} on failure.
 */
final class UnixDatagram {

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sockaddr_un.sun_path). */
    static final int PATH_MAX = 108;

    static {
        Native.register(UnixDatagram.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private UnixDatagram() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, byte[] address, int addressLength);

    static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

    static native long recv(int fd, byte[] buffer, long length, int flags);

    /** For SO_RCVTIMEO: a struct timeval as two longs. */
    static native int setsockopt(int fd, int level, int name, long[] value, int valueLength);

    static native int close(int fd);

    /**
     * A {@code sockaddr_un} for {@code name}: a path, or an abstract name when it starts with {@code @} (sent as a
     * leading NUL, its length counted exactly, as systemd does). The address length is the array's length.
     */
    static byte[] address(String name) {
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (path.length == 0 || path.length >= PATH_MAX) {
            throw new IllegalArgumentException("unix socket address must be 1.." + (PATH_MAX - 1) + " bytes: " + name);
        }
        // family (2 bytes, little-endian) + path; a filesystem path keeps its terminating NUL.
        byte[] a = new byte[2 + path.length + (abstractName ? 0 : 1)];
        a[0] = AF_UNIX;
        System.arraycopy(path, 0, a, 2, path.length);
        if (abstractName) {
            a[2] = 0;
        }
        return a;
    }

    static String error() {
        int errno = Native.getLastError();
        return "errno " + errno;
    }
}
