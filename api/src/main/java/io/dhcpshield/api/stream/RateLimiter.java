package io.dhcpshield.api.stream;

/**
 * A token bucket: {@code rate} messages per second on average, {@code burst} at once. Used by one thread (the
 * stream hub); the rate and burst can change at any time (operational config) and apply from the next call.
 */
final class RateLimiter {

    private double tokens;
    private long lastNanos;
    private boolean started;

    /** True (and one token spent) when a message may go now. */
    boolean tryAcquire(long nowNanos, double rate, double burst) {
        if (!started) {
            started = true;
            tokens = burst;
            lastNanos = nowNanos;
        } else {
            long elapsed = nowNanos - lastNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * rate / 1e9);
                lastNanos = nowNanos;
            }
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
