package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.AuditFilter;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.storage.OperationalKeys;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/v1/config}: Operational configuration (database &gt; YAML &gt; default): read every key with its
 * value, source, default and meaning; change or reset one (admins; audited by the config store with the caller as
 * actor, applied at once and by every other reader within seconds); the audit trail of changes.
 */
public final class ConfigResource {

    private final Deferred<OperationalConfig> operational;
    private final Accounts accounts;
    private final Time time;
    private final int maxPage;

    public ConfigResource(Deferred<OperationalConfig> operational, Accounts accounts, Time time, int maxPage) {
        this.operational = operational;
        this.accounts = accounts;
        this.time = time;
        this.maxPage = maxPage;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/config", Access.VIEWER, r -> {
                    r.params().only();
                    OperationalConfig cfg = operational.require();
                    ObjectNode n = Views.object();
                    ArrayNode a = n.putArray("keys");
                    for (OperationalKeys.Key<?> k : OperationalKeys.all()) {
                        a.add(key(cfg, k));
                    }
                    return reactor.core.publisher.Mono.just(Response.ok(n));
                }),
                new Route("GET", "/api/v1/config/audit", Access.VIEWER, r -> {
                    Params p = r.params().only("key", "from", "to", "limit", "cursor");
                    TimeRange range = TimeRange.of(p, time.now(), Duration.ofDays(30), Duration.ofDays(3650));
                    AuditFilter f = AuditFilter.between(range.from(), range.to()).action("config.set");
                    String key = p.string("key", 128);
                    if (key != null) {
                        f = f.target(known(key).name());
                    }
                    int limit = p.integer("limit", 1, maxPage, 100);
                    return accounts.auditLog().query(f, EventResource.cursor(p), limit).map(page -> {
                        ObjectNode n = Views.object();
                        ArrayNode a = n.putArray("changes");
                        page.entries().forEach(e -> a.add(Views.audit(e)));
                        Views.next(n, page.next());
                        return Response.ok(n);
                    });
                }),
                new Route("PUT", "/api/v1/config/{key}", Access.ADMIN, r -> {
                    OperationalKeys.Key<?> k = known(r.path("key"));
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "value");
                    if (!b.has("value") || b.get("value").isNull() || b.get("value").isContainerNode()) {
                        throw ApiError.badRequest("value", "value is a string, number or boolean");
                    }
                    String text = b.get("value").asText();
                    OperationalConfig cfg = operational.require();
                    return set(cfg, k, text, r.caller().username()).then(reactor.core.publisher.Mono.fromCallable(
                            () -> Response.ok(key(cfg, k))));
                }),
                new Route("DELETE", "/api/v1/config/{key}", Access.ADMIN, r -> {
                    OperationalKeys.Key<?> k = known(r.path("key"));
                    OperationalConfig cfg = operational.require();
                    return cfg.reset(k, r.caller().username()).then(reactor.core.publisher.Mono.fromCallable(
                            () -> Response.ok(key(cfg, k))));
                }));
    }

    @SuppressWarnings("unchecked")
    private static <T> reactor.core.publisher.Mono<Void> set(OperationalConfig cfg, OperationalKeys.Key<T> k,
                                                           String text, String actor) {
        T value;
        try {
            value = k.valueOf(text);
        } catch (RuntimeException e) {
            throw ApiError.badRequest("value", e.getMessage() != null ? e.getMessage()
                    : "not a valid value for " + k.name());
        }
        return cfg.set(k, value, actor);
    }

    private static OperationalKeys.Key<?> known(String name) {
        OperationalKeys.Key<?> k = OperationalKeys.byName(name);
        if (k == null) {
            throw ApiError.notFound("no operational key '" + name + "'");
        }
        return k;
    }

    private static ObjectNode key(OperationalConfig cfg, OperationalKeys.Key<?> k) {
        ObjectNode n = Views.object();
        n.put("key", k.name());
        n.put("value", cfg.snapshot().get(k.name()));
        n.put("source", cfg.sourceOf(k).name().toLowerCase(Locale.ROOT));
        n.put("default", k.format(k.defaultValue()));
        n.put("type", k.type().getSimpleName().toLowerCase(Locale.ROOT));
        n.put("description", k.description());
        return n;
    }
}
