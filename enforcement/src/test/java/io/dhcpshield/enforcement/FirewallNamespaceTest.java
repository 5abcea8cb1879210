package io.dhcpshield.enforcement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.firewall.ApplyRecord;
import io.dhcpshield.enforcement.firewall.FirewallBatch.Mode;
import io.dhcpshield.enforcement.firewall.FirewallManager;
import io.dhcpshield.enforcement.firewall.FirewallManager.Ref;
import io.dhcpshield.enforcement.firewall.FirewallManager.Refused;
import io.dhcpshield.enforcement.firewall.FirewallManager.Source;
import io.dhcpshield.enforcement.firewall.InMemoryRulesetStore;
import io.dhcpshield.enforcement.firewall.KernelFirewall;
import io.dhcpshield.enforcement.firewall.RulesetDocument;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.kernel.XtQueueRules;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Firewall Manager against a real kernel: a fresh network namespace per test (with a foreign table that must
 * survive everything), libnftables in-process on a thread that joined it.
 */
class FirewallNamespaceTest {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private Netns ns;
    private NamespaceKernelSets thread;
    private KernelFirewall kernel;

    static RulesetDocument profile(String level) {
        return RulesetDocument.parse(RulesetJson.export(RulesetBuilder.build(ThrottlingProfile.dualstack(level),
                QueueMode.XT_COMPAT)));
    }

    @BeforeEach
    void namespace() {
        Assumptions.assumeTrue(Netns.available(), "needs root and nft");
        ns = new Netns("fwm" + ProcessHandle.current().pid() % 10000 + "-" + SEQ.incrementAndGet());
        Netns.exec(List.of("ip", "netns", "add", ns.name));
        assertEquals(0, ns.in("nft", "add table inet other; add chain inet other c { type filter hook input priority 0; }; "
                + "add rule inet other c udp dport 9 drop").rc());
        thread = new NamespaceKernelSets(ns.name);
        kernel = thread.call(() -> new KernelFirewall(new Nftables(), 1, 2));
    }

    @AfterEach
    void remove() {
        if (thread != null) {
            thread.close();
        }
        if (ns != null) {
            Netns.exec(List.of("ip", "netns", "del", ns.name));
        }
    }

    private KernelFirewall.Outcome apply(Mode mode, RulesetDocument... docs) {
        return thread.call(() -> kernel.apply(mode, List.of(docs)));
    }

    private String other() {
        return ns.in("nft", "list", "table", "inet", "other").out();
    }

    @Test
    void aSwapBuildsTheShippedTableTheKernelListsBackAsTheSameRulesetAndQueuesThroughXt() {
        KernelFirewall.Outcome o = apply(Mode.SWAP, profile("medium"));
        assertTrue(o.ok(), o.toString());
        assertEquals(profile("medium"), thread.call(kernel::snapshot));
        assertTrue(ns.in("iptables", "-t", "mangle", "-S", XtQueueRules.CHAIN_IN).out().contains("--queue-bypass"));
        assertTrue(other().contains("udp dport 9 drop"));
    }

    @Test
    void aMergeKeepsSetElementsCountersAndOtherChainsWhileASwapStartsClean() {
        assertTrue(apply(Mode.SWAP, profile("medium")).ok());
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection llm_blocked_marks { 0x00abcdef }").rc());
        // A small ruleset that rewrites one chain and adds another: a merge touches nothing else.
        RulesetDocument patch = RulesetDocument.parse("""
                {"nftables":[{"table":{"family":"inet","name":"dhcp_inspection"}},
                 {"counter":{"family":"inet","table":"dhcp_inspection","name":"lab_seen"}},
                 {"chain":{"family":"inet","table":"dhcp_inspection","name":"mac_actions","type":"filter","hook":"prerouting","prio":90,"policy":"accept"}},
                 {"rule":{"family":"inet","table":"dhcp_inspection","chain":"mac_actions","expr":[{"counter":"lab_seen"}]}},
                 {"chain":{"family":"inet","table":"dhcp_inspection","name":"lab_extra"}}]}""");
        assertTrue(apply(Mode.MERGE, patch).ok());
        String table = ns.in("nft", "list", "table", "inet", "dhcp_inspection").out();
        assertTrue(ns.in("nft", "list", "set", "inet", "dhcp_inspection", "llm_blocked_marks").out()
                .contains("0x00abcdef"), "the merge kept the set's element");
        assertTrue(table.contains("chain lab_extra"));
        assertTrue(table.contains("counter name \"lab_seen\""));
        assertFalse(ns.in("nft", "list", "chain", "inet", "dhcp_inspection", "mac_actions").out()
                .contains("llm_denied_marks"), "mac_actions holds only the patch's rule");
        assertTrue(ns.in("nft", "list", "chain", "inet", "dhcp_inspection", "v4_discover_chain").out()
                .contains("llm_denied_marks"), "chains the patch does not name are untouched");

        assertTrue(apply(Mode.SWAP, profile("medium")).ok());
        assertFalse(ns.in("nft", "list", "set", "inet", "dhcp_inspection", "llm_blocked_marks").out()
                .contains("0x00abcdef"), "a swap starts the table clean");
        assertFalse(ns.in("nft", "list", "table", "inet", "dhcp_inspection").out().contains("lab_extra"));
        assertTrue(other().contains("udp dport 9 drop"));
    }

