package io.dhcpshield.enforcement;

import static org.junit.jupiter.api.Assertions.*;

import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.MessageTypeChain;
import io.dhcpshield.enforcement.ruleset.ProfileValidationException;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.RateLimit;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.SetSpec;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesetBuilderTest {
    private final Ruleset medium = RulesetBuilder.build(ThrottlingProfile.dualstack("medium"), QueueMode.NATIVE_NFT);

    @Test
    void baseChainsHaveSeedHooksAndPriorities() {
        Map<String, String> expected = Map.of("dhcp_inspect", "prerouting/-100", "drop_mirrored", "prerouting/-99",
                "route_by_type", "prerouting/-98", "dhcp_inspect_output", "output/-100",
                "route_output_by_type", "output/-98", "mac_actions", "prerouting/90", "dhcp_block", "prerouting/100");
        expected.forEach((name, hp) -> {
            Ruleset.Chain c = medium.chains().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            assertEquals(hp, c.hook().hook() + "/" + c.hook().priority(), name);
        });
        for (MessageTypeChain t : MessageTypeChain.values()) {
            assertTrue(medium.chains().stream().anyMatch(c -> c.name().equals(t.chainName()) && !c.isBase()), t.chainName());
        }
        assertTrue(medium.chains().stream().anyMatch(c -> c.name().equals("default_enforce_chain")));
    }

    @Test
    void sevenSetsWithSeedDefaultsAndAllNamedCounters() {
        assertEquals(7, medium.sets().size());
        Ruleset.NamedSet blocked = medium.sets().get(0);
        assertEquals(List.of("blocked_macs", 120L, 2_500_000L), List.of(blocked.name(), blocked.timeoutSeconds(), blocked.size()));
        Ruleset.NamedSet allowed = medium.sets().stream().filter(s -> s.name().equals("llm_allowed_marks")).findFirst().orElseThrow();
        assertEquals(30 * 86400L, allowed.timeoutSeconds());
        List<String> names = medium.counters().stream().map(Ruleset.NamedCounter::name).toList();
        assertTrue(names.containsAll(RulesetBuilder.SYSTEM_COUNTERS));
        assertTrue(names.containsAll(List.of("v4_discover_total", "v4_discover_a", "v4_discover_d", "v6_relay_repl_d")));
        assertEquals(7 + 3 * MessageTypeChain.values().length, names.size());
    }

    @Test
    void perTypeChainFollowsTheSeedLadderOrder() {
        List<String> rules = medium.rulesOf("v4_discover_chain").stream().map(r -> r.expr().toString()).toList();
        assertTrue(rules.get(0).contains("\"mangle\"") && rules.get(0).contains("16777215"), "strip type bits first");
        String[] order = {"@llm_allowed_marks", "@llm_blocked_marks", "@llm_denied_marks", "@llm_throttled_marks",
                "@llm_throttled_marks", "@llm_monitored_marks", "@blocked_macs", "@tracked_marks"};
        for (int i = 0; i < order.length; i++) assertTrue(rules.get(i + 1).contains(order[i]), order[i] + " at " + (i + 1));
        assertTrue(rules.get(1).contains("accept") && rules.get(2).contains("drop"), "allow accepts before block drops");
        assertTrue(rules.get(6).contains("\"log\""), "monitor logs and continues");
        assertTrue(rules.get(8).contains("\"inv\":true") && rules.get(8).contains("@blocked_macs"), "overage into blocked_macs");
        assertTrue(rules.get(8).contains("16777216"), "tracked per (type, client)");
    }

    @Test
    void queueRangesFollowQueueCountAndModeDecidesTheQueueStatement() {
        String nativeJson = RulesetJson.compact(RulesetJson.export(medium));
        assertTrue(nativeJson.contains("{\"queue\":{\"num\":{\"range\":[1,4]},\"flags\":[\"bypass\",\"fanout\"]}}"));
        assertTrue(nativeJson.contains("\"range\":[1,8]"));
        Ruleset xt = RulesetBuilder.build(ThrottlingProfile.dualstack("medium"), QueueMode.XT_COMPAT);
        assertFalse(RulesetJson.compact(RulesetJson.export(xt)).contains("\"queue\""));
    }

    @Test
    void installBatchTouchesOnlyOurTableAndNeverFlushesTheRuleset() {
        String batch = RulesetJson.compact(RulesetJson.installBatch(medium));
        assertTrue(batch.startsWith("{\"nftables\":[{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"dhcp_inspection\"}}},"
                + "{\"delete\":{\"table\":{\"family\":\"inet\",\"name\":\"dhcp_inspection\"}}}"));
        assertFalse(batch.contains("flush"));
        String others = batch.replace("\"table\":\"dhcp_inspection\"", "")
                .replace("\"table\":{\"family\":\"inet\",\"name\":\"dhcp_inspection\"}", "");
        assertFalse(others.contains("\"table\""), "every object names inet dhcp_inspection");
        assertFalse(batch.contains("\"family\":\"ip\"") || batch.contains("\"family\":\"ip6\""));
    }

    @Test
    void badProfileListsEveryProblem() {
        ThrottlingProfile bad = new ThrottlingProfile("bad profile", 0, new RateLimit(0, "minute", 1),
                RateLimit.perSecond(5, 5), Map.of("v4_discoverr", RateLimit.perSecond(1, 1),
                "v4_offer", RateLimit.perSecond(1, 1), "v4_request", new RateLimit(5, "fortnight", 1)),
                Map.of("blocked_macs", new SetSpec(0, 10), "nope", new SetSpec(1, 1)));
        ProfileValidationException e = assertThrows(ProfileValidationException.class,
                () -> RulesetBuilder.build(bad, QueueMode.XT_COMPAT));
        assertEquals(8, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("queue_count: must be in 1..64, got 0"));
        assertTrue(e.getMessage().contains("rate_limits.v4_discoverr: unknown message type"));
        assertTrue(e.getMessage().contains("sets.blocked_macs: timeout_seconds must be > 0"));
    }

    @Test
    void profileJsonRoundTrips() throws Exception {
        ThrottlingProfile p = ThrottlingProfile.dualstack("strict");
        String json = RulesetJson.MAPPER.writeValueAsString(p);
        assertEquals(p, RulesetJson.MAPPER.readValue(json, ThrottlingProfile.class));
        assertEquals(new SetSpec(EnforcementSet.LLM_DENIED_MARKS.defaultTimeoutSeconds(), 1_000_000),
                p.set(EnforcementSet.LLM_DENIED_MARKS));
    }

    private List<String> rulesOf(Ruleset r, String chain) {
        return r.rulesOf(chain).stream().map(x -> x.expr().toString()).toList();
    }

    @Test
    void mirrorPortsAreInspectedAndDroppedOnlyOnTheLoopback() {
        String mirror = "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\",\"field\":\"dport\"}},"
                + "\"right\":{\"set\":[1067,1547]}}}";
        for (QueueMode mode : QueueMode.values()) {
            Ruleset r = RulesetBuilder.build(ThrottlingProfile.dualstack("medium"), mode);
            // prerouting: a copy arrives on lo; anything else to 1067/1547 is let through unqueued
            List<String> in = rulesOf(r, "dhcp_inspect");
            assertEquals("[" + mirror + ", {\"match\":{\"op\":\"!=\",\"left\":{\"meta\":{\"key\":\"iif\"}},"
                    + "\"right\":\"lo\"}}, {\"accept\":null}]", in.get(2), mode + ": " + in);
            assertEquals(List.of("[" + mirror + ", {\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iif\"}},"
                    + "\"right\":\"lo\"}}, {\"counter\":\"mirrored_dropped\"}, {\"drop\":null}]"),
                    rulesOf(r, "drop_mirrored"));
            // output: the hook has no input interface; the copy leaves by lo
            List<String> out = rulesOf(r, "dhcp_inspect_output");
            assertEquals("[" + mirror + ", {\"match\":{\"op\":\"!=\",\"left\":{\"meta\":{\"key\":\"oif\"}},"
                    + "\"right\":\"lo\"}}, {\"accept\":null}]", out.get(2), mode + ": " + out);
            assertTrue(in.get(1).contains("[67,68,546,547,1067,1547]") && out.get(1).contains("[67,68,546,547,1067,1547]"));
        }
    }

    @Test
    void reinjectedCopiesAreNeverEnforcedOnTheWayToDropMirrored() {
        // A mirrored reply (OFFER, ACK...) of a blocked client would otherwise be dropped by its *_out_chain on the
        // output hook and never reach drop_mirrored: the exemption comes before the vmap.
        List<String> rules = rulesOf(medium, "route_output_by_type");
        assertEquals(2, rules.size(), rules.toString());
        assertTrue(rules.get(0).contains("[1067,1547]") && rules.get(0).contains("\"oif\"")
                && rules.get(0).endsWith("{\"accept\":null}]"), rules.get(0));
        assertTrue(rules.get(1).contains("\"vmap\""), rules.get(1));
        // prerouting: drop_mirrored (-99) runs before route_by_type (-98) and the later enforcement chains
        assertTrue(chainPriority("drop_mirrored") < chainPriority("route_by_type"));
        assertTrue(chainPriority("drop_mirrored") < chainPriority("mac_actions"));
    }

    private int chainPriority(String name) {
        return medium.chains().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().hook().priority();
    }

    @Test
    void xtQueueRulesQueueMirrorPortsOnlyOnTheLoopback() {
        String in = io.dhcpshield.enforcement.kernel.XtQueueRules.restoreInput(4, 8);
        assertTrue(in.contains("-A DHCP_SHIELD_QUEUE_IN -p udp -m multiport --dports 67,68,546,547 -j NFQUEUE "
                + "--queue-balance 1:4"), in);
        assertTrue(in.contains("-A DHCP_SHIELD_QUEUE_IN -i lo -p udp -m multiport --dports 1067,1547 -j NFQUEUE "
                + "--queue-balance 1:4"), in);
        assertTrue(in.contains("-A DHCP_SHIELD_QUEUE_OUT -o lo -p udp -m multiport --dports 1067,1547 -j NFQUEUE "
                + "--queue-balance 1:8"), in);
        assertFalse(in.contains("546,547,1067"), "no rule queues the mirror ports from every interface: " + in);
    }
}
