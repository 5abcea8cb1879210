package io.dhcpshield.enforcement.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.enforcement.firewall.FlowTracer.Path;
import io.dhcpshield.enforcement.firewall.FlowTracer.Step;
import io.dhcpshield.enforcement.kernel.KernelState;
import io.dhcpshield.enforcement.ruleset.MessageTypeChain;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowTracerTest {

    static RulesetDocument shipped(QueueMode mode) {
        return RulesetDocument.parse(RulesetJson.export(RulesetBuilder.build(ThrottlingProfile.dualstack("medium"), mode)));
    }

    /** "chain:kind:taken[:verdict]" per step: the drawing as text. */
    static List<String> ladder(List<Step> steps) {
        return steps.stream().map(s -> s.chain() + ":" + s.kind() + ":" + s.taken()
                + (s.verdict() == null ? "" : ":" + s.verdict())).toList();
    }

    @Test
    void discoverInboundFollowsTheShippedLadderInTheSeedsOrder() {
        List<Step> steps = FlowTracer.trace(shipped(QueueMode.NATIVE_NFT), MessageTypeChain.V4_DISCOVER, Path.INBOUND,
                null);
        List<String> l = ladder(steps);
        assertEquals(List.of(
                "dhcp_inspect:chain:yes",
                "dhcp_inspect:match:no:accept",            // meta l4proto != udp accept: a DISCOVER is UDP
                "dhcp_inspect:match:no:accept",            // udp dport != {67,...}: port 67 is inspected
                "dhcp_inspect:match:no:accept",            // mirror ports off the loopback: 67 is not one
                "dhcp_inspect:queue:yes:queue",            // queued; the processor's verdict is accept with the mark
                "drop_mirrored:chain:yes",
                "drop_mirrored:match:no:drop",             // port 67 is not a mirrored copy
                "drop_mirrored:policy:yes:accept",
                "route_by_type:chain:yes",
                "route_by_type:vmap:yes:jump v4_discover_chain",
                "v4_discover_chain:counter:yes",           // v4_discover_total, type bits stripped
                "v4_discover_chain:set:if:accept",         // allowed
                "v4_discover_chain:set:if:drop",           // blocked
                "v4_discover_chain:set:if:drop",           // denied
                "v4_discover_chain:set:if:accept",         // throttled under 10/minute
                "v4_discover_chain:set:if:drop",           // throttled over it
                "v4_discover_chain:set:if:continue",       // monitored: log
                "v4_discover_chain:set:if:drop",           // blocked_macs
                "v4_discover_chain:limit:if:drop",         // per-client rate over the limit → blocked_macs
                "v4_discover_chain:counter:yes:accept",    // tracked_a, v4_discover_a
                "mac_actions:chain:yes",
                "mac_actions:match:no:accept",
                "mac_actions:set:if:accept",
                "mac_actions:set:if:drop",
                "mac_actions:set:if:drop",
                "mac_actions:policy:yes:accept",
                "dhcp_block:chain:yes",
                "dhcp_block:match:no:accept",
                "dhcp_block:set:if:accept",
                "dhcp_block:set:if:drop",
                "dhcp_block:policy:yes:accept"), l);
        Step blocked = steps.get(12);
        assertEquals("llm_blocked_marks", blocked.set());
        assertEquals("v4_discover_d", blocked.counter());
        assertEquals("route_by_type", steps.get(9).chain());
        assertEquals(1, steps.get(10).depth());
        assertEquals(-98, steps.get(8).priority());
        assertTrue(steps.get(18).label().contains("@tracked_marks"), steps.get(18).label());
    }

    @Test
    void aReplyCrossingTheApplianceIsCountedAndCheckedButNeverRateLimited() {
        List<String> l = ladder(FlowTracer.trace(shipped(QueueMode.XT_COMPAT), MessageTypeChain.V4_OFFER, Path.INBOUND,
                null));
        assertTrue(l.contains("route_by_type:vmap:yes:jump v4_offer_out_chain"), l.toString());
        assertTrue(l.contains("dhcp_inspect:counter:yes"), l.toString()); // xt-compat: counted after the xt queue
        assertFalse(l.stream().anyMatch(s -> s.startsWith("v4_offer_out_chain:limit")), l.toString());
        assertTrue(l.contains("v4_offer_out_chain:counter:yes:accept"), l.toString());
    }

    @Test
    void outboundWalksTheOutputHookOnly() {
        List<Step> steps = FlowTracer.trace(shipped(QueueMode.NATIVE_NFT), MessageTypeChain.V6_REPLY, Path.OUTBOUND,
                null);
        assertEquals("dhcp_inspect_output", steps.get(0).chain());
        assertTrue(steps.stream().allMatch(s -> s.hook().equals("output")));
        List<String> l = ladder(steps);
        assertTrue(l.contains("route_output_by_type:vmap:yes:jump v6_reply_out_chain"));
        // The exemption of re-injected copies (udp dport {1067, 1547} oif "lo" accept) never applies to a reply to 546.
        assertEquals("route_output_by_type:match:no:accept", l.get(l.indexOf("route_output_by_type:chain:yes") + 1));
    }

    @Test
    void anEditedRulesetDrawsDifferently() {
        ObjectNode json = RulesetJson.export(RulesetBuilder.build(ThrottlingProfile.dualstack("medium"),
                QueueMode.XT_COMPAT));
        ArrayNode items = (ArrayNode) json.path("nftables");
        // Remove the deny check from v4_discover_chain and make the blocked check the first rule of route_by_type.
        for (int i = items.size() - 1; i >= 0; i--) {
            if (!items.get(i).has("rule")) {
                continue;
            }
            ObjectNode rule = (ObjectNode) items.get(i).path("rule");
            if (rule.path("chain").asText().equals("v4_discover_chain")
                    && rule.path("expr").toString().contains("@llm_denied_marks")) {
                items.remove(i);
            }
        }
        List<String> before = ladder(FlowTracer.trace(shipped(QueueMode.XT_COMPAT), MessageTypeChain.V4_DISCOVER,
                Path.INBOUND, null));
        List<Step> steps = FlowTracer.trace(RulesetDocument.parse(json), MessageTypeChain.V4_DISCOVER, Path.INBOUND,
                null);
        assertEquals(before.size() - 1, steps.size());
        assertFalse(steps.stream().anyMatch(s -> "llm_denied_marks".equals(s.set())
                && s.chain().equals("v4_discover_chain")));
        // A drop-all policy on dhcp_block ends the walk there.
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).has("chain")) {
                continue;
            }
            ObjectNode chain = (ObjectNode) items.get(i).path("chain");
            if (chain.path("name").asText().equals("dhcp_block")) {
                chain.put("policy", "drop");
            }
        }
        List<String> l = ladder(FlowTracer.trace(RulesetDocument.parse(json), MessageTypeChain.V4_DISCOVER,
                Path.INBOUND, null));
        assertEquals("dhcp_block:policy:yes:drop", l.get(l.size() - 1));
    }

    @Test
    void liveCountersAndSetSizesAreOnTheirSteps() {
        KernelState live = new KernelState(Map.of("v4_discover_total", new KernelState.Counter(42, 4200)),
                Map.of("llm_blocked_marks", new KernelState.SetState(3, 65536, 7200)), true);
        List<Step> steps = FlowTracer.trace(shipped(QueueMode.NATIVE_NFT), MessageTypeChain.V4_DISCOVER, Path.INBOUND,
                live);
        assertEquals(42L, steps.get(10).packets());
        assertEquals(3L, steps.get(12).setElements());
    }

    @Test
    void aJumpLoopIsCutNotFollowedForever() {
        String json = """
                {"nftables":[{"table":{"family":"inet","name":"dhcp_inspection"}},
                {"chain":{"family":"inet","table":"dhcp_inspection","name":"b","type":"filter","hook":"prerouting","prio":0,"policy":"accept"}},
                {"chain":{"family":"inet","table":"dhcp_inspection","name":"x"}},
                {"rule":{"family":"inet","table":"dhcp_inspection","chain":"b","expr":[{"jump":{"target":"x"}}]}},
                {"rule":{"family":"inet","table":"dhcp_inspection","chain":"x","expr":[{"jump":{"target":"x"}}]}}]}""";
        List<Step> steps = FlowTracer.trace(RulesetDocument.parse(json), MessageTypeChain.V4_DISCOVER, Path.INBOUND,
                null);
        assertTrue(steps.stream().anyMatch(s -> s.label().startsWith("jump loop")), ladder(steps).toString());
    }
}
