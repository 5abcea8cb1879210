package io.dhcpshield.enforcement.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetDocumentTest {

    private static String table(long packets, String discoverRules) {
        return """
                {"nftables": [{"metainfo": {"version": "1.0.6"}},
                 {"table": {"family": "inet", "name": "dhcp_inspection", "handle": 7}},
                 {"counter": {"family": "inet", "name": "all_dhcp_packets", "table": "dhcp_inspection", "handle": 3,
                   "packets": %d, "bytes": %d}},
                 {"set": {"family": "inet", "name": "blocked_marks", "table": "dhcp_inspection", "type": "mark",
                   "handle": 9, "size": 65535}},
                 {"chain": {"family": "inet", "table": "dhcp_inspection", "name": "v4_discover_chain", "handle": 11}},
                 %s
                 {"chain": {"family": "inet", "table": "dhcp_inspection", "name": "dhcp_inspect", "handle": 12,
                   "type": "filter", "hook": "prerouting", "prio": -100, "policy": "accept"}}]}
                """.formatted(packets, packets * 300, discoverRules);
    }

    private static final String RULE = """
            {"rule": {"family": "inet", "table": "dhcp_inspection", "chain": "v4_discover_chain", "handle": 20,
              "expr": [{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": "@blocked_marks"}},
                       {"counter": {"packets": 5, "bytes": 900}}, {"drop": null}]}},""";

    @Test
    void countersMovingIsNotDrift() {
        RulesetDocument installed = RulesetDocument.parse(table(0, RULE));
        RulesetDocument later = RulesetDocument.parse(table(12345, RULE.replace("\"packets\": 5", "\"packets\": 77")));
        assertEquals("", later.differencesFrom(installed));
        assertEquals(installed, later);
    }

    @Test
    void aFlushedChainAChangedRuleOrAMissingSetIsDriftNamedByWhatChanged() {
        RulesetDocument installed = RulesetDocument.parse(table(0, RULE));
        assertEquals("chain v4_discover_chain changed;", RulesetDocument.parse(table(0, "")).differencesFrom(installed));
        assertEquals("chain v4_discover_chain changed;", RulesetDocument.parse(table(0, RULE.replace("drop",
                "accept"))).differencesFrom(installed));
        String noSet = table(0, RULE).replaceAll("\\{\"set\": \\{[^}]*\\}\\},", "");
        assertEquals("set blocked_marks missing;", RulesetDocument.parse(noSet).differencesFrom(installed));
    }

    @Test
    void theShippedProfileIsCanonicalAndKnowsItsQueueModeAndSetTimeouts() {
        RulesetDocument nat = RulesetDocument.parse(RulesetJson.export(RulesetBuilder.build(
                ThrottlingProfile.dualstack("medium"), QueueMode.NATIVE_NFT)));
        RulesetDocument xt = RulesetDocument.parse(RulesetJson.export(RulesetBuilder.build(
                ThrottlingProfile.dualstack("medium"), QueueMode.XT_COMPAT)));
        assertTrue(nat.usesNativeQueue());
        assertFalse(xt.usesNativeQueue());
        assertEquals(new RulesetDocument.Summary(29, 212, 7, 70, "xt-compat"), xt.summary());
        assertEquals(7200L, xt.setTimeouts().get(EnforcementSet.LLM_BLOCKED_MARKS));
        // parse(toJson()) is the identity: what the editor saves is what was shown
        assertEquals(xt, RulesetDocument.parse(xt.pretty()));
        assertEquals(xt.lines(), RulesetDocument.parse(xt.pretty()).lines());
        assertTrue(xt.lines().contains("chain dhcp_inspect { type filter hook prerouting priority -100; policy accept; }"),
                xt.lines().toString());
    }

    @Test
    void anotherTableACommandAnUndeclaredChainOrADuplicateAreProblemsNamingTheirIndex() {
        String doc = """
                {"nftables":[{"table":{"family":"inet","name":"dhcp_inspection"}},
                 {"chain":{"family":"inet","table":"filter","name":"input"}},
                 {"flush":{"ruleset":null}},
                 {"rule":{"family":"inet","table":"dhcp_inspection","chain":"nowhere","expr":[{"accept":null}]}},
                 {"counter":{"family":"inet","table":"dhcp_inspection","name":"c"}},
                 {"counter":{"family":"inet","table":"dhcp_inspection","name":"c"}},
                 {"flowtable":{"family":"inet","table":"dhcp_inspection","name":"f"}}]}""";
        RulesetDocumentException e = assertThrows(RulesetDocumentException.class, () -> RulesetDocument.parse(doc));
        List<String> got = e.problems().stream().map(p -> p.path() + " " + p.message()).toList();
        assertEquals(5, got.size(), got.toString());
        assertTrue(got.get(0).startsWith("body.nftables[1] chain belongs to table inet filter"), got.get(0));
        assertTrue(got.get(1).startsWith("body.nftables[2] \"flush\" is a command"), got.get(1));
        assertTrue(got.stream().anyMatch(s -> s.startsWith("body.nftables[5] counter c is declared twice")), got.toString());
        assertTrue(got.stream().anyMatch(s -> s.startsWith("body.nftables[6] \"flowtable\" objects are not supported")),
                got.toString());
        assertTrue(got.stream().anyMatch(s -> s.startsWith("body.nftables[3] rule of chain nowhere")), got.toString());
        assertEquals("body", assertThrows(RulesetDocumentException.class, () -> RulesetDocument.parse("[1,2]"))
                .problems().get(0).path());
        assertTrue(assertThrows(RulesetDocumentException.class, () -> RulesetDocument.parse("{not json"))
                .getMessage().startsWith("body: not JSON"));
    }
}
