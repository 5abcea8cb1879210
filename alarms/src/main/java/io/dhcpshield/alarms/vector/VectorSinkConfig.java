package io.dhcpshield.alarms.vector;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Vector notification sink delivers (Core config, {@code alarms.vector.*}). The defaults live here and only
 * here: {@link #defaults()}. Every invalid value fails with an {@link IllegalArgumentException} naming its key.
 *
 * @param enabled         {@code alarms.vector.enabled}: deliver at all; when false the sink takes nothing
 * @param url             {@code alarms.vector.url}: the http(s) URL of a Vector {@code http_server} source; required
 *                        when enabled, "" otherwise
 * @param batchSize       {@code alarms.vector.batch_size}: notifications per request at most
 * @param flushInterval   {@code alarms.vector.flush_interval_ms}: how long fewer than a batch wait before they go
 * @param queueCapacity   {@code alarms.vector.queue_capacity}: notifications held (queued and in flight); beyond it
 *                        an offer is refused and counted as dropped, reason {@code queue_full}
 * @param maxAttempts     {@code alarms.vector.max_attempts}: requests per batch (1 = no retry) before it is dropped,
 *                        reason {@code retries_exhausted}
 * @param retryBackoff    {@code alarms.vector.retry_backoff_ms}: the wait before the first retry; doubles per retry
 * @param retryBackoffMax {@code alarms.vector.retry_backoff_max_ms}: the longest wait between two attempts
 * @param timeout         {@code alarms.vector.timeout_ms}: one request's limit, connect to answer; also what
 *                        {@code stop()} gives the last flush
 * @param breakerFailures {@code alarms.vector.breaker_failures}: failed requests in a row that open the breaker
 * @param breakerOpen     {@code alarms.vector.breaker_open_seconds}: how long an open breaker holds delivery before
 *                        one trial batch is sent
 * @param appliance       {@code alarms.vector.appliance}: the {@code appliance} field of every notification sent (the
 *                        site id; "" when unset)
 */
public record VectorSinkConfig(boolean enabled, String url, int batchSize, Duration flushInterval, int queueCapacity,
                               int maxAttempts, Duration retryBackoff, Duration retryBackoffMax, Duration timeout,
                               int breakerFailures, Duration breakerOpen, String appliance) {

    public VectorSinkConfig {
        url = url == null ? "" : url.strip();
        appliance = appliance == null ? "" : appliance.strip();
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(breakerOpen, "breakerOpen");
        if (enabled && url.isEmpty()) {
            throw new IllegalArgumentException("alarms.vector.url is required when alarms.vector.enabled is true");
        }
        if (!url.isEmpty()) {
            checkUrl(url);
        }
        check(batchSize >= 1 && batchSize <= 10_000, "alarms.vector.batch_size must be 1..10000, was " + batchSize);
        check(positive(flushInterval), "alarms.vector.flush_interval_ms must be positive, was " + millis(flushInterval));
        check(queueCapacity >= batchSize && queueCapacity <= 1_000_000,
                "alarms.vector.queue_capacity must be alarms.vector.batch_size (" + batchSize + ")..1000000, was "
                        + queueCapacity);
        check(maxAttempts >= 1 && maxAttempts <= 100, "alarms.vector.max_attempts must be 1..100, was " + maxAttempts);
        check(positive(retryBackoff), "alarms.vector.retry_backoff_ms must be positive, was " + millis(retryBackoff));
        check(retryBackoffMax.compareTo(retryBackoff) >= 0, "alarms.vector.retry_backoff_max_ms ("
                + millis(retryBackoffMax) + ") must be at least alarms.vector.retry_backoff_ms (" + millis(retryBackoff)
                + ")");
        check(positive(timeout) && timeout.compareTo(Duration.ofMinutes(10)) <= 0,
                "alarms.vector.timeout_ms must be 1..600000, was " + millis(timeout));
        check(breakerFailures >= 1 && breakerFailures <= 1000,
                "alarms.vector.breaker_failures must be 1..1000, was " + breakerFailures);
        check(positive(breakerOpen), "alarms.vector.breaker_open_seconds must be positive, was "
                + breakerOpen.toMillis() / 1000.0);
    }

    /**
     * Compiled defaults: off; batches of 100 or what waited 1 s; 10,000 notifications held; 5 requests per batch,
     * 500 ms then doubling up to 30 s apart; 10 s per request; the breaker opens after 3 failed requests in a row
     * for 30 s.
     */
    public static VectorSinkConfig defaults() {
        return new VectorSinkConfig(false, "", 100, Duration.ofSeconds(1), 10_000, 5, Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(10), 3, Duration.ofSeconds(30), "");
    }

    /** The URL as a URI ({@code url} is checked to be an http(s) URL with a host, or empty). */
    public URI uri() {
        return URI.create(url);
    }

    /** The wait before retry number {@code retry} (1 = the first retry): doubling from the initial back-off. */
    public Duration backoffBefore(int retry) {
        Duration d = retryBackoff;
        for (int i = 1; i < retry && d.compareTo(retryBackoffMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryBackoffMax) > 0 ? retryBackoffMax : d;
    }

    /** Enabled, sending to {@code newUrl}. */
    public VectorSinkConfig enabledAt(String newUrl) {
        return new VectorSinkConfig(true, newUrl, batchSize, flushInterval, queueCapacity, maxAttempts, retryBackoff,
                retryBackoffMax, timeout, breakerFailures, breakerOpen, appliance);
    }

    public VectorSinkConfig withBatch(int size, Duration interval, int capacity) {
        return new VectorSinkConfig(enabled, url, size, interval, capacity, maxAttempts, retryBackoff, retryBackoffMax,
                timeout, breakerFailures, breakerOpen, appliance);
    }

    public VectorSinkConfig withRetries(int attempts, Duration backoff, Duration backoffMax, Duration requestTimeout) {
        return new VectorSinkConfig(enabled, url, batchSize, flushInterval, queueCapacity, attempts, backoff,
                backoffMax, requestTimeout, breakerFailures, breakerOpen, appliance);
    }

    public VectorSinkConfig withBreaker(int failures, Duration open) {
        return new VectorSinkConfig(enabled, url, batchSize, flushInterval, queueCapacity, maxAttempts, retryBackoff,
                retryBackoffMax, timeout, failures, open, appliance);
    }

    public VectorSinkConfig withAppliance(String id) {
        return new VectorSinkConfig(enabled, url, batchSize, flushInterval, queueCapacity, maxAttempts, retryBackoff,
                retryBackoffMax, timeout, breakerFailures, breakerOpen, id);
    }

    private static void checkUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("alarms.vector.url is not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        String scheme = u.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || u.getHost() == null) {
            throw new IllegalArgumentException("alarms.vector.url must be an http or https URL with a host, was '"
                    + url + "'");
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
