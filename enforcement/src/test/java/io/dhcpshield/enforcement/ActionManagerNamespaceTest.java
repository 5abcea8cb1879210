package io.dhcpshield.enforcement;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.action.InMemoryActionLog;
import io.dhcpshield.enforcement.action.MockTime;
import io.dhcpshield.enforcement.action.ReconcileReport;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Action Manager writing a real kernel's sets in a fresh namespace, checked with {@code nft -j list set}. */
class ActionManagerNamespaceTest {
    static final Actor OPERATOR = Actor.user("ops");
    static final ActionTarget A = ActionTarget.mark(0xabcdef);
    static final ActionTarget B = ActionTarget.parse("02:00:00:12:34:56");
    static final ActionTarget C = ActionTarget.parse("00:03:00:01:0a:1b:2c:3d:4e:5f"); // DUID-LL → 0x3d4e5f

    private Netns ns;
    private NamespaceKernelSets kernel;
    private InMemoryActionLog log;
    private DenySet deny;

    @BeforeEach
    void up() {
        Assumptions.assumeTrue(Netns.available(), "needs root and nft");
        ns = new Netns("enf-act-" + ProcessHandle.current().pid()).create();
        Netns.Result r = ns.tool("install", "medium");
        assertEquals(0, r.rc(), r.err());
        kernel = new NamespaceKernelSets(ns.name);
        log = new InMemoryActionLog();
        deny = new DenySet();
    }

    @AfterEach
    void down() {
        if (kernel != null) kernel.close();
        if (ns != null) ns.delete();
    }

    ActionManager manager(Time time) {
        return new ActionManager(kernel, log, deny, ThrottlingProfile.dualstack("medium"), new AnalysisQueue(16), time);
    }

    /** {@code nft -j list set}: element → [timeout, expires] (timeout = the set's when the element has none). */
    Map<Long, long[]> elements(String set) throws Exception {
        Map<Long, long[]> out = new LinkedHashMap<>();
        for (JsonNode item : ns.json("nft", "-j", "list", "set", "inet", "dhcp_inspection", set).get("nftables")) {
            JsonNode s = item.get("set");
            if (s == null) continue;
            for (JsonNode e : s.path("elem")) {
                JsonNode in = e.path("elem");
                if (in.isObject()) {
                    out.put(in.get("val").asLong(), new long[] {in.path("timeout").asLong(s.get("timeout").asLong()), in.path("expires").asLong()});
                } else {
                    out.put(e.asLong(), new long[] {s.get("timeout").asLong(), -1});
                }
            }
        }
        return out;
    }

    @Test
    void threeTargetsInOneTransactionLandWithTheirTimeouts() throws Exception {
        ActionManager m = manager(Time.SYSTEM);
        ActionOutcome block = m.apply(ActionType.BLOCK, List.of(A, B, C), OPERATOR, "batch", Duration.ofMinutes(10));
        assertTrue(block.ok(), block.error());
        assertEquals(1, m.counters().kernelTransactions(), "one transaction for three clients");
        assertEquals(0x3d4e5f, C.clientMark());
        Map<Long, long[]> blocked = elements("llm_blocked_marks");
        assertEquals(List.of(0x123456L, 0x3d4e5fL, 0xabcdefL), blocked.keySet().stream().sorted().toList());
        for (long[] e : blocked.values()) {
            assertEquals(600, e[0], "min(10 min, 2 h)");
            assertTrue(e[1] > 590 && e[1] <= 600, "expires " + e[1]);
        }
        assertTrue(m.apply(ActionType.THROTTLE, List.of(A), OPERATOR, "").ok());
        assertTrue(m.apply(ActionType.DENY, List.of(B), OPERATOR, "").ok());
        assertTrue(m.apply(ActionType.ALLOW, List.of(C), OPERATOR, "", Duration.ofDays(90)).ok());
        assertEquals(86400, elements("llm_throttled_marks").get(0xabcdefL)[0], "1 d");
        assertEquals(7200, elements("llm_denied_marks").get(0x123456L)[0], "permanent deny: the set's 2 h, re-armed");
        assertEquals(30 * 86400, elements("llm_allowed_marks").get(0x3d4e5fL)[0], "min(90 d, 30 d)");
        assertTrue(deny.contains(0x123456));

        // Same action again refreshes the kernel timeout (a plain nft add would not).
        assertTrue(m.apply(ActionType.BLOCK, List.of(A), OPERATOR, "", Duration.ofHours(1)).ok());
        assertEquals(3600, elements("llm_blocked_marks").get(0xabcdefL)[0]);
        assertEquals(5, m.counters().kernelTransactions());
    }

