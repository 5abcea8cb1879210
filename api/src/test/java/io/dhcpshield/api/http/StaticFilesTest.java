package io.dhcpshield.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GUI's files on the API's port: pages of the single-page app get index.html, hashed assets are cached for
 * good, the API and the metrics keep their own 404s, nothing outside the GUI's directory is ever served, and every
 * answer carries the Content Security Policy.
 */
class StaticFilesTest {

    private static final Authenticator NO_TOKENS = token -> {
        throw ApiError.unauthorized("no tokens in this test");
    };
    private static DisposableServer withGui;
    private static DisposableServer withoutGui;

    @BeforeAll
    static void start() {
        withGui = serve(new StaticFiles("io/dhcpshield/api/gui-fixture/", StaticFilesTest.class.getClassLoader()));
        withoutGui = serve(new StaticFiles("io/dhcpshield/api/no-such-gui/", StaticFilesTest.class.getClassLoader()));
    }

    private static DisposableServer serve(StaticFiles files) {
        Route hello = new Route("GET", "/api/v1/hello", Access.PUBLIC, r -> reactor.core.publisher.Mono.just(
                Response.text(200, "hello", "text/plain")));
        Router router = new Router(List.of(hello), Map.of(), NO_TOKENS, 1024, files);
        return HttpServer.create().host("127.0.0.1").port(0).handle(router).bindNow(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        withGui.disposeNow();
        withoutGui.disposeNow();
    }

    static RawHttp.Raw get(DisposableServer server, String method, String path) throws IOException {
        return RawHttp.send(server.port(), method, path, "", "");
    }

    @Test
    void theRootAndEveryPageOfTheAppGetIndexHtmlNeverCachedWithTheCsp() throws Exception {
        for (String path : List.of("/", "/index.html", "/events", "/devices/00:0c:01:02:03:64",
                "/devices/00:01:00:01:32:a5:c6:d1", "/actions?target=0x020364", "/who-had")) {
            RawHttp.Raw r = get(withGui, "GET", path);
            assertEquals(200, r.status(), path);
            assertTrue(r.body().contains("<div id=\"app\">"), path + ": " + r.body());
            assertEquals("text/html; charset=utf-8", r.header("Content-Type"), path);
            assertEquals("no-cache", r.header("Cache-Control"), path);
            assertEquals(StaticFiles.CSP, r.header("Content-Security-Policy"), path);
            assertEquals("DENY", r.header("X-Frame-Options"), path);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
        }
    }

    @Test
    void hashedAssetsAreServedWithTheirTypeAndCachedForAYear() throws Exception {
        RawHttp.Raw r = get(withGui, "GET", "/assets/app-3f2a1b.js");
        assertEquals(200, r.status());
        assertEquals("console.log(\"gui fixture\");\n", r.body());
        assertEquals("text/javascript; charset=utf-8", r.header("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", r.header("Cache-Control"));
        assertEquals(200, get(withGui, "HEAD", "/assets/app-3f2a1b.js").status());
    }

    @Test
    void aMissingAssetIsA404NotThePage() throws Exception {
        for (String path : List.of("/assets/app-000000.js", "/favicon.ico", "/assets/x")) {
            RawHttp.Raw r = get(withGui, "GET", path);
            assertEquals(404, r.status(), path);
            assertTrue(r.body().contains("\"code\":\"not_found\""), path + ": " + r.body());
        }
    }

    @Test
    void theApiAndTheMetricsKeepTheirOwnAnswers() throws Exception {
        assertEquals("hello", get(withGui, "GET", "/api/v1/hello").body());
        for (String path : List.of("/api/v1/nope", "/api", "/api/", "/metrics")) {
            RawHttp.Raw r = get(withGui, "GET", path);
            assertEquals(404, r.status(), path);
            assertTrue(r.body().contains("\"code\":\"not_found\""), path + ": " + r.body());
        }
        RawHttp.Raw post = get(withGui, "POST", "/events");
        assertEquals(404, post.status(), "only GET and HEAD reach the GUI");
    }

    @Test
    void nothingOutsideTheGuiDirectoryIsServed() throws Exception {
        for (String path : List.of("/../gui-fixture/.secret", "/.secret", "/%2e%2e/%2e%2e/StaticFilesTest.class",
                "/assets/../.secret", "/..%2fio/dhcpshield/api/http/StaticFilesTest.class",
                "/io/dhcpshield/api/http/StaticFilesTest.class/")) {
            RawHttp.Raw r = get(withGui, "GET", path);
            assertTrue(r.status() == 404 || r.body().contains("<div id=\"app\">"), path + " served something else: "
                    + r.status() + " " + r.body());
        }
    }

    @Test
    void withoutTheGuiOnTheClassPathPagesSayWhereTheApiIs() throws Exception {
        RawHttp.Raw r = get(withoutGui, "GET", "/");
        assertEquals(404, r.status());
        assertTrue(r.body().contains("this build has no GUI"), r.body());
        assertEquals("hello", get(withoutGui, "GET", "/api/v1/hello").body());
    }
}
