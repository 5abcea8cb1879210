package io.dhcpshield.alarms.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.AuditEntry;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The notification routes in {@code alarm_routes} (ReplacingMergeTree(version), read with FINAL; a delete writes a
 * tombstone), each change audited in {@code users_audit_log} ({@code alarms.route.create}, {@code .update},
 * {@code .delete}, {@code .seed}). A fresh table gets the seed routes: every alarm to the bell, and — when a Vector
 * sink is configured — warnings and worse to Vector.
 */
public final class RouteStore {

    private static final Logger log = LoggerFactory.getLogger(RouteStore.class);
    public static final String SEED_ACTOR = "system:seed";

    /** No route with that id. */
    public static final class RouteNotFound extends RuntimeException {
        public RouteNotFound(String id) {
            super("no notification route '" + id + "'");
        }
    }

    private final ClickHouseClient client;
    private final Time time;
    private final AuditLog audit;
    private final Set<String> sinks;
    private long lastVersion;

    public RouteStore(ClickHouseClient client, Time time, Set<String> sinks) {
        this.client = Objects.requireNonNull(client, "client");
        this.time = Objects.requireNonNull(time, "time");
        this.audit = new AuditLog(client, Duration.ofDays(366));
        this.sinks = Set.copyOf(sinks);
    }

    /** The seed routes for these sinks. */
    public static List<Route> seeds(Set<String> sinks) {
        List<Route> out = new ArrayList<>();
        out.add(RouteJson.parse("{\"id\":\"all-to-bell\",\"name\":\"Every alarm to the bell\",\"sinks\":[\"bell\"]}",
                sinks));
        if (sinks.contains("vector")) {
            out.add(RouteJson.parse("{\"id\":\"warnings-to-vector\",\"name\":\"Warnings and worse to Vector\","
                    + "\"min_severity\":\"warning\",\"sinks\":[\"vector\"]}", sinks));
        }
        return out;
    }

    private record Row(String id, String definition, long version, boolean deleted) {
    }

    private Flux<Row> rows() {
        return client.query(Queries.bind("alarms.routes_read_all"), (row, meta) -> new Row(String.valueOf(row.get(0)),
                String.valueOf(row.get(1)), Long.parseLong(String.valueOf(row.get(4))),
                !"0".equals(String.valueOf(row.get(5))))).doOnNext(r -> bump(r.version));
    }

    /** Every route (newest versions, no tombstones); a stored route that no longer parses is skipped (logged). */
    public Mono<List<Route>> list() {
        return rows().filter(r -> !r.deleted).concatMap(r -> {
            try {
                return Mono.just(RouteJson.parse(r.definition, sinks));
            } catch (IllegalArgumentException e) {
                log.warn("notification route {} is not valid here and is skipped: {}", r.id, e.getMessage());
                return Mono.empty();
            }
        }).collectList();
    }

    /** Creates a route from a body without id; the id is made here. */
    public Mono<Route> create(ObjectNode body, String actor) {
        if (body.has("id")) {
            throw new RouteJson.InvalidRoute("id", "id is chosen by the server; leave it out");
        }
        Route r = RouteJson.parse(body, "r-" + UUID.randomUUID().toString().substring(0, 8), sinks);
        return write(r, false, actor, 0).then(audit(actor, "alarms.route.create", r.id(), RouteJson.toJson(r)
                .toString())).thenReturn(r);
    }

    /** Replaces route {@code id}. */
    public Mono<Route> update(String id, ObjectNode body, String actor) {
        if (body.has("id") && !id.equals(body.get("id").asText())) {
            throw new RouteJson.InvalidRoute("id", "id must be " + id + " (the route being replaced)");
        }
        body.remove("id");
        Route r = RouteJson.parse(body, id, sinks);
        return current(id).switchIfEmpty(Mono.error(new RouteNotFound(id)))
                .flatMap(old -> write(r, false, actor, old.version).then(audit(actor, "alarms.route.update", id,
                        "{\"old\":" + old.definition + ",\"new\":" + RouteJson.toJson(r) + "}")))
                .thenReturn(r);
    }

    public Mono<Void> delete(String id, String actor) {
        return current(id).switchIfEmpty(Mono.error(new RouteNotFound(id)))
                .flatMap(old -> Mono.defer(() -> {
                    Instant now = time.now();
                    return client.execute(Queries.bind("alarms.route_write", id, old.definition, actor, now,
                            next(old.version, now), 1));
                }).then(audit(actor, "alarms.route.delete", id, old.definition)));
    }

    /** Writes the seed routes into a table that never held a row; emits how many. */
    public Mono<Integer> seedIfEmpty() {
        return client.query(Queries.bind("alarms.routes_ever_written"), (row, meta) ->
                        Long.parseLong(String.valueOf(row.get(0)))).next().defaultIfEmpty(0L)
                .flatMap(n -> n > 0 ? Mono.just(0) : Flux.fromIterable(seeds(sinks))
                        .concatMap(r -> write(r, false, SEED_ACTOR, 0).then(audit(SEED_ACTOR, "alarms.route.seed",
                                r.id(), RouteJson.toJson(r).toString())))
                        .then(Mono.fromCallable(() -> seeds(sinks).size())));
    }

    private Mono<Row> current(String id) {
        return rows().filter(r -> r.id.equals(id) && !r.deleted).next();
    }

    private Mono<Void> write(Route r, boolean deleted, String actor, long after) {
        return Mono.defer(() -> {
            Instant now = time.now();
            return client.execute(Queries.bind("alarms.route_write", r.id(), RouteJson.toJson(r).toString(), actor,
                    now, next(after, now), deleted ? 1 : 0));
        });
    }

    private Mono<Void> audit(String actor, String action, String id, String detail) {
        return audit.write(new AuditEntry(time.now(), actor, "", action, id, detail));
    }

    private synchronized void bump(long v) {
        lastVersion = Math.max(lastVersion, v);
    }

    private synchronized long next(long after, Instant now) {
        long v = Math.max(Math.max(lastVersion, after) + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        lastVersion = v;
        return v;
    }

    /** For tests and the API: the sink names routes may use. */
    public Set<String> sinks() {
        return sinks;
    }
}