    @Test
    void aRulesetTheKernelRefusesIsLocatedToItsObjectAndTheRunningRulesetIsUntouched() throws Exception {
        assertTrue(apply(Mode.SWAP, profile("medium")).ok());
        ObjectNode json = profile("medium").toJson();
        ArrayNode items = (ArrayNode) json.path("nftables");
        int bad = -1;
        for (int i = 0; i < items.size(); i++) {
            JsonNode r = items.get(i).path("rule");
            if (r.path("chain").asText().equals("v4_request_chain") && r.path("expr").toString().contains("llm_denied")) {
                ((ObjectNode) r.path("expr").get(0).path("match")).put("right", "@no_such_set");
                bad = i;
                break;
            }
        }
        assertTrue(bad > 0);
        String before = ns.in("nft", "list", "ruleset").out();
        RulesetDocument doc = RulesetDocument.parse(json);
        KernelFirewall.Outcome v = thread.call(() -> kernel.validate(Mode.SWAP, List.of(doc)));
        assertFalse(v.ok());
        assertEquals("dry-run", v.stage());
        assertTrue(v.kernelError().contains("No such file or directory"), v.kernelError());
        assertEquals(1, v.errors().size());
        assertEquals(bad, v.errors().get(0).index(), "located to the submitted object");
        assertTrue(v.errors().get(0).object().toString().contains("@no_such_set"));
        assertFalse(apply(Mode.SWAP, doc).ok());
        assertFalse(apply(Mode.MERGE, doc).ok());
        assertEquals(before, ns.in("nft", "list", "ruleset").out(), "the running ruleset is untouched");

        // A statement libnftables cannot parse names its command itself.
        ((ObjectNode) items.get(bad).path("rule").path("expr").get(0)).set("matchx",
                items.get(bad).path("rule").path("expr").get(0).path("match"));
        ((ObjectNode) items.get(bad).path("rule").path("expr").get(0)).remove("match");
        KernelFirewall.Outcome p = thread.call(() -> kernel.validate(Mode.MERGE, List.of(RulesetDocument.parse(json))));
        assertFalse(p.ok());
        assertEquals(bad, p.errors().get(0).index());
        assertTrue(p.errors().get(0).message().contains("Unknown statement object 'matchx'"), p.errors().toString());
    }

