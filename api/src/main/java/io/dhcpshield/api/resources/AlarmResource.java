package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.alarms.Alarm;
import io.dhcpshield.alarms.AlarmHistory;
import io.dhcpshield.alarms.AlarmJson;
import io.dhcpshield.alarms.AlarmService;
import io.dhcpshield.alarms.AlarmState;
import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.NotificationSink;
import io.dhcpshield.alarms.Party;
import io.dhcpshield.alarms.Severity;
import io.dhcpshield.alarms.notify.Route;
import io.dhcpshield.alarms.notify.RouteJson;
import io.dhcpshield.alarms.notify.RouteStore;
import io.dhcpshield.alarms.rules.Thresholds;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Request;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/alarms} and {@code /api/v1/notifications} (docs/alarms.md): open alarms from the engine, history
 * from ClickHouse, acknowledge and clear (operators), the notification routes (list for viewers, changes for
 * operators, each audited) and the sinks' state, with a test notification per sink.
 */
public final class AlarmResource {

    private static final Pattern ALARM_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ROUTE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Deferred<AlarmService> alarms;
    private final Time time;
    private final int maxPage;
    private final Duration maxRange;

    public AlarmResource(Deferred<AlarmService> alarms, Time time, int maxPage, Duration maxRange) {
        this.alarms = alarms;
        this.time = time;
        this.maxPage = maxPage;
        this.maxRange = maxRange;
    }

