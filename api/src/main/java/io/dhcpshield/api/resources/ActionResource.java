package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionOutcome;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.storage.ActionFilter;
import io.dhcpshield.storage.ActionHistory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/actions}: take an action on clients (by MAC, 24-bit mark or DUID) through the Action Manager, undo
 * one, list what is in force, and the history filtered by actor, target, action and time. Every change is audited
 * with the caller as actor; the Action Manager records the action itself in {@code actions_log}.
 */
public final class ActionResource {

    /** Most targets one request may carry (Bulk Actions batch larger sets). */
    public static final int MAX_TARGETS = 1000;
    private static final Duration MAX_DURATION = Duration.ofDays(365);

    private final Deferred<ActionManager> actions;
    private final Deferred<ActionHistory> history;
    private final Accounts accounts;
    private final Time time;
    private final int maxPage;
    private final Duration maxRange;

    public ActionResource(Deferred<ActionManager> actions, Deferred<ActionHistory> history, Accounts accounts,
                          Time time, int maxPage, Duration maxRange) {
        this.actions = actions;
        this.history = history;
        this.accounts = accounts;
        this.time = time;
        this.maxPage = maxPage;
        this.maxRange = maxRange;
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/actions", Access.OPERATOR, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "action", "targets", "duration_secs", "reason");
                    ActionType type = type(Json.string(b, "action", 16), "action");
                    List<ActionTarget> targets = targets(b.get("targets"));
                    Duration duration = duration(b.get("duration_secs"), type);
                    String reason = Json.optionalString(b, "reason", 500);
                    ActionManager m = actions.require();
                    String actor = r.caller().username();
                    return Mono.fromCallable(() -> m.apply(type, targets, Actor.user(actor),
                                    reason == null ? "" : reason, duration))
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMap(outcome -> audited(actor, "action.apply", type.label(), outcome)
                                    .thenReturn(outcome))
                            .map(outcome -> answer(outcome, 201));
                }),
                new Route("POST", "/api/v1/actions/{id}/undo", Access.OPERATOR, r -> {
                    UUID id = uuid(r.path("id"));
                    ActionManager m = actions.require();
                    String actor = r.caller().username();
                    return Mono.fromCallable(() -> m.undo(id, Actor.user(actor)))
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMap(outcome -> {
                                if (!outcome.ok() && outcome.records().isEmpty()) {
                                    return Mono.error(ApiError.notFound(outcome.error()));
                                }
                                if (!outcome.ok() && outcome.error().startsWith("action ")) {
                                    return Mono.error(ApiError.conflict(outcome.error()));
                                }
                                return audited(actor, "action.undo", id.toString(), outcome).thenReturn(outcome);
                            })
                            .map(outcome -> answer(outcome, 200));
                }),
                new Route("GET", "/api/v1/actions/active", Access.VIEWER, r -> {
                    r.params().only();
                    ObjectNode n = Views.object();
                    n.set("actions", Views.actions(actions.require().inForce()));
                    return Mono.just(Response.ok(n));
                }),
                new Route("GET", "/api/v1/actions", Access.VIEWER, r -> {
                    Params p = r.params().only("from", "to", "actor", "target", "action", "limit", "cursor");
                    TimeRange range = TimeRange.of(p, time.now(), Duration.ofDays(7), maxRange);
                    ActionFilter f = ActionFilter.between(range.from(), range.to());
                    String actor = p.string("actor", 128);
                    if (actor != null) {
                        // As the API shows it ("user:alice", "automation_rule:burst"), or the bare name.
                        f = f.actor(actor.matches("(user|automation_rule|analysis|system|bulk_job):.+")
                                ? actor.substring(actor.indexOf(':') + 1) : actor);
                    }
                    String target = p.string("target", 300);
                    if (target != null) {
                        f = f.target(target(target, "target"));
                    }
                    String action = p.string("action", 16);
                    if (action != null) {
                        f = f.type(type(action, "action"));
                    }
                    int limit = p.integer("limit", 1, maxPage, 100);
                    return history.require().query(f, EventResource.cursor(p), limit).map(page -> {
                        ObjectNode n = Views.object();
                        n.set("actions", Views.actions(page.actions()));
                        Views.next(n, page.next());
                        return Response.ok(n);
                    });
                }));
    }

    private Mono<Void> audited(String actor, String what, String target, ActionOutcome outcome) {
        StringBuilder ids = new StringBuilder("{\"ok\":").append(outcome.ok()).append(",\"records\":[");
        for (int i = 0; i < outcome.records().size(); i++) {
            ActionRecord rec = outcome.records().get(i);
            ids.append(i == 0 ? "" : ",").append("{\"id\":\"").append(rec.id()).append("\",\"target\":")
                    .append(Json.MAPPER.valueToTree(rec.target().value()).toString()).append('}');
        }
        ids.append("]}");
        return accounts.audit(actor, actor, what, target, ids.toString());
    }

    private static Response answer(ActionOutcome outcome, int okStatus) {
        ObjectNode n = Views.object();
        n.put("ok", outcome.ok());
        if (!outcome.error().isEmpty()) {
            n.put("error", outcome.error());
        }
        n.set("records", Views.actions(outcome.records()));
        if (!outcome.ok()) {
            // The kernel refused the transaction: nothing changed; not the caller's mistake.
            ObjectNode err = Views.object();
            err.putObject("error").put("code", "kernel_error").put("message", outcome.error()).putNull("field");
            err.set("records", n.get("records"));
            return Response.json(500, err);
        }
        return Response.json(okStatus, n);
    }

    static ActionType type(String s, String field) {
        try {
            return ActionType.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field, field + " must be block, deny, throttle, monitor, allow, cleanup or "
                    + "analyze, was '" + s + "'");
        }
    }

    private static List<ActionTarget> targets(JsonNode n) {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw ApiError.badRequest("targets", "targets is a non-empty list of MACs, client marks (0x...) or DUIDs");
        }
        if (n.size() > MAX_TARGETS) {
            throw ApiError.badRequest("targets", "at most " + MAX_TARGETS + " targets per request");
        }
        List<ActionTarget> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            if (!t.isTextual() || t.asText().length() > 300) {
                throw ApiError.badRequest("targets[" + i + "]", "a target is a string");
            }
            out.add(target(t.asText(), "targets[" + i + "]"));
        }
        return out;
    }

    static ActionTarget target(String text, String field) {
        try {
            return ActionTarget.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field, e.getMessage());
        }
    }

    private static Duration duration(JsonNode n, ActionType type) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw ApiError.badRequest("duration_secs", "duration_secs is a whole number of seconds");
        }
        if (!type.writesSet() || type == ActionType.DENY) {
            throw ApiError.badRequest("duration_secs", type.label() + " takes no duration");
        }
        long s = n.asLong();
        if (s < 1 || s > MAX_DURATION.toSeconds()) {
            throw ApiError.badRequest("duration_secs", "duration_secs must be 1.." + MAX_DURATION.toSeconds());
        }
        return Duration.ofSeconds(s);
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("id", "id is an action id (UUID), was '" + s + "'");
        }
    }
}
