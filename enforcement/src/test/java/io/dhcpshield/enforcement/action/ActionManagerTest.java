package io.dhcpshield.enforcement.action;

import io.dhcpshield.core.time.Time;
import static io.dhcpshield.enforcement.ruleset.EnforcementSet.*;
import static org.junit.jupiter.api.Assertions.*;

import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.mark.ClientHash;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.SetSpec;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Action Manager against in-memory kernel sets on a manual clock: durations, timeouts, deny re-arm, undo. */
class ActionManagerTest {
    static final Actor ALICE = Actor.user("alice");
    static final ActionTarget A = ActionTarget.mark(0xabcdef);
    static final ActionTarget B = ActionTarget.mac(MacAddress.parse("02:00:00:12:34:56"));
    static final ActionTarget C = ActionTarget.mark(0x000001);

    MockTime time;
    FakeKernelSets kernel;
    InMemoryActionLog log;
    DenySet deny;
    ActionManager manager;

    @BeforeEach
    void setUp() {
        time = new MockTime(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
        kernel = new FakeKernelSets(time);
        log = new InMemoryActionLog();
        deny = new DenySet();
        manager = manager(ThrottlingProfile.dualstack("medium"), 4);
    }

    ActionManager manager(ThrottlingProfile profile, int analysisCapacity) {
        return new ActionManager(kernel, log, deny, profile, new AnalysisQueue(analysisCapacity), time);
    }

    ActionRecord one(ActionOutcome o) {
        assertTrue(o.ok(), o.error());
        assertEquals(1, o.records().size());
        return o.records().get(0);
    }

    @Test
    void defaultDurationsAreTheSeeds() {
        assertEquals(Duration.ofHours(2), ActionType.BLOCK.defaultDuration());
        assertEquals(Duration.ZERO, ActionType.DENY.defaultDuration());
        assertEquals(Duration.ofDays(1), ActionType.THROTTLE.defaultDuration());
        assertEquals(Duration.ofDays(7), ActionType.MONITOR.defaultDuration());
        assertEquals(Duration.ofDays(30), ActionType.ALLOW.defaultDuration());
        Map<ActionType, Long> kernelTimeouts = new LinkedHashMap<>();
        for (ActionType t : List.of(ActionType.BLOCK, ActionType.DENY, ActionType.THROTTLE, ActionType.MONITOR, ActionType.ALLOW)) {
            ActionRecord r = one(manager.apply(t, List.of(A), ALICE, "seed"));
            kernelTimeouts.put(t, kernel.remaining(t.set().orElseThrow(), A.clientMark()));
            assertEquals(r.kernelTimeout(), kernelTimeouts.get(t));
        }
        assertEquals(Map.of(ActionType.BLOCK, 7200L, ActionType.DENY, 7200L, ActionType.THROTTLE, 86400L,
                ActionType.MONITOR, 7 * 86400L, ActionType.ALLOW, 30 * 86400L), kernelTimeouts);
    }

    @Test
    void kernelTimeoutIsTheSmallerOfDurationAndSetTimeout() {
        var sets = Map.of(LLM_BLOCKED_MARKS.setName(), new SetSpec(3600, 1000), LLM_ALLOWED_MARKS.setName(), new SetSpec(86400, 1000));
        ThrottlingProfile p = ThrottlingProfile.dualstack("medium");
        ThrottlingProfile shortSets = new ThrottlingProfile("short", p.queueCount(), p.throttle(), p.defaultRateLimit(), p.rateLimits(), sets);
        manager = manager(shortSets, 4);
        ActionRecord block = one(manager.apply(ActionType.BLOCK, List.of(A), ALICE, "", null));
        assertEquals(Duration.ofHours(2), block.duration(), "the record keeps what was asked");
        assertEquals(3600, block.kernelTimeout(), "the set caps the entry");
        assertEquals(3600, kernel.remaining(LLM_BLOCKED_MARKS, A.clientMark()));
        assertEquals(time.now().plusSeconds(3600), block.expiresAt());
        ActionRecord shortBlock = one(manager.apply(ActionType.BLOCK, List.of(B), ALICE, "", Duration.ofMinutes(10)));
        assertEquals(600, shortBlock.kernelTimeout());
        assertEquals(86400, one(manager.apply(ActionType.ALLOW, List.of(C), ALICE, "")).kernelTimeout());
        assertEquals(7200, one(manager.apply(ActionType.DENY, List.of(C), ALICE, "")).kernelTimeout(), "deny: the set's timeout");
    }

    @Test
    void manyTargetsGoInOneKernelTransactionAndEveryActionIsRecorded() {
        ActionOutcome o = manager.apply(ActionType.BLOCK, List.of(A, B, C), Actor.rule("volume-tier-3"), "420 DISCOVER/min");
        assertTrue(o.ok());
        assertEquals(1, kernel.transactions.size());
        assertEquals(1, manager.counters().kernelTransactions());
        assertEquals(3, manager.counters().applied(ActionType.BLOCK));
        for (ActionTarget t : List.of(A, B, C)) assertEquals(7200, kernel.remaining(LLM_BLOCKED_MARKS, t.clientMark()));
        assertEquals(3, log.all().size());
        ActionRecord r = log.find(o.records().get(1).id()).orElseThrow();
        assertEquals(new Actor(Actor.Kind.AUTOMATION_RULE, "volume-tier-3"), r.actor());
        assertEquals(ActionType.BLOCK, r.type());
        assertEquals(B, r.target());
        assertEquals(0x123456, r.target().clientMark());
        assertEquals("420 DISCOVER/min", r.reason());
        assertEquals(Duration.ofHours(2), r.duration());
        assertEquals(time.now(), r.at());
        assertEquals(ActionRecord.State.ACTIVE, r.state());
        // The JSON transaction: add, delete, add on one set, three elements each (timeouts refreshed).
        var batch = NftablesKernelSets.batch(kernel.transactions.get(0)).get("nftables");
        assertEquals(3, batch.size());
        assertEquals(3, batch.get(2).get("add").get("element").get("elem").size());
        assertEquals(7200, batch.get(2).get("add").get("element").get("elem").get(0).get("elem").get("timeout").asLong());
    }

    @Test
    void denyIsPermanentKeptInTheDenySetAndReArmedBeforeTheSetTimeout() throws Exception {
        manager.start(time.scheduler());
        ActionRecord d = one(manager.apply(ActionType.DENY, List.of(A), Actor.analysis("run-7"), "rogue server"));
        assertNull(d.expiresAt());
        assertTrue(deny.contains(A.clientMark()));
        assertThrows(IllegalArgumentException.class,
                () -> manager.apply(ActionType.DENY, List.of(B), ALICE, "", Duration.ofHours(1)));
        time.sleep(Duration.ofMinutes(59));
        assertEquals(0, manager.counters().denyRearms(), "more than half the set timeout left");
        assertEquals(7200 - 59 * 60, kernel.remaining(LLM_DENIED_MARKS, A.clientMark()));
        time.sleep(Duration.ofMinutes(2)); // the 60th-minute maintenance re-arms
        assertEquals(1, manager.counters().denyRearms());
        assertTrue(kernel.remaining(LLM_DENIED_MARKS, A.clientMark()) >= 7200 - 60);
        time.sleep(Duration.ofDays(3));
        assertTrue(kernel.remaining(LLM_DENIED_MARKS, A.clientMark()) > 3600, "still denied after 3 days");
        assertEquals(3 * 24 + 1, manager.counters().denyRearms(), "once an hour");
        assertTrue(deny.contains(A.clientMark()));
        assertTrue(log.find(d.id()).orElseThrow().activeAt(time.now()));

        ActionOutcome u = manager.undo(d.id(), ALICE);
        assertTrue(u.ok(), u.error());
        assertFalse(deny.contains(A.clientMark()));
        assertEquals(-1, kernel.remaining(LLM_DENIED_MARKS, A.clientMark()));
        assertEquals(ActionRecord.State.UNDONE, log.find(d.id()).orElseThrow().state());
        long rearms = manager.counters().denyRearms();
        time.sleep(Duration.ofHours(3));
        assertEquals(rearms, manager.counters().denyRearms(), "an undone deny is not re-armed");
        manager.close();
    }

    @Test
    void timedActionsExpireAndAreNoLongerUndoable() {
        manager.start(time.scheduler());
        ActionRecord b = one(manager.apply(ActionType.BLOCK, List.of(A), ALICE, ""));
        time.sleep(Duration.ofMinutes(119));
        assertEquals(ActionRecord.State.ACTIVE, log.find(b.id()).orElseThrow().state());
        time.sleep(Duration.ofMinutes(2));
        assertEquals(ActionRecord.State.EXPIRED, log.find(b.id()).orElseThrow().state());
        assertEquals(-1, kernel.remaining(LLM_BLOCKED_MARKS, A.clientMark()), "the kernel expired it by itself");
        ActionOutcome u = manager.undo(b.id(), ALICE);
        assertFalse(u.ok());
        assertTrue(u.error().contains("expired"), u.error());
    }

    @Test
    void undoRemovesTheEntryAndOnlyOnce() {
        ActionRecord t = one(manager.apply(ActionType.THROTTLE, List.of(B), ALICE, "noisy"));
        assertEquals(86400, kernel.remaining(LLM_THROTTLED_MARKS, B.clientMark()));
        assertTrue(manager.undo(t.id(), ALICE).ok());
        assertEquals(-1, kernel.remaining(LLM_THROTTLED_MARKS, B.clientMark()));
        ActionOutcome again = manager.undo(t.id(), ALICE);
        assertFalse(again.ok());
        assertTrue(again.error().contains("undone"), again.error());
        assertEquals(1, manager.counters().snapshot().get("actions_undone"));
    }

    @Test
    void takingTheSameActionAgainSupersedesAndRefreshesTheTimeout() {
        ActionRecord first = one(manager.apply(ActionType.BLOCK, List.of(A), ALICE, ""));
        time.sleep(Duration.ofMinutes(30));
        ActionRecord second = one(manager.apply(ActionType.BLOCK, List.of(A), ALICE, "again"));
        assertEquals(ActionRecord.State.SUPERSEDED, log.find(first.id()).orElseThrow().state());
        assertEquals(7200, kernel.remaining(LLM_BLOCKED_MARKS, A.clientMark()));
        // Undoing the superseded record does not touch the entry the newer one holds.
        assertFalse(manager.undo(first.id(), ALICE).ok());
        assertEquals(7200, kernel.remaining(LLM_BLOCKED_MARKS, A.clientMark()));
        assertTrue(manager.undo(second.id(), ALICE).ok());
        assertEquals(-1, kernel.remaining(LLM_BLOCKED_MARKS, A.clientMark()));
    }

    @Test
    void cleanupRemovesTheClientFromEverySetAndUndoingItRestoresWhatItCleared() {
        manager.apply(ActionType.BLOCK, List.of(A), ALICE, "");
        manager.apply(ActionType.DENY, List.of(A), ALICE, "");
        manager.apply(ActionType.MONITOR, List.of(A, B), ALICE, "");
        kernel.commit(List.of(SetChange.put(BLOCKED_MACS, A.clientMark(), 120),
                SetChange.put(TRACKED_MARKS, 0x01000000L | A.clientMark(), 60)));
        ActionRecord cleanup = one(manager.apply(ActionType.CLEANUP, List.of(A), ALICE, "false positive"));
        for (EnforcementSet s : EnforcementSet.values()) assertEquals(-1, kernel.remaining(s, A.clientMark()), s.setName());
        assertEquals(-1, kernel.remaining(TRACKED_MARKS, 0x01000000L | A.clientMark()));
        assertEquals(7 * 86400, kernel.remaining(LLM_MONITORED_MARKS, B.clientMark()), "B untouched");
        assertFalse(deny.contains(A.clientMark()));
        assertEquals(3, cleanup.cleared().size());
        assertEquals(ActionRecord.State.DONE, cleanup.state());
        assertEquals(3, log.all().stream().filter(r -> r.state() == ActionRecord.State.CLEARED).count());

        time.sleep(Duration.ofHours(1));
        ActionOutcome u = manager.undo(cleanup.id(), ALICE);
        assertTrue(u.ok(), u.error());
        assertEquals(4, u.records().size(), "the cleanup and the three actions it cleared");
        assertEquals(3600, kernel.remaining(LLM_BLOCKED_MARKS, A.clientMark()), "the block's remaining hour");
        assertEquals(7200, kernel.remaining(LLM_DENIED_MARKS, A.clientMark()));
        assertTrue(deny.contains(A.clientMark()));
        assertEquals(-1, kernel.remaining(BLOCKED_MACS, A.clientMark()), "automatic entries are not restored");
    }

    @Test
    void analyzeEnqueuesUpToTheQueueCapacityAndCountsRefusals() {
        manager = manager(ThrottlingProfile.dualstack("medium"), 2);
        ActionOutcome o = manager.apply(ActionType.ANALYZE, List.of(A, B, C), Actor.rule("burst"), "");
        assertTrue(o.ok());
        assertEquals(List.of(ActionRecord.State.DONE, ActionRecord.State.DONE, ActionRecord.State.FAILED),
                o.records().stream().map(ActionRecord::state).toList());
        assertEquals(0, kernel.transactions.size(), "analyze touches no set");
        assertEquals(2, manager.analysisQueue().size());
        assertEquals(1, manager.analysisQueue().rejected());
        assertTrue(manager.undo(o.records().get(0).id(), ALICE).ok());
        assertEquals(1, manager.analysisQueue().size());
        assertEquals(B, manager.analysisQueue().poll().target());
    }

    @Test
    void aFailedTransactionChangesNothingAndIsRecordedAsFailed() {
        kernel.failNext = "Could not process rule: No such file or directory";
        ActionOutcome o = manager.apply(ActionType.DENY, List.of(A, B), ALICE, "");
        assertFalse(o.ok());
        assertEquals("Could not process rule: No such file or directory", o.error());
        assertFalse(deny.contains(A.clientMark()));
        assertEquals(1, manager.counters().kernelFailures());
        assertEquals(0, manager.counters().applied(ActionType.DENY));
        assertTrue(log.all().stream().allMatch(r -> r.state() == ActionRecord.State.FAILED && !r.error().isEmpty()));
        assertTrue(manager.inForce(ActionType.DENY, A.clientMark()).isEmpty());
    }

    @Test
    void reconcileReappliesActiveActionsToARecreatedTableAndReportsUnrecordedEntries() {
        ActionRecord block = one(manager.apply(ActionType.BLOCK, List.of(A), ALICE, ""));
        ActionRecord denied = one(manager.apply(ActionType.DENY, List.of(B), ALICE, ""));
        ActionRecord undone = one(manager.apply(ActionType.ALLOW, List.of(C), ALICE, ""));
        manager.undo(undone.id(), ALICE);
        time.sleep(Duration.ofMinutes(30));
        kernel.recreate(); // the table was installed again: every set empty
        kernel.commit(List.of(SetChange.put(LLM_THROTTLED_MARKS, 0x777777, 600), SetChange.put(BLOCKED_MACS, 0x42, 120)));

        DenySet freshDeny = new DenySet();
        ActionManager restarted = new ActionManager(kernel, log, freshDeny, ThrottlingProfile.dualstack("medium"),
                new AnalysisQueue(4), time);
        ReconcileReport r = restarted.reconcile(true);
        assertTrue(r.ok(), r.error());
        assertEquals(List.of(block.id(), denied.id()), r.reapplied().stream().map(ActionRecord::id).sorted(
                (x, y) -> x.equals(block.id()) ? -1 : 1).toList());
        assertEquals(5400, kernel.remaining(LLM_BLOCKED_MARKS, A.clientMark()), "what is left of the 2 h");
        assertEquals(7200, kernel.remaining(LLM_DENIED_MARKS, B.clientMark()));
        assertEquals(-1, kernel.remaining(LLM_ALLOWED_MARKS, C.clientMark()), "undone stays undone");
        assertTrue(freshDeny.contains(B.clientMark()), "the deny set is rebuilt from the log");
        assertEquals(List.of(new ReconcileReport.UnrecordedEntry("llm_throttled_marks", 0x777777, 600)), r.unrecorded());
        assertEquals(600, kernel.remaining(LLM_THROTTLED_MARKS, 0x777777), "reported, not removed");
        assertEquals(1, r.blockedMacs());

        ReconcileReport again = restarted.reconcile(true);
        assertTrue(again.reapplied().isEmpty(), "nothing missing the second time");
        kernel.tableMissing = true;
        assertTrue(restarted.reconcile().error().contains("No such file"));
    }

    @Test
    void duidTargetsResolveToTheMarkThePacketClassifierGivesTheirPackets() {
        HexFormat hex = HexFormat.of();
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("00030001" + "0a1b2c3d4e5f", 0x3d4e5f);                 // DUID-LL, Ethernet
        cases.put("00010001" + "2c3d4e5f" + "0a1b2c112233", 0x112233);    // DUID-LLT, Ethernet
        cases.put("0002" + "00000137" + "0102030405060708", ClientHash.of(hex.parseHex("00020000013701020304050607 08".replace(" ", ""))));
        cases.put("00030006" + "0a1b2c3d4e5f", ClientHash.of(hex.parseHex("000300060a1b2c3d4e5f"))); // LL, not Ethernet
        cases.put("0004" + "00112233445566778899aabbccddeeff", ClientHash.of(hex.parseHex("000400112233445566778899aabbccddeeff")));
        cases.forEach((duidHex, expected) -> {
            byte[] raw = hex.parseHex(duidHex);
            ActionTarget t = ActionTarget.duid(Duid.of(raw));
            assertEquals(expected, t.clientMark(), duidHex);
            assertEquals(classifiedMark(raw), t.clientMark(), "same as PacketClassifier for " + duidHex);
            assertEquals(t, ActionTarget.parse(HexFormat.ofDelimiter(":").formatHex(raw)));
        });
        assertEquals(ActionTarget.mac(MacAddress.parse("aa:bb:cc:dd:ee:ff")), ActionTarget.parse("AA-BB-CC-DD-EE-FF"));
        assertEquals(0xddeeff, ActionTarget.parse("aa:bb:cc:dd:ee:ff").clientMark());
        assertEquals(ActionTarget.mark(0xabcdef), ActionTarget.parse("0xabcdef"));
        assertThrows(IllegalArgumentException.class, () -> ActionTarget.parse("0x1000000"));
        assertThrows(IllegalArgumentException.class, () -> ActionTarget.parse("not-a-client"));
    }

    /** A SOLICIT from {@code duid} over IPv6/UDP, classified by the processor's fast path. */
    static int classifiedMark(byte[] duid) {
        int dhcpLen = 4 + 4 + duid.length;
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0x60000000).writeShort(8 + dhcpLen).writeByte(17).writeByte(1);
        b.writeBytes(new byte[16]).writeBytes(new byte[16]);
        b.writeShort(546).writeShort(547).writeShort(8 + dhcpLen).writeShort(0);
        b.writeByte(1).writeMedium(0x123456).writeShort(1).writeShort(duid.length).writeBytes(duid);
        Classification c = PacketClassifier.classify(b, 0, b.readableBytes(), Framing.IP, new Classification());
        b.release();
        return c.clientMark();
    }
}
