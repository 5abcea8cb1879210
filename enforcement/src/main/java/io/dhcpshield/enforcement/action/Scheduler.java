package io.dhcpshield.enforcement.action;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task periodically; injected beside {@link Time} so tests drive it with a manual clock. */
@FunctionalInterface
public interface Scheduler {
    /** Schedules {@code task} every {@code period}; closing the handle cancels it. */
    AutoCloseable every(Duration period, Runnable task);

    static Scheduler of(ScheduledExecutorService executor) {
        return (period, task) -> {
            var f = executor.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        };
    }
}
