package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.net.IpAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Self-check, migrations, ReplacingMergeTree + FINAL and the binding lookup against a real private server. */
class SchemaTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static ClickHouseClient client;

    @BeforeAll
    static void migrate() throws Exception {
        client = new ClickHouseClient(server.freshDatabase("schema_test"));
        client.selfCheck().block(Duration.ofSeconds(30));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static long count(String sql) {
        return countIn(client, sql);
    }

    static long countIn(ClickHouseClient c, String sql) {
        return c.query(sql, (row, meta) -> Long.parseLong(String.valueOf(row.get(0)))).blockFirst();
    }

    @Test
    void selfCheckFailsLoudlyWhenTheDriverReturnsNoRows() throws Exception {
        ClickHouseConfig c = server.freshDatabase("selfcheck_test");
        ClickHouseConfig bare = new ClickHouseConfig(c.endpoint(), c.database(), c.user(), c.password(), "",
                c.requestTimeout());
        try (ClickHouseClient misconfigured = new ClickHouseClient(bare)) {
            Throwable e = assertThrows(Throwable.class, () -> misconfigured.selfCheck().block(Duration.ofSeconds(30)));
            assertTrue(String.valueOf(e.getMessage()).contains("SELECT 1") || e.getCause() != null, e.toString());
        }
    }

    @Test
    void startCreatesAMissingDatabaseAndMigratesIt() throws Exception {
        ClickHouseConfig c = server.freshDatabase("created_at_start");
        try (ClickHouseClient admin = new ClickHouseClient(c.withDatabase("default"))) {
            admin.post("DROP DATABASE created_at_start", null);
            assertEquals("0", admin.post("SELECT count() FROM system.databases WHERE name = 'created_at_start'",
                    null).trim());
        }
        ClickHouseStorage storage = ClickHouseStorage.start(c, WriterConfig.defaults(),
                new io.dhcpshield.core.event.EventFanout<>()).block(Duration.ofSeconds(60));
        try {
            assertEquals(1, countIn(storage.client(),
                    "SELECT count() FROM system.databases WHERE name = 'created_at_start'"));
            assertEquals(Migrations.all().size(), countIn(storage.client(),
                    "SELECT count() FROM schema_migrations"));
        } finally {
            storage.close();
        }
    }

    @Test
    void migrationsRerunSafelyAndAreRecordedOnce() {
        List<Integer> second = Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        assertEquals(List.of(), second);
        assertEquals(Migrations.all().size(), count("SELECT count() FROM schema_migrations"));
        // A statement re-run (a crash between DDL and the record) is harmless too: all are IF NOT EXISTS, and an
        // ADD COLUMN whose column exists is skipped.
        for (String ddl : Migrations.allStatements()) {
            Migrations.execute(client, ddl).block(Duration.ofSeconds(30));
        }
        assertEquals(1, count("SELECT count() FROM system.columns WHERE database = currentDatabase()"
                + " AND table = 'actions_log' AND name = 'detail'"));
        for (String table : List.of("dhcp_events", "dhcp_bindings", "client_minute_stats", "relay_minute_stats",
                "vendor_class_hour_stats", "system_config", "config_action_definitions", "automation_rules",
                "system_analysis_prompts", "firewall_rulesets", "users", "users_audit_log", "actions_log", "alarms",
                "token_revocations")) {
            assertEquals(1, count(Sql.bind("SELECT count() FROM system.tables WHERE database = currentDatabase()"
                    + " AND name = ?", table)), table);
        }
    }

    @Test
    void replacingMergeTreeReadsWithFinalSeeOnlyTheNewestVersion() {
        for (int v = 1; v <= 3; v++) {
            client.execute(Sql.bind("INSERT INTO system_config VALUES (?, ?, ?, ?, ?, ?)",
                    "operational.throttle.burst", "value-" + v, "test", Instant.now(), (long) v, 0)).block();
        }
        // Three separate inserts are three parts: without FINAL all versions are visible until a merge.
        assertEquals(3, count("SELECT count() FROM system_config WHERE key = 'operational.throttle.burst'"));
        String v = client.query("SELECT value FROM system_config FINAL WHERE key = 'operational.throttle.burst'",
                (row, meta) -> String.valueOf(row.get(0))).collectList().block().toString();
        assertEquals("[value-3]", v);
    }

    @Test
    void bindingLookupAnswersWhoHadAnAddressAtATime() throws Exception {
        long t0 = Instant.parse("2026-11-22T13:00:00Z").getEpochSecond() * 1_000_000L;
        IpAddress ip = IpAddress.parse("100.64.3.7");
        List<DhcpEvent> events = List.of(
                // mac ...01 holds it 13:00-14:00, then mac ...02 from 14:00:30 for an hour; a DISCOVER is no lease.
                TestEvents.v4Message(t0, 5, 0x0200_0000_0001L, ip, 3600, "c1"),
                TestEvents.v4Message(t0 + 3630_000_000L, 5, 0x0200_0000_0002L, ip, 3600, "c2"),
                TestEvents.v4Message(t0 + 3700_000_000L, 1, 0x0200_0000_0003L, null, -1, "c3"),
                TestEvents.v6Reply(t0, "00:01:00:01:aa", IpAddress.parse("2001:db8::7"), "2001:db8:100::/56", 7200));
        BatchSink.clickhouse(client).send(EventRows.encode(events));

        String who = client.query(Sql.bind("SELECT MACNumToString(client_mac), circuit_id FROM dhcp_bindings"
                        + " WHERE ip = ? AND lease_start <= ? AND lease_end > ? ORDER BY lease_start DESC LIMIT 1",
                ip, Instant.parse("2026-11-22T14:02:00Z"), Instant.parse("2026-11-22T14:02:00Z")),
                (row, meta) -> row.get(0) + " " + row.get(1)).blockFirst();
        assertEquals("02:00:00:00:00:02 c2", who);
        String earlier = client.query(Sql.bind("SELECT MACNumToString(client_mac) FROM dhcp_bindings"
                        + " WHERE ip = ? AND lease_start <= ? AND lease_end > ? ORDER BY lease_start DESC LIMIT 1",
                ip, Instant.parse("2026-11-22T13:59:00Z"), Instant.parse("2026-11-22T13:59:00Z")),
                (row, meta) -> String.valueOf(row.get(0))).blockFirst();
        assertEquals("02:00:00:00:00:01", earlier);
        assertEquals(3, count("SELECT count() FROM dhcp_bindings"));
        assertEquals("00:01:00:01:aa 2001:db8:100::/56", client.query(Sql.bind(
                "SELECT duid, prefix FROM dhcp_bindings WHERE ip = ?", IpAddress.parse("2001:db8::7")),
                (row, meta) -> row.get(0) + " " + row.get(1)).blockFirst());
        // The Stage-1 views saw the same four events.
        assertEquals(4, count("SELECT sum(events) FROM client_minute_stats"));
        assertEquals(4, count("SELECT sum(events) FROM relay_minute_stats"));
        assertEquals(4, count("SELECT sum(events) FROM vendor_class_hour_stats"));
    }
}
