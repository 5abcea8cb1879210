package io.dhcpshield.storage;

import io.dhcpshield.enforcement.firewall.ApplyRecord;
import io.dhcpshield.enforcement.firewall.RulesetStore;
import io.dhcpshield.enforcement.firewall.StoredRuleset;
import io.r2dbc.spi.Row;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Firewall Manager's rulesets and applies in ClickHouse (V003's {@code firewall_rulesets} as migration V011 extends it, docs/firewall.md). A state change is a
 * new row that copies the version's body server-side, so the body is never sent twice and never lost. Blocking: the
 * manager runs off the event loop.
 */
public final class ClickHouseRulesetStore implements RulesetStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final ClickHouseClient client;
    /** State rows are ordered by this: strictly increasing even within one microsecond. */
    private long lastMicros;

    public ClickHouseRulesetStore(ClickHouseClient client) {
        this.client = client;
    }

    @Override
    public List<StoredRuleset> all() {
        return client.query(Queries.bind("firewall.rulesets_all"), (row, meta) -> ruleset(row, false))
                .collectList().block(TIMEOUT);
    }

    @Override
    public Optional<StoredRuleset> get(String name, int version) {
        return client.query(Queries.bind("firewall.ruleset_get", name + "@" + version), (row, meta) -> ruleset(row, true))
                .next().blockOptional(TIMEOUT);
    }

    @Override
    public void save(List<StoredRuleset> rows) {
        for (StoredRuleset r : rows) {
            long v = version(r.updatedAt());
            if (r.body().isEmpty()) {
                post(Queries.bind("firewall.ruleset_state", r.active() ? 1 : 0, r.order(), r.deleted() ? 1 : 0,
                        r.createdBy().isEmpty() ? "system" : r.createdBy(), r.updatedAt(), v, r.ref()));
            } else {
                insert(r, v);
            }
        }
    }

    @Override
    public void saveApply(ApplyRecord a) {
        post(Queries.bind("firewall.apply_write", a.id(), micros(a.at()), a.actor(), a.mode(),
                String.join(" ", a.rulesets()), a.ok() ? 1 : 0, a.stage(), a.error(), Math.round(a.millis() * 1000),
                a.rollbackOf()));
    }

    @Override
    public List<ApplyRecord> applies(int limit) {
        return client.query(Queries.bind("firewall.applies_recent", limit), (row, meta) -> apply(row))
                .collectList().block(TIMEOUT);
    }

    @Override
    public Optional<ApplyRecord> apply(String id) {
        return client.query(Queries.bind("firewall.apply_by_id", id), (row, meta) -> apply(row)).next()
                .blockOptional(TIMEOUT);
    }

    /**
     * A version with its JSON: the row goes in the request body (JSONEachRow), since a ruleset (~60 KB) does not fit
     * in a URL.
     */
    private void insert(StoredRuleset r, long v) {
        com.fasterxml.jackson.databind.node.ObjectNode row = JSON.createObjectNode()
                .put("ruleset_id", r.ref()).put("name", r.name()).put("ruleset_version", r.version())
                .put("ruleset", r.body()).put("origin", r.source()).put("note", r.comment())
                .put("created_at", r.createdAt().getEpochSecond()).put("created_by", r.createdBy())
                .put("active", r.active() ? 1 : 0).put("apply_order", r.order()).put("deleted", r.deleted() ? 1 : 0)
                .put("updated_by", r.createdBy()).put("updated_at", r.updatedAt().getEpochSecond()).put("version", v);
        try {
            client.insert("firewall_rulesets", List.of("ruleset_id", "name", "ruleset_version", "ruleset", "origin",
                    "note", "created_at", "created_by", "active", "apply_order", "deleted", "updated_by", "updated_at",
                    "version"), "JSONEachRow", JSON.writeValueAsBytes(row));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("firewall store: " + e.getMessage(), e);
        }
    }

    /** Writes over plain HTTP, blocking like every call of this store. */
    private void post(String sql) {
        try {
            client.post(sql, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("firewall store: " + e.getMessage(), e);
        }
    }

    private synchronized long version(Instant at) {
        long v = Math.max(micros(at), lastMicros + 1);
        lastMicros = v;
        return v;
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    private static String s(Row row, int i) {
        return String.valueOf(row.get(i));
    }

    private static StoredRuleset ruleset(Row row, boolean withBody) {
        long updated = Long.parseLong(s(row, 9));
        return new StoredRuleset(s(row, 0), Integer.parseInt(s(row, 1)), withBody ? s(row, 10) : "", s(row, 2),
                s(row, 3), Instant.ofEpochSecond(Long.parseLong(s(row, 4))), s(row, 5), "1".equals(s(row, 6)),
                Integer.parseInt(s(row, 7)), "1".equals(s(row, 8)),
                Instant.ofEpochSecond(updated / 1_000_000, (updated % 1_000_000) * 1000));
    }

    private static ApplyRecord apply(Row row) {
        long at = Long.parseLong(s(row, 1));
        String rulesets = s(row, 4);
        return new ApplyRecord(s(row, 0), Instant.ofEpochSecond(at / 1_000_000, (at % 1_000_000) * 1000), s(row, 2),
                s(row, 3), rulesets.isEmpty() ? List.of() : Arrays.asList(rulesets.split(" ")), "1".equals(s(row, 5)),
                s(row, 6), s(row, 7), Long.parseLong(s(row, 8)) / 1000.0, s(row, 9));
    }
}
