package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.automation.AlarmEvent;
import io.dhcpshield.automation.detectors.DetectorService;
import io.dhcpshield.automation.rules.AutomationScheduler;
import io.dhcpshield.automation.rules.HitClient;
import io.dhcpshield.automation.rules.HitOutcome;
import io.dhcpshield.automation.rules.RuleExistsException;
import io.dhcpshield.automation.rules.RuleJson;
import io.dhcpshield.automation.rules.RuleNotFoundException;
import io.dhcpshield.automation.rules.RuleValidationException;
import io.dhcpshield.automation.rules.RunRecord;
import io.dhcpshield.automation.rules.RunReport;
import io.dhcpshield.automation.rules.StoredRule;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/automation}: the scheduled rules (docs/automation.md) — list and read (viewers), create, replace
 * and delete (admins; the rule store audits every change with the caller), enable or disable, run now and dry run
 * (operators), and every run's record. A rule body is the rule's JSON as docs/automation.md describes it; each
 * problem with it is a 400 naming its field.
 */
public final class AutomationResource {

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    private final Deferred<AutomationScheduler> automation;
    private final Deferred<DetectorService> detectors;
    private final Time time;
    private final int maxPage;
    private final Duration maxRange;

    public AutomationResource(Deferred<AutomationScheduler> automation, Deferred<DetectorService> detectors, Time time,
                              int maxPage, Duration maxRange) {
        this.automation = automation;
        this.detectors = detectors;
        this.time = time;
        this.maxPage = maxPage;
        this.maxRange = maxRange;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/automation/rules", Access.VIEWER, r -> {
                    r.params().only();
                    return mapped(automation.require().rules().map(list -> {
                        ObjectNode n = Views.object();
                        ArrayNode a = n.putArray("rules");
                        list.forEach(s -> a.add(rule(s)));
                        return Response.ok(n);
                    }));
                }),
                new Route("POST", "/api/v1/automation/rules", Access.ADMIN, r -> {
                    String body = r.json().toString();
                    return mapped(automation.require().create(body, r.caller().username())
                            .map(s -> Response.created(rule(s))));
                }),
                new Route("GET", "/api/v1/automation/rules/{id}", Access.VIEWER, r -> {
                    r.params().only();
                    String id = id(r.path("id"));
                    return mapped(automation.require().rule(id).map(s -> Response.ok(rule(s)))
                            .switchIfEmpty(Mono.error(() -> ApiError.notFound("no rule " + id))));
                }),
                new Route("PUT", "/api/v1/automation/rules/{id}", Access.ADMIN, r -> {
                    String id = id(r.path("id"));
                    String body = r.json().toString();
                    return mapped(automation.require().update(id, body, r.caller().username())
                            .map(s -> Response.ok(rule(s))));
                }),
                new Route("PATCH", "/api/v1/automation/rules/{id}", Access.OPERATOR, r -> {
                    String id = id(r.path("id"));
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "enabled");
                    if (!b.path("enabled").isBoolean()) {
                        throw ApiError.badRequest("enabled", "enabled must be true or false");
                    }
                    return mapped(automation.require().enable(id, b.get("enabled").booleanValue(),
                            r.caller().username()).map(s -> Response.ok(rule(s))));
                }),
                new Route("DELETE", "/api/v1/automation/rules/{id}", Access.ADMIN, r -> {
                    String id = id(r.path("id"));
                    return mapped(automation.require().delete(id, r.caller().username())
                            .then(Mono.fromCallable(Response::noContent)));
                }),
                new Route("POST", "/api/v1/automation/rules/{id}/dry-run", Access.OPERATOR, r -> {
                    String id = id(r.path("id"));
                    return mapped(automation.require().dryRunStored(id).map(rep -> Response.ok(report(rep))));
                }),
                new Route("POST", "/api/v1/automation/rules/{id}/run", Access.OPERATOR, r -> {
                    String id = id(r.path("id"));
                    return mapped(automation.require().runNow(id, r.caller().username())
                            .map(rep -> Response.ok(report(rep))));
                }),
                new Route("POST", "/api/v1/automation/dry-run", Access.OPERATOR, r -> {
                    String body = r.json().toString();
                    return mapped(automation.require().dryRun(body).map(rep -> Response.ok(report(rep))));
                }),
                new Route("GET", "/api/v1/automation/alarms", Access.VIEWER, r -> {
                    int limit = r.params().only("limit").integer("limit", 1, 1000, 100);
                    return Mono.just(alarms(detectors.require().recent(limit)));
                }),
                new Route("POST", "/api/v1/automation/detectors/run", Access.OPERATOR, r ->
                        detectors.require().runNow().map(AutomationResource::alarms)),
                new Route("GET", "/api/v1/automation/runs", Access.VIEWER, r -> {
                    Params p = r.params().only("rule", "from", "to", "limit");
                    TimeRange range = TimeRange.of(p, time.now(), Duration.ofDays(1), maxRange);
                    String rule = p.string("rule", 64);
                    if (rule != null) {
                        id(rule);
                    }
                    int limit = p.integer("limit", 1, maxPage, 100);
                    return mapped(automation.require().runs(rule, range.from(), range.to(), limit).collectList()
                            .map(list -> {
                                ObjectNode n = Views.object().put("from", range.from().toString())
                                        .put("to", range.to().toString());
                                ArrayNode a = n.putArray("runs");
                                list.forEach(x -> a.add(run(x)));
                                return Response.ok(n);
                            }));
                }));
    }

    private static String id(String id) {
        if (!RULE_ID.matcher(id).matches()) {
            throw ApiError.badRequest("id", "a rule id is 1-64 letters, digits, '_', '.', ':' or '-'");
        }
        return id;
    }

    /** The rules engine's refusals in the API's shape: 400 naming the fields, 404, 409. */
    private static Mono<Response> mapped(Mono<Response> answer) {
        Function<Throwable, Throwable> map = e -> {
            if (e instanceof RuleValidationException v) {
                String first = v.problems().isEmpty() ? "" : v.problems().get(0);
                int space = first.indexOf(' ');
                String field = space > 0 ? first.substring(0, space) : null;
                if (field != null && field.endsWith(":")) {
                    field = field.substring(0, field.length() - 1);
                }
                return ApiError.badRequest(field, String.join("; ", v.problems()));
            }
            if (e instanceof RuleNotFoundException) {
                return ApiError.notFound(e.getMessage());
            }
            if (e instanceof RuleExistsException) {
                return ApiError.conflict(e.getMessage());
            }
            if (e instanceof IllegalStateException) {
                return ApiError.conflict(e.getMessage());
            }
            return e;
        };
        return answer.onErrorMap(map::apply);
    }

    static Response alarms(List<AlarmEvent> list) {
        ObjectNode n = Views.object();
        ArrayNode a = n.putArray("alarms");
        for (AlarmEvent e : list) {
            ObjectNode x = a.addObject().put("id", e.id());
            Views.time(x, "time", e.time());
            x.put("source", e.source()).put("kind", e.kind()).put("severity", e.severity())
                    .put("subject", e.subject()).put("message", e.message());
            ObjectNode c = x.putObject("context");
            e.context().forEach((k, v) -> c.put(k, String.valueOf(v)));
        }
        return Response.ok(n);
    }

    static ObjectNode rule(StoredRule s) {
        ObjectNode n = Views.object();
        n.set("rule", RuleJson.tree(s.rule()));
        n.put("version", s.version());
        n.put("updated_by", s.updatedBy());
        Views.time(n, "updated_at", s.updatedAt());
        return n;
    }

    static ObjectNode run(RunRecord x) {
        ObjectNode n = Views.object();
        Views.time(n, "at", x.at());
        n.put("rule_id", x.ruleId()).put("rule_name", x.ruleName())
                .put("trigger", x.trigger().name().toLowerCase(Locale.ROOT)).put("duration_ms", x.durationMs())
                .put("matched", x.matched()).put("acted", x.acted()).put("suppressed", x.suppressed())
                .put("superseded", x.superseded());
        Views.text(n, "error", x.error().isEmpty() ? null : x.error());
        return n;
    }

    static ObjectNode report(RunReport rep) {
        ObjectNode n = Views.object();
        n.set("run", run(rep.run()));
        if (rep.window() != null) {
            n.putObject("window").put("from", rep.window().from().toString())
                    .put("to", rep.window().to().toString());
        }
        ArrayNode hits = n.putArray("hits");
        for (HitOutcome h : rep.hits()) {
            ObjectNode x = hits.addObject();
            ObjectNode key = x.putObject("key");
            h.hit().key().forEach(key::put);
            x.put("value", h.hit().value()).put("tier", h.hit().tier());
            if (h.hit().threshold() != null) {
                x.put("threshold", h.hit().threshold().value())
                        .put("outcome", String.valueOf(h.hit().threshold().outcome()).toLowerCase(Locale.ROOT));
                if (h.hit().threshold().durationMinutes() != null) {
                    x.put("duration_minutes", h.hit().threshold().durationMinutes());
                }
            }
            x.put("status", h.status().name().toLowerCase(Locale.ROOT));
            Views.text(x, "detail", h.detail());
            ArrayNode clients = x.putArray("clients");
            for (HitClient c : h.clients()) {
                ObjectNode cn = clients.addObject();
                Views.target(cn.putObject("target"), c.target());
                cn.put("value", c.value());
            }
        }
        return n;
    }
}
