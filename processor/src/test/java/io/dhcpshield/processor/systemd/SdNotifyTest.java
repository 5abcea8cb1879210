package io.dhcpshield.processor.systemd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class SdNotifyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void sendsEachStateAsOneDatagramToAPathSocket(@TempDir Path dir) throws Exception {
        try (NotifyReceiver systemd = NotifyReceiver.bind(dir.resolve("notify").toString());
             SdNotify notify = SdNotify.of(systemd.name())) {
            assertTrue(notify.enabled());
            assertTrue(notify.send("READY=1\nSTATUS=packets=3"));
            NotifyReceiver.Message m = systemd.await("READY=1", WAIT);
            assertEquals("READY=1\nSTATUS=packets=3", m.text());
        }
    }

    @Test
    void reachesAnAbstractSocketNamedWithAnAt() throws Exception {
        String name = "@dhcp-shield-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyReceiver systemd = NotifyReceiver.bind(name); SdNotify notify = SdNotify.of(name)) {
            assertTrue(notify.send("WATCHDOG=1"));
            systemd.await("WATCHDOG=1", WAIT);
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        SdNotify notify = SdNotify.of(null);
        assertFalse(notify.enabled());
        assertFalse(notify.send("READY=1"));
        assertFalse(SdNotify.of("").enabled());
        assertFalse(SdNotify.of("vsock:2:1234").enabled(), "only AF_UNIX is supported");
    }

    @Test
    void aSocketNoOneListensOnCostsAFalseNotAnException(@TempDir Path dir) {
        try (SdNotify notify = SdNotify.of(dir.resolve("gone").toString())) {
            assertFalse(notify.send("READY=1"));
        }
    }

    @Test
    void watchdogIntervalIsForThisProcessOnly() {
        assertEquals(Optional.of(Duration.ofSeconds(20)), SdNotify.watchdogInterval(
                Map.of("WATCHDOG_USEC", "20000000"), 42));
        assertEquals(Optional.of(Duration.ofMillis(500)), SdNotify.watchdogInterval(
                Map.of("WATCHDOG_USEC", "500000", "WATCHDOG_PID", "42"), 42));
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(
                Map.of("WATCHDOG_USEC", "500000", "WATCHDOG_PID", "43"), 42));
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(Map.of(), 42));
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "x"), 42));
    }

    @Test
    void aBlockedLoopStopsItsHeartbeatAndAResumedOneBeatsAgain() throws Exception {
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        try {
            LoopHeartbeat beat = LoopHeartbeat.start("test loop", loop);
            long maxAge = TimeUnit.MILLISECONDS.toNanos(3 * LoopHeartbeat.BEAT_MILLIS);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            loop.execute(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            blocked.await();
            awaitUntil(() -> !beat.stuck(maxAge).isEmpty(), "a blocked loop is stuck");
            assertTrue(beat.stuck(maxAge).startsWith("test loop silent for "), beat.stuck(maxAge));
            release.countDown();
            awaitUntil(() -> beat.stuck(maxAge).isEmpty(), "a released loop beats again");
            beat.stop();
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void notifierSendsReadyOnceReadyThenPingsOnlyWhileAlive(@TempDir Path dir) throws Exception {
        AtomicReference<String> notReady = new AtomicReference<>("queues not bound");
        AtomicBoolean alive = new AtomicBoolean(true);
        try (NotifyReceiver systemd = NotifyReceiver.bind(dir.resolve("notify").toString())) {
            SystemdNotifier n = new SystemdNotifier(SdNotify.of(systemd.name()), Optional.of(Duration.ofMillis(200)),
                    Duration.ofMillis(100), notReady::get, maxAge -> alive.get() ? "" : "loop 1 stuck",
                    () -> "packets=7");
            n.start();
            systemd.await("MAINPID=" + ProcessHandle.current().pid(), WAIT);
            NotifyReceiver.Message starting = systemd.await("STATUS=starting: queues not bound", WAIT);
            notReady.set("");
            NotifyReceiver.Message ready = systemd.await("READY=1", WAIT);
            assertTrue(ready.has("STATUS=packets=7"), ready.text());
            int readyAt = systemd.indexOf(ready);
            assertTrue(systemd.messages().subList(0, readyAt).stream().noneMatch(m -> m.has("WATCHDOG=1")),
                    "no ping before READY: " + systemd.messages());
            assertTrue(systemd.indexOf(starting) < readyAt);
            NotifyReceiver.Message ping = systemd.await(readyAt, m -> m.has("WATCHDOG=1"), WAIT, "a ping");
            systemd.await(readyAt, m -> m.text().equals("STATUS=packets=7"), WAIT, "a periodic STATUS");
            alive.set(false);
            NotifyReceiver.Message withheld = systemd.await(systemd.indexOf(ping),
                    m -> m.has("STATUS=watchdog ping withheld: loop 1 stuck"), WAIT, "withheld");
            int w = systemd.indexOf(withheld);
            alive.set(true);
            NotifyReceiver.Message resumed = systemd.await(w, m -> m.has("WATCHDOG=1"), WAIT, "resumed ping");
            assertTrue(systemd.messages().subList(w, systemd.indexOf(resumed)).stream()
                    .noneMatch(m -> m.has("WATCHDOG=1")));
            n.stop();
            systemd.await("STOPPING=1", WAIT);
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what);
            }
            Thread.onSpinWait();
            Thread.sleep(10);
        }
    }
}
