package io.dhcpshield.enforcement;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.MessageTypeChain;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs through libnftables (JNA) into a fresh network namespace and reads the kernel's view back. */
class NamespaceInstallTest {
    private Netns ns;

    @BeforeEach
    void up() {
        Assumptions.assumeTrue(Netns.available(), "needs root and nft");
        ns = new Netns("enf-install-" + ProcessHandle.current().pid()).create();
        // A table that is not ours: every install must leave it alone.
        assertEquals(0, ns.in("nft", "add table inet other; add chain inet other c; add rule inet other c counter").rc());
    }

    @AfterEach
    void down() {
        if (ns != null) ns.delete();
    }

    /** The whole ruleset minus the ticking "expires" countdown of set elements. */
    private String ruleset() {
        return ns.in("nft", "list", "ruleset").out().replaceAll(" expires [0-9hmsd]+", "");
    }

    @Test
    void installedTableHasEverySeedChainSetAndCounter() throws Exception {
        Netns.Result r = ns.tool("install", "medium");
        assertEquals(0, r.rc(), r.err());
        JsonNode report = ns.json("echo", r.out());
        assertTrue(report.get("ok").asBoolean());
        boolean nativeQueue = ns.tool("probe").out().contains("native-nft");
        assertEquals(nativeQueue ? "native-nft" : "xt-compat", report.get("queue_mode").asText());

        Map<String, String> chains = new HashMap<>();
        Map<String, long[]> sets = new HashMap<>();
        Set<String> counters = new HashSet<>();
        for (JsonNode item : ns.json("nft", "-j", "list", "table", "inet", "dhcp_inspection").get("nftables")) {
            if (item.has("chain")) {
                JsonNode c = item.get("chain");
                chains.put(c.get("name").asText(), c.has("hook") ? c.get("hook").asText() + "/" + c.get("prio").asInt() : "");
            } else if (item.has("set")) {
                JsonNode s = item.get("set");
                sets.put(s.get("name").asText(), new long[] {s.get("timeout").asLong(), s.get("size").asLong()});
            } else if (item.has("counter")) {
                counters.add(item.get("counter").get("name").asText());
            }
        }
        assertEquals("prerouting/-100", chains.get("dhcp_inspect"));
        assertEquals("prerouting/-99", chains.get("drop_mirrored"));
        assertEquals("prerouting/-98", chains.get("route_by_type"));
        assertEquals("output/-100", chains.get("dhcp_inspect_output"));
        assertEquals("output/-98", chains.get("route_output_by_type"));
        assertEquals("prerouting/90", chains.get("mac_actions"));
        assertEquals("prerouting/100", chains.get("dhcp_block"));
        for (MessageTypeChain t : MessageTypeChain.values()) {
            assertEquals("", chains.get(t.chainName()), t.chainName());
            assertTrue(counters.containsAll(Set.of(t.totalCounter(), t.acceptedCounter(), t.droppedCounter())), t.typeName());
        }
        assertEquals("", chains.get("default_enforce_chain"));
        assertTrue(counters.containsAll(RulesetBuilder.SYSTEM_COUNTERS));
        for (EnforcementSet s : EnforcementSet.values()) {
            assertArrayEquals(new long[] {s.defaultTimeoutSeconds(), s.defaultSize()}, sets.get(s.setName()), s.setName());
        }
        if (!nativeQueue) {
            String save = ns.in("iptables-save", "-t", "mangle").out();
            assertTrue(save.contains("--queue-balance 1:4 --queue-bypass --queue-cpu-fanout"), save);
            assertTrue(ns.in("ip6tables-save", "-t", "mangle").out().contains("--queue-balance 1:8 --queue-bypass"));
        }
        // Re-install is one more transaction; the foreign table and its rule survive both.
        assertEquals(0, ns.tool("install", "strict").rc());
        assertEquals(0, ns.in("nft", "list", "chain", "inet", "other", "c").rc());
        assertTrue(ns.in("nft", "list", "chain", "inet", "dhcp_inspection", "v4_discover_chain").out()
                .contains("limit rate over 5/second burst 10 packets"));
    }

    @Test
    void stateReadsEveryNamedCounterAndSetSize() throws Exception {
        assertEquals(0, ns.tool("install", "low").rc());
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection llm_blocked_marks { 0x00abcdef, 0x00000001 }").rc());
        JsonNode st = ns.state();
        assertEquals(RulesetBuilder.SYSTEM_COUNTERS.size() + 3 * MessageTypeChain.values().length, st.get("counters").size());
        assertEquals(7, st.get("sets").size());
        assertEquals(2, st.get("sets").get("llm_blocked_marks").get("elements").asLong());
        assertEquals(2_500_000, st.get("sets").get("blocked_macs").get("size").asLong());
    }

    @Test
    void badProfileIsRejectedWithAClearErrorAndTheRunningRulesetIsUntouched(@TempDir Path tmp) throws Exception {
        assertEquals(0, ns.tool("install", "medium").rc());
        String before = ruleset();
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"name\":\"bad\",\"queue_count\":0,\"default_rate_limit\":{\"rate\":0,\"per\":\"second\",\"burst\":1},"
                + "\"rate_limits\":{\"v4_discovr\":{\"rate\":1,\"per\":\"second\",\"burst\":1}},"
                + "\"sets\":{\"blocked_macs\":{\"timeout_seconds\":-1,\"size\":10}}}");
        Netns.Result r = ns.tool("install", bad.toString());
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("queue_count: must be in 1..64, got 0"), r.err());
        assertTrue(r.err().contains("rate_limits.v4_discovr: unknown message type"), r.err());
        assertTrue(r.err().contains("sets.blocked_macs: timeout_seconds must be > 0"), r.err());
        assertEquals(before, ruleset());
    }

    @Test
    void kernelRejectionIsReportedVerbatimAndTheRunningRulesetIsUntouched() throws Exception {
        Assumptions.assumeTrue(ns.tool("probe").out().contains("xt-compat"), "kernel has nft queue: nothing to reject");
        assertEquals(0, ns.tool("install", "medium").rc());
        assertEquals(0, ns.in("nft", "add element inet dhcp_inspection llm_denied_marks { 0x00000042 }").rc());
        String before = ruleset();
        Netns.Result r = ns.tool("install", "strict", "native"); // the queue statement this kernel lacks
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("install failed at dry-run"), r.err());
        assertTrue(r.err().contains("Could not process rule: No such file or directory"), r.err());
        assertEquals(before, ruleset(), "dry run must not change anything");
    }
}
