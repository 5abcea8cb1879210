package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.Client;
import io.dhcpshield.storage.HistoryQueries;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/bindings}: "who had IP X at time T" ({@code ip} + {@code at}), a DHCPv6 delegated prefix at a
 * time ({@code prefix} + {@code at}), every binding of an address over a range ({@code ip} + {@code from}/{@code to}),
 * or every binding of a client ({@code client} = MAC or DUID + range).
 */
public final class BindingResource {

    private final Deferred<HistoryQueries> history;
    private final Time time;
    private final int maxPage;
    private final Duration maxRange;

    public BindingResource(Deferred<HistoryQueries> history, Time time, int maxPage, Duration maxRange) {
        this.history = history;
        this.time = time;
        this.maxPage = maxPage;
        this.maxRange = maxRange;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/bindings", Access.VIEWER, r -> {
            Params p = r.params().only("ip", "prefix", "client", "at", "from", "to", "limit");
            IpAddress ip = p.ip("ip");
            String prefix = p.string("prefix", 64);
            String client = p.string("client", 300);
            int given = (ip != null ? 1 : 0) + (prefix != null ? 1 : 0) + (client != null ? 1 : 0);
            if (given != 1) {
                throw ApiError.badRequest(given == 0 ? "ip" : "client", "give exactly one of ip, prefix, client");
            }
            Instant at = p.instant("at");
            HistoryQueries h = history.require();
            Flux<HistoryQueries.Binding> found;
            if (at != null) {
                if (client != null) {
                    throw ApiError.badRequest("at", "at goes with ip or prefix; a client takes from/to");
                }
                Mono<HistoryQueries.Binding> one = ip != null
                        ? h.bindingAt(ip, at).switchIfEmpty(Mono.defer(() -> ip.toBytes().length == 16
                                ? h.delegatedPrefixContaining(ip, at) : Mono.empty()))
                        : h.delegatedPrefixAt(prefix(prefix), at);
                found = one.flux();
            } else {
                if (prefix != null) {
                    throw ApiError.badRequest("at", "a prefix is looked up at a time: give at");
                }
                TimeRange range = TimeRange.of(p, time.now(), Duration.ofDays(1), maxRange);
                int limit = p.integer("limit", 1, maxPage, 100);
                found = ip != null ? h.bindings(ip, range.from(), range.to(), limit)
                        : h.bindings(parseClient(client), range.from(), range.to(), limit);
            }
            return found.collectList().map(list -> {
                ObjectNode n = Views.object();
                ArrayNode a = n.putArray("bindings");
                list.forEach(b -> a.add(Views.binding(b)));
                return Response.ok(n);
            });
        }));
    }

    private static String prefix(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw ApiError.badRequest("prefix", "prefix is address/length, e.g. 2001:db8:1::/56");
        }
        IpAddress base = Params.ip("prefix", text.substring(0, slash));
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("prefix", "prefix length is not a number");
        }
        if (len < 1 || len > 128 || base.toBytes().length != 16) {
            throw ApiError.badRequest("prefix", "a delegated prefix is IPv6 with a length 1..128");
        }
        return base + "/" + len;
    }

    private static Client parseClient(String text) {
        try {
            return Client.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("client", "client must be a MAC or a DUID, was '" + text + "'");
        }
    }
}
