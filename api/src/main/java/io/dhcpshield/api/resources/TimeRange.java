package io.dhcpshield.api.resources;

import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Params;

import java.time.Duration;
import java.time.Instant;

/**
 * A request's [from, to): {@code to} defaults to the end of the current second (rows are stored with whole-second
 * times, so "until now" must include this second), {@code from} to {@code to} minus a default window.
 */
record TimeRange(Instant from, Instant to) {

    static TimeRange of(Params p, Instant now, Duration window, Duration max) {
        Instant to = p.instant("to");
        Instant from = p.instant("from");
        to = to != null ? to : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        from = from != null ? from : to.minus(window);
        if (!from.isBefore(to)) {
            throw ApiError.badRequest("from", "from must be before to");
        }
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw ApiError.badRequest("from", "the time range is longer than " + max.toDays() + " days");
        }
        return new TimeRange(from, to);
    }
}
