package io.dhcpshield.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

    /** A raw HTTP/1.1 exchange, so paths reach the server exactly as written (no client normalisation). */
    record Raw(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    static Raw get(DisposableServer server, String method, String path) throws IOException {
        return send(server, method, path, "");
    }

    static Raw send(DisposableServer server, String method, String path, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            s.setTcpNoDelay(true);
            out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body in its own segment, as clients send it: it may arrive after the server has answered.
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            return new Raw(Integer.parseInt(head.substring(9, 12)), head, all.substring(split + 4));
        }
    }

    @Test
    void theRootAndEveryPageOfTheAppGetIndexHtmlNeverCachedWithTheCsp() throws Exception {
        for (String path : List.of("/", "/index.html", "/events", "/devices/00:0c:01:02:03:64",
                "/devices/00:01:00:01:32:a5:c6:d1", "/actions?target=0x020364", "/who-had")) {
            Raw r = get(withGui, "GET", path);
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
        Raw r = get(withGui, "GET", "/assets/app-3f2a1b.js");
        assertEquals(200, r.status());
        assertEquals("console.log(\"gui fixture\");\n", r.body());
        assertEquals("text/javascript; charset=utf-8", r.header("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", r.header("Cache-Control"));
        assertEquals(200, get(withGui, "HEAD", "/assets/app-3f2a1b.js").status());
    }

    @Test
    void aMissingAssetIsA404NotThePage() throws Exception {
        for (String path : List.of("/assets/app-000000.js", "/favicon.ico", "/assets/x")) {
            Raw r = get(withGui, "GET", path);
            assertEquals(404, r.status(), path);
            assertTrue(r.body().contains("\"code\":\"not_found\""), path + ": " + r.body());
        }
    }

    @Test
    void theApiAndTheMetricsKeepTheirOwnAnswers() throws Exception {
        assertEquals("hello", get(withGui, "GET", "/api/v1/hello").body());
        for (String path : List.of("/api/v1/nope", "/api", "/api/", "/metrics")) {
            Raw r = get(withGui, "GET", path);
            assertEquals(404, r.status(), path);
            assertTrue(r.body().contains("\"code\":\"not_found\""), path + ": " + r.body());
        }
        Raw post = get(withGui, "POST", "/events");
        assertEquals(404, post.status(), "only GET and HEAD reach the GUI");
    }

    @Test
    void nothingOutsideTheGuiDirectoryIsServed() throws Exception {
        for (String path : List.of("/../gui-fixture/.secret", "/.secret", "/%2e%2e/%2e%2e/StaticFilesTest.class",
                "/assets/../.secret", "/..%2fio/dhcpshield/api/http/StaticFilesTest.class",
                "/io/dhcpshield/api/http/StaticFilesTest.class/")) {
            Raw r = get(withGui, "GET", path);
            assertTrue(r.status() == 404 || r.body().contains("<div id=\"app\">"), path + " served something else: "
                    + r.status() + " " + r.body());
        }
    }

    @Test
    void withoutTheGuiOnTheClassPathPagesSayWhereTheApiIs() throws Exception {
        Raw r = get(withoutGui, "GET", "/");
        assertEquals(404, r.status());
        assertTrue(r.body().contains("this build has no GUI"), r.body());
        assertEquals("hello", get(withoutGui, "GET", "/api/v1/hello").body());
    }
}
