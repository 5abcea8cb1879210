package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's action history in the real private server: filters, newest first, exact keyset paging. */
class ActionHistoryTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Duration MAX_RANGE = Duration.ofDays(7);
    static final List<ActionTarget> TARGETS = List.of(ActionTarget.mac(MacAddress.parse("02:00:00:00:00:01")),
            ActionTarget.mac(MacAddress.parse("02:00:00:00:00:02")), ActionTarget.parse("00:03:00:01:02:00:00:00:00:09"),
            ActionTarget.parse("00:02:00:00:00:09:01:02"), ActionTarget.mark(0x000001));
    static final List<Actor> ACTORS = List.of(Actor.user("alice"), Actor.rule("burst-1"),
            Actor.user(BadInput.NASTY), Actor.analysis("verdict-7"));
    static final ActionType[] TYPES = {ActionType.BLOCK, ActionType.DENY, ActionType.THROTTLE, ActionType.MONITOR};

    static ClickHouseClient client;
    static ActionHistory history;
    /** The newest version of every stored action. */
    static final List<ActionRecord> stored = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        client = new ClickHouseClient(server.freshDatabase("action_history_test"));
        // First the schema as it was before V005, with a row written then: the record's JSON in duid, no detail
        // column (its JSON is what ClickHouseActionLog writes, taken from a scratch database).
        for (Migrations.Migration m : Migrations.all()) {
            if (m.version() < 5) {
                for (String ddl : m.statements()) {
                    Migrations.execute(client, ddl).block(Duration.ofSeconds(30));
                }
            }
        }
        ActionRecord legacy = new ActionRecord(UUID.randomUUID(), ActionType.DENY, TARGETS.get(1), ACTORS.get(1),
                "legacy", Duration.ZERO, 0, T0.plusSeconds(1).plusMillis(1), null, ActionRecord.State.ACTIVE, null, "",
                List.of(), "");
        String json;
        try (ClickHouseClient scratch = new ClickHouseClient(server.freshDatabase("action_history_scratch"))) {
            Migrations.apply(scratch).collectList().block(Duration.ofSeconds(60));
            new ClickHouseActionLog(scratch, Time.fixed(legacy.at())).save(legacy);
            json = scratch.query("SELECT detail FROM actions_log", (row, meta) -> String.valueOf(row.get(0)))
                    .blockFirst();
        }
        client.execute(Sql.bind("INSERT INTO actions_log (event_time, action_id, action, state, client_mark,"
                + " client_mac, duid, duration_secs, source, actor, reason) VALUES (?, ?, 'deny', 'active', ?, ?, ?, 0,"
                + " 'automation_rule', ?, 'legacy')", legacy.at(), legacy.id().toString(),
                TARGETS.get(1).clientMark(), MacAddress.parse(TARGETS.get(1).value()), json,
                ACTORS.get(1).name())).block(Duration.ofSeconds(30));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        stored.add(legacy);

        history = new ActionHistory(client, MAX_RANGE);
        for (int i = 0; i < 40; i++) {
            // Four actions a second; the last eight are taken in the same millisecond.
            Instant at = i < 32 ? T0.plusSeconds(i / 4).plusMillis(7 * (i % 4)) : T0.plusSeconds(20).plusMillis(3);
            ActionType type = TYPES[i % 4];
            Duration d = type == ActionType.DENY ? Duration.ZERO : Duration.ofHours(1 + i % 3);
            ActionRecord r = new ActionRecord(UUID.randomUUID(), type, TARGETS.get(i % 5), ACTORS.get(i % 4),
                    "reason " + i, d, d.toSeconds(), at, d.isZero() ? null : at.plus(d), ActionRecord.State.ACTIVE,
                    null, "", List.of(), "");
            new ClickHouseActionLog(client, Time.fixed(at)).save(r);
            if (i % 6 == 0) {
                // A later version: the listing shows it, at the time the action was taken.
                r = r.ended(ActionRecord.State.UNDONE, at.plusSeconds(30), "user:bob");
                new ClickHouseActionLog(client, Time.fixed(at.plusSeconds(30))).save(r);
            }
            stored.add(r);
        }
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static List<ActionRecord> all(ActionFilter f, int limit) {
        return Pages.all(c -> history.query(f, c, limit).block(), ActionPage::actions, ActionPage::next);
    }

    static Predicate<ActionRecord> matches(ActionFilter f) {
        return r -> !r.at().isBefore(f.from()) && r.at().isBefore(f.to())
                && (f.actor() == null || f.actor().equals(r.actor().name()))
                && (f.type() == null || f.type() == r.type())
                && (f.target() == null || (f.target().kind() == ActionTarget.Kind.MARK
                        ? f.target().clientMark() == r.target().clientMark() : f.target().equals(r.target())));
    }

    @Test
    void everyFilterListsExactlyTheMatchingActionsNewestTakenFirstAcrossPages() {
        ActionFilter day = ActionFilter.between(T0, T0.plus(Duration.ofDays(1)));
        List<ActionFilter> filters = new ArrayList<>(List.of(day, day.actor("alice"),
                day.actor(BadInput.NASTY), day.type(ActionType.DENY),
                day.target(ActionTarget.mark(0x000001)), day.target(ActionTarget.mark(0x000009)),
                day.actor("burst-1").type(ActionType.DENY).target(TARGETS.get(1)),
                ActionFilter.between(T0.plusSeconds(2), T0.plusSeconds(5).plusMillis(14)),
                ActionFilter.between(T0.plusSeconds(20).plusMillis(3), T0.plusSeconds(20).plusMillis(4))));
        TARGETS.forEach(t -> filters.add(day.target(t)));
        for (ActionFilter f : filters) {
            List<ActionRecord> expected = stored.stream().filter(matches(f)).toList();
            for (int limit : new int[] {1, 3, 8, 100}) {
                List<ActionRecord> read = all(f, limit);
                assertEquals(ids(expected), ids(read), f + " limit " + limit);
                assertEquals(expected.size(), read.size());
                for (int i = 1; i < read.size(); i++) {
                    assertTrue(!read.get(i - 1).at().isBefore(read.get(i).at()), "newest taken first");
                }
            }
        }
        // Each action is its newest version, equal field for field to what was saved.
        List<ActionRecord> read = all(day, 100);
        assertEquals(stored.stream().sorted(Comparator.comparing(a -> a.id().toString())).toList(),
                read.stream().sorted(Comparator.comparing(a -> a.id().toString())).toList());
        assertEquals(7, read.stream().filter(a -> a.state() == ActionRecord.State.UNDONE).count());
        // The row from before V005 is found by its target, which lives in its duid column.
        assertTrue(all(day.target(TARGETS.get(1)), 100).stream().anyMatch(a -> a.id().equals(stored.get(0).id())));
        assertEquals(0, all(ActionFilter.between(T0.plusSeconds(30), T0.plusSeconds(60)), 10).size());
    }

    static List<String> ids(List<ActionRecord> records) {
        return records.stream().map(r -> r.id().toString()).sorted().toList();
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() {
        ActionFilter day = ActionFilter.between(T0, T0.plus(Duration.ofDays(1)));
        BadInput.assertRefused("limit", () -> history.query(day, null, 0));
        BadInput.assertRefused("limit", () -> history.query(day, null, 10_001));
        BadInput.assertRefused("filter", () -> history.query(null, null, 10));
        BadInput.assertRefused("from..to",
                () -> history.query(ActionFilter.between(T0, T0.plus(Duration.ofDays(8))), null, 10));
        BadInput.assertRefused("from", () -> ActionFilter.between(T0, T0.minusSeconds(1)));
        BadInput.assertRefused("actor", () -> day.actor(""));
        BadInput.assertRefused("maxRange", () -> new ActionHistory(client, null));
    }
}
