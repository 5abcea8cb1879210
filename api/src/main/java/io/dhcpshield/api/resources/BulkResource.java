package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.automation.bulk.BulkJobNotFoundException;
import io.dhcpshield.automation.bulk.BulkJobRunner;
import io.dhcpshield.automation.bulk.BulkJson;
import io.dhcpshield.automation.bulk.BulkValidationException;
import io.dhcpshield.core.service.Deferred;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/bulk} (docs/bulk.md): preview the clients a set of criteria selects (count and a random sample),
 * submit a job that takes one action on them in batches (now or at a time), list jobs with their progress, cancel.
 * Viewers read; operators preview, submit and cancel (submit and cancel are audited by the runner). Every client a
 * job actions is in the action history with actor {@code bulk_job:<id>}.
 */
public final class BulkResource {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Deferred<BulkJobRunner> bulk;

    public BulkResource(Deferred<BulkJobRunner> bulk) {
        this.bulk = bulk;
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/bulk/preview", Access.OPERATOR, r -> {
                    r.params().only();
                    ObjectNode body = r.json();
                    BulkJobRunner b = bulk.require();
                    BulkJson.PreviewRequest p = parse(() -> BulkJson.previewRequest(body));
                    return mapped(b.preview(p.criteria(), p.sample()).map(x -> Response.ok(BulkJson.preview(x))));
                }),
                new Route("POST", "/api/v1/bulk/jobs", Access.OPERATOR, r -> {
                    r.params().only();
                    ObjectNode body = r.json();
                    BulkJobRunner b = bulk.require();
                    var request = parse(() -> BulkJson.jobRequest(body));
                    return mapped(b.submit(request, r.caller().username()).map(j -> Response.created(BulkJson.job(j))));
                }),
                new Route("GET", "/api/v1/bulk/jobs", Access.VIEWER, r -> {
                    Params p = r.params().only("limit");
                    int limit = p.integer("limit", 1, 1000, 100);
                    return mapped(bulk.require().jobs(limit).map(js -> Response.ok(BulkJson.jobs(js))));
                }),
                new Route("GET", "/api/v1/bulk/jobs/{id}", Access.VIEWER, r -> {
                    r.params().only();
                    String id = id(r.path("id"));
                    return mapped(bulk.require().job(id).map(j -> Response.ok(BulkJson.job(j)))
                            .switchIfEmpty(Mono.error(() -> ApiError.notFound("no bulk job " + id))));
                }),
                new Route("POST", "/api/v1/bulk/jobs/{id}/cancel", Access.OPERATOR, r -> {
                    r.params().only();
                    String id = id(r.path("id"));
                    return mapped(bulk.require().cancel(id, r.caller().username())
                            .map(j -> Response.ok(BulkJson.job(j))));
                }));
    }

    private static String id(String s) {
        if (s == null || !JOB_ID.matcher(s).matches()) {
            throw ApiError.badRequest("id", "not a bulk job id");
        }
        return s;
    }

    private static <T> T parse(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (BulkValidationException e) {
            throw invalid(e);
        }
    }

    private static ApiError invalid(BulkValidationException e) {
        Map.Entry<String, String> first = e.fields().entrySet().iterator().next();
        return ApiError.badRequest(first.getKey(), e.getMessage());
    }

    private static Mono<Response> mapped(Mono<Response> m) {
        return m.onErrorMap(BulkValidationException.class, BulkResource::invalid)
                .onErrorMap(BulkJobNotFoundException.class, e -> ApiError.notFound(e.getMessage()))
                .onErrorMap(IllegalStateException.class, e -> ApiError.conflict(e.getMessage()));
    }
}
