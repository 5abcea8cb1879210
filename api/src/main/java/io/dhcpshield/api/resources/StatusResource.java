package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.api.metrics.PrometheusExporter;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Liveness ({@code /api/v1/health}), readiness ({@code /api/v1/ready}: queues bound, transport, queue mode,
 * ClickHouse, ruleset, fail-open in effect; 503 until every service is ready), the counters of every service as JSON
 * ({@code /api/v1/counters}), the same as Prometheus text ({@code /metrics}), and the OpenAPI document.
 */
public final class StatusResource {

    private final Deferred<ServiceManager> daemon;
    private final Time time;
    private final byte[] openapi;

    public StatusResource(Deferred<ServiceManager> daemon, Time time) {
        this.daemon = daemon;
        this.time = time;
        this.openapi = openapiDocument();
    }

    /** The OpenAPI document as shipped (a resource beside this class). */
    public static byte[] openapiDocument() {
        try (InputStream in = StatusResource.class.getResourceAsStream("/io/dhcpshield/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/health", Access.PUBLIC, r -> {
                    r.params().only();
                    return Mono.just(Response.ok(Views.object().put("status", "ok").put("time", time.now().toString())));
                }),
                new Route("GET", "/api/v1/ready", Access.PUBLIC, r -> {
                    r.params().only();
                    ObjectNode n = ready(daemon.require());
                    return Mono.just(Response.json(n.path("ready").asBoolean() ? 200 : 503, n));
                }),
                new Route("GET", "/api/v1/counters", Access.VIEWER, r -> {
                    r.params().only();
                    MetricSamples s = new MetricSamples();
                    daemon.require().metrics(s);
                    return Mono.just(Response.ok(Views.object().put("time", time.now().toString())
                            .set("metrics", s.toJson())));
                }),
                new Route("GET", "/metrics", Access.PUBLIC, r -> {
                    r.params().only();
                    MetricSamples s = new MetricSamples();
                    daemon.require().metrics(s);
                    return Mono.just(new Response(200, PrometheusExporter.render(s), PrometheusExporter.CONTENT_TYPE,
                            Map.of()));
                }),
                new Route("GET", "/api/v1/openapi.json", Access.PUBLIC, r ->
                        Mono.just(new Response(200, openapi, "application/json", Map.of()))));
    }

    /** The readiness report: every service, and the facts an operator checks first. */
    public static ObjectNode ready(ServiceManager m) {
        List<ServiceManager.Status> all = m.status();
        ObjectNode n = Json.MAPPER.createObjectNode();
        boolean ready = all.stream().allMatch(s -> s.state() == ServiceManager.State.RUNNING && s.readiness().ready());
        n.put("ready", ready);
        Map<String, Object> inspection = detail(all, "inspection");
        ServiceManager.Status collector = find(all, "collector");
        // Passive: fed only by the TZSP collector, never on the forwarding path (no queue to fail open).
        boolean passive = find(all, "inspection") == null && collector != null;
        n.put("mode", passive ? "passive" : "inline");
        n.put("queues", number(inspection.get("queues")));
        n.put("queues_bound", number(inspection.get("queues_bound")));
        n.put("transport", String.valueOf(inspection.getOrDefault("transport", "none")));
        n.put("fail_open_in_effect", !passive && (Boolean.TRUE.equals(inspection.get("fail_open_in_effect"))
                || inspection.isEmpty()));
        if (collector != null) {
            Object agents = collector.readiness().detail().get("agents");
            n.put("collector_agents", agents instanceof List<?> l ? l.size() : 0);
        }
        ServiceManager.Status ruleset = find(all, "ruleset");
        n.put("ruleset", ruleset == null ? "not managed (enforcement.install_ruleset: false)"
                : ruleset.readiness().ready() ? "installed" : ruleset.readiness().reason());
        n.put("queue_mode", ruleset == null ? "not managed"
                : String.valueOf(ruleset.readiness().detail().getOrDefault("queue_mode", "unknown")));
        ServiceManager.Status storage = find(all, "storage");
        n.put("clickhouse", storage == null ? "disabled (clickhouse.enabled: false)"
                : storage.readiness().ready() ? "connected" : storage.readiness().reason());
        ArrayNode services = n.putArray("services");
        for (ServiceManager.Status s : all) {
            ObjectNode x = services.addObject();
            x.put("name", s.name());
            x.put("state", s.state().name().toLowerCase(Locale.ROOT));
            x.put("ready", s.state() == ServiceManager.State.RUNNING && s.readiness().ready());
            if (!s.readiness().reason().isEmpty()) {
                x.put("reason", s.readiness().reason());
            }
            JsonNode detail = Json.MAPPER.valueToTree(s.readiness().detail());
            x.set("detail", detail);
        }
        return n;
    }

    private static ServiceManager.Status find(List<ServiceManager.Status> all, String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    private static Map<String, Object> detail(List<ServiceManager.Status> all, String name) {
        ServiceManager.Status s = find(all, name);
        return s == null ? Map.of() : s.readiness().detail();
    }

    private static long number(Object o) {
        return o instanceof Number x ? x.longValue() : 0;
    }
}
