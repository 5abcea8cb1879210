package io.dhcpshield.automation.rules;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.storage.AuditFilter;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dhcpshield.automation.rules.Harness.T0;
import static io.dhcpshield.automation.rules.Harness.mark;
import static io.dhcpshield.automation.rules.Harness.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules engine against a real ClickHouse 18.16 and a real Action Manager, on virtual time. */
class AutomationSchedulerTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Instant BEFORE = T0.minus(Duration.ofMinutes(5));
    static final long F1 = 0x0200_0000_f001L, F2 = 0x0200_0000_f002L, F3 = 0x0200_0000_f003L, QUIET = 0x0200_0000_0a01L;
    static final long A = 0x0200_0000_a001L, B = 0x0200_0000_b001L, C = 0x0200_0000_c001L;

    static String discoverRule(String id, int priority, String thresholds) {
        return "{\"id\": \"" + id + "\", \"name\": \"" + id + "\", \"priority\": " + priority + ", \"every_minutes\": 1,"
                + " \"source\": \"client_minute_stats\", \"window_minutes\": 10,"
                + " \"filters\": [{\"field\": \"message_type\", \"value\": \"DISCOVER\"}], \"group_by\": [\"client\"],"
                + " \"metric\": \"count\", \"thresholds\": " + thresholds + "}";
    }

    @Test
    void aDiscoverFloodFromAFewClientsTripsTheSeededVolumeRuleInTheNextCycleAndOnlyThoseClientsAreThrottled()
            throws Exception {
        try (Harness h = new Harness(server, "auto_flood")) {
            List<DhcpEvent> events = new ArrayList<>();
            for (long mac : List.of(F1, F2, F3)) events.addAll(v4(400, 1, mac, BEFORE, 5, "c1"));
            events.addAll(v4(5, 1, QUIET, BEFORE, 5, "c1"));
            events.addAll(v4(5, 5, QUIET, BEFORE, 5, "c1"));
            h.insert(events);
            h.start().tick();

            for (long mac : List.of(F1, F2, F3)) {
                ActionRecord r = h.actions.inForce(ActionType.THROTTLE, mark(mac)).orElseThrow(
                        () -> new AssertionError("no throttle on " + Long.toHexString(mac)));
                assertEquals(Actor.rule("discover-volume"), r.actor());
                assertTrue(r.reason().startsWith("rule discover-volume (DISCOVER volume per client): client="
                        + new io.dhcpshield.core.net.MacAddress(mac) + " count 400 >= 300 in 10 min (tier 2 of 3)"),
                        r.reason());
                assertEquals(Duration.ofMinutes(60), r.duration());
                assertTrue(h.kernel.contains(EnforcementSet.LLM_THROTTLED_MARKS, mark(mac)));
            }
            assertTrue(h.actions.inForce().stream().noneMatch(r -> r.target().clientMark() == mark(QUIET)),
                    "the quiet client has no action");
            assertEquals(3, h.kernel.size(EnforcementSet.LLM_THROTTLED_MARKS));
            assertEquals(0, h.analysis.size(), "never-completes lost the flooders to the higher-priority volume rule");

            List<RunRecord> runs = h.runs();
            assertEquals(RuleStore.seeds().size(), runs.size(), "every seed rule ran once: " + runs);
            assertTrue(runs.stream().allMatch(r -> r.error().isEmpty() && r.trigger() == Trigger.SCHEDULE), runs::toString);
            RunRecord volume = h.runs("discover-volume").get(0);
            assertEquals(List.of(3, 3, 0, 0), List.of(volume.matched(), volume.acted(), volume.suppressed(),
                    volume.superseded()));
            RunRecord never = h.runs("never-completes").get(0);
            assertEquals(List.of(3, 0, 3), List.of(never.matched(), never.acted(), never.superseded()));
            assertTrue(h.automation.readiness().ready());
            assertEquals(true, h.automation.readiness().detail().get("active"));
        }
    }

    @Test
    void escalationTiersTakeTheActionOfTheHighestThresholdReached() throws Exception {
        try (Harness h = new Harness(server, "auto_tiers")) {
            h.create(discoverRule("tiers", 100, "[{\"value\": 50, \"action\": \"monitor\"},"
                    + " {\"value\": 100, \"action\": \"throttle\", \"duration_minutes\": 30},"
                    + " {\"value\": 200, \"action\": \"block\", \"duration_minutes\": 60}]"));
            List<DhcpEvent> events = new ArrayList<>(v4(60, 1, A, BEFORE, 5, "c1"));
            events.addAll(v4(150, 1, B, BEFORE, 5, "c1"));
            events.addAll(v4(250, 1, C, BEFORE, 5, "c1"));
            events.addAll(v4(49, 1, QUIET, BEFORE, 5, "c1"));
            h.insert(events);
            h.start().tick();

            assertTrue(h.actions.inForce(ActionType.MONITOR, mark(A)).isPresent());
            assertEquals(Duration.ofMinutes(30), h.actions.inForce(ActionType.THROTTLE, mark(B)).orElseThrow().duration());
            assertEquals(Duration.ofMinutes(60), h.actions.inForce(ActionType.BLOCK, mark(C)).orElseThrow().duration());
            assertEquals(3, h.actions.inForce().size(), "one action per client, none on the client below 50");
            RunRecord run = h.runs("tiers").get(0);
            assertEquals(3, run.matched());
            assertEquals(3, run.acted());
        }
    }

    @Test
    void aHitIsSuppressedWithinItsSuppressionTimeUnlessItEscalates() throws Exception {
        try (Harness h = new Harness(server, "auto_suppress")) {
            h.create(discoverRule("tiers", 100, "[{\"value\": 50, \"action\": \"monitor\"},"
                    + " {\"value\": 100, \"action\": \"throttle\"}]"));
            List<DhcpEvent> events = new ArrayList<>(v4(60, 1, A, BEFORE, 5, "c1"));
            events.addAll(v4(120, 1, B, BEFORE, 5, "c1"));
            h.insert(events);
            h.start().tick();
            ActionRecord first = h.actions.inForce(ActionType.MONITOR, mark(A)).orElseThrow();

            h.tick();   // same window content: both keys fired within 10 minutes at the same tier
            RunRecord second = h.runs("tiers").get(0);
            assertEquals(List.of(2, 0, 2), List.of(second.matched(), second.acted(), second.suppressed()));
            assertEquals(first.id(), h.actions.inForce(ActionType.MONITOR, mark(A)).orElseThrow().id(),
                    "the monitor was not taken again");

            h.insert(v4(50, 1, A, T0, 1, "c1"));   // A now reaches the throttle tier: escalation breaks suppression
            h.tick();
            RunRecord third = h.runs("tiers").get(0);
            assertEquals(List.of(2, 1, 1), List.of(third.matched(), third.acted(), third.suppressed()));
            assertTrue(h.actions.inForce(ActionType.THROTTLE, mark(A)).isPresent());
            assertEquals(3, h.runs("tiers").size());
        }
    }

    @Test
    void whenTwoRulesHitOneClientTheHigherPriorityWinsAndTheOtherCountsItSuperseded() throws Exception {
        try (Harness h = new Harness(server, "auto_priority")) {
            h.create(discoverRule("watch-first", 900, "[{\"value\": 10, \"action\": \"monitor\"}]"));
            h.create(discoverRule("block-later", 100, "[{\"value\": 10, \"action\": \"block\"}]"));
            h.insert(v4(20, 1, A, BEFORE, 5, "c1"));
            h.start().tick();

            assertTrue(h.actions.inForce(ActionType.MONITOR, mark(A)).isPresent());
            assertTrue(h.actions.inForce(ActionType.BLOCK, mark(A)).isEmpty(), "the lower-priority block lost");
            RunRecord lost = h.runs("block-later").get(0);
            assertEquals(List.of(1, 0, 1), List.of(lost.matched(), lost.acted(), lost.superseded()));
            RunRecord won = h.runs("watch-first").get(0);
            assertEquals(List.of(1, 1, 0), List.of(won.matched(), won.acted(), won.superseded()));
        }
    }

    @Test
    void aDryRunListsTheClientsItWouldHitActsOnNothingAndIsRecorded() throws Exception {
        try (Harness h = new Harness(server, "auto_dry")) {
            h.create(discoverRule("unrelated", 1, "[{\"value\": 100000, \"action\": \"alarm\"}]"));
            List<DhcpEvent> events = new ArrayList<>(v4(20, 1, A, BEFORE, 5, "c1"));
            for (int i = 0; i < 6; i++) events.addAll(v4(i + 1, 7, 0x0200_0000_e000L + i, BEFORE, 5, "c-attack"));
            h.insert(events);
            h.start();
            h.vts.advanceTimeBy(Duration.ofSeconds(30));   // no tick yet: the window ends at 12:00

            RunReport perClient = h.automation.dryRun(discoverRule("preview", 100,
                    "[{\"value\": 10, \"action\": \"throttle\"}]")).block(WAIT);
            assertEquals(1, perClient.hits().size());
            HitOutcome hit = perClient.hits().get(0);
            assertEquals(HitOutcome.Status.WOULD_ACT, hit.status());
            assertEquals(20.0, hit.hit().value());
            assertEquals(Rule.Outcome.THROTTLE, hit.hit().threshold().outcome());
            assertEquals(mark(A), hit.clients().get(0).target().clientMark());

            RunReport perCircuit = h.automation.dryRun("""
                    {"id": "releases", "name": "releases for many MACs", "every_minutes": 5, "source": "dhcp_events",
                     "window_minutes": 10, "filters": [{"field": "message_type", "value": "RELEASE"}],
                     "group_by": ["circuit"], "metric": "distinct_macs",
                     "thresholds": [{"value": 5, "action": "monitor"}]}""").block(WAIT);
            assertEquals(1, perCircuit.hits().size());
            HitOutcome circuit = perCircuit.hits().get(0);
            assertEquals(Map.of("circuit", "c-attack"), circuit.hit().key());
            assertEquals(6.0, circuit.hit().value());
            assertEquals(6, circuit.clients().size(), "every client seen under the circuit, with its own count");
            assertEquals(6.0, circuit.clients().get(0).value(), "busiest first");

            assertTrue(h.actions.inForce().isEmpty(), "a dry run acts on nothing");
            assertEquals(0, h.kernel.size(EnforcementSet.LLM_THROTTLED_MARKS) + h.kernel.size(EnforcementSet.LLM_MONITORED_MARKS));
            List<RunRecord> dry = h.runs().stream().filter(r -> r.trigger() == Trigger.DRY_RUN).toList();
            assertEquals(2, dry.size());
            assertTrue(dry.stream().allMatch(r -> r.acted() == 0 && r.matched() == 1 && r.error().isEmpty()), dry::toString);
        }
    }

    @Test
    void aRuleWithABrokenQueryDoesNotStopTheOthersItsErrorIsRecordedAndItIsRetried() throws Exception {
        try (Harness h = new Harness(server, "auto_broken")) {
            h.create("""
                    {"id": "vendors", "name": "vendor surge", "every_minutes": 1, "source": "vendor_class_hour_stats",
                     "window_minutes": 60, "group_by": ["vendor_class"], "metric": "count",
                     "thresholds": [{"value": 1, "action": "alarm"}]}""");
            h.create(discoverRule("works", 100, "[{\"value\": 10, \"action\": \"throttle\"}]"));
            h.insert(v4(20, 1, A, BEFORE, 5, "c1"));
            h.client.execute("RENAME TABLE vendor_class_hour_stats TO vendor_class_hour_stats_gone").block(WAIT);
            h.start().tick();
            h.tick();

            assertTrue(h.actions.inForce(ActionType.THROTTLE, mark(A)).isPresent(), "the working rule acted");
            List<RunRecord> broken = h.runs("vendors");
            assertEquals(2, broken.size(), "retried at the next cycle");
            assertTrue(broken.stream().allMatch(r -> r.error().contains("vendor_class_hour_stats")), broken::toString);
            assertEquals(2, h.runs("works").size());
            assertEquals(2, h.automation.cycles());
            @SuppressWarnings("unchecked")
            Map<String, String> failing = (Map<String, String>) h.automation.readiness().detail().get("failing_rules");
            assertTrue(failing.containsKey("vendors"), String.valueOf(failing));
            assertTrue(h.automation.readiness().ready(), "a failing rule does not make the service unready");
        }
    }

    @Test
    void theSeedRulesAreWrittenOnceAndEveryGeneratedStatementRunsOn1816() throws Exception {
        try (Harness h = new Harness(server, "auto_seed")) {
            int seeds = RuleStore.seeds().size();
            assertEquals(seeds, h.store.seedIfEmpty().block(WAIT));
            assertEquals(0, h.store.seedIfEmpty().block(WAIT));
            h.store.delete("nak-storm", "alice").block(WAIT);
            assertEquals(0, h.store.seedIfEmpty().block(WAIT), "a deleted seed rule stays deleted");
            List<StoredRule> rules = h.store.list().block(WAIT);
            assertEquals(seeds - 1, rules.size());
            assertTrue(rules.stream().noneMatch(r -> r.rule().id().equals("nak-storm")));
            java.util.Comparator<Rule> byId = java.util.Comparator.comparing(Rule::id);
            assertTrue(RuleStore.seeds().stream().filter(r -> !r.id().equals("nak-storm")).sorted(byId).toList()
                    .equals(rules.stream().map(StoredRule::rule).toList()), "the stored rules are the seeds");

            // Every statement of the committed file (each seed rule's, and samples) on this 18.16 server.
            String text = Files.readString(Path.of("..", "storage", "chdb", "automation_rules.sql"));
            int ran = 0;
            for (String part : text.split("\n-- name: ")) {
                if (part.startsWith("--")) continue;
                String sql = part.substring(part.indexOf('\n') + 1).strip();
                sql = sql.substring(0, sql.length() - 1);
                h.client.query(sql, (row, meta) -> 1).collectList().block(WAIT);
                ran++;
            }
            assertTrue(ran > 2 * seeds, "statements run: " + ran);

            // Every seed rule's dry run, with traffic under its keys so the member queries run too.
            List<DhcpEvent> events = new ArrayList<>();
            for (int i = 0; i < 60; i++) events.addAll(v4(2, 7, 0x0200_0000_d000L + i, T0.minusSeconds(90), 1, "c9"));
            h.insert(events);
            h.start();
            for (Rule r : RuleStore.seeds()) {
                RunReport rep = h.automation.dryRun(r).block(WAIT);
                assertEquals("", rep.run().error(), r.id());
            }
        }
    }

    @Test
    void ruleChangesAreValidatedVersionedAndAuditedWithTheActor() throws Exception {
        try (Harness h = new Harness(server, "auto_crud")) {
            h.start();
            String json = discoverRule("mine", 100, "[{\"value\": 10, \"action\": \"monitor\"}]");
            StoredRule created = h.automation.create(json, "alice").block(WAIT);
            Runnable later = () -> h.vts.advanceTimeBy(Duration.ofSeconds(1));   // audit entries one second apart
            later.run();
            assertThrows(RuleExistsException.class, () -> h.automation.create(json, "alice").block(WAIT));
            assertThrows(RuleValidationException.class, () -> h.automation.create(json.replace("\"value\": 10",
                    "\"value\": -1"), "alice").block(WAIT));
            StoredRule off = h.automation.enable("mine", false, "bob").block(WAIT);
            later.run();
            assertFalse(off.rule().enabled());
            assertTrue(off.version() > created.version());
            assertFalse(h.automation.rule("mine").block(WAIT).rule().enabled());
            StoredRule updated = h.automation.update("mine", json.replace("\"priority\": 100", "\"priority\": 7"),
                    "carol").block(WAIT);
            later.run();
            assertEquals(7, updated.rule().priority());
            assertThrows(RuleNotFoundException.class, () -> h.automation.update("nope", json.replace("mine", "nope"),
                    "carol").block(WAIT));
            h.automation.delete("mine", "dave").block(WAIT);
            assertTrue(h.automation.rule("mine").blockOptional(WAIT).isEmpty());
            assertThrows(RuleNotFoundException.class, () -> h.automation.delete("mine", "dave").block(WAIT));

            var page = new AuditLog(h.client, Duration.ofDays(2)).query(AuditFilter.between(T0.minus(Duration.ofDays(1)),
                    T0.plus(Duration.ofDays(1))), null, 100).block(WAIT);
            List<String> trail = page.entries().stream().filter(e -> e.target().equals("mine"))
                    .map(e -> e.actor() + " " + e.action()).toList();
            assertEquals(List.of("dave automation.rule.delete", "carol automation.rule.update",
                    "bob automation.rule.disable", "alice automation.rule.create"), trail);
        }
    }
}
