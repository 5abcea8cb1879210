package io.dhcpshield.processor.systemd;

import io.dhcpshield.core.service.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells systemd ({@code Type=notify}) what the daemon is doing, as the last service to start and the first to stop:
 * {@code MAINPID} at start; {@code READY=1} once {@code notReady} is empty (the queues bound and the ruleset
 * installed, or the collector listening: polled until it is); {@code STATUS=} with the headline counters every
 * {@code statusInterval}; {@code WATCHDOG=1} at half the watchdog interval but only while {@link Liveness} finds
 * every loop alive, so that a stuck loop or a stalled pipeline gets the service restarted; {@code STOPPING=1} at
 * stop. Runs on its own thread, so a busy scheduler elsewhere neither delays nor fakes a ping. Does nothing without
 * {@code $NOTIFY_SOCKET}.
 */
public final class SystemdNotifier implements Service {

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final long READY_POLL_MILLIS = 50;

    private final SdNotify notify;
    private final Optional<Duration> watchdog;
    private final Duration statusInterval;
    private final Supplier<String> notReady;
    private final Liveness liveness;
    private final Supplier<String> headline;
    private ScheduledExecutorService thread;
    private ScheduledFuture<?> readyPoll;
    private volatile boolean ready;
    private String lastReason = "";
    private String withheld = "";

    /**
     * @param watchdog       systemd's watchdog interval ({@link SdNotify#watchdogInterval}); empty: no pings
     * @param statusInterval how often STATUS carries the counters; zero: only at READY
     * @param notReady       "" once the daemon does its job, else why not yet
     * @param headline       the STATUS text: the headline counters
     */
    public SystemdNotifier(SdNotify notify, Optional<Duration> watchdog, Duration statusInterval,
                           Supplier<String> notReady, Liveness liveness, Supplier<String> headline) {
        this.notify = Objects.requireNonNull(notify, "notify");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.statusInterval = Objects.requireNonNull(statusInterval, "statusInterval");
        this.notReady = Objects.requireNonNull(notReady, "notReady");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.headline = Objects.requireNonNull(headline, "headline");
    }

    @Override
    public String name() {
        return "systemd";
    }

    @Override
    public synchronized void start() {
        if (!notify.enabled()) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "systemd-notify");
            t.setDaemon(true);
            return t;
        });
        notify.send("MAINPID=" + ProcessHandle.current().pid());
        readyPoll = thread.scheduleWithFixedDelay(this::pollReady, 0, READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
        watchdog.ifPresent(w -> {
            long half = Math.max(1, w.toMillis() / 2);
            thread.scheduleAtFixedRate(this::ping, half, half, TimeUnit.MILLISECONDS);
            log.info("systemd watchdog: {} ms, pinging every {} ms while every loop is alive", w.toMillis(), half);
        });
        if (!statusInterval.isZero()) {
            long ms = statusInterval.toMillis();
            thread.scheduleAtFixedRate(this::status, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends READY=1 once the daemon does its job; until then STATUS says why not. */
    private void pollReady() {
        try {
            String reason = notReady.get();
            if (reason.isEmpty()) {
                ready = true;
                notify.send("READY=1\nSTATUS=" + headline.get());
                log.info("notified systemd: ready");
                readyPoll.cancel(false);
            } else if (!reason.equals(lastReason)) {
                lastReason = reason;
                notify.send("STATUS=starting: " + reason);
            }
        } catch (RuntimeException e) {
            log.warn("readiness check for systemd failed: {}", e.toString());
        }
    }

    private void ping() {
        if (!ready) {
            return;
        }
        try {
            long maxAge = Math.max(watchdog.orElseThrow().toNanos() / 2,
                    TimeUnit.MILLISECONDS.toNanos(3 * LoopHeartbeat.BEAT_MILLIS));
            String stuck = liveness.stuck(maxAge);
            if (stuck.isEmpty()) {
                notify.send("WATCHDOG=1");
                if (!withheld.isEmpty()) {
                    log.info("watchdog pings resumed (was: {})", withheld);
                    withheld = "";
                    notify.send("STATUS=" + headline.get());
                }
            } else if (!stuck.equals(withheld)) {
                withheld = stuck;
                log.warn("watchdog ping withheld: {}", stuck);
                notify.send("STATUS=watchdog ping withheld: " + stuck);
            }
        } catch (RuntimeException e) {
            log.warn("watchdog check failed: {}", e.toString());
        }
    }

    private void status() {
        if (!ready || !withheld.isEmpty()) {
            return;
        }
        try {
            notify.send("STATUS=" + headline.get());
        } catch (RuntimeException e) {
            log.warn("status for systemd failed: {}", e.toString());
        }
    }

    /** Whether READY=1 was sent. */
    public boolean isReady() {
        return ready;
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        thread.awaitTermination(1, TimeUnit.SECONDS);
        thread = null;
        notify.send("STOPPING=1\nSTATUS=stopping");
        notify.close();
    }
}
