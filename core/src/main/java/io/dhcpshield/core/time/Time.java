package io.dhcpshield.core.time;

import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one clock of the product (Kafka's {@code Time} pattern): wall-clock time for event times, action expiry, token
 * lifetimes and rate windows, and a monotonic clock for intervals. Injected everywhere instead of reading the system
 * clock, so expiry, batching windows and rate limits are testable without sleeping.
 *
 * <p>Periodic work runs on a Reactor {@link Scheduler} (the daemon's own; a {@code VirtualTimeScheduler} in tests).
 * {@link #of(Scheduler, Instant)} makes a Time that reads that scheduler's clock, so one virtual scheduler moves both
 * the clock and the work that is due.
 */
public interface Time {

    /** The system clocks. */
    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }

        @Override
        public long epochMicros() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        }

        @Override
        public String toString() {
            return "Time.SYSTEM";
        }
    };

    /** Wall-clock milliseconds since the epoch. */
    long milliseconds();

    /** A monotonic nanosecond count for measuring intervals (unrelated to the wall clock). */
    long nanoseconds();

    /** The wall-clock instant, to the millisecond (the precision records are stored with). */
    default Instant now() {
        return Instant.ofEpochMilli(milliseconds());
    }

    /** Wall-clock microseconds since the epoch (event times). */
    default long epochMicros() {
        Instant now = now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** This time as a {@link Clock} in UTC, for APIs that take one. */
    default Clock clock() {
        Time self = this;
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException("Time is UTC");
            }

            @Override
            public Instant instant() {
                return self.now();
            }

            @Override
            public long millis() {
                return self.milliseconds();
            }
        };
    }

    /** A clock stopped at {@code instant} (tests that need one fixed moment). */
    static Time fixed(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return new Time() {
            @Override
            public long milliseconds() {
                return instant.toEpochMilli();
            }

            @Override
            public long nanoseconds() {
                return 0;
            }

            @Override
            public Instant now() {
                return instant;
            }
        };
    }

    /**
     * A clock that reads {@code scheduler}'s time, offset so that the scheduler's zero is {@code origin}: with a
     * {@code VirtualTimeScheduler}, advancing the scheduler advances this clock and runs the work that fell due.
     */
    static Time of(Scheduler scheduler, Instant origin) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(origin, "origin");
        long originMillis = origin.toEpochMilli();
        return new Time() {
            @Override
            public long milliseconds() {
                return originMillis + scheduler.now(TimeUnit.MILLISECONDS);
            }

            @Override
            public long nanoseconds() {
                return scheduler.now(TimeUnit.NANOSECONDS);
            }

            @Override
            public Instant now() {
                return origin.plusNanos(scheduler.now(TimeUnit.NANOSECONDS));
            }

            @Override
            public String toString() {
                return "Time.of(" + scheduler + ", " + origin + ")";
            }
        };
    }
}
