package io.dhcpshield.automation.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When several rules hit one client in one cycle, the highest priority wins (seed 000): each client mark goes to
 * one hit, the one of the rule with the highest priority (then the lower rule id, then the higher tier, then the
 * higher value); every other (hit, client) pair is superseded and counted against its rule. Alarm-only hits claim no
 * client. Pure: the scheduler applies the result.
 */
final class PriorityResolution {

    /** A rule's hits in this cycle. */
    record Entry(Rule rule, List<RuleHit> hits) {
    }

    /** The hits with the clients they kept, per rule in input order, and the superseded count per rule id. */
    record Result(Map<String, List<RuleHit>> kept, Map<String, Integer> superseded) {
        int superseded(String ruleId) {
            return superseded.getOrDefault(ruleId, 0);
        }
    }

    private record Claim(Rule rule, RuleHit hit) {
    }

    private static final Comparator<Claim> BEST_FIRST = Comparator
            .comparingInt((Claim c) -> -c.rule.priority())
            .thenComparing(c -> c.rule.id())
            .thenComparingInt(c -> -c.hit.tier())
            .thenComparingDouble(c -> -c.hit.value());

    private PriorityResolution() {
    }

    static Result resolve(List<Entry> entries) {
        Map<Integer, Claim> winner = new HashMap<>();
        for (Entry e : entries) {
            for (RuleHit h : e.hits()) {
                if (!h.threshold().outcome().acts()) continue;
                for (HitClient c : h.clients()) {
                    Claim claim = new Claim(e.rule(), h);
                    winner.merge(c.target().clientMark(), claim, (a, b) -> BEST_FIRST.compare(a, b) <= 0 ? a : b);
                }
            }
        }
        Map<String, List<RuleHit>> kept = new LinkedHashMap<>();
        Map<String, Integer> superseded = new HashMap<>();
        for (Entry e : entries) {
            List<RuleHit> hits = new ArrayList<>();
            for (RuleHit h : e.hits()) {
                if (!h.threshold().outcome().acts()) {
                    hits.add(h);
                    continue;
                }
                List<HitClient> mine = new ArrayList<>();
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (HitClient c : h.clients()) {
                    Claim w = winner.get(c.target().clientMark());
                    if (w.hit() == h && seen.add(c.target().clientMark())) mine.add(c);
                    else superseded.merge(e.rule().id(), 1, Integer::sum);
                }
                hits.add(h.withClients(mine));
            }
            kept.put(e.rule().id(), hits);
        }
        return new Result(kept, superseded);
    }
}
