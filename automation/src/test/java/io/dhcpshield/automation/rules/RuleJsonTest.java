package io.dhcpshield.automation.rules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule JSON is strict, and every validation error names the field it is about. */
class RuleJsonTest {

    static final String GOOD = """
            {"id": "r1", "name": "DISCOVER volume", "every_minutes": 5, "source": "client_minute_stats",
             "window_minutes": 10, "filters": [{"field": "message_type", "value": "DISCOVER"}],
             "group_by": ["client"], "metric": "count",
             "thresholds": [{"value": 100, "action": "monitor"}, {"value": 300, "action": "throttle", "duration_minutes": 60}]}
            """;

    static List<String> problems(String json) {
        return assertThrows(RuleValidationException.class, () -> RuleJson.parse(json)).problems();
    }

    static void hasProblem(List<String> problems, String start) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(start)), () -> "no problem starting '" + start
                + "' in " + problems);
    }

    @Test
    void aValidRuleRoundTripsWithItsDefaults() {
        Rule r = RuleJson.parse(GOOD);
        assertEquals(RuleJson.DEFAULT_PRIORITY, r.priority());
        assertEquals(10, r.suppressMinutes(), "suppression defaults to the window");
        assertEquals(Rule.Severity.WARNING, r.severity());
        assertTrue(r.enabled());
        assertEquals(r, RuleJson.parse(RuleJson.write(r)));
    }

    @Test
    void thresholdsMustAscendAndTheErrorNamesBoth() {
        hasProblem(problems(GOOD.replace("\"value\": 300", "\"value\": 50")),
                "thresholds[1].value must be greater than thresholds[0].value");
    }

    @Test
    void unknownFieldsAreErrorsAtEveryLevel() {
        hasProblem(problems(GOOD.replace("\"id\": \"r1\",", "\"id\": \"r1\", \"colour\": 1,")), "colour is not a rule field");
        hasProblem(problems(GOOD.replace("\"value\": \"DISCOVER\"", "\"value\": \"DISCOVER\", \"case\": 1")),
                "filters[0].case is not a rule field");
        hasProblem(problems(GOOD.replace("\"action\": \"monitor\"", "\"action\": \"monitor\", \"x\": 2")),
                "thresholds[0].x is not a rule field");
    }

    @Test
    void aFilterOrKeyNotInTheSourceIsNamed() {
        List<String> p = problems(GOOD.replace("\"field\": \"message_type\"", "\"field\": \"hostname\"")
                .replace("[\"client\"]", "[\"client\", \"circuit\"]"));
        hasProblem(p, "filters[0].field: hostname is not available in source client_minute_stats");
        hasProblem(p, "group_by[1]: circuit is not available in source client_minute_stats");
    }

    @Test
    void wrongTypesMissingFieldsAndBadEnumsAreNamed() {
        List<String> p = problems("""
                {"id": "R 1", "name": "", "every_minutes": "5", "source": "events", "group_by": ["mac"],
                 "metric": "count", "thresholds": [{"value": "x", "action": "nuke"}]}""");
        hasProblem(p, "every_minutes must be a whole number");
        hasProblem(p, "source must be one of client_minute_stats, relay_minute_stats");
        hasProblem(p, "window_minutes is required");
        hasProblem(p, "group_by[0] must be one of client, relay, circuit, site, vendor_class");
        hasProblem(p, "thresholds[0].value must be a number");
        hasProblem(p, "thresholds[0].action must be one of block, deny, throttle, monitor, allow, analyze, alarm");
    }

    @Test
    void semanticProblemsAreNamed() {
        List<String> p = problems("""
                {"id": "R 1", "name": "x", "every_minutes": 0, "source": "dhcp_events", "window_minutes": 2000,
                 "filters": [{"field": "hostname", "match": "regex", "value": "(?=a)b"},
                             {"field": "message_type", "match": "wildcard", "value": "NOPE*"},
                             {"field": "relay", "value": "not-an-ip"}, {"field": "family", "value": "5"}],
                 "group_by": ["client", "client"], "metric": "distinct_macs",
                 "thresholds": [{"value": 10, "action": "deny", "duration_minutes": 5}, {"value": -1, "action": "alarm"}]}""");
        hasProblem(p, "id must be 1-63 lower-case letters");
        hasProblem(p, "every_minutes must be 1..1440");
        hasProblem(p, "window_minutes must be 1..1440 for source dhcp_events");
        hasProblem(p, "filters[0].value uses lookaround");
        hasProblem(p, "filters[1].value matches no DHCPv4 or DHCPv6 message type");
        hasProblem(p, "filters[2].value must be an IPv4 or IPv6 address");
        hasProblem(p, "filters[3].value must be 4 or 6 for family");
        hasProblem(p, "group_by[1]: client is listed twice");
        hasProblem(p, "metric: distinct_macs counts clients");
        hasProblem(p, "thresholds[0].duration_minutes does not apply to deny");
        hasProblem(p, "thresholds[1].value must be a number above 0");
        hasProblem(p, "thresholds[1].value must be greater than thresholds[0].value");
    }

    @Test
    void theHourlyViewNeedsWholeHours() {
        hasProblem(problems(GOOD.replace("client_minute_stats", "vendor_class_hour_stats")
                        .replace("[\"client\"]", "[\"vendor_class\"]").replace("\"window_minutes\": 10", "\"window_minutes\": 90")),
                "window_minutes must be whole hours");
    }

    @Test
    void duplicateKeysAndNonObjectsAreRefused() {
        hasProblem(problems("{\"id\": \"a\", \"id\": \"b\"}"), "not valid JSON: Duplicate field 'id'");
        hasProblem(problems("[1]"), "a rule must be a JSON object");
    }

    @Test
    void theSeedRulesAreValidAndAboutADozen() {
        List<Rule> seeds = RuleStore.seeds();
        assertTrue(seeds.size() >= 12 && seeds.size() <= 16, "seed rules: " + seeds.size());
        assertEquals(seeds.size(), seeds.stream().map(Rule::id).distinct().count(), "seed ids are unique");
        for (Rule r : seeds) assertEquals(r, RuleJson.parse(RuleJson.write(r)), r.id());
    }
}
