package io.dhcpshield.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.action.KernelSets;
import io.dhcpshield.enforcement.action.ReconcileReport;
import io.dhcpshield.enforcement.action.SetChange;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Action Manager's audit history in the real private ClickHouse: record, active, undo, reconnect. */
class ClickHouseActionLogTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    /** Kernel stand-in: commits succeed and are kept; the sets read back empty (as after a table re-creation). */
    static final class RecordingKernel implements KernelSets {
        final List<SetChange> committed = new ArrayList<>();

        @Override
        public NftResult commit(List<SetChange> changes) {
            committed.addAll(changes);
            return new NftResult(0, "", "");
        }

        @Override
        public Map<Long, Long> list(EnforcementSet set) { return Map.of(); }
    }

    private static ActionManager manager(KernelSets kernel, ClickHouseActionLog log, DenySet deny) {
        return new ActionManager(kernel, log, deny, ThrottlingProfile.dualstack("medium"), new AnalysisQueue(16), Time.SYSTEM);
    }

    @Test
    void recordsListsActiveUndoesAndSurvivesAServerRestartAndReconnect() throws Exception {
        ClickHouseConfig db = server.freshDatabase("actions_log_test");
        Instant start = Instant.now().minusSeconds(1);
        Set<UUID> held;
        ActionRecord allow;
        List<ActionRecord> activeBefore;
        try (ClickHouseClient client = new ClickHouseClient(db)) {
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
            ClickHouseActionLog log = new ClickHouseActionLog(client, Time.SYSTEM);
            ActionManager m = manager(new RecordingKernel(), log, new DenySet());

            ActionOutcome block = m.apply(ActionType.BLOCK, List.of(ActionTarget.mark(0xabcdef),
                    ActionTarget.mac(MacAddress.parse("02:00:00:00:00:01"))), Actor.rule("burst-1"), "burst of DISCOVERs");
            ActionOutcome deny = m.apply(ActionType.DENY, List.of(ActionTarget.parse("00:03:00:01:02:00:00:00:00:09")),
                    Actor.analysis("verdict-7"), "rogue: it's a \"server\" \\ really");
            allow = m.apply(ActionType.ALLOW, List.of(ActionTarget.mark(0x000042)), Actor.user("alice"), "").records().get(0);
            assertTrue(block.ok() && deny.ok());

            // Every record reads back equal, field for field (ids, target kinds, actor, reason with quotes, times).
            for (ActionRecord r : List.of(block.records().get(0), block.records().get(1), deny.records().get(0), allow)) {
                assertEquals(r, log.find(r.id()).orElseThrow());
            }
            assertEquals(4, log.active(Instant.now()).size());

            // Undo: a new version of the same id; the newest one wins, even within the same second.
            assertTrue(m.undo(allow.id(), Actor.user("bob")).ok());
            ActionRecord undone = log.find(allow.id()).orElseThrow();
            assertEquals(ActionRecord.State.UNDONE, undone.state());
            assertEquals("user:bob", undone.endedBy());
            assertNotNull(undone.endedAt());
            activeBefore = log.active(Instant.now());
            held = activeBefore.stream().map(ActionRecord::id).collect(Collectors.toSet());
            assertEquals(3, held.size());
            assertFalse(held.contains(allow.id()));
            assertTrue(log.find(UUID.randomUUID()).isEmpty());
            // The operator's history query (queries.sql history.device_actions) sees the MAC target's block.
            long rows = SchemaTest.countIn(client, "SELECT count() FROM actions_log WHERE client_mac = "
                    + MacAddress.parse("02:00:00:00:00:01").value());
            assertEquals(1, rows);
        }

        // The server goes down and comes back; a new process connects and finds the same state.
        server.stop();
        server.start();
        try (ClickHouseClient client = new ClickHouseClient(db)) {
            client.selfCheck().block(Duration.ofSeconds(30));
            ClickHouseActionLog log = new ClickHouseActionLog(client, Time.SYSTEM);
            List<ActionRecord> active = log.active(Instant.now());
            assertEquals(held, active.stream().map(ActionRecord::id).collect(Collectors.toSet()));
            assertEquals(Set.copyOf(activeBefore), Set.copyOf(active));
            List<ActionRecord> history = log.history(start, Instant.now().plusSeconds(1));
            assertEquals(4, history.size());
            assertEquals(ActionRecord.State.UNDONE,
                    history.stream().filter(r -> r.id().equals(allow.id())).findFirst().orElseThrow().state());
            assertTrue(log.history(Instant.now().plusSeconds(5), Instant.now().plusSeconds(10)).isEmpty());

            // A restarted Action Manager reconciles from the stored log: the kernel (empty) gets the 3 back.
            RecordingKernel kernel = new RecordingKernel();
            DenySet deny = new DenySet();
            ReconcileReport report = manager(kernel, log, deny).reconcile();
            assertTrue(report.ok(), report.error());
            assertEquals(3, report.reapplied().size());
            assertTrue(deny.contains(ActionTarget.parse("00:03:00:01:02:00:00:00:00:09").clientMark()));
            assertTrue(kernel.committed.stream().anyMatch(c -> c.set() == EnforcementSet.LLM_BLOCKED_MARKS
                    && c.value() == 0xabcdefL));
        }
    }

    @Test
    void duidHoldsOnlyADuidTheRecordLivesInDetailAndRowsFromBeforeV005StillRead() throws Exception {
        ClickHouseConfig db = server.freshDatabase("actions_detail_test");
        try (ClickHouseClient client = new ClickHouseClient(db)) {
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
            ClickHouseActionLog log = new ClickHouseActionLog(client, Time.SYSTEM);
            ActionManager m = manager(new RecordingKernel(), log, new DenySet());
            ActionRecord deny = m.apply(ActionType.DENY, List.of(ActionTarget.parse("00:03:00:01:02:00:00:00:00:09")),
                    Actor.user("alice"), "rogue").records().get(0);
            ActionRecord block = m.apply(ActionType.BLOCK, List.of(ActionTarget.mac(MacAddress.parse("02:00:00:00:00:07"))),
                    Actor.user("alice"), "burst").records().get(0);

            assertEquals("00:03:00:01:02:00:00:00:00:09", client.post(Sql.bind(
                    "SELECT duid FROM actions_log WHERE action_id = ?", deny.id().toString()), null).trim());
            assertEquals("", client.post(Sql.bind(
                    "SELECT duid FROM actions_log WHERE action_id = ?", block.id().toString()), null).trim());
            assertTrue(client.post(Sql.bind("SELECT detail FROM actions_log WHERE action_id = ?",
                    block.id().toString()), null).trim().startsWith("{"));

            // A row as the V004-era code wrote it: the record's JSON in duid, no detail. It still reads back whole.
            UUID legacy = UUID.randomUUID();
            client.execute(Sql.bind("INSERT INTO actions_log (event_time, action_id, action, state, client_mark,"
                    + " client_mac, duid, duration_secs, source, actor, reason) SELECT event_time, ?, action, state,"
                    + " client_mark, client_mac, detail, duration_secs, source, actor, reason FROM actions_log"
                    + " WHERE action_id = ?", legacy.toString(), block.id().toString())).block(Duration.ofSeconds(30));
            ActionRecord old = log.find(legacy).orElseThrow();
            assertEquals(block.target(), old.target());
            assertEquals(block.at(), old.at());
            assertEquals(block.expiresAt(), old.expiresAt());
            assertEquals(block.kernelTimeout(), old.kernelTimeout());
            assertEquals(block.reason(), old.reason());
        }
    }
}
