package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Request;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.capture.CaptureJson;
import io.dhcpshield.capture.CaptureManager;
import io.dhcpshield.capture.CaptureRequest;
import io.dhcpshield.capture.CaptureRequestException;
import io.dhcpshield.capture.CaptureSession;
import io.dhcpshield.core.service.Deferred;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/captures} (docs/capture.md): start, list, stop, delete and download on-demand packet captures.
 * Viewers list; operators start, stop, delete and download (a capture holds whole packets: client identities, host
 * names). A download is streamed from the file in chunks; its name is the capture's id, never the operator's label.
 */
public final class CaptureResource {

    private static final int CHUNK = 64 * 1024;

    private final Deferred<CaptureManager> captures;
    private final Accounts accounts;

    public CaptureResource(Deferred<CaptureManager> captures, Accounts accounts) {
        this.captures = captures;
        this.accounts = accounts;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/captures", Access.VIEWER, r -> {
                    r.params().only();
                    CaptureManager m = captures.require();
                    return Mono.just(Response.ok(CaptureJson.list(m.list(), m.counters(), m.storage())));
                }),
                new Route("POST", "/api/v1/captures", Access.OPERATOR, r -> {
                    r.params().only();
                    ObjectNode body = r.json();
                    CaptureManager m = captures.require();
                    String actor = r.caller().username();
                    CaptureSession s;
                    try {
                        s = m.startCapture(CaptureRequest.of(body, m.config()), actor);
                    } catch (CaptureRequestException e) {
                        throw ApiError.badRequest(e.field(), e.getMessage());
                    } catch (IllegalStateException e) {
                        throw ApiError.conflict(e.getMessage());
                    } catch (UncheckedIOException e) {
                        throw new ApiError(503, "not_ready", "capture files cannot be written: " + e.getMessage(),
                                null, null);
                    }
                    ObjectNode n = CaptureJson.session(s);
                    return accounts.audit(actor, actor, "capture.start", s.id(), n.toString())
                            .thenReturn(Response.created(n));
                }),
                new Route("GET", "/api/v1/captures/{id}", Access.VIEWER, r -> {
                    r.params().only();
                    return Mono.just(Response.ok(CaptureJson.session(found(r, captures.require().get(id(r))))));
                }),
                new Route("POST", "/api/v1/captures/{id}/stop", Access.OPERATOR, r -> {
                    r.params().only();
                    String id = id(r);
                    CaptureSession s = found(r, captures.require().stopCapture(id));
                    String actor = r.caller().username();
                    return accounts.audit(actor, actor, "capture.stop", id, "{}")
                            .thenReturn(Response.ok(CaptureJson.session(s)));
                }),
                new Route("DELETE", "/api/v1/captures/{id}", Access.OPERATOR, r -> {
                    r.params().only();
                    String id = id(r);
                    if (!captures.require().delete(id)) {
                        throw ApiError.notFound("no capture " + id);
                    }
                    String actor = r.caller().username();
                    return accounts.audit(actor, actor, "capture.delete", id, "{}").thenReturn(Response.noContent());
                }),
                new Route("GET", "/api/v1/captures/{id}/download", Access.OPERATOR, r -> {
                    r.params().only();
                    String id = id(r);
                    CaptureManager.Download d = found(r, captures.require().open(id));
                    Flux<byte[]> chunks = Flux.using(() -> d, CaptureResource::chunks, CaptureResource::close)
                            .subscribeOn(Schedulers.boundedElastic());
                    String actor = r.caller().username();
                    return accounts.audit(actor, actor, "capture.download", id, "{\"bytes\":" + d.length() + "}")
                            .thenReturn(Response.streamed("application/x-pcapng", Map.of(
                                    "Content-Disposition", "attachment; filename=\"" + d.session().fileName() + "\"",
                                    "Content-Length", Long.toString(d.length())), chunks));
                }));
    }

    private static Flux<byte[]> chunks(CaptureManager.Download d) {
        return Flux.generate(sink -> {
            try {
                byte[] buf = new byte[CHUNK];
                int n = d.stream().readNBytes(buf, 0, CHUNK);
                if (n <= 0) {
                    sink.complete();
                } else {
                    sink.next(n == CHUNK ? buf : Arrays.copyOf(buf, n));
                }
            } catch (IOException e) {
                sink.error(e);
            }
        });
    }

    private static void close(CaptureManager.Download d) {
        try {
            d.close();
        } catch (IOException e) {
            // the file is read-only here; nothing to lose
        }
    }

    /** The id from the path; the manager refuses anything that is not one of its ids before touching a path. */
    private static String id(Request r) {
        String id = r.path("id");
        if (!CaptureManager.isId(id)) {
            throw ApiError.badRequest("id", "not a capture id");
        }
        return id;
    }

    private static <T> T found(Request r, java.util.Optional<T> o) {
        return o.orElseThrow(() -> ApiError.notFound("no capture " + r.path("id")));
    }
}
