package io.dhcpshield.alarms.vector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** The Vector sink's config: the defaults, and every bad value refused with a message naming its key. */
class VectorSinkConfigTest {

    private static final VectorSinkConfig ON = VectorSinkConfig.defaults().enabledAt("http://127.0.0.1:8687/");

    @Test
    void defaultsAreOffWithTheDocumentedValues() {
        VectorSinkConfig d = VectorSinkConfig.defaults();
        assertFalse(d.enabled());
        assertEquals("", d.url());
        assertEquals(100, d.batchSize());
        assertEquals(Duration.ofSeconds(1), d.flushInterval());
        assertEquals(10_000, d.queueCapacity());
        assertEquals(5, d.maxAttempts());
        assertEquals(Duration.ofMillis(500), d.retryBackoff());
        assertEquals(Duration.ofSeconds(30), d.retryBackoffMax());
        assertEquals(Duration.ofSeconds(10), d.timeout());
        assertEquals(3, d.breakerFailures());
        assertEquals(Duration.ofSeconds(30), d.breakerOpen());
        assertEquals("", d.appliance());
    }

    @Test
    void anEnabledSinkNeedsAnHttpUrlWithAHost() {
        assertRejected("alarms.vector.url is required", () -> VectorSinkConfig.defaults().enabledAt(""));
        assertRejected("alarms.vector.url is required", () -> VectorSinkConfig.defaults().enabledAt(null));
        assertRejected("alarms.vector.url must be an http or https URL",
                () -> VectorSinkConfig.defaults().enabledAt("ftp://127.0.0.1/"));
        assertRejected("alarms.vector.url must be an http or https URL",
                () -> VectorSinkConfig.defaults().enabledAt("http:///alarms"));
        assertRejected("alarms.vector.url", () -> VectorSinkConfig.defaults().enabledAt("127.0.0.1:8687"));
        assertRejected("alarms.vector.url is not a URL",
                () -> VectorSinkConfig.defaults().enabledAt("http://127.0.0.1:8687/a b"));
        assertEquals("https://vector.example:8687/alarms",
                VectorSinkConfig.defaults().enabledAt(" https://vector.example:8687/alarms ").uri().toString());
    }

    @Test
    void everyBadValueIsRefusedNamingItsKey() {
        Duration ms = Duration.ofMillis(1);
        assertRejected("alarms.vector.batch_size", () -> ON.withBatch(0, ms, 10));
        assertRejected("alarms.vector.batch_size", () -> ON.withBatch(10_001, ms, 100_000));
        assertRejected("alarms.vector.flush_interval_ms", () -> ON.withBatch(10, Duration.ZERO, 10));
        assertRejected("alarms.vector.flush_interval_ms", () -> ON.withBatch(10, Duration.ofMillis(-5), 10));
        assertRejected("alarms.vector.queue_capacity", () -> ON.withBatch(10, ms, 9));
        assertRejected("alarms.vector.queue_capacity", () -> ON.withBatch(10, ms, 1_000_001));
        assertRejected("alarms.vector.max_attempts", () -> ON.withRetries(0, ms, ms, ms));
        assertRejected("alarms.vector.max_attempts", () -> ON.withRetries(101, ms, ms, ms));
        assertRejected("alarms.vector.retry_backoff_ms", () -> ON.withRetries(3, Duration.ZERO, ms, ms));
        assertRejected("alarms.vector.retry_backoff_max_ms",
                () -> ON.withRetries(3, Duration.ofSeconds(2), Duration.ofSeconds(1), ms));
        assertRejected("alarms.vector.timeout_ms", () -> ON.withRetries(3, ms, ms, Duration.ZERO));
        assertRejected("alarms.vector.timeout_ms", () -> ON.withRetries(3, ms, ms, Duration.ofMinutes(11)));
        assertRejected("alarms.vector.breaker_failures", () -> ON.withBreaker(0, Duration.ofSeconds(1)));
        assertRejected("alarms.vector.breaker_open_seconds", () -> ON.withBreaker(3, Duration.ZERO));
    }

    @Test
    void aDisabledSinkNeedsNoUrl() {
        VectorSinkConfig off = VectorSinkConfig.defaults().withAppliance(null);
        assertEquals("", off.url());
        assertEquals("", off.appliance());
    }

    @Test
    void theBackoffDoublesUpToItsMax() {
        VectorSinkConfig d = VectorSinkConfig.defaults();
        assertEquals(Duration.ofMillis(500), d.backoffBefore(1));
        assertEquals(Duration.ofSeconds(1), d.backoffBefore(2));
        assertEquals(Duration.ofSeconds(2), d.backoffBefore(3));
        assertEquals(Duration.ofSeconds(16), d.backoffBefore(6));
        assertEquals(Duration.ofSeconds(30), d.backoffBefore(7));
        assertEquals(Duration.ofSeconds(30), d.backoffBefore(1000));
    }

    private static void assertRejected(String messagePart, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(messagePart), "'" + e.getMessage() + "' names " + messagePart);
    }
}
