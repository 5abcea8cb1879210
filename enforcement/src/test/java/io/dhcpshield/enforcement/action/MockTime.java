package io.dhcpshield.enforcement.action;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A manual clock that is also the scheduler: {@link #sleep} advances time and runs periodic tasks as they fall due. */
public final class MockTime implements Time, Scheduler {
    private long now;
    private final List<Task> tasks = new ArrayList<>();

    private static final class Task {
        final long period;
        final Runnable run;
        long next;
        boolean cancelled;

        Task(long period, Runnable run, long next) {
            this.period = period;
            this.run = run;
            this.next = next;
        }
    }

    public MockTime(long startMs) { this.now = startMs; }

    @Override
    public long milliseconds() { return now; }

    @Override
    public AutoCloseable every(Duration period, Runnable task) {
        Task t = new Task(period.toMillis(), task, now + period.toMillis());
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Advances by {@code d}, running each due task at its due time. */
    public void sleep(Duration d) {
        long end = now + d.toMillis();
        while (true) {
            Task due = null;
            for (Task t : tasks) if (!t.cancelled && t.next <= end && (due == null || t.next < due.next)) due = t;
            if (due == null) break;
            now = due.next;
            due.next += due.period;
            due.run.run();
        }
        now = end;
    }
}
