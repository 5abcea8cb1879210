package io.dhcpshield.api.http;

import io.dhcpshield.core.metrics.Log2Histogram;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.NotReadyException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * Dispatches requests to the routes: exact matching (404 when no template matches, 405 with {@code Allow} when only
 * the method differs), authentication and role before the body is read, the body read within its size limit (413),
 * JSON content type required for bodies (415), one error shape for every failure, and per-route counters and
 * latency. Reactor Netty's own {@code route()} takes the first prefix-or-pattern match in declaration order; this
 * table cannot shadow a route.
 */
public final class Router implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    /** Routes not under this table (the WebSocket stream) get the request first when this returns non-null. */
    public interface Upgrade {
        Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res);
    }

    private final List<Route> routes;
    private final Map<String, Upgrade> upgrades;
    private final Authenticator authenticator;
    private final int maxBodyBytes;
    private final StaticFiles gui;
    private final Map<String, RouteStats> stats = new ConcurrentHashMap<>();
    private final LongAdder internalErrors = new LongAdder();
    /** Oversized bodies up to this many times the limit are read and dropped before the 413. */
    private static final int DRAIN_LIMIT_FACTOR = 16;

    private static final class RouteStats {
        final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
        final Log2Histogram nanos = new Log2Histogram();
    }

    public Router(List<Route> routes, Map<String, Upgrade> upgrades, Authenticator authenticator, int maxBodyBytes) {
        this(routes, upgrades, authenticator, maxBodyBytes, null);
    }

    /** @param gui the GUI's files for GET paths outside {@code /api} and {@code /metrics}; null for none */
    public Router(List<Route> routes, Map<String, Upgrade> upgrades, Authenticator authenticator, int maxBodyBytes,
                  StaticFiles gui) {
        this.gui = gui;
        this.routes = List.copyOf(routes);
        this.upgrades = Map.copyOf(upgrades);
        this.authenticator = authenticator;
        this.maxBodyBytes = maxBodyBytes;
        Set<String> seen = new java.util.HashSet<>();
        for (Route r : routes) {
            if (!seen.add(r.method() + " " + r.template())) {
                throw new IllegalArgumentException("route declared twice: " + r.method() + " " + r.template());
            }
        }
    }

    public List<Route> routes() {
        return routes;
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest req, HttpServerResponse res) {
        long t0 = System.nanoTime();
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.rawPath();
        Upgrade upgrade = upgrades.get(path);
        if (upgrade != null) {
            return upgrade.handle(req, res);
        }
        String method = req.method().name();
        Route route;
        Map<String, String> pathParams;
        try {
            List<String> segments = decodedSegments(path);
            Route found = null;
            Map<String, String> foundParams = null;
            Set<String> allowed = new LinkedHashSet<>();
            for (Route r : routes) {
                Map<String, String> m = r.match(segments);
                if (m != null) {
                    allowed.add(r.method());
                    if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
                        // The most literal template wins (/analysis/pending over /analysis/{id}), whatever the
                        // order the resources declared them in.
                        if (found == null || r.literals() > found.literals()) {
                            found = r;
                            foundParams = m;
                        }
                    }
                }
            }
            if (found == null) {
                if (allowed.isEmpty() && gui != null && (method.equals("GET") || method.equals("HEAD"))
                        && StaticFiles.claims(path)) {
                    return send(res, gui.serve(path), "gui", t0);
                }
                if (allowed.isEmpty()) {
                    throw ApiError.notFound("no route " + path);
                }
                res.header(HttpHeaderNames.ALLOW, String.join(", ", allowed));
                throw ApiError.methodNotAllowed(method + " is not allowed on " + path + "; allowed: "
                        + String.join(", ", allowed));
            }
            route = found;
            pathParams = foundParams;
        } catch (ApiError e) {
            // Read and drop the body first: answering and closing with it unread resets the connection, and the
            // client may never see the 404 (found by ApiRequestFuzzTest).
            Response r = error(e);
            return discardBody(req, res).then(Mono.defer(() -> Mono.from(send(res, r, "unmatched", t0))));
        }
        java.util.concurrent.atomic.AtomicBoolean bodyRead = new java.util.concurrent.atomic.AtomicBoolean();
        Mono<Response> answer = Mono.defer(() -> {
            Principal principal = authorize(route, req);
            bodyRead.set(true);
            return readBody(req, res).flatMap(body -> {
                Request r = new Request(route, method, path, pathParams, uri.parameters(), principal,
                        remote(req), body);
                return route.handler().apply(r);
            });
        }).onErrorResume(e -> {
            Response r = error(e, method, path);
            return bodyRead.get() ? Mono.just(r) : discardBody(req, res).thenReturn(r);
        });
        return answer.flatMapMany(r -> send(res, r, route.template(), t0));
    }

    private Principal authorize(Route route, HttpServerRequest req) {
        if (route.access() == Access.PUBLIC) {
            return null;
        }
        String header = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("missing Authorization: Bearer <access token>");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("Authorization must be Bearer <access token>");
        }
        Principal p = authenticator.authenticate(header.substring(7).trim());
        if (!p.role().allows(route.access().role())) {
            throw ApiError.forbidden("role " + p.role().label() + " may not " + route.method() + " "
                    + route.template() + " (needs " + route.access().role().label() + ")");
        }
        return p;
    }

    /** The body within the limit: Content-Length checked first, a chunked body counted as it arrives. */
    private Mono<byte[]> readBody(HttpServerRequest req, HttpServerResponse res) {
        String method = req.method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")) {
            return req.receive().then(Mono.just(new byte[0]));
        }
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            long announced;
            try {
                announced = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return Mono.error(ApiError.badRequest("Content-Length", "bad Content-Length"));
            }
            if (announced > maxBodyBytes) {
                // Read and drop a moderately oversized body so the client gets its 413 (closing with unread data
                // would reset the connection under the answer); a huge one is refused with the connection closed.
                if (announced > DRAIN_LIMIT_FACTOR * (long) maxBodyBytes) {
                    res.header(HttpHeaderNames.CONNECTION, "close");
                    return Mono.error(ApiError.tooLarge(maxBodyBytes));
                }
                return req.receive().then(Mono.error(ApiError.tooLarge(maxBodyBytes)));
            }
        }
        boolean hasBody = length == null ? req.isKeepAlive() || req.requestHeaders().contains(
                HttpHeaderNames.TRANSFER_ENCODING) : !length.trim().equals("0");
        if (hasBody) {
            String type = req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return req.receive().then(Mono.error(ApiError.unsupportedMediaType(
                        "request bodies are application/json, was " + type)));
            }
        }
        return req.receive().reduce(new ByteArrayOutputStream(), (out, buf) -> {
            if (out.size() + buf.readableBytes() > maxBodyBytes) {
                throw ApiError.tooLarge(maxBodyBytes);
            }
            append(out, buf);
            return out;
        }).map(ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]).flatMap(body -> {
            if (body.length > 0) {
                String type = req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
                if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                    return Mono.error(ApiError.unsupportedMediaType("request bodies are application/json, was "
                            + (type == null ? "no Content-Type" : type)));
                }
            }
            return Mono.just(body);
        });
    }

    /**
     * A request refused before its body was read (no or a bad token): the body is read and dropped, so the
     * connection stays usable for the next request; one announced larger than the limit closes the connection
     * instead.
     */
    private Mono<Void> discardBody(HttpServerRequest req, HttpServerResponse res) {
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            if (length != null && Long.parseLong(length.trim()) > maxBodyBytes) {
                res.header(HttpHeaderNames.CONNECTION, "close");
                return Mono.empty();
            }
        } catch (NumberFormatException e) {
            res.header(HttpHeaderNames.CONNECTION, "close");
            return Mono.empty();
        }
        long[] seen = {0};
        return req.receive().doOnNext(b -> seen[0] += b.readableBytes())
                .takeWhile(b -> seen[0] <= maxBodyBytes).then()
                .onErrorResume(e -> Mono.empty());
    }

    private static void append(ByteArrayOutputStream out, ByteBuf buf) {
        byte[] chunk = new byte[buf.readableBytes()];
        buf.readBytes(chunk);
        out.write(chunk, 0, chunk.length);
    }

    private Response error(Throwable e, String method, String path) {
        if (e instanceof ApiError a) {
            return error(a);
        }
        if (e instanceof NotReadyException n) {
            return error(ApiError.notReady(n.component(), n.reason()));
        }
        java.util.Optional<String> down = io.dhcpshield.storage.Unreachable.reason(e);
        if (down.isPresent()) {
            // A dependency's outage, not our error: 503 naming it, as for one that has not arrived yet.
            return error(ApiError.notReady("ClickHouse", down.get()));
        }
        if (e instanceof IllegalArgumentException) {
            // Validation below the API (storage limits, action targets): the caller's mistake, worded by the module.
            return error(ApiError.badRequest(null, e.getMessage()));
        }
        internalErrors.increment();
        String id = Long.toHexString(System.nanoTime());
        log.error("{} {} failed (error id {})", method, path, id, e);
        return error(new ApiError(500, "internal_error", "internal error (id " + id + "); see the daemon's log",
                null, null));
    }

    public static Response error(ApiError e) {
        Map<String, String> headers = e.retryAfter() == null ? Map.of()
                : Map.of("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        if (e.status() == 401) {
            headers = Map.of("WWW-Authenticate", "Bearer realm=\"dhcp-shield\"");
        }
        return new Response(e.status(), Json.error(e), "application/json", headers);
    }

    private Publisher<Void> send(HttpServerResponse res, Response r, String routeName, long t0) {
        res.status(HttpResponseStatus.valueOf(r.status()));
        res.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.header("X-Content-Type-Options", "nosniff");
        if (r.contentType() != null) {
            res.header(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        r.headers().forEach(res::header);
        RouteStats s = stats.computeIfAbsent(routeName, k -> new RouteStats());
        s.byStatus.computeIfAbsent(Integer.toString(r.status()), k -> new LongAdder()).increment();
        s.nanos.record(System.nanoTime() - t0);
        if (r.stream() != null) {
            return res.sendByteArray(r.stream());
        }
        if (r.body().length == 0) {
            return res.send();
        }
        return res.sendByteArray(Mono.just(r.body()));
    }

    /** Path segments, each percent-decoded on its own (an encoded slash stays inside its segment). */
    private static List<String> decodedSegments(String raw) {
        List<String> parts = new ArrayList<>();
        for (String seg : Route.split(raw)) {
            try {
                parts.add(QueryStringDecoder.decodeComponent(seg));
            } catch (IllegalArgumentException e) {
                // Found by ApiRequestFuzzTest: an uncaught decode error closed the connection without an answer.
                throw ApiError.badRequest(null, "the path is not valid percent-encoding: " + e.getMessage());
            }
        }
        return parts;
    }

    private static InetSocketAddress remote(HttpServerRequest req) {
        return req.remoteAddress();
    }

    /** Requests by route, method-agnostic template, and status; latency by route. */
    public void metrics(MetricWriter out) {
        stats.forEach((route, s) -> {
            s.byStatus.forEach((status, n) -> out.counter("http_requests", "API requests by route and status",
                    n.sum(), "route", route, "status", status));
            out.histogram("http_request_seconds", "API request latency by route", s.nanos.snapshot(), 1e-9,
                    "route", route);
        });
        out.counter("http_internal_errors", "requests that failed inside the API (500)", internalErrors.sum());
    }
}
