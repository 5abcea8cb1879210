package io.dhcpshield.core.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-memory deny set the processor consults before creating events: 24-bit client marks whose packets still get
 * their verdict and mark (so nftables drops them) but produce no event at all. One bit per possible client mark
 * (2 MiB), so the check on the verdict path is a single array read with no allocation and no lock. It is the
 * authoritative copy; the kernel's {@code llm_denied_marks} set follows it.
 */
public final class DenySet {

    private static final int WORDS = (1 << 24) / 64;

    private final AtomicLongArray bits = new AtomicLongArray(WORDS);
    private final AtomicInteger size = new AtomicInteger();

    public boolean contains(int clientMark) {
        int m = clientMark & 0xFF_FFFF;
        return (bits.get(m >>> 6) & (1L << (m & 63))) != 0;
    }

    /** Adds a client mark; true when it was not there. */
    public boolean add(int clientMark) {
        int m = clientMark & 0xFF_FFFF;
        long bit = 1L << (m & 63);
        long prev = bits.getAndUpdate(m >>> 6, w -> w | bit);
        if ((prev & bit) == 0) {
            size.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Removes a client mark; true when it was there. */
    public boolean remove(int clientMark) {
        int m = clientMark & 0xFF_FFFF;
        long bit = 1L << (m & 63);
        long prev = bits.getAndUpdate(m >>> 6, w -> w & ~bit);
        if ((prev & bit) != 0) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    public int size() {
        return size.get();
    }
}
