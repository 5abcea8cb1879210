package io.dhcpshield.api.resources;

import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.storage.Client;
import io.dhcpshield.storage.HistoryQueries;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * {@code GET /api/v1/devices/{client}}: one client by MAC or DUID: identity with its source labels, fingerprint and
 * its history, relays, bindings, enforcement in force and action history.
 */
public final class DeviceResource {

    private final Deferred<HistoryQueries> history;
    private final int maxPage;

    public DeviceResource(Deferred<HistoryQueries> history, int maxPage) {
        this.history = history;
        this.maxPage = maxPage;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/devices/{client}", Access.VIEWER, r -> {
            int limit = r.params().only("limit").integer("limit", 1, Math.min(maxPage, 1000), 50);
            Client who;
            try {
                who = Client.parse(r.path("client"));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("client", "client must be a MAC (aa:bb:cc:dd:ee:ff) or a DUID "
                        + "(colon-separated hex), was '" + r.path("client") + "'");
            }
            return history.require().device(who, limit).map(d -> Response.ok(Views.device(d)))
                    .switchIfEmpty(Mono.error(ApiError.notFound("no events or actions for " + r.path("client"))));
        }));
    }
}
