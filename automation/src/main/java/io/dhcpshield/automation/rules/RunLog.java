package io.dhcpshield.automation.rules;

import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;

/** {@code automation_runs}: one row per run of a rule (plain MergeTree, day partitions, dropped by retention). */
final class RunLog {

    /** Most runs one read returns. */
    static final int MAX_LIMIT = 10_000;

    private RunLog() {
    }

    static Mono<Void> write(ClickHouseClient ch, RunRecord r) {
        return ch.execute(Queries.bind("automation.run_insert", r.at(), r.at().getNano() / 1000, r.ruleId(),
                r.ruleName(), r.trigger().label(), Math.min(r.durationMs(), 0xFFFF_FFFFL), r.matched(), r.acted(),
                r.suppressed(), r.superseded(), r.error()));
    }

    static Flux<RunRecord> read(ClickHouseClient ch, String ruleId, Instant from, Instant to, int limit) {
        if (from == null || to == null || !from.isBefore(to)) {
            return Flux.error(new IllegalArgumentException("from must be before to"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return Flux.error(new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit));
        }
        String sql = Queries.bind("automation.runs", ruleId == null ? 0 : 1, ruleId == null ? "" : ruleId, from, to,
                limit);
        return ch.query(sql, (row, meta) -> new RunRecord(
                Instant.ofEpochSecond(RuleStore.num(row, 0), RuleStore.num(row, 1) * 1000), RuleStore.str(row, 2),
                RuleStore.str(row, 3), Trigger.byLabel(RuleStore.str(row, 4)), RuleStore.num(row, 5),
                (int) RuleStore.num(row, 6), (int) RuleStore.num(row, 7), (int) RuleStore.num(row, 8),
                (int) RuleStore.num(row, 9), RuleStore.str(row, 10)));
    }
}