    @Test
    void theManagerSeedsAppliesRefusesInPlaceEditsRollsBackAndNeverDestroys() {
        InMemoryRulesetStore store = new InMemoryRulesetStore();
        FirewallManager.Kernel k = new FirewallManager.Kernel() {
            public KernelFirewall.Outcome validate(Mode m, List<RulesetDocument> d) { return thread.call(() -> kernel.validate(m, d)); }
            public KernelFirewall.Outcome apply(Mode m, List<RulesetDocument> d) { return thread.call(() -> kernel.apply(m, d)); }
            public RulesetDocument snapshot() { return thread.call(kernel::snapshot); }
        };
        FirewallManager m = new FirewallManager(store, k, FirewallNamespaceTest::profile, Time.SYSTEM);
        List<FirewallManager.Applied> applied = new java.util.ArrayList<>();
        m.onApplied(applied::add);
        List<FirewallManager.Seed> seeds = List.of(
                new FirewallManager.Seed("dualstack_low_throttling", "profile:low", profile("low"), false),
                new FirewallManager.Seed("dualstack_medium_throttling", "profile:medium", profile("medium"), true),
                new FirewallManager.Seed("dualstack_strict_throttling", "profile:strict", profile("strict"), false));

        // Start: seeded, the active one applied.
        assertTrue(m.startup(seeds, "system").ok());
        assertEquals(3, m.list(false).size());
        assertEquals("dualstack_medium_throttling", m.active().get(0).name());
        assertEquals(profile("medium"), k.snapshot());
        assertEquals(1, applied.size());
        // A second start finds the kernel already right and applies nothing (counters keep running): it says so.
        assertEquals(1, m.applies(10).size());
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection llm_blocked_marks { 0x00000042 }").rc());
        assertTrue(m.startup(seeds, "system").ok());
        assertEquals("kept", m.applies(10).get(0).stage());
        assertTrue(ns.in("nft", "list", "set", "inet", "dhcp_inspection", "llm_blocked_marks").out().contains("0x00000042"));

        // Snapshot the kernel, copy, edit: editing in place is refused unless forced.
        assertEquals("kernel", m.create("before-experiment", "", new Source.FromKernel(), false, "alice").source());
        assertEquals(Refused.Why.EXISTS, assertThrows(Refused.class, () -> m.create("before-experiment", "",
                new Source.Profile("low"), false, "alice")).why());
        assertEquals(2, m.create("before-experiment", "forced", new Source.Profile("low"), true, "alice").version());
        m.create("strict-copy", "", new Source.CopyOf("dualstack_strict_throttling", null), false, "alice");
        assertEquals("copy:dualstack_strict_throttling@1", m.version("strict-copy", null).source());

        // Apply strict (swap), then merge a second ruleset on top: two active, in order.
        FirewallManager.ApplyResult first = m.apply(Mode.SWAP, List.of(new Ref("strict-copy", null)), "alice", "");
        assertTrue(first.ok(), first.toString());
        assertEquals(profile("strict"), k.snapshot());
        RulesetDocument extra = RulesetDocument.parse("""
                {"nftables":[{"chain":{"family":"inet","table":"dhcp_inspection","name":"lab_extra"}}]}""");
        m.create("extra", "", new Source.Body(extra.toJson()), false, "alice");
        assertTrue(m.apply(Mode.MERGE, List.of(new Ref("extra", 1)), "alice", "").ok());
        assertEquals(List.of("strict-copy", "extra"), m.active().stream().map(r -> r.name()).toList());

        // A failing apply changes neither the kernel nor the active set.
        ObjectNode broken = profile("low").toJson();
        ((ArrayNode) broken.path("nftables")).addObject().putObject("rule").put("family", "inet")
                .put("table", "dhcp_inspection").put("chain", "dhcp_block").putArray("expr").addObject()
                .putObject("jump").put("target", "nowhere");
        ((ArrayNode) broken.path("nftables")).addObject().putObject("chain").put("family", "inet")
                .put("table", "dhcp_inspection").put("name", "unused");
        m.create("broken", "", new Source.Body(broken), false, "alice");
        RulesetDocument running = k.snapshot();
        FirewallManager.ApplyResult failed = m.apply(Mode.SWAP, List.of(new Ref("broken", null)), "alice", "");
        assertFalse(failed.ok());
        assertEquals("dry-run", failed.record().stage());
        assertEquals(running, k.snapshot());
        assertEquals(List.of("strict-copy", "extra"), m.active().stream().map(r -> r.name()).toList());
        FirewallManager.Validation val = m.validate(broken, Mode.SWAP);
        assertFalse(val.ok());
        assertTrue(val.errors().get(0).object().toString().contains("nowhere"), val.errors().toString());

        // Rollback to the first apply of the session: medium alone again.
        ApplyRecord start = m.applies(20).get(m.applies(20).size() - 1); // the first start's apply
        FirewallManager.ApplyResult back = m.rollback(start.id(), "bob");
        assertTrue(back.ok());
        assertEquals(start.id(), back.record().rollbackOf());
        assertEquals(profile("medium"), k.snapshot());
        assertEquals(List.of("dualstack_medium_throttling"), m.active().stream().map(r -> r.name()).toList());

        // The diff of low against the running medium shows only what differs.
        List<FirewallManager.DiffLine> diff = m.diff("dualstack_low_throttling", null);
        assertTrue(diff.stream().anyMatch(l -> l.op() == '-'));
        assertTrue(diff.stream().anyMatch(l -> l.op() == '+'));
        assertTrue(m.diff("dualstack_medium_throttling", null).stream().allMatch(l -> l.op() == ' '));

        // Delete hides, never destroys; an active ruleset cannot be deleted.
        assertEquals(Refused.Why.ACTIVE, assertThrows(Refused.class,
                () -> m.delete("dualstack_medium_throttling", "bob")).why());
        m.delete("broken", "bob");
        assertFalse(m.list(false).stream().anyMatch(n -> n.latest().name().equals("broken")));
        assertTrue(m.list(true).stream().anyMatch(n -> n.latest().name().equals("broken") && n.deleted()));
        assertThrows(Refused.class, () -> m.apply(Mode.SWAP, List.of(new Ref("broken", null)), "bob", ""));
        m.undelete("broken", "bob");
        assertTrue(m.list(false).stream().anyMatch(n -> n.latest().name().equals("broken")));

        // Export and import: existing names are skipped unless forced.
        ObjectNode bundle = m.export(List.of("strict-copy", "extra"));
        JsonNode skipped = m.importBundle(bundle, false, "carol");
        assertEquals(2, skipped.path("skipped").size());
        ((ObjectNode) bundle.path("rulesets").get(0)).put("name", "strict-imported");
        JsonNode imported = m.importBundle(bundle, false, "carol");
        assertEquals("strict-imported", imported.path("imported").get(0).path("name").asText());
        assertEquals(profile("strict"), RulesetDocument.parse(m.version("strict-imported", 1).body()));
        assertNotEquals(0, applied.size());
        assertTrue(other().contains("udp dport 9 drop"));
    }
}
