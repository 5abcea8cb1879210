package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.automation.analysis.AnalysisResult;
import io.dhcpshield.automation.analysis.AnalysisService;
import io.dhcpshield.automation.analysis.AnalysisState;
import io.dhcpshield.automation.analysis.Decision;
import io.dhcpshield.automation.analysis.EnqueueOutcome;
import io.dhcpshield.automation.analysis.PromptStore;
import io.dhcpshield.automation.analysis.ResultFilter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.Actor;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/analysis}: queue a device for analysis (operators), the results and what waits for approval
 * (viewers), approve or reject a held recommendation (operators), and the prompts (read: viewers; edit: admins).
 * The backend is optional: without it a request ends {@code skipped} and nothing else changes.
 */
public final class AnalysisResource {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    private final Deferred<AnalysisService> analysis;
    private final Time time;
    private final int maxPage;
    private final Duration maxRange;

    public AnalysisResource(Deferred<AnalysisService> analysis, Time time, int maxPage, Duration maxRange) {
        this.analysis = analysis;
        this.time = time;
        this.maxPage = maxPage;
        this.maxRange = maxRange;
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/analysis", Access.OPERATOR, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "target");
                    ActionTarget target = ActionResource.target(Json.string(b, "target", 300), "target");
                    EnqueueOutcome o = analysis.require().enqueue(target, Actor.user(r.caller().username()));
                    ObjectNode n = Views.object().put("status", o.status().label());
                    Views.text(n, "id", o.analysisId());
                    Views.text(n, "message", o.message());
                    return Mono.just(switch (o.status()) {
                        case QUEUED -> Response.json(202, n);
                        case DUPLICATE -> Response.ok(n);
                        case QUEUE_FULL -> throw new ApiError(429, "too_many_requests", o.message(), null,
                                Duration.ofSeconds(30));
                    });
                }),
                new Route("GET", "/api/v1/analysis", Access.VIEWER, r -> {
                    Params p = r.params().only("from", "to", "target", "requested_by", "state", "limit");
                    TimeRange range = TimeRange.of(p, time.now(), Duration.ofDays(7), maxRange);
                    ResultFilter f = ResultFilter.between(range.from(), range.to());
                    String target = p.string("target", 300);
                    if (target != null) {
                        f = f.target(ActionResource.target(target, "target"));
                    }
                    String by = p.string("requested_by", 128);
                    if (by != null) {
                        f = f.requestedBy(by);
                    }
                    String state = p.string("state", 16);
                    if (state != null) {
                        try {
                            f = f.state(AnalysisState.parse(state));
                        } catch (IllegalArgumentException e) {
                            throw ApiError.badRequest("state", e.getMessage());
                        }
                    }
                    int limit = p.integer("limit", 1, Math.min(maxPage, 1000), 100);
                    return analysis.require().results(f, limit).collectList().map(list -> list(list, "results"));
                }),
                new Route("GET", "/api/v1/analysis/pending", Access.VIEWER, r -> {
                    int limit = r.params().only("limit").integer("limit", 1, Math.min(maxPage, 1000), 100);
                    return analysis.require().pending(limit).collectList().map(list -> list(list, "pending"));
                }),
                new Route("GET", "/api/v1/analysis/active", Access.VIEWER, r -> {
                    r.params().only();
                    return Mono.just(list(analysis.require().active(), "active"));
                }),
                new Route("GET", "/api/v1/analysis/{id}", Access.VIEWER, r -> {
                    r.params().only();
                    String id = id(r.path("id"));
                    return analysis.require().result(id).map(x -> Response.ok(result(x)))
                            .switchIfEmpty(Mono.error(() -> ApiError.notFound("no analysis " + id)));
                }),
                new Route("POST", "/api/v1/analysis/{id}/approve", Access.OPERATOR, r -> {
                    String id = id(r.path("id"));
                    return analysis.require().approve(id, Actor.user(r.caller().username()))
                            .map(AnalysisResource::decision);
                }),
                new Route("POST", "/api/v1/analysis/{id}/reject", Access.OPERATOR, r -> {
                    String id = id(r.path("id"));
                    return analysis.require().reject(id, Actor.user(r.caller().username()))
                            .map(AnalysisResource::decision);
                }),
                new Route("GET", "/api/v1/analysis/prompts", Access.VIEWER, r -> {
                    r.params().only();
                    return analysis.require().prompts().collectList().map(list -> {
                        ObjectNode n = Views.object();
                        ArrayNode a = n.putArray("prompts");
                        list.forEach(x -> a.add(prompt(x)));
                        n.set("placeholders", Json.MAPPER.valueToTree(PromptStore.PLACEHOLDERS.stream().sorted()
                                .toList()));
                        return Response.ok(n);
                    });
                }),
                new Route("PUT", "/api/v1/analysis/prompts/{id}", Access.ADMIN, r -> {
                    String id = id(r.path("id"));
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "name", "text");
                    String name = Json.optionalString(b, "name", 200);
                    String text = Json.string(b, "text", PromptStore.MAX_PROMPT);
                    return analysis.require().updatePrompt(id, name == null ? id : name, text,
                                    Actor.user(r.caller().username()))
                            .onErrorMap(IllegalArgumentException.class, e -> ApiError.badRequest("text",
                                    e.getMessage()))
                            .map(x -> Response.ok(prompt(x)));
                }));
    }

    private static String id(String id) {
        if (!ID.matcher(id).matches()) {
            throw ApiError.badRequest("id", "an id is 1-64 letters, digits, '_', '.', ':' or '-'");
        }
        return id;
    }

    private static Response list(List<AnalysisResult> list, String field) {
        ObjectNode n = Views.object();
        ArrayNode a = n.putArray(field);
        list.forEach(x -> a.add(result(x)));
        return Response.ok(n);
    }

    static ObjectNode result(AnalysisResult x) {
        ObjectNode n = Views.object().put("id", x.id());
        Views.time(n, "requested_at", x.requestedAt());
        if (x.target() != null) {
            Views.target(n.putObject("target"), x.target());
        }
        n.put("requested_by", x.requestedBy()).put("state", x.state().label());
        Views.text(n, "recommendation", x.recommendation() == null ? null : x.recommendation().label());
        Views.text(n, "reason", x.reason());
        Views.text(n, "model", x.model());
        Views.text(n, "prompt_id", x.promptId());
        n.put("latency_ms", x.latencyMs());
        Views.text(n, "error", x.error());
        Views.time(n, "updated_at", x.updatedAt());
        return n;
    }

    private static ObjectNode prompt(PromptStore.Prompt p) {
        ObjectNode n = Views.object().put("id", p.id()).put("name", p.name()).put("text", p.text());
        Views.text(n, "updated_by", p.updatedBy());
        Views.time(n, "updated_at", p.updatedAt());
        n.put("version", p.version());
        return n;
    }

    private static Response decision(Decision d) {
        return switch (d.status()) {
            case DONE -> Response.ok(result(d.result()));
            case NOT_FOUND -> throw ApiError.notFound(d.message());
            case NOT_HELD -> throw ApiError.conflict(d.message());
            case FAILED -> throw new ApiError(503, "not_ready", d.message(), null, Duration.ofSeconds(5));
        };
    }
}