    @Test
    void denyReArmWritesAFreshTimeoutIntoTheKernel() throws Exception {
        MockTime time = new MockTime(System.currentTimeMillis());
        ActionManager m = manager(time);
        assertTrue(m.apply(ActionType.DENY, List.of(A), OPERATOR, "").ok());
        // Age the kernel entry behind the manager's back, as an hour of wall time would.
        assertEquals(0, ns.in("nft", "delete element inet dhcp_inspection llm_denied_marks { 0xabcdef }; "
                + "add element inet dhcp_inspection llm_denied_marks { 0xabcdef timeout 3500s }").rc());
        time.sleep(Duration.ofMinutes(61));
        assertEquals(1, m.maintain());
        long[] e = elements("llm_denied_marks").get(0xabcdefL);
        assertEquals(7200, e[0]);
        assertTrue(e[1] > 7100, "expires " + e[1]);
    }

    @Test
    void cleanupRemovesTheClientFromEverySet() throws Exception {
        ActionManager m = manager(Time.SYSTEM);
        for (ActionType t : List.of(ActionType.BLOCK, ActionType.DENY, ActionType.THROTTLE, ActionType.MONITOR, ActionType.ALLOW)) {
            assertTrue(m.apply(t, List.of(A, B), OPERATOR, "").ok());
        }
        // What the ladder adds by itself: the over-limit client and its per-type trackers.
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection blocked_macs { 0xabcdef, 0x123456 }; "
                + "add element inet dhcp_inspection tracked_marks { 0x01abcdef, 0x03abcdef, 0x11abcdef, 0x01123456 }").rc());
        ActionOutcome c = m.apply(ActionType.CLEANUP, List.of(A), OPERATOR, "false positive");
        assertTrue(c.ok(), c.error());
        assertEquals(5, c.records().get(0).cleared().size());
        for (EnforcementSet s : EnforcementSet.values()) {
            Map<Long, long[]> e = elements(s.setName());
            assertTrue(e.keySet().stream().noneMatch(v -> (v & 0xffffff) == 0xabcdef), s.setName() + " still has A");
            assertTrue(e.keySet().stream().anyMatch(v -> (v & 0xffffff) == 0x123456), s.setName() + " lost B");
        }
        assertFalse(deny.contains(0xabcdef));
        assertTrue(deny.contains(0x123456));
        // Cleaning a client that is in no set is not an error.
        assertTrue(m.apply(ActionType.CLEANUP, List.of(ActionTarget.mark(0x000777)), OPERATOR, "").ok());
    }

    @Test
    void reconcileReappliesActiveActionsAfterTheTableIsReinstalled() throws Exception {
        ActionManager m = manager(Time.SYSTEM);
        assertTrue(m.apply(ActionType.BLOCK, List.of(A), OPERATOR, "").ok());
        assertTrue(m.apply(ActionType.DENY, List.of(B), OPERATOR, "").ok());
        ActionRecord allow = m.apply(ActionType.ALLOW, List.of(C), OPERATOR, "").records().get(0);
        assertTrue(m.undo(allow.id(), OPERATOR).ok());

        Netns.Result r = ns.tool("install", "medium"); // add table; delete table; add ...: every set starts empty
        assertEquals(0, r.rc(), r.err());
        assertTrue(elements("llm_blocked_marks").isEmpty());
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection llm_monitored_marks { 0x000042 timeout 1h }").rc());

        DenySet freshDeny = new DenySet();
        ActionManager restarted = new ActionManager(kernel, log, freshDeny, ThrottlingProfile.dualstack("medium"),
                new AnalysisQueue(16), Time.SYSTEM);
        // The default reconcile looks up only the marks the records hold (netlink GETs): no unrecorded scan.
        ReconcileReport quick = restarted.reconcile();
        assertTrue(quick.ok(), quick.error());
        assertEquals(2, quick.reapplied().size());
        assertTrue(quick.unrecorded().isEmpty());
        assertEquals(-1, quick.blockedMacs());
        // The full scan (netlink dumps) finds nothing left to re-apply, and reports the foreign entry.
        ReconcileReport report = restarted.reconcile(true);
        assertTrue(report.ok(), report.error());
        assertEquals(0, report.reapplied().size());
        assertEquals(1, report.unrecorded().size());
        assertEquals("llm_monitored_marks", report.unrecorded().get(0).set());
        assertEquals(0x42, report.unrecorded().get(0).clientMark());
        assertEquals(0, report.blockedMacs());
        long[] block = elements("llm_blocked_marks").get(0xabcdefL);
        assertNotNull(block, "block re-applied");
        assertTrue(block[0] <= 7200 && block[0] >= 7190, "the block's remaining time, " + block[0]);
        assertNotNull(elements("llm_denied_marks").get(0x123456L), "deny re-applied");
        assertTrue(elements("llm_allowed_marks").isEmpty(), "the undone allow stays gone");
        assertTrue(elements("llm_monitored_marks").containsKey(0x42L), "unrecorded entries are reported, not removed");
        assertTrue(freshDeny.contains(0x123456));

        assertEquals(0, ns.tool("remove").rc());
        assertFalse(restarted.reconcile().ok(), "no table: reported, nothing thrown");
        assertTrue(restarted.reconcile().error().contains("No such file or directory"), restarted.reconcile().error());
        assertFalse(restarted.reconcile(true).ok());
    }

    @Test
    void netlinkReadsAgreeWithTheLibnftablesJsonRead() throws Exception {
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection llm_blocked_marks "
                + "{ 0x000001 timeout 10m, 0x00abcd timeout 1h, 0xffffff timeout 90s, 0x800000 }").rc());
        Map<Long, Long> json = kernel.listJson(EnforcementSet.LLM_BLOCKED_MARKS);
        Map<Long, Long> dump = kernel.list(EnforcementSet.LLM_BLOCKED_MARKS);
        assertEquals(json.keySet(), dump.keySet());
        assertEquals(java.util.Set.of(0x1L, 0xabcdL, 0xffffffL, 0x800000L), dump.keySet());
        json.forEach((k, v) -> assertTrue(Math.abs(v - dump.get(k)) <= 1, k + ": json " + v + " netlink " + dump.get(k)));
        assertTrue(dump.get(0x800000L) > 7000, "the set's default timeout (2 h) applies: " + dump.get(0x800000L));
        Map<Long, Long> some = kernel.lookup(EnforcementSet.LLM_BLOCKED_MARKS, List.of(0xabcdL, 0x2L, 0xffffffL, 0x3L));
        assertEquals(java.util.Set.of(0xabcdL, 0xffffffL), some.keySet());
        assertTrue(some.get(0xffffffL) <= 90 && some.get(0xffffffL) >= 85, "seconds left " + some.get(0xffffffL));
        assertTrue(kernel.lookup(EnforcementSet.LLM_DENIED_MARKS, List.of(0x1L)).isEmpty());

        // KernelState (EnforcementTool state) reads counters and set specs over netlink: same as nft's JSON.
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection blocked_macs { 0x000009 }").rc());
        JsonNode state = ns.state();
        int counters = 0;
        for (JsonNode item : ns.json("nft", "-j", "list", "counters", "table", "inet", "dhcp_inspection").path("nftables")) {
            JsonNode c = item.get("counter");
            if (c == null) continue;
            counters++;
            assertEquals(c.path("packets").asLong(), state.path("counters").path(c.path("name").asText()).path("packets").asLong());
            assertEquals(c.path("bytes").asLong(), state.path("counters").path(c.path("name").asText()).path("bytes").asLong());
        }
        assertEquals(70, counters);
        assertEquals(70, state.path("counters").size());
        for (EnforcementSet s : EnforcementSet.values()) {
            JsonNode set = ns.json("nft", "-j", "list", "set", "inet", "dhcp_inspection", s.setName()).path("nftables").get(1).path("set");
            JsonNode mine = state.path("sets").path(s.setName());
            assertEquals(set.path("size").asLong(), mine.path("size").asLong(), s.setName());
            assertEquals(set.path("timeout").asLong(), mine.path("timeout_seconds").asLong(), s.setName());
            assertEquals(set.path("elem").size(), mine.path("elements").asLong(), s.setName());
        }
        assertEquals(4, state.path("sets").path("llm_blocked_marks").path("elements").asLong());
        assertEquals(1, state.path("sets").path("blocked_macs").path("elements").asLong());
    }
}
