package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.Client;
import io.dhcpshield.storage.Cursor;
import io.dhcpshield.storage.EventQuery;
import io.dhcpshield.storage.HistoryQueries;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/events}: stored events by any combination of MAC, DUID, IP, relay, circuit, remote id, message
 * type, family, direction, errors, site and hostname over a time range, newest first, with keyset paging
 * ({@code next} in one page is {@code cursor} for the following one).
 */
public final class EventResource {

    static final String[] PARAMS = {"from", "to", "mac", "duid", "ip", "relay_ip", "circuit_id", "remote_id",
        "msg_type", "inner_type", "family", "direction", "errors", "site", "hostname", "limit", "cursor"};

    private final Deferred<HistoryQueries> history;
    private final Time time;
    private final int maxPage;
    private final Duration maxRange;

    public EventResource(Deferred<HistoryQueries> history, Time time, int maxPage, Duration maxRange) {
        this.history = history;
        this.time = time;
        this.maxPage = maxPage;
        this.maxRange = maxRange;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/events", Access.VIEWER, r -> {
            Params p = r.params().only(PARAMS);
            TimeRange range = TimeRange.of(p, time.now(), Duration.ofHours(1), maxRange);
            EventQuery q = EventQuery.between(range.from(), range.to());
            if (p.mac("mac") != null) {
                q = q.mac(p.mac("mac"));
            }
            String duid = p.string("duid", 300);
            if (duid != null) {
                q = q.duid(duid(duid));
            }
            q = q.ip(p.ip("ip")).relayIp(p.ip("relay_ip")).circuitId(p.string("circuit_id", 256))
                    .remoteId(p.string("remote_id", 256)).siteId(p.string("site", 128))
                    .hostname(p.string("hostname", 256)).errorsOnly(p.bool("errors"));
            String type = p.string("msg_type", 32);
            if (type != null) {
                q = q.messageType(type.toUpperCase(Locale.ROOT));
            }
            int inner = p.integer("inner_type", 0, 255, -1);
            if (inner >= 0) {
                q = q.innerType(inner);
            }
            String family = p.oneOf("family", "4", "6");
            if (family != null) {
                q = q.family(Integer.parseInt(family));
            }
            String dir = p.oneOf("direction", "client_to_server", "server_to_client", "other");
            if (dir != null) {
                q = q.direction(Direction.valueOf(dir.toUpperCase(Locale.ROOT)));
            }
            int limit = p.integer("limit", 1, maxPage, 100);
            Cursor after = cursor(p);
            return history.require().events(q, after, limit).map(page -> {
                ObjectNode n = Views.object();
                ArrayNode a = n.putArray("events");
                page.events().forEach(e -> a.add(Views.event(e)));
                Views.next(n, page.next());
                n.put("from", range.from().toString()).put("to", range.to().toString());
                return Response.ok(n);
            });
        }));
    }

    static Cursor cursor(Params p) {
        String c = p.string("cursor", 200);
        if (c == null) {
            return null;
        }
        try {
            return Cursor.parse(c);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("cursor", "cursor is not one this API issued");
        }
    }

    static io.dhcpshield.core.dhcp6.Duid duid(String text) {
        try {
            return Client.duid(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("duid", "duid is not a DUID (colon-separated hex): '" + text + "'");
        }
    }
}
