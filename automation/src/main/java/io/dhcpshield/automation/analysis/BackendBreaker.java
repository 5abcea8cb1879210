package io.dhcpshield.automation.analysis;

import io.dhcpshield.core.time.Time;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The circuit breaker in front of the analysis backend: after {@code threshold} failed requests in a row it opens and
 * refuses every call for {@code cooldown} (analyses then fail at once instead of waiting on a dead backend); then one
 * trial request is let through (half open): its success closes the breaker, its failure opens it for another
 * cool-down. Reads the injected clock, so tests move it with virtual time. Thread-safe.
 */
public final class BackendBreaker {

    /** closed: calls go through; open: refused; half open: one trial call is out. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int threshold;
    private final Duration cooldown;
    private final Time time;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openUntil;
    private String reason = "";
    private long opened;

    public BackendBreaker(int threshold, Duration cooldown, Time time) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
        this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Whether a call may go out now. An open breaker whose cool-down has passed lets this one call through as the
     * trial and refuses others until it reports back.
     */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (time.now().isBefore(openUntil)) {
                    return false;
                }
                state = State.HALF_OPEN;
                return true;
            default:
                return false;
        }
    }

    /** Whether calls are refused now (open and cooling down), without taking the trial call. */
    public synchronized boolean refusing() {
        return state == State.OPEN ? time.now().isBefore(openUntil) : state == State.HALF_OPEN;
    }

    /** The call went out and the backend answered. */
    public synchronized void success() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        openUntil = null;
        reason = "";
    }

    /** The call went out and failed ({@code why}: timeout, HTTP 500, connection refused...). */
    public synchronized void failure(String why) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openUntil = time.now().plus(cooldown);
            reason = consecutiveFailures + " failed request(s) in a row, the last: " + why;
            opened++;
        }
    }

    public synchronized State state() {
        return state;
    }

    /** Why it is open or half open ("" when closed). */
    public synchronized String reason() {
        return state == State.CLOSED ? "" : reason;
    }

    /** When the open breaker lets a trial call through; null unless open. */
    public synchronized Instant openUntil() {
        return state == State.OPEN ? openUntil : null;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** How many times it opened. */
    public synchronized long timesOpened() {
        return opened;
    }
}
