package io.dhcpshield.automation.rules;

import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.storage.ClickHouseClient;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a rule's SQL and turns the rows into {@link RuleHit}s with their clients: the hit query, then, for a rule that
 * does not group by client and whose tier acts, the members query (the busiest clients under each key).
 */
final class RuleEvaluator {

    private RuleEvaluator() {
    }

    /** One row of the hit query. */
    private record Row(List<String> keys, long mark, long mac, String duid, double value) {
    }

    static Mono<List<RuleHit>> evaluate(ClickHouseClient ch, Rule rule, RuleSql.Window w) {
        int n = RuleSql.textKeys(rule).size();
        return ch.query(RuleSql.hits(rule, w), (row, meta) -> {
                    List<String> keys = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) keys.add(RuleStore.str(row, i));
                    return new Row(keys, RuleStore.num(row, n), RuleStore.num(row, n + 1), RuleStore.str(row, n + 2),
                            RuleStore.dbl(row, n + 3));
                }).collectList()
                .flatMap(rows -> rule.groupsByClient() ? Mono.just(clientHits(rule, rows)) : keyHits(ch, rule, w, rows));
    }

    private static List<RuleHit> clientHits(Rule rule, List<Row> rows) {
        List<RuleHit> out = new ArrayList<>();
        for (Row r : rows) {
            int tier = rule.tierOf(r.value);
            if (tier < 0) continue;
            ActionTarget t = target(r.mark, r.mac, r.duid);
            List<HitClient> clients = t == null ? List.of() : List.of(new HitClient(t, r.value));
            out.add(new RuleHit(rule.id(), key(rule, r.keys, t, r.mark), r.value, tier, rule.thresholds().get(tier),
                    clients));
        }
        return out;
    }

    private static Mono<List<RuleHit>> keyHits(ClickHouseClient ch, Rule rule, RuleSql.Window w, List<Row> rows) {
        List<List<String>> acting = new ArrayList<>();
        for (Row r : rows) {
            int tier = rule.tierOf(r.value);
            if (tier >= 0 && rule.thresholds().get(tier).outcome().acts()) acting.add(r.keys);
        }
        Mono<Map<List<String>, List<HitClient>>> members = acting.isEmpty() ? Mono.just(Map.of())
                : ch.query(RuleSql.members(rule, w, acting), (row, meta) -> {
                    int n = acting.get(0).size();
                    List<String> keys = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) keys.add(RuleStore.str(row, i));
                    ActionTarget t = target(RuleStore.num(row, n), RuleStore.num(row, n + 1), RuleStore.str(row, n + 2));
                    return Map.entry(keys, t == null ? List.<HitClient>of()
                            : List.of(new HitClient(t, RuleStore.num(row, n + 3))));
                }).collect(LinkedHashMap::new, (m, e) -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .addAll(e.getValue()));
        return members.map(m -> {
            List<RuleHit> out = new ArrayList<>();
            for (Row r : rows) {
                int tier = rule.tierOf(r.value);
                if (tier < 0) continue;
                out.add(new RuleHit(rule.id(), key(rule, r.keys, null, 0), r.value, tier, rule.thresholds().get(tier),
                        m.getOrDefault(r.keys, List.of())));
            }
            return out;
        });
    }

    private static Map<String, String> key(Rule rule, List<String> texts, ActionTarget client, long mark) {
        Map<String, String> k = new LinkedHashMap<>();
        int i = 0;
        for (Rule.GroupKey g : rule.groupBy()) {
            if (g == Rule.GroupKey.CLIENT) {
                k.put("client", client != null ? client.value() : String.format("0x%06x", mark));
            } else {
                k.put(g.label(), texts.get(i++));
            }
        }
        return k;
    }

    /**
     * The action target of a client as its events carried it: named by its MAC, else its DUID, else its mark, and
     * always keyed by the 24-bit mark of its events (the kernel sets' key). Null when nothing identifies it.
     */
    static ActionTarget target(long mark, long mac, String duid) {
        int m = (int) (mark & 0xFF_FFFF);
        if (mac != 0) return new ActionTarget(ActionTarget.Kind.MAC, new MacAddress(mac).toString(), m);
        if (duid != null && !duid.isEmpty()) return new ActionTarget(ActionTarget.Kind.DUID, duid, m);
        if (m != 0) return ActionTarget.mark(m);
        return null;
    }
}
