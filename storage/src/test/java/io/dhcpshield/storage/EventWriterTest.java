package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event writer against a real private server: volume, an outage, and clean shutdown. */
class EventWriterTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static long count(ClickHouseClient client, String sql) {
        return client.query(sql, (row, meta) -> Long.parseLong(String.valueOf(row.get(0)))).blockFirst();
    }

    static void await(String what, Duration limit, BooleanSupplier condition) {
        Await.until(limit, condition, what);
    }

    static EventFanout.SubscriberStats fanoutStats(EventFanout<DhcpEvent> fanout, String name) {
        return fanout.stats().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void millionEventsThroughTheWriterAreAllStoredAndCounted() throws Exception {
        int n = 1_000_000;
        EventFanout<DhcpEvent> fanout = new EventFanout<>();
        WriterConfig cfg = WriterConfig.defaults().withBatch(100_000, Duration.ofSeconds(1)).withFanoutCapacity(n);
        long t0 = Instant.parse("2026-11-23T10:00:00Z").getEpochSecond() * 1_000_000L;
        DhcpEvent[] pool = new DhcpEvent[10_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = TestEvents.v4(i, t0 + i * 1_000L);
        }
        ClickHouseStorage storage = ClickHouseStorage.start(server.freshDatabase("million_test"), cfg, fanout)
                .block(Duration.ofSeconds(60));
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            fanout.publish(pool[i % pool.length]);
        }
        long published = System.nanoTime();
        EventWriter writer = storage.writer();
        await("all rows written", Duration.ofSeconds(90), () -> writer.stats().written() == n);
        long written = System.nanoTime();
        long rows = count(storage.client(), "SELECT count() FROM dhcp_events");
        long visible = System.nanoTime();
        long summed = count(storage.client(), "SELECT sum(events) FROM client_minute_stats");
        fanout.complete();
        storage.close();

        WriterStats s = writer.stats();
        EventFanout.SubscriberStats f = fanoutStats(fanout, "clickhouse");
        System.out.printf("1M events: publish %.0f ms, written %.0f ms, counted %.0f ms -> %.0f events/s end to end;"
                        + " %d batches%n", (published - start) / 1e6, (written - start) / 1e6,
                (visible - start) / 1e6, n / ((visible - start) / 1e9), s.batches());
        assertEquals(n, rows);
        assertEquals(n, fanout.published());
        assertEquals(0, f.dropped());
        assertEquals(n, s.received());
        assertEquals(n, s.written());
        assertEquals(0, s.dropped() + s.buffered());
        assertEquals(n, summed);
    }

    @Test
    void outageNeverBlocksPublishingAndCountersAddUp() throws Exception {
        EventFanout<DhcpEvent> fanout = new EventFanout<>();
        int maxBuffered = 20_000;
        WriterConfig cfg = WriterConfig.defaults().withBatch(2_000, Duration.ofMillis(100))
                .withMaxBuffered(maxBuffered).withRetry(Duration.ofMillis(50), Duration.ofMillis(400))
                .withFanoutCapacity(100_000);
        ClickHouseConfig db = server.freshDatabase("outage_test").withRequestTimeout(Duration.ofSeconds(2));
        ClickHouseStorage storage = ClickHouseStorage.start(db, cfg, fanout).block(Duration.ofSeconds(60));
        EventWriter writer = storage.writer();
        long t0 = Instant.parse("2026-11-23T11:00:00Z").getEpochSecond() * 1_000_000L;
        long[] seq = {0};
        long[] slowestPublishNanos = {0};
        Runnable publishSome = () -> {
            for (int i = 0; i < 1_000; i++) {
                long before = System.nanoTime();
                fanout.publish(TestEvents.v4(seq[0], t0 + seq[0]));
                slowestPublishNanos[0] = Math.max(slowestPublishNanos[0], System.nanoTime() - before);
                seq[0]++;
            }
        };

        // Phase 1: healthy.
        for (int k = 0; k < 10; k++) {
            publishSome.run();
        }
        await("first rows written", Duration.ofSeconds(30), () -> writer.stats().written() >= 10_000);

        // Phase 2: the server goes away; publishing continues at full speed, far past the buffer bound.
        server.stop();
        long outageStart = System.nanoTime();
        for (int k = 0; k < 60; k++) {
            publishSome.run();
        }
        long outagePublishNanos = System.nanoTime() - outageStart;
        await("failures seen", Duration.ofSeconds(30), () -> writer.stats().failures() > 0);
        await("fan-out drained into the writer", Duration.ofSeconds(30),
                () -> fanoutStats(fanout, "clickhouse").buffered() == 0);
        WriterStats during = writer.stats();
        assertTrue(during.dropped() > 0, "the bounded buffer dropped the oldest: " + during);
        assertTrue(during.buffered() <= maxBuffered + cfg.batchSize(), "buffer stays bounded: " + during);
        assertEquals(during.received(), during.written() + during.dropped() + during.buffered(), during.toString());

        // Phase 3: the server comes back; the writer resumes by itself and empties its buffer.
        server.start();
        await("buffer flushed after restart", Duration.ofSeconds(60), () -> writer.stats().buffered() == 0);
        for (int k = 0; k < 5; k++) {
            publishSome.run();
        }
        fanout.complete();
        storage.close();

        WriterStats s = writer.stats();
        EventFanout.SubscriberStats f = fanoutStats(fanout, "clickhouse");
        long published = fanout.published();
        System.out.println("outage: published " + published + ", " + s + ", fan-out " + f
                + ", slowest publish " + slowestPublishNanos[0] / 1000 + " us, outage publishing "
                + outagePublishNanos / 1_000_000 + " ms");
        assertEquals(75_000, published);
        assertEquals(published, s.written() + s.dropped() + s.buffered() + f.dropped() + f.buffered());
        assertEquals(0, s.buffered());
        assertEquals(s.received(), f.delivered());
        assertEquals(0, f.dropped() + f.buffered(), "the writer kept draining the fan-out through the outage");
        // Publishing is a queue offer; a GC pause or a busy 2-core machine can still stall one call, so the bound
        // is far below what waiting on ClickHouse would cost (a 2 s request timeout per attempt, 60k events).
        assertTrue(outagePublishNanos < Duration.ofSeconds(2).toNanos(),
                "60,000 publishes during the outage took " + outagePublishNanos / 1_000_000 + " ms");
        assertTrue(slowestPublishNanos[0] < Duration.ofSeconds(1).toNanos(),
                "publishing never waited on ClickHouse: slowest " + slowestPublishNanos[0] + " ns");
        try (ClickHouseClient check = new ClickHouseClient(db)) {
            assertEquals(s.written(), count(check, "SELECT count() FROM dhcp_events"));
        }
    }
}
