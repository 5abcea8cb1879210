package io.dhcpshield.enforcement.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RulesetShapeTest {

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
                       {"drop": null}]}},""";

    @Test
    void countersMovingIsNotDrift() {
        RulesetShape installed = RulesetShape.parse(table(0, RULE));
        assertEquals("", RulesetShape.parse(table(12345, RULE)).differencesFrom(installed));
    }

    @Test
    void aFlushedChainAChangedRuleOrAMissingSetIsDriftNamedByWhatChanged() {
        RulesetShape installed = RulesetShape.parse(table(0, RULE));
        assertEquals("chain v4_discover_chain changed;", RulesetShape.parse(table(0, "")).differencesFrom(installed));
        assertEquals("chain v4_discover_chain changed;", RulesetShape.parse(table(0, RULE.replace("drop",
                "accept"))).differencesFrom(installed));
        String noSet = table(0, RULE).replaceAll("\\{\"set\": \\{[^}]*\\}\\},", "");
        assertEquals("set blocked_marks missing;", RulesetShape.parse(noSet).differencesFrom(installed));
    }
}
