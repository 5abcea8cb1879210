package io.dhcpshield.automation.analysis;

import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;

import static io.dhcpshield.automation.analysis.BackendBreaker.State.CLOSED;
import static io.dhcpshield.automation.analysis.BackendBreaker.State.HALF_OPEN;
import static io.dhcpshield.automation.analysis.BackendBreaker.State.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The breaker on a virtual clock: opens after N failures in a row, one trial after the cool-down. */
class BackendBreakerTest {

    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    final BackendBreaker breaker = new BackendBreaker(3, Duration.ofMinutes(1),
            Time.of(clock, Instant.parse("2026-01-01T00:00:00Z")));

    @Test
    void opensAfterThresholdFailuresInARow() {
        breaker.failure("HTTP 500");
        breaker.failure("HTTP 500");
        breaker.success();
        breaker.failure("HTTP 500");
        breaker.failure("HTTP 500");
        assertEquals(CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
        breaker.failure("HTTP 503");
        assertEquals(OPEN, breaker.state());
        assertTrue(breaker.reason().contains("HTTP 503"), breaker.reason());
        assertFalse(breaker.tryAcquire());
        assertTrue(breaker.refusing());
        assertEquals(Instant.parse("2026-01-01T00:01:00Z"), breaker.openUntil());
    }

    @Test
    void afterTheCooldownOneTrialClosesItOnSuccess() {
        for (int i = 0; i < 3; i++) {
            breaker.failure("timeout");
        }
        clock.advanceTimeBy(Duration.ofSeconds(59));
        assertFalse(breaker.tryAcquire());
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertFalse(breaker.refusing());
        assertTrue(breaker.tryAcquire());
        assertEquals(HALF_OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "only one trial at a time");
        breaker.success();
        assertEquals(CLOSED, breaker.state());
        assertEquals("", breaker.reason());
        assertEquals(1, breaker.timesOpened());
    }

    @Test
    void aFailedTrialOpensItForAnotherCooldown() {
        for (int i = 0; i < 3; i++) {
            breaker.failure("timeout");
        }
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertTrue(breaker.tryAcquire());
        breaker.failure("connection refused");
        assertEquals(OPEN, breaker.state());
        assertEquals(Instant.parse("2026-01-01T00:02:00Z"), breaker.openUntil());
        assertEquals(2, breaker.timesOpened());
    }
}
