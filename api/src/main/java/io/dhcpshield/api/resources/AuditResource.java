package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.AuditFilter;

import java.time.Duration;
import java.util.List;

/** {@code GET /api/v1/audit}: every user, session, config and action change, by actor, action and target. */
public final class AuditResource {

    private final Accounts accounts;
    private final Time time;
    private final int maxPage;

    public AuditResource(Accounts accounts, Time time, int maxPage) {
        this.accounts = accounts;
        this.time = time;
        this.maxPage = maxPage;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/audit", Access.ADMIN, r -> {
            Params p = r.params().only("actor", "action", "target", "from", "to", "limit", "cursor");
            TimeRange range = TimeRange.of(p, time.now(), Duration.ofDays(7), Duration.ofDays(3650));
            AuditFilter f = AuditFilter.between(range.from(), range.to());
            String actor = p.string("actor", 128);
            if (actor != null) {
                f = f.actor(actor);
            }
            String action = p.string("action", 64);
            if (action != null) {
                f = action.endsWith(".") ? f.actionPrefix(action) : f.action(action);
            }
            String target = p.string("target", 300);
            if (target != null) {
                f = f.target(target);
            }
            int limit = p.integer("limit", 1, maxPage, 100);
            return accounts.auditLog().query(f, EventResource.cursor(p), limit).map(page -> {
                ObjectNode n = Views.object();
                ArrayNode a = n.putArray("entries");
                page.entries().forEach(e -> a.add(Views.audit(e)));
                Views.next(n, page.next());
                return Response.ok(n);
            });
        }));
    }
}
