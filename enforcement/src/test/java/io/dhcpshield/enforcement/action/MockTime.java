package io.dhcpshield.enforcement.action;

import io.dhcpshield.core.time.Time;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * A manual clock for tests: a virtual-time scheduler and the {@link Time} that reads it, so {@link #sleep} advances
 * the clock and runs the periodic work that falls due, in order.
 */
public final class MockTime implements Time {
    private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
    private final Time time;

    public MockTime(long startMs) {
        this.time = Time.of(scheduler, Instant.ofEpochMilli(startMs));
    }

    @Override
    public long milliseconds() { return time.milliseconds(); }

    @Override
    public long nanoseconds() { return time.nanoseconds(); }

    @Override
    public Instant now() { return time.now(); }

    /** The scheduler to give to {@code ActionManager.start}. */
    public VirtualTimeScheduler scheduler() { return scheduler; }

    /** Advances by {@code d}, running each due task at its due time. */
    public void sleep(Duration d) { scheduler.advanceTimeBy(d); }
}
