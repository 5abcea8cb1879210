package io.dhcpshield.automation.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.AuditEntry;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import io.r2dbc.spi.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules in {@code automation_rules} (ReplacingMergeTree(version), read with FINAL): every change writes a new
 * version of the row (a delete writes a tombstone, {@code deleted = 1}) and one {@code users_audit_log} row with the
 * actor ({@code automation.rule.create}, {@code .update}, {@code .enable}, {@code .disable}, {@code .delete},
 * {@code .seed}). The seed rules ({@code seed-rules.json} beside this class) are written once, into a table that
 * never held a row: a rule an operator deleted stays deleted (its tombstone is a row).
 */
public final class RuleStore {

    private static final Logger log = LoggerFactory.getLogger(RuleStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The actor of the seed rules' rows and audit entries. */
    public static final String SEED_ACTOR = "system:seed";

    private final ClickHouseClient client;
    private final Time time;
    private final AuditLog audit;
    private long lastVersion;

    public RuleStore(ClickHouseClient client, Time time) {
        this.client = Objects.requireNonNull(client, "client");
        this.time = Objects.requireNonNull(time, "time");
        this.audit = new AuditLog(client, Duration.ofDays(366));
    }

    /** The curated seed rules (about a dozen), valid. */
    public static List<Rule> seeds() {
        try (InputStream in = RuleStore.class.getResourceAsStream("seed-rules.json")) {
            if (in == null) throw new IllegalStateException("seed-rules.json missing from the jar");
            var root = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Rule> out = new ArrayList<>();
            for (int i = 0; i < root.size(); i++) {
                try {
                    out.add(RuleJson.parse(root.get(i)));
                } catch (RuleValidationException e) {
                    throw new IllegalStateException("seed rule " + i + ": " + e.getMessage(), e);
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule (newest versions, no tombstones), by id. A stored definition that no longer parses is skipped. */
    public Mono<List<StoredRule>> list() {
        return rows().filter(r -> !r.deleted).concatMap(r -> {
            try {
                return Mono.just(new StoredRule(RuleJson.parse(r.definition), r.version, r.updatedBy, r.updatedAt));
            } catch (RuleValidationException e) {
                log.warn("automation rule {} (version {}) is not valid and is skipped: {}", r.id, r.version,
                        e.getMessage());
                return Mono.empty();
            }
        }).collectList();
    }

    /** The rule, or empty when there is none (or it was deleted). */
    public Mono<StoredRule> get(String id) {
        Objects.requireNonNull(id, "id");
        return list().flatMap(l -> Mono.justOrEmpty(l.stream().filter(s -> s.rule().id().equals(id)).findFirst()));
    }

    /** Stores a new rule; {@link RuleExistsException} when the id is taken, {@link RuleValidationException} if bad. */
    public Mono<StoredRule> create(Rule rule, String actor) {
        Rule r = rule.validated();
        return current(r.id()).hasElement().flatMap(exists -> exists ? Mono.error(new RuleExistsException(r.id()))
                : write(r, false, actor, 0).flatMap(s -> audit(actor, "automation.rule.create", r.id(),
                detail(s.version(), null, r)).thenReturn(s)));
    }

    /** Replaces rule {@code id} with {@code rule} (same id); {@link RuleNotFoundException} when there is none. */
    public Mono<StoredRule> update(String id, Rule rule, String actor) {
        Rule r = rule.validated();
        if (!r.id().equals(id)) {
            return Mono.error(new RuleValidationException(List.of("id must be " + id + " (the rule being updated), was "
                    + r.id())));
        }
        return current(id).switchIfEmpty(Mono.error(new RuleNotFoundException(id)))
                .flatMap(old -> write(r, false, actor, old.version)
                        .flatMap(s -> audit(actor, "automation.rule.update", id, detail(s.version(), old.definition, r))
                                .thenReturn(s)));
    }

    /** Turns rule {@code id} on or off (its definition's {@code enabled} and the row's {@code active}). */
    public Mono<StoredRule> setEnabled(String id, boolean enabled, String actor) {
        return get(id).switchIfEmpty(Mono.error(new RuleNotFoundException(id)))
                .flatMap(old -> write(old.rule().withEnabled(enabled), false, actor, old.version())
                        .flatMap(s -> audit(actor, enabled ? "automation.rule.enable" : "automation.rule.disable", id,
                                detail(s.version(), null, null)).thenReturn(s)));
    }

    /** Deletes rule {@code id} (a tombstone version); {@link RuleNotFoundException} when there is none. */
    public Mono<Void> delete(String id, String actor) {
        return current(id).switchIfEmpty(Mono.error(new RuleNotFoundException(id)))
                .flatMap(old -> tombstone(old, actor)
                        .then(audit(actor, "automation.rule.delete", id, detail(old.version + 1, old.definition, null))));
    }

    /**
     * Writes the seed rules when {@code automation_rules} has never held a row (a fresh database); emits how many
     * were written (0 when the table had rows, tombstones included).
     */
    public Mono<Integer> seedIfEmpty() {
        return client.query(Queries.bind("automation.rules_ever_written"), (row, meta) -> num(row, 0)).next()
                .defaultIfEmpty(0L)
                .flatMap(n -> n > 0 ? Mono.just(0) : Flux.fromIterable(seeds())
                        .concatMap(r -> write(r, false, SEED_ACTOR, 0)
                                .flatMap(s -> audit(SEED_ACTOR, "automation.rule.seed", r.id(),
                                        detail(s.version(), null, r))))
                        .then(Mono.fromCallable(() -> {
                            log.info("automation: wrote {} seed rules into a fresh automation_rules", seeds().size());
                            return seeds().size();
                        })));
    }

    // ---------------------------------------------------------------- rows

    private record Row8(String id, String name, String definition, boolean active, String updatedBy,
                        Instant updatedAt, long version, boolean deleted) {
    }

    private Flux<Row8> rows() {
        return client.query(Queries.bind("automation.rules_read_all"), (row, meta) -> new Row8(str(row, 0),
                str(row, 1), str(row, 2), num(row, 3) != 0, str(row, 4), Instant.ofEpochSecond(num(row, 5)),
                num(row, 6), num(row, 7) != 0)).doOnNext(r -> bumpVersion(r.version));
    }

    /** The newest non-deleted row of {@code id}, whether or not its definition parses. */
    private Mono<Row8> current(String id) {
        return rows().filter(r -> r.id.equals(id) && !r.deleted).next();
    }

    private synchronized void bumpVersion(long v) {
        lastVersion = Math.max(lastVersion, v);
    }

    private synchronized long nextVersion(long after, Instant now) {
        long v = Math.max(Math.max(lastVersion, after) + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        lastVersion = v;
        return v;
    }

    private Mono<StoredRule> write(Rule r, boolean deleted, String actor, long after) {
        Objects.requireNonNull(actor, "actor");
        if (actor.isBlank()) return Mono.error(new IllegalArgumentException("actor must not be empty"));
        return Mono.defer(() -> {
            Instant now = time.now();
            long v = nextVersion(after, now);
            String sql = Queries.bind("automation.rule_write", r.id(), r.name(), RuleJson.write(r),
                    r.enabled() ? 1 : 0, actor, now, v, deleted ? 1 : 0);
            return client.execute(sql).thenReturn(new StoredRule(r, v, actor, Instant.ofEpochSecond(now.getEpochSecond())));
        });
    }

    private Mono<Void> tombstone(Row8 old, String actor) {
        return Mono.defer(() -> {
            Instant now = time.now();
            long v = nextVersion(old.version, now);
            return client.execute(Queries.bind("automation.rule_write", old.id, old.name, old.definition, 0, actor,
                    now, v, 1));
        });
    }

    /** One audit entry about rule {@code id} (the scheduler's "run now"). */
    Mono<Void> audited(String actor, String action, String id, String detail) {
        return audit(actor, action, id, detail);
    }

    private Mono<Void> audit(String actor, String action, String id, String detail) {
        return audit.write(new AuditEntry(time.now(), actor, "", action, id, detail));
    }

    private static String detail(long version, String oldDefinition, Rule now) {
        ObjectNode d = JSON.createObjectNode();
        d.put("version", version);
        if (oldDefinition != null) d.put("old", oldDefinition);
        if (now != null) d.put("new", RuleJson.write(now));
        return d.toString();
    }

    static String str(Row row, int i) {
        Object v = row.get(i);
        return v == null ? "" : String.valueOf(v);
    }

    static long num(Row row, int i) {
        Object v = row.get(i);
        if (v instanceof Number n) return n.longValue();
        String s = v == null ? "" : String.valueOf(v).strip();
        return s.isEmpty() ? 0 : new java.math.BigInteger(s).longValue();
    }

    static double dbl(Row row, int i) {
        Object v = row.get(i);
        if (v instanceof Number n) return n.doubleValue();
        String s = v == null ? "" : String.valueOf(v).strip();
        return s.isEmpty() ? 0 : Double.parseDouble(s);
    }
}
