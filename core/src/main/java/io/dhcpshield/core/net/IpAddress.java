package io.dhcpshield.core.net;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address as raw bytes, printed the way operators and tshark print them (dotted quad, RFC 5952 for
 * IPv6). Never resolves names.
 */
public final class IpAddress implements Comparable<IpAddress> {

    public static final IpAddress V4_ANY = new IpAddress(new byte[4]);

    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    public static IpAddress of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
        }
        return new IpAddress(bytes.clone());
    }

    public static IpAddress v4(int value) {
        return new IpAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public static IpAddress readV4(ByteBuf buf, int index) {
        byte[] b = new byte[4];
        buf.getBytes(index, b);
        return new IpAddress(b);
    }

    public static IpAddress readV6(ByteBuf buf, int index) {
        byte[] b = new byte[16];
        buf.getBytes(index, b);
        return new IpAddress(b);
    }

    /** Parses a literal address (never a host name). */
    public static IpAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.indexOf(':') < 0) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v;
                try {
                    v = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'", e);
                }
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
                b[i] = (byte) v;
            }
            return new IpAddress(b);
        }
        byte[] b = io.netty.util.NetUtil.createByteArrayFromIpAddressString(text);
        if (b == null || b.length != 16) {
            throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
        }
        return new IpAddress(b);
    }

    public boolean isV4() {
        return bytes.length == 4;
    }

    public boolean isUnspecified() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address as an unsigned 32-bit number; only for IPv4. */
    public long v4Value() {
        if (!isV4()) {
            throw new IllegalStateException("not IPv4: " + this);
        }
        return ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        if (isV4()) {
            return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
        }
        return formatV6(bytes);
    }

    /** RFC 5952: lower-case hex, leading zeros dropped, the longest run (two or more) of zero groups as "::". */
    static String formatV6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = Integer.compare(bytes.length, o.bytes.length);
        return c != 0 ? c : Arrays.compareUnsigned(bytes, o.bytes);
    }
}
