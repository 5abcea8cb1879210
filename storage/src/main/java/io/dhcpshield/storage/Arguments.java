package io.dhcpshield.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * The argument checks of the storage API's public methods. Each failure is an {@link IllegalArgumentException} that
 * names the argument, so the HTTP API can answer 400 with the caller's own word for what was wrong.
 */
final class Arguments {

    /** Largest page or list a caller may ask for. */
    static final int MAX_LIMIT = 10_000;

    /** Longest text a filter or a stored name may be: far above any DHCP option or user name, far below a query. */
    static final int MAX_TEXT = 4096;

    /** The last second a ClickHouse {@code DateTime} holds (UInt32 seconds). */
    static final long MAX_EPOCH_SECOND = 0xFFFF_FFFFL;

    private Arguments() {
    }

    static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** A required, non-empty text of at most {@link #MAX_TEXT} characters. */
    static String text(String value, String name) {
        required(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return bounded(value, name);
    }

    /** An optional filter text: null means "any"; empty is refused (the caller omits the filter instead). */
    static String filter(String value, String name) {
        return value == null ? null : text(value, name);
    }

    /** A text that may be empty (null reads as empty): stored detail, reasons. */
    static String orEmpty(String value, String name) {
        return value == null ? "" : bounded(value, name);
    }

    private static String bounded(String value, String name) {
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    /** An instant a {@code DateTime} column can hold (1970 to 2106). */
    static Instant time(Instant value, String name) {
        required(value, name);
        if (value.getEpochSecond() < 0 || value.getEpochSecond() > MAX_EPOCH_SECOND) {
            throw new IllegalArgumentException(name + " must be between 1970 and 2106, was " + value);
        }
        return value;
    }

    /** {@code [from, to)}: both required, from before to. */
    static void range(Instant from, Instant to) {
        time(from, "from");
        time(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, was from " + from + ", to " + to);
        }
    }

    /** {@link #range} no longer than {@code max} (the caller's own bound on how much one request may scan). */
    static void range(Instant from, Instant to, Duration max) {
        range(from, to);
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw new IllegalArgumentException("from..to must span at most " + max + ", was "
                    + Duration.between(from, to));
        }
    }

    /** A maximum range given to a query service at construction. */
    static Duration maxRange(Duration max) {
        required(max, "maxRange");
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("maxRange must be positive, was " + max);
        }
        return max;
    }
}
