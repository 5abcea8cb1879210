package io.dhcpshield.simulator;

/**
 * A token bucket on the monotonic clock: how many exchanges may start now to keep {@code rate} per second since the
 * start. A stall (GC, a busy core) is caught up by at most {@code burst} exchanges, so a long pause lowers the
 * achieved rate instead of firing a flood afterwards. Rate 0 means unpaced (the in-flight window is the only limit).
 */
public final class RatePacer {

    private final double ratePerNano;
    private final long burst;
    private long startNanos;
    private long issued;

    /**
     * @param rate  exchanges per second, 0 for unpaced
     * @param burst the most a late tick may start at once
     */
    public RatePacer(double rate, long burst) {
        if (rate < 0) {
            throw new IllegalArgumentException("rate must be >= 0, not " + rate);
        }
        this.ratePerNano = rate / 1e9;
        this.burst = Math.max(1, burst);
    }

    /** The default burst: 100 ms worth of the rate (at least 1). */
    public static long defaultBurst(double rate) {
        return Math.max(1, (long) (rate * 0.1));
    }

    public void start(long nowNanos) {
        startNanos = nowNanos;
        issued = 0;
    }

    public boolean unpaced() {
        return ratePerNano == 0;
    }

    /** How many may start at {@code nowNanos} (Long.MAX_VALUE when unpaced), and counts them as started. */
    public long take(long nowNanos) {
        if (unpaced()) {
            return Long.MAX_VALUE;
        }
        long allowed = (long) ((nowNanos - startNanos) * ratePerNano);
        if (allowed - issued > burst) {
            issued = allowed - burst;
        }
        long n = Math.max(0, allowed - issued);
        issued += n;
        return n;
    }

    /** Gives back {@code n} tokens taken but not used (the in-flight window was full). */
    public void giveBack(long n) {
        if (!unpaced()) {
            issued -= n;
        }
    }
}
