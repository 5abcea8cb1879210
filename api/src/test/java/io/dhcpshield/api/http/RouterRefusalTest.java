package io.dhcpshield.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests the router refuses before any route runs still get their answer in the one error shape. */
class RouterRefusalTest {

    private static DisposableServer server;

    @BeforeAll
    static void start() {
        Route byId = new Route("GET", "/api/v1/things/{id}", Access.PUBLIC, r -> reactor.core.publisher.Mono.just(
                Response.text(200, "id " + r.path("id"), "text/plain")));
        Route pending = new Route("GET", "/api/v1/things/pending", Access.PUBLIC, r -> reactor.core.publisher.Mono.just(
                Response.text(200, "pending", "text/plain")));
        Router router = new Router(List.of(byId, pending), Map.of(), token -> {
            throw ApiError.unauthorized("no tokens in this test");
        }, 1024);
        server = HttpServer.create().host("127.0.0.1").port(0).handle(router).bindNow(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    /** Found by ApiRequestFuzzTest: the 404 was sent with the body unread, and the close reset the connection. */
    @Test
    void anUnmatchedRequestWithABodyGetsItsAnswerNotAConnectionReset() throws Exception {
        String body = "{\"k\":\"" + "x".repeat(900) + "\"}";
        for (int i = 0; i < 50; i++) {
            RawHttp.Raw r = RawHttp.send(server.port(), "POST", "/api/v1/no-such-route-" + i, "", body);
            assertEquals(404, r.status());
            assertTrue(r.body().contains("\"code\":\"not_found\""), r.body());
        }
    }

    @Test
    void aLiteralRouteWinsOverATemplateDeclaredBeforeIt() throws Exception {
        assertEquals("pending", RawHttp.send(server.port(), "GET", "/api/v1/things/pending", "", "").body());
        assertEquals("id 42", RawHttp.send(server.port(), "GET", "/api/v1/things/42", "", "").body());
    }

    /** Found by ApiRequestFuzzTest: the decode error escaped the router and the connection closed unanswered. */
    @Test
    void aPathThatIsNotValidPercentEncodingIsA400() throws Exception {
        for (String path : List.of("/api/:::%::v1/users", "/api/v1/devices/%zz", "/%", "/api/v1/events%")) {
            RawHttp.Raw r = RawHttp.send(server.port(), "GET", path, "", "");
            assertEquals(400, r.status(), path);
            assertTrue(r.body().contains("\"code\":\"invalid_request\""), path + ": " + r.body());
        }
    }
}
