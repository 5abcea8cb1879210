package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.storage.Retention.Partition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Retention by dropping day partitions, against a real private server. */
class RetentionTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static List<String> partitions(ClickHouseClient c, String table) {
        return c.query(Sql.bind("SELECT DISTINCT partition FROM system.parts WHERE database = currentDatabase()"
                + " AND active AND table = ? ORDER BY partition", table), (row, meta) -> String.valueOf(row.get(0)))
                .collectList().block(Duration.ofSeconds(10));
    }

    @Test
    void expiredIsStrictlyOlderThanTodayMinusDays() {
        List<Partition> parts = List.of(new Partition("dhcp_events", 20261023), new Partition("dhcp_events", 20261024),
                new Partition("alarms", 20200101), new Partition("other", 20000101));
        assertEquals(List.of(new Partition("dhcp_events", 20261023)),
                Retention.expired(parts, Map.of("dhcp_events", 30L), LocalDate.of(2026, 11, 23)));
    }

    @Test
    void onlyPartitionsOlderThanTheConfiguredDaysAreDropped() throws Exception {
        ClickHouseClient client = new ClickHouseClient(server.freshDatabase("retention_test"));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        Time clock = Time.fixed(now);
        List<DhcpEvent> events = new ArrayList<>();
        for (int ago : new int[] {40, 31, 30, 29, 0}) {
            long t = now.minus(Duration.ofDays(ago)).getEpochSecond() * 1_000_000L;
            events.add(TestEvents.v4Message(t, 1, 0x0200_0000_0001L, null, -1, "c1"));
            events.add(TestEvents.v4Message(t, 5, 0x0200_0000_0001L, IpAddress.parse("100.64.3.7"), 3600, "c1"));
        }
        BatchSink.clickhouse(client).send(EventRows.encode(events));
        List<String> all = List.of("20261014", "20261023", "20261024", "20261025", "20261123");
        assertEquals(all, partitions(client, "dhcp_events"));
        assertEquals(all, partitions(client, "dhcp_bindings"));
        assertEquals(all, partitions(client, "client_minute_stats"));

        // automation_runs: logs days (365 by default): a run 400 days ago goes, one 10 days ago stays.
        for (int ago : new int[] {400, 10}) {
            client.execute(Queries.bind("automation.run_insert", now.minus(Duration.ofDays(ago)), 0, "r1", "rule 1",
                    "schedule", 3, 1, 1, 0, 0, "")).block(Duration.ofSeconds(10));
        }
        List<String> keptRuns = List.of("20261113");
        // events: YAML says 30 days; stats: the database says 35 days (wins over the 90-day default).
        OperationalConfig cfg = new OperationalConfig(client,
                Map.of(OperationalKeys.RETENTION_EVENTS_DAYS.name(), "30"), Set.of("retention"), clock);
        cfg.set(OperationalKeys.RETENTION_STATS_DAYS, 35L, "test").block(Duration.ofSeconds(10));
        Retention retention = new Retention(client, cfg, clock);
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        var job = retention.schedule(Duration.ofHours(1), vts);
        vts.advanceTime();   // the first run, at once
        List<String> kept = List.of("20261024", "20261025", "20261123");
        List<String> keptStats = List.of("20261023", "20261024", "20261025", "20261123");
        // The job runs on its own; wait for what it must leave behind (the last table it handles included).
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(partitions(client, "dhcp_events").equals(kept) && partitions(client, "dhcp_bindings").equals(kept)
                && partitions(client, "client_minute_stats").equals(keptStats)
                && partitions(client, "relay_minute_stats").equals(keptStats)
                && partitions(client, "vendor_class_hour_stats").equals(keptStats)
                && partitions(client, "automation_runs").equals(keptRuns)) && System.nanoTime() < end) {
            Thread.sleep(50); // poll interval of a deadline loop; the assertions below say what was expected
        }
        job.dispose();
        assertEquals(kept, partitions(client, "dhcp_events"));
        assertEquals(kept, partitions(client, "dhcp_bindings"));
        assertEquals(keptStats, partitions(client, "client_minute_stats"));
        assertEquals(keptStats, partitions(client, "relay_minute_stats"));
        assertEquals(keptStats, partitions(client, "vendor_class_hour_stats"));
        assertEquals(keptRuns, partitions(client, "automation_runs"));
        assertEquals(6, SchemaTest.countIn(client, "SELECT count() FROM dhcp_events"));
        // A second run finds nothing more to drop.
        assertEquals(0, retention.runOnce().count().block(Duration.ofSeconds(20)));
        client.close();
    }
}
