package io.dhcpshield.alarms.vector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.alarms.Alarm;
import io.dhcpshield.alarms.AlarmState;
import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.Notification;
import io.dhcpshield.alarms.Party;
import io.dhcpshield.alarms.Severity;
import io.dhcpshield.alarms.vector.VectorSink.Counts;
import io.dhcpshield.alarms.vector.VectorSink.DropReason;
import io.dhcpshield.automation.analysis.BackendBreaker;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Vector sink against a real HTTP receiver on loopback ({@link VectorReceiver}) that accepts, hangs, fails,
 * refuses, goes down and comes back. Durations are short (300 ms open breaker, 20 ms back-off, a 300 ms request
 * timeout against the hanging receiver) so the class runs in a few seconds. A watcher per sink reads the counters
 * all along: {@code offered == sent + dropped + pending} must hold in every reading, and after every test pending
 * is 0.
 */
class VectorSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private VectorReceiver receiver;
    private final List<VectorSink> sinks = new ArrayList<>();
    private final List<InvariantWatch> watches = new ArrayList<>();

    /**
     * The first request of a fresh JVM loads the HTTP client's and server's classes: about a second on a busy build
     * machine, far beyond the short timeouts below, which are meant for a warm one.
     */
    @BeforeAll
    static void warmUp() {
        try (VectorReceiver r = VectorReceiver.start()) {
            VectorSink s = new VectorSink(VectorSinkConfig.defaults().enabledAt(r.url())
                    .withBatch(1, Duration.ofMillis(1), 10), Time.SYSTEM);
            s.start();
            s.offer(notification(0));
            await("the warm-up request", () -> s.counts().sent() == 1);
            s.stop();
        }
    }

    @BeforeEach
    void startReceiver() {
        receiver = VectorReceiver.start();
    }

    @AfterEach
    void stopEverything() {
        try {
            for (VectorSink s : sinks) {
                s.stop();
                Counts c = s.counts();
                assertEquals(0, c.pending(), "nothing pending after stop: " + c);
                assertEquals(c.offered(), c.sent() + c.dropped(), "every notification sent or dropped: " + c);
            }
            for (InvariantWatch w : watches) {
                w.close();
                assertNull(w.violation, "offered == sent + dropped + pending in every reading");
                assertTrue(w.readings > 0);
            }
        } finally {
            receiver.close();
        }
    }

    /**
     * Short durations: batches of 10 or what waited 20 ms; 5 attempts 20 ms, 40 ms, ... (at most 100 ms) apart, 1 s
     * per request (a warm loopback request takes a few ms; the slow-receiver test cuts it to 300 ms); the breaker
     * opens after 3 failures for 300 ms.
     */
    private VectorSinkConfig config() {
        return VectorSinkConfig.defaults().enabledAt(receiver.url()).withAppliance("site-1")
                .withBatch(10, Duration.ofMillis(20), 1000)
                .withRetries(5, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1))
                .withBreaker(3, Duration.ofMillis(300));
    }

    private VectorSinkConfig config(int maxAttempts, Duration timeout) {
        return config().withRetries(maxAttempts, Duration.ofMillis(20), Duration.ofMillis(100), timeout);
    }

    private VectorSink started(VectorSinkConfig config) {
        VectorSink s = unstarted(config);
        s.start();
        return s;
    }

    private VectorSink unstarted(VectorSinkConfig config) {
        VectorSink s = new VectorSink(config, Time.SYSTEM);
        sinks.add(s);
        watches.add(new InvariantWatch(s));
        return s;
    }

    @Test
    void batchesArriveAsNdjsonEveryNotificationOnceInOrder() throws Exception {
        VectorSink sink = started(config());
        for (int i = 0; i < 250; i++) {
            assertTrue(sink.offer(notification(i)));
        }
        await("250 delivered", () -> sink.counts().sent() == 250);
        assertLinesInOrder(0, 250);
        for (VectorReceiver.Request r : receiver.requests()) {
            assertEquals("application/x-ndjson", r.contentType());
            assertTrue(r.lines() >= 1 && r.lines() <= 10, "at most batch_size lines per request: " + r.lines());
        }
        assertTrue(receiver.requests().size() >= 25, "batches of at most 10");
        Counts c = sink.counts();
        assertEquals(250, c.offered());
        assertEquals(0, c.dropped());
        assertEquals(0, c.retried());
        assertEquals(0, c.pending());
    }

    @Test
    void aSlowReceiverIsRetriedWhileOfferNeverBlocks() throws Exception {
        receiver.hang(Duration.ofSeconds(2));
        VectorSink sink = started(config(5, Duration.ofMillis(300)));
        sink.offer(notification(0));
        await("the first request hangs in the receiver", () -> receiver.requests().size() == 1);
        long slowest = 0;
        for (int i = 1; i <= 200; i++) {
            long t0 = System.nanoTime();
            assertTrue(sink.offer(notification(i)));
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        Counts during = sink.counts();
        assertEquals(0, during.sent() + during.retried(), "the offers were made while the first request hung");
        assertTrue(slowest < Duration.ofMillis(100).toNanos(),
                "offer() returns at once while a request hangs (300 ms timeout); slowest took " + slowest + " ns");
        await("the hung batch is retried", () -> sink.counts().retried() > 0);
        assertTrue(sink.lastError().contains("within 300 ms"), sink.lastError());
        receiver.accept();
        await("all 201 delivered after the receiver recovered", () -> sink.counts().sent() == 201);
        assertLinesInOrder(0, 201);
        assertEquals(0, sink.counts().dropped());
    }

    @Test
    void aFailingReceiverOpensTheBreakerAndGetsNoRequestsWhileOpen() throws Exception {
        receiver.answer(500);
        VectorSink sink = started(config(10, Duration.ofSeconds(1)));
        for (int i = 0; i < 5; i++) {
            sink.offer(notification(i));
        }
        await("the breaker opens", () -> sink.breakerState() == BackendBreaker.State.OPEN);
        assertEquals(1, sink.breakerOpened());
        assertEquals(3, receiver.requests().size(), "breaker_failures failed requests opened it");
        ObjectNode status = sink.status();
        assertEquals("open", status.path("state").asText());
        assertTrue(status.path("last_error").asText().startsWith("HTTP 500 from " + receiver.url()),
                status.toString());
        for (int i = 5; i < 40; i++) {
            assertTrue(sink.offer(notification(i)), "notifications keep queuing while the breaker is open");
        }
        assertEquals(40, sink.counts().pending());
        await("the trial request after breaker_open", () -> receiver.requests().size() == 4);
        long gap = receiver.requests().get(3).arrivedNanos() - receiver.requests().get(2).arrivedNanos();
        assertTrue(gap >= Duration.ofMillis(300).toNanos(),
                "no request while open: the trial came " + gap / 1_000_000 + " ms after the failure that opened it");
        await("the failed trial reopens it", () -> sink.breakerOpened() == 2);
        assertEquals(BackendBreaker.State.OPEN, sink.breakerState());
        assertEquals(0, sink.counts().sent());
    }

    @Test
    void afterRecoveryTheBreakerHalfOpensClosesByItselfAndDeliversTheQueue() throws Exception {
        receiver.down();
        VectorSink sink = started(config(10, Duration.ofSeconds(1)));
        for (int i = 0; i < 5; i++) {
            sink.offer(notification(i));
        }
        await("refused connections open the breaker", () -> sink.breakerState() == BackendBreaker.State.OPEN);
        assertTrue(sink.lastError().startsWith("request to " + receiver.url() + " failed"), sink.lastError());
        for (int i = 5; i < 60; i++) {
            sink.offer(notification(i));
        }
        List<BackendBreaker.State> seenByReceiver = new CopyOnWriteArrayList<>();
        receiver.onRequest(() -> seenByReceiver.add(sink.breakerState()));
        receiver.accept();
        receiver.up();
        await("the queue delivered", () -> sink.counts().sent() == 60);
        assertEquals(BackendBreaker.State.HALF_OPEN, seenByReceiver.get(0), "the first request was the trial");
        assertEquals(BackendBreaker.State.CLOSED, sink.breakerState());
        assertEquals("closed", sink.status().path("state").asText());
        assertEquals(1, sink.breakerOpened());
        assertLinesInOrder(0, 60);
        assertEquals(0, sink.counts().dropped());
    }

    @Test
    void aFullQueueDropsWithReasonQueueFull() throws Exception {
        // Not started yet: nothing drains, so the queue's bound alone decides.
        VectorSink sink = unstarted(config().withBatch(5, Duration.ofMillis(20), 5));
        for (int i = 0; i < 5; i++) {
            assertTrue(sink.offer(notification(i)));
        }
        for (int i = 5; i < 8; i++) {
            assertFalse(sink.offer(notification(i)), "refused when queue_capacity are pending");
        }
        Counts c = sink.counts();
        assertEquals(8, c.offered());
        assertEquals(3, c.dropped(DropReason.QUEUE_FULL));
        assertEquals(5, c.pending());
        sink.start();
        await("the 5 queued delivered", () -> sink.counts().sent() == 5);
        assertLinesInOrder(0, 5);
    }

    @Test
    void aRejectingReceiverDropsTheBatchAtOnce() throws Exception {
        receiver.answer(400);
        VectorSink sink = started(config());
        for (int i = 0; i < 3; i++) {
            sink.offer(notification(i));
        }
        await("the batch is dropped as rejected", () -> sink.counts().dropped(DropReason.REJECTED) == 3);
        assertEquals(1, receiver.requests().size(), "not retried");
        assertEquals(0, sink.counts().retried());
        assertEquals(BackendBreaker.State.CLOSED, sink.breakerState(), "the receiver answered: not a failure");
        assertTrue(sink.lastError().startsWith("HTTP 400 from " + receiver.url() + ": refused by the test receiver"),
                sink.lastError());
    }

    @Test
    void tooManyRequestsIsRetriedNotRejected() throws Exception {
        receiver.answer(429);
        VectorSink sink = started(config());
        sink.offer(notification(0));
        await("429 is retried", () -> receiver.requests().size() >= 2);
        receiver.accept();
        await("delivered", () -> sink.counts().sent() == 1);
        assertEquals(0, sink.counts().dropped());
        assertTrue(sink.counts().retried() >= 1);
    }

    @Test
    void aBatchIsDroppedAfterMaxAttempts() throws Exception {
        receiver.answer(503);
        VectorSink sink = started(config(2, Duration.ofSeconds(1)).withBreaker(10, Duration.ofMillis(300)));
        for (int i = 0; i < 4; i++) {
            sink.offer(notification(i));
        }
        await("dropped after 2 attempts", () -> sink.counts().dropped(DropReason.RETRIES_EXHAUSTED) == 4);
        assertEquals(2, receiver.requests().size());
        assertEquals(4, sink.counts().retried(), "one repeated request of 4 notifications");
    }

    @Test
    void stopFlushesWhatIsQueued() throws Exception {
        VectorSink sink = started(config().withBatch(100, Duration.ofSeconds(30), 1000));
        for (int i = 0; i < 7; i++) {
            sink.offer(notification(i));
        }
        sink.stop();
        assertEquals(7, sink.counts().sent(), "the last flush did not wait for flush_interval");
        assertLinesInOrder(0, 7);
        assertFalse(sink.offer(notification(7)), "a stopped sink takes nothing");
        assertEquals(1, sink.counts().dropped(DropReason.SHUTDOWN));
    }

    @Test
    void stopCountsWhatCannotBeDeliveredAsShutdown() throws Exception {
        receiver.down();
        VectorSink sink = started(config().withBatch(100, Duration.ofSeconds(30), 1000));
        for (int i = 0; i < 7; i++) {
            sink.offer(notification(i));
        }
        long t0 = System.nanoTime();
        sink.stop();
        long took = System.nanoTime() - t0;
        assertTrue(took < Duration.ofSeconds(2).toNanos(), "stop() is bounded by the request timeout: " + took);
        Counts c = sink.counts();
        assertEquals(7, c.dropped(DropReason.SHUTDOWN));
        assertEquals(0, c.pending());
        assertEquals(0, c.sent());
    }

    @Test
    void aDisabledSinkTakesNothing() {
        VectorSink sink = started(VectorSinkConfig.defaults());
        assertFalse(sink.offer(notification(0)));
        assertEquals(1, sink.counts().dropped(DropReason.DISABLED));
        ObjectNode status = sink.status();
        assertFalse(status.path("enabled").asBoolean(true));
        assertEquals("", status.path("target").asText());
    }

    @Test
    void statusAndMetricsCarryTheCountersLabelledBySink() throws Exception {
        VectorSink sink = unstarted(config().withBatch(5, Duration.ofMillis(20), 5));
        for (int i = 0; i < 7; i++) {
            sink.offer(notification(i));
        }
        sink.start();
        await("5 sent", () -> sink.counts().sent() == 5);

        ObjectNode status = sink.status();
        assertEquals("vector", status.path("name").asText());
        assertEquals("vector", status.path("type").asText());
        assertTrue(status.path("enabled").asBoolean());
        assertEquals(receiver.url(), status.path("target").asText());
        assertEquals("closed", status.path("state").asText());
        JsonNode counters = status.path("counters");
        assertEquals(7, counters.path("offered").asLong());
        assertEquals(5, counters.path("sent").asLong());
        assertEquals(0, counters.path("retried").asLong());
        assertEquals(2, counters.path("dropped").asLong());
        assertEquals(0, counters.path("pending").asLong());
        assertTrue(status.has("last_error") && status.path("last_error").isNull());

        MetricSamples m = new MetricSamples();
        sink.metrics(m);
        assertEquals(7, value(m, "notifications_offered", Map.of("sink", "vector")));
        assertEquals(5, value(m, "notifications_sent", Map.of("sink", "vector")));
        assertEquals(0, value(m, "notifications_retried", Map.of("sink", "vector")));
        assertEquals(2, value(m, "notifications_dropped", Map.of("sink", "vector", "reason", "queue_full")));
        assertEquals(0, value(m, "notifications_dropped", Map.of("sink", "vector", "reason", "rejected")));
        assertEquals(0, value(m, "notifications_pending", Map.of("sink", "vector")));
        assertEquals(0, value(m, "notification_breaker_state", Map.of("sink", "vector")));
        assertEquals(0, value(m, "notification_breaker_opened", Map.of("sink", "vector")));
        assertEquals(DropReason.values().length, m.byName().get("notifications_dropped").size(),
                "every reason is reported, zeros included");
    }

    // ---- helpers ----

    /** Lines {@code from..to-1} arrived exactly once, in order, each a whole notification. */
    private void assertLinesInOrder(int from, int to) throws Exception {
        List<String> lines = receiver.lines();
        assertEquals(to - from, lines.size(), "every notification once; requests: " + receiver.requests());
        for (int i = from; i < to; i++) {
            JsonNode line = JSON.readTree(lines.get(i - from));
            assertEquals("alarm", line.path("type").asText());
            assertEquals("raised", line.path("change").asText());
            assertEquals("n-" + i, line.path("id").asText(), "in order");
            assertEquals("r-critical", line.path("route").asText());
            assertEquals("site-1", line.path("appliance").asText());
            assertEquals(notification(i).time().toString(), line.path("time").asText());
            JsonNode alarm = line.path("alarm");
            assertEquals("a-" + i, alarm.path("id").asText());
            assertEquals("rogue_server/198.18.0.9", alarm.path("source_key").asText());
            assertEquals("critical", alarm.path("severity").asText());
            assertEquals("server", alarm.path("context").path(0).path("role").asText());
        }
    }

    static Notification notification(int i) {
        Instant t = Instant.parse("2026-12-04T22:01:02.345Z").plusMillis(i);
        Alarm a = new Alarm("a-" + i, "rogue_server/198.18.0.9", Channel.DHCP, "security", "rogue_server",
                Severity.CRITICAL, AlarmState.RAISED, "Rogue DHCP server 198.18.0.9",
                "198.18.0.9 answered 3 clients with OFFER/ACK", t, t, 1, null, "", null, "",
                List.of(new Party("server", "198.18.0.9", "02:00:5e:00:07:01", 6, t, t)),
                Map.of("window_seconds", "60"));
        return new Notification("n-" + i, t, Notification.Change.RAISED, "r-critical", a);
    }

    private static double value(MetricSamples m, String name, Map<String, String> labels) {
        for (MetricSamples.Sample s : m.samples()) {
            if (s.name().equals(name) && s.labels().equals(labels)) {
                return s.value();
            }
        }
        throw new AssertionError("no sample " + name + labels + " in " + m.samples());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting for: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Reads a sink's counters in a loop for the whole test and keeps the first reading that does not add up. */
    private static final class InvariantWatch implements AutoCloseable {

        private final Thread thread;
        private volatile boolean closed;
        private volatile Counts violation;
        private volatile long readings;

        InvariantWatch(VectorSink sink) {
            thread = new Thread(() -> {
                do {
                    Counts c = sink.counts();
                    if (c.offered() != c.sent() + c.dropped() + c.pending() && violation == null) {
                        violation = c;
                    }
                    readings++;
                    LockSupport.parkNanos(20_000);
                } while (!closed);
            }, "invariant-watch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            closed = true;
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
