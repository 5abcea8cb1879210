package io.dhcpshield.simulator;

import java.util.SplittableRandom;

/**
 * The simulated clients: a contiguous MAC range from a base address, each client's DHCPv6 DUID derived from its MAC
 * (DUID-LL, or DUID-LLT with one fixed time so the DUID is stable across runs), and random locally administered MACs
 * for profiles that want a new client every time (starvation).
 */
public final class ClientRange {

    /** The DUID type the clients use. */
    public enum DuidType { LL, LLT }

    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private final long baseMac;
    private final int size;
    private final DuidType duidType;
    private final long duidTime;
    private final SplittableRandom random;

    /**
     * @param baseMac  the first client's MAC as 48 bits
     * @param size     how many clients (MACs base .. base + size - 1)
     * @param duidType LL or LLT
     * @param duidTime the LLT time field (seconds since 2000-01-01)
     * @param seed     the seed of the random MACs
     */
    public ClientRange(long baseMac, int size, DuidType duidType, long duidTime, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("clients must be at least 1, not " + size);
        }
        this.baseMac = baseMac & MAC_MASK;
        this.size = size;
        this.duidType = java.util.Objects.requireNonNull(duidType, "duidType");
        this.duidTime = duidTime;
        this.random = new SplittableRandom(seed);
    }

    public int size() {
        return size;
    }

    /** Client {@code index}'s MAC (the index wraps at the range size). */
    public long mac(long index) {
        return (baseMac + Math.floorMod(index, size)) & MAC_MASK;
    }

    /** A random unicast, locally administered MAC (02:xx:...), as starvation tools make them. */
    public long randomMac() {
        return (random.nextLong() & 0xFCFF_FFFF_FFFFL & MAC_MASK) | 0x0200_0000_0000L;
    }

    /** The DUID of the client with {@code mac}: DUID-LL (type 3) or DUID-LLT (type 1), hardware type 1. */
    public byte[] duid(long mac) {
        byte[] d;
        int at;
        if (duidType == DuidType.LL) {
            d = new byte[10];
            d[1] = 3;
            at = 4;
        } else {
            d = new byte[14];
            d[1] = 1;
            d[4] = (byte) (duidTime >>> 24);
            d[5] = (byte) (duidTime >>> 16);
            d[6] = (byte) (duidTime >>> 8);
            d[7] = (byte) duidTime;
            at = 8;
        }
        d[3] = 1;
        putMac(d, at, mac);
        return d;
    }

    /** The client's IPv6 link-local address (fe80::/64 with the modified EUI-64 of its MAC): a relay's peer-address. */
    public static byte[] linkLocal(long mac) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfe;
        a[1] = (byte) 0x80;
        byte[] m = new byte[6];
        putMac(m, 0, mac);
        a[8] = (byte) (m[0] ^ 0x02);
        a[9] = m[1];
        a[10] = m[2];
        a[11] = (byte) 0xff;
        a[12] = (byte) 0xfe;
        a[13] = m[3];
        a[14] = m[4];
        a[15] = m[5];
        return a;
    }

    static void putMac(byte[] b, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            b[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }
}
