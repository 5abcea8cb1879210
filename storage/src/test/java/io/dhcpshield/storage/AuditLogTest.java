package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail in the real private server: filters, exact paging, config changes and pre-V007 rows. */
class AuditLogTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Duration MAX_RANGE = Duration.ofDays(31);

    /** Every page of a query, in order. */
    static List<AuditEntry> all(AuditLog log, AuditFilter f, int limit) {
        return Pages.all(c -> log.query(f, c, limit).block(), AuditPage::entries, AuditPage::next);
    }

    static List<String> multiset(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::toString).sorted().toList();
    }

    @Test
    void pagesAreNewestFirstAndExactWhenManyEntriesShareASecond() throws Exception {
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("audit_paging"))) {
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
            AuditLog log = new AuditLog(client, MAX_RANGE);
            List<AuditEntry> written = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                // 10 distinct seconds... and in the last one, 10 entries in one microsecond, 5 of them identical.
                Instant at = i < 30 ? T0.plusSeconds(i / 3).plusNanos(1000L * (i % 3)) : T0.plusSeconds(20).plusNanos(7000);
                written.add(new AuditEntry(at, "alice", "bob", "user.update", "bob", "{\"n\":" + Math.min(i, 35) + "}"));
            }
            for (AuditEntry e : written) {
                log.write(e).block();
            }
            AuditFilter f = AuditFilter.between(T0, T0.plusSeconds(60));
            for (int limit : new int[] {1, 4, 5, 9, 40, 41}) {
                List<AuditEntry> read = all(log, f, limit);
                assertEquals(multiset(written), multiset(read), "limit " + limit);
                for (int i = 1; i < read.size(); i++) {
                    assertTrue(!read.get(i - 1).time().isBefore(read.get(i).time()), "newest first");
                }
            }
            assertEquals(T0.plusSeconds(20).plusNanos(7000), all(log, f, 1).get(0).time());
        }
    }

    @Test
    void filtersByActorActionOrPrefixTargetAndRangeAndMetacharactersChangeNothing() throws Exception {
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("audit_filters"))) {
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
            AuditLog log = new AuditLog(client, MAX_RANGE);
            List<AuditEntry> written = new ArrayList<>();
            String[] actions = {"user.create", "user.delete", "session.login", "user.", "config.set"};
            String[] actors = {"alice", "bob", BadInput.NASTY, "o'neil\\"};
            for (int i = 0; i < 40; i++) {
                written.add(new AuditEntry(T0.plusSeconds(i * 60L), actors[i % 4], "u" + i, actions[i % 5],
                        i % 2 == 0 ? "target-" + (i % 3) : "", "detail " + i));
            }
            for (AuditEntry e : written) {
                log.write(e).block();
            }
            AuditFilter all = AuditFilter.between(T0, T0.plus(Duration.ofDays(1)));
            List<AuditFilter> filters = List.of(all, all.actor("alice"), all.actor(BadInput.NASTY),
                    all.actor("o'neil\\"), all.action("user.create"), all.actionPrefix("user."),
                    all.actionPrefix("user.d"), all.action("user."), all.target("target-1"),
                    all.actor("bob").actionPrefix("session").target("target-0"),
                    AuditFilter.between(T0.plusSeconds(600), T0.plusSeconds(1200)).actionPrefix("user"));
            for (AuditFilter f : filters) {
                assertEquals(multiset(written.stream().filter(matches(f)).toList()), multiset(all(log, f, 7)),
                        f.toString());
            }
            assertEquals(10, all(log, all.actor("alice"), 100).size());
            assertEquals(24, all(log, all.actionPrefix("user."), 100).size());
            for (String attack : BadInput.ATTACKS) {
                int expected = attack.equals(BadInput.NASTY) ? 10 : 0;
                assertEquals(expected, all(log, all.actor(attack), 100).size(), attack);
                assertEquals(0, all(log, all.actionPrefix(attack), 100).size(), attack);
                assertEquals(0, all(log, all.action(attack).target(attack), 100).size(), attack);
            }
            assertEquals(40, all(log, all, 100).size());
        }
    }

    static Predicate<AuditEntry> matches(AuditFilter f) {
        return e -> !e.time().isBefore(f.from()) && e.time().isBefore(f.to())
                && (f.actor() == null || f.actor().equals(e.actor()))
                && (f.action() == null || f.action().equals(e.action()))
                && (f.actionPrefix() == null || e.action().startsWith(f.actionPrefix()))
                && (f.target() == null || f.target().equals(e.target()));
    }

    @Test
    void configChangesAndRowsWrittenBeforeV007AreListedByTheSameQuery() throws Exception {
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("audit_legacy"))) {
            // The schema as it was before V007, with two rows written then (no microseconds column).
            for (Migrations.Migration m : Migrations.all()) {
                if (m.version() < 7) {
                    for (String ddl : m.statements()) {
                        Migrations.execute(client, ddl).block(Duration.ofSeconds(30));
                    }
                }
            }
            String old = "INSERT INTO users_audit_log (event_time, actor, username, action, target, detail)"
                    + " VALUES (?, ?, ?, ?, ?, ?)";
            client.execute(Sql.bind(old, T0, "alice", "alice", "config.set", "operational.throttle.burst",
                    "{\"old\":\"20\",\"new\":\"30\"}")).block();
            client.execute(Sql.bind(old, T0, "alice", "alice", "config.set", "operational.throttle.burst",
                    "{\"old\":\"20\",\"new\":\"30\"}")).block();   // the same row twice: both are listed
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));

            // OperationalConfig audits a change through the same table.
            OperationalConfig cfg = new OperationalConfig(client, Map.of(), Set.of(),
                    Time.fixed(T0.plusSeconds(5).plusNanos(250_000)));
            cfg.set(OperationalKeys.THROTTLE_BURST, 40L, "bob").block(Duration.ofSeconds(10));

            AuditLog log = new AuditLog(client, MAX_RANGE);
            AuditFilter configSets = AuditFilter.between(T0, T0.plusSeconds(60)).action("config.set");
            List<AuditEntry> read = all(log, configSets, 1);
            assertEquals(3, read.size());
            assertEquals(new AuditEntry(T0.plusSeconds(5).plusNanos(250_000), "bob", "bob", "config.set",
                    "operational.throttle.burst", "{\"old\":\"20\",\"new\":\"40\"}"), read.get(0));
            assertEquals(new AuditEntry(T0, "alice", "alice", "config.set", "operational.throttle.burst",
                    "{\"old\":\"20\",\"new\":\"30\"}"), read.get(1));
            assertEquals(read.get(1), read.get(2));
            assertNull(log.query(configSets.target("other"), null, 10).block().next());
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() throws Exception {
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("audit_args"))) {
            AuditLog log = new AuditLog(client, MAX_RANGE);
            AuditFilter f = AuditFilter.between(T0, T0.plusSeconds(60));
            BadInput.assertRefused("limit", () -> log.query(f, null, 0));
            BadInput.assertRefused("limit", () -> log.query(f, null, 10_001));
            BadInput.assertRefused("filter", () -> log.query(null, null, 10));
            BadInput.assertRefused("from", () -> AuditFilter.between(T0, T0));
            BadInput.assertRefused("to", () -> AuditFilter.between(T0, null));
            BadInput.assertRefused("from..to",
                    () -> log.query(AuditFilter.between(T0, T0.plus(Duration.ofDays(32))), null, 10));
            BadInput.assertRefused("actor", () -> f.actor(""));
            BadInput.assertRefused("entry", () -> log.write(null));
            BadInput.assertRefused("actor", () -> log.write(new AuditEntry(T0, "", "", "user.create", "",
                    "")));
            BadInput.assertRefused("action", () -> new AuditEntry(T0, "alice", "", null, "", ""));
            BadInput.assertRefused("time", () -> new AuditEntry(null, "alice", "", "user.create", "", ""));
        }
    }
}