    public List<io.dhcpshield.api.http.Route> routes() {
        return List.of(
                new io.dhcpshield.api.http.Route("GET", "/api/v1/alarms", Access.VIEWER, this::list),
                new io.dhcpshield.api.http.Route("GET", "/api/v1/alarms/summary", Access.VIEWER, r -> {
                    r.params().only();
                    return Mono.just(Response.ok(summary(alarms.require().engine().openAlarms())));
                }),
                new io.dhcpshield.api.http.Route("GET", "/api/v1/alarms/{id}", Access.VIEWER, this::one),
                new io.dhcpshield.api.http.Route("POST", "/api/v1/alarms/{id}/acknowledge", Access.OPERATOR,
                        r -> change(r, true)),
                new io.dhcpshield.api.http.Route("POST", "/api/v1/alarms/{id}/clear", Access.OPERATOR,
                        r -> change(r, false)),
                new io.dhcpshield.api.http.Route("GET", "/api/v1/notifications", Access.VIEWER, r -> {
                    r.params().only();
                    return Mono.just(Response.ok(notifications(alarms.require())));
                }),
                new io.dhcpshield.api.http.Route("POST", "/api/v1/notifications/routes", Access.OPERATOR, r -> {
                    ObjectNode body = r.json();
                    AlarmService s = alarms.require();
                    return mapped(Mono.defer(() -> store(s).create(body, r.caller().username()))
                            .flatMap(route -> s.reloadRoutes().thenReturn(Response.created(RouteJson.toJson(route)))));
                }),
                new io.dhcpshield.api.http.Route("PUT", "/api/v1/notifications/routes/{id}", Access.OPERATOR, r -> {
                    String id = routeId(r.path("id"));
                    ObjectNode body = r.json();
                    AlarmService s = alarms.require();
                    return mapped(Mono.defer(() -> store(s).update(id, body, r.caller().username()))
                            .flatMap(route -> s.reloadRoutes().thenReturn(Response.ok(RouteJson.toJson(route)))));
                }),
                new io.dhcpshield.api.http.Route("DELETE", "/api/v1/notifications/routes/{id}", Access.OPERATOR, r -> {
                    String id = routeId(r.path("id"));
                    AlarmService s = alarms.require();
                    return mapped(store(s).delete(id, r.caller().username())
                            .then(s.reloadRoutes()).thenReturn(Response.noContent()));
                }),
                new io.dhcpshield.api.http.Route("POST", "/api/v1/notifications/test", Access.OPERATOR, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "sink");
                    String sink = Json.string(b, "sink", 64);
                    AlarmService s = alarms.require();
                    if (!s.dispatcher().sinks().containsKey(sink)) {
                        throw ApiError.badRequest("sink", "no sink '" + sink + "' (configured: "
                                + s.dispatcher().sinks().keySet() + ")");
                    }
                    Instant now = time.now();
                    Alarm test = new Alarm(java.util.UUID.randomUUID().toString(), "test/" + sink, Channel.SYSTEM,
                            "health", "test", Severity.INFO, AlarmState.RAISED, "Test notification",
                            "a test notification sent by " + r.caller().username() + " from the notification settings",
                            now, now, 1, null, "", null, "", List.of(), Map.of());
                    boolean taken = s.dispatcher().test(sink, test);
                    ObjectNode n = Views.object().put("sink", sink).put("accepted", taken);
                    return Mono.just(Response.ok(n));
                }));
    }

    // ---------------------------------------------------------------- alarms

    private Mono<Response> list(Request r) {
        Params p = r.params().only("state", "severity", "channel", "category", "kind", "q", "from", "to", "limit");
        String state = p.oneOf("state", "open", "raised", "acknowledged", "cleared", "all");
        String sev = p.oneOf("severity", "info", "warning", "critical");
        String channel = p.oneOf("channel", "dhcp", "detector", "automation", "system");
        String category = p.string("category", 32);
        String kind = p.string("kind", 64);
        String q = p.string("q", 200);
        Instant from = p.instant("from");
        Instant to = p.instant("to");
        int limit = p.integer("limit", 1, maxPage, 100);
        String st = state == null ? "open" : state;
        Severity min = sev == null ? Severity.INFO : Severity.of(sev);
        Predicate<Alarm> keep = a -> a.severity().compareTo(min) >= 0
                && (channel == null || a.channel().label().equals(channel))
                && (category == null || a.category().equals(category))
                && (kind == null || a.kind().equals(kind))
                && (q == null || matches(a, q.toLowerCase(Locale.ROOT)))
                && (from == null || !a.raisedAt().isBefore(from))
                && (to == null || a.raisedAt().isBefore(to))
                && switch (st) {
                    case "open" -> a.open();
                    case "raised" -> a.state() == AlarmState.RAISED;
                    case "acknowledged" -> a.state() == AlarmState.ACKNOWLEDGED;
                    case "cleared" -> a.state() == AlarmState.CLEARED;
                    default -> true;
                };
        AlarmService s = alarms.require();
        List<Alarm> open = s.engine().openAlarms();
        Mono<List<Alarm>> found;
        if (st.equals("open") || st.equals("raised") || st.equals("acknowledged")) {
            found = Mono.just(open);
        } else {
            Instant t = to != null ? to : time.now().plusSeconds(1);
            Instant f = from != null ? from : t.minus(Duration.ofDays(7));
            if (Duration.between(f, t).compareTo(maxRange) > 0) {
                throw ApiError.badRequest("from", "the time range is at most " + maxRange.toDays() + " days");
            }
            Flux<Alarm> stored = s.history().latest(f, t, Math.min(10_000, limit * 10)).map(AlarmHistory.Stored::alarm)
                    .onErrorResume(e -> Flux.fromIterable(s.engine().recentlyCleared()));
            found = stored.collectList().map(h -> {
                Map<String, Alarm> byId = new LinkedHashMap<>();
                h.forEach(a -> byId.put(a.id(), a));
                s.engine().recentlyCleared().forEach(a -> byId.putIfAbsent(a.id(), a));
                open.forEach(a -> byId.put(a.id(), a));
                return new ArrayList<>(byId.values());
            });
        }
        return found.map(all -> {
            List<Alarm> out = all.stream().filter(keep).sorted(Comparator.comparing(Alarm::raisedAt).reversed())
                    .limit(limit).toList();
            ObjectNode n = Views.object();
            ArrayNode a = n.putArray("alarms");
            out.forEach(x -> a.add(AlarmJson.alarm(x)));
            ObjectNode counts = n.putObject("open");
            counts.put("raised", open.stream().filter(x -> x.state() == AlarmState.RAISED).count());
            counts.put("acknowledged", open.stream().filter(x -> x.state() == AlarmState.ACKNOWLEDGED).count());
            return Response.ok(n);
        });
    }

    private Mono<Response> one(Request r) {
        r.params().only();
        String id = alarmId(r.path("id"));
        AlarmService s = alarms.require();
        Mono<Alarm> alarm = Mono.justOrEmpty(s.engine().get(id))
                .switchIfEmpty(s.history().byId(id).map(AlarmHistory.Stored::alarm)
                        .onErrorResume(io.dhcpshield.core.service.NotReadyException.class, e -> Mono.empty()))
                .switchIfEmpty(Mono.error(() -> ApiError.notFound("no alarm " + id)));
        return alarm.flatMap(a -> s.history().transitions(id).collectList()
                .onErrorResume(e -> Mono.just(List.of()))
                .map(ts -> {
                    ObjectNode n = AlarmJson.alarm(a);
                    ArrayNode h = n.putArray("history");
                    for (AlarmHistory.Transition t : ts) {
                        ObjectNode o = h.addObject();
                        o.put("time", t.time().toString());
                        o.put("state", t.state());
                        o.put("actor", t.actor());
                        o.put("severity", t.severity());
                        o.put("message", t.message());
                        if (!t.note().isEmpty()) {
                            o.put("note", t.note());
                        }
                    }
                    return Response.ok(n);
                }));
    }

    private Mono<Response> change(Request r, boolean acknowledge) {
        String id = alarmId(r.path("id"));
        String note = "";
        if (r.body() != null && r.body().length > 0) {
            ObjectNode b = r.json();
            Json.onlyFields(b, "note");
            String n = Json.optionalString(b, "note", 1000);
            note = n == null ? "" : n;
        }
        AlarmService s = alarms.require();
        String user = r.caller().username();
        try {
            var done = acknowledge ? s.engine().acknowledge(id, user, note) : s.engine().clear(id, user, note);
            Alarm a = done.orElseThrow(() -> ApiError.notFound("no open alarm " + id));
            return s.history().flush().onErrorResume(e -> Mono.empty())
                    .thenReturn(Response.ok(AlarmJson.alarm(a)));
        } catch (IllegalStateException e) {
            throw ApiError.conflict(e.getMessage());
        }
    }

    static ObjectNode summary(List<Alarm> open) {
        ObjectNode n = Views.object();
        n.put("raised", open.stream().filter(x -> x.state() == AlarmState.RAISED).count());
        n.put("acknowledged", open.stream().filter(x -> x.state() == AlarmState.ACKNOWLEDGED).count());
        ObjectNode by = n.putObject("by_severity");
        for (Severity s : new Severity[] {Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            by.put(s.label(), open.stream().filter(x -> x.severity() == s).count());
        }
        ArrayNode latest = n.putArray("latest");
        open.stream().limit(10).forEach(a -> latest.add(AlarmJson.alarm(a)));
        return n;
    }

    private static boolean matches(Alarm a, String q) {
        if (a.sourceKey().toLowerCase(Locale.ROOT).contains(q) || a.title().toLowerCase(Locale.ROOT).contains(q)) {
            return true;
        }
        for (Party p : a.context()) {
            if (p.id().toLowerCase(Locale.ROOT).contains(q) || p.mac().toLowerCase(Locale.ROOT).contains(q)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- notifications

    private ObjectNode notifications(AlarmService s) {
        ObjectNode n = Views.object();
        ArrayNode routes = n.putArray("routes");
        for (Route route : s.routes()) {
            routes.add(RouteJson.toJson(route));
        }
        n.put("routes_from", s.routeStore().isReady() ? "clickhouse" : "seed");
        ArrayNode sinks = n.putArray("sinks");
        for (Entry<String, NotificationSink> e : s.dispatcher().sinks().entrySet()) {
            ObjectNode st = e.getValue().status();
            ObjectNode c = st.with("counters");
            c.put("routed", s.dispatcher().routed(e.getKey()));
            for (String reason : List.of("duplicate", "rate_limited", "not_raised_here")) {
                c.put("suppressed_" + reason, s.dispatcher().suppressed(e.getKey(), reason));
            }
            sinks.add(st);
        }
        Thresholds th = s.thresholds();
        n.putObject("limits").put("per_route_per_minute", th.notifyPerMinute())
                .put("dedupe_seconds", th.dedupe().toSeconds());
        return n;
    }

    private static RouteStore store(AlarmService s) {
        return s.routeStore().require();
    }

    private static Mono<Response> mapped(Mono<Response> m) {
        return m.onErrorMap(RouteJson.InvalidRoute.class, e -> ApiError.badRequest(e.field(), e.getMessage()))
                .onErrorMap(RouteStore.RouteNotFound.class, e -> ApiError.notFound(e.getMessage()));
    }

    private static String alarmId(String id) {
        if (!ALARM_ID.matcher(id).matches()) {
            throw ApiError.notFound("no alarm " + id.substring(0, Math.min(id.length(), 64)));
        }
        return id;
    }

    private static String routeId(String id) {
        if (!ROUTE_ID.matcher(id).matches()) {
            throw ApiError.notFound("no notification route " + id.substring(0, Math.min(id.length(), 64)));
        }
        return id;
    }
}
