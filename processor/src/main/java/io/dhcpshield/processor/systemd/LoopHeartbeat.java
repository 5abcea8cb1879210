package io.dhcpshield.processor.systemd;

import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A tiny task scheduled on an event loop (a Netty loop is a {@link ScheduledExecutorService}) that stamps the time
 * each time it runs: a loop stuck in a handler, a blocking call or a busy spin stops stamping, and
 * {@link #stuck} says so. Costs one task per {@value #BEAT_MILLIS} ms.
 */
public final class LoopHeartbeat implements Liveness {

    static final long BEAT_MILLIS = 200;

    private final String name;
    private final ScheduledFuture<?> task;
    private volatile long lastBeat = System.nanoTime();

    private LoopHeartbeat(String name, ScheduledExecutorService loop) {
        this.name = name;
        this.task = loop.scheduleAtFixedRate(() -> lastBeat = System.nanoTime(), 0, BEAT_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Starts beating on {@code loop}; {@code name} says which loop in the watchdog's reason. */
    public static LoopHeartbeat start(String name, ScheduledExecutorService loop) {
        return new LoopHeartbeat(name, loop);
    }

    @Override
    public String stuck(long maxAgeNanos) {
        long age = System.nanoTime() - lastBeat;
        return age <= maxAgeNanos ? "" : String.format(Locale.ROOT, "%s silent for %.1f s", name, age / 1e9);
    }

    public void stop() {
        task.cancel(false);
    }
}
