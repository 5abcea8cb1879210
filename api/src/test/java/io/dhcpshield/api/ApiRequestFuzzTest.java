package io.dhcpshield.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.api.http.RawHttp;
import io.dhcpshield.storage.ClickHouseServerExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the API's request handling (docs/fuzzing.md): any request line and JSON body, sent by
 * an admin (so every route's validation is reached) to the API over a real ClickHouse, gets a clean answer: never a
 * 5xx, and every 4xx in the one error shape. The input is the request as text: the first line {@code METHOD
 * TARGET} (the target's bytes sent as they are, only control characters, spaces and non-ASCII percent-encoded so
 * the request stays one request), the rest the body. The server and its database start with the first input and
 * live as long as the JVM.
 */
class ApiRequestFuzzTest {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final String USER = "fuzzer";
    private static final String PASSWORD = "fuzzer-password-0123";

    /** The API over a private ClickHouse, started once per JVM (the fuzz driver has no JUnit lifecycle). */
    private static final class Server {
        static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();
        static final ApiHarness API;
        static String token;

        static {
            try {
                CLICKHOUSE.beforeAll(null);
                ApiConfig d = ApiConfig.defaults();
                // No login limits: the fuzzer's wrong passwords must not lock out its own session.
                ApiConfig config = new ApiConfig(true, "127.0.0.1", 0, null, null, d.stateDirectory(), null, d.issuer(), d.audience(),
                        d.accessTokenTtl(), d.refreshTokenTtl(), d.maxBodyBytes(), Integer.MAX_VALUE,
                        Integer.MAX_VALUE, d.loginWindow(), d.maxPageSize(), d.maxTimeRange(), d.streamQueue(),
                        d.streamSlowClose(), d.streamPingInterval(), d.streamIdleTimeout(), d.streamAuthTimeout());
                API = new ApiHarness(CLICKHOUSE, "api_fuzz", config, true);
                String body = ApiHarness.JSON.createObjectNode().put("username", USER).put("password", PASSWORD)
                        .put("role", "admin").toString();
                ApiHarness.Reply r = API.call("POST", "/api/v1/users", API.adminToken(), body);
                assertEquals(201, r.status(), r.body());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    API.close();
                    try {
                        CLICKHOUSE.afterAll(null);
                    } catch (Exception ignored) {
                        // the JVM is going away; the test script removes what is left
                    }
                }));
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The fuzzer's own access token; a fresh login when a request ended its session (logout, its own user). */
        static synchronized String token(boolean renew) throws Exception {
            if (token == null || renew) {
                token = API.login(USER, PASSWORD).path("access_token").asText();
            }
            return token;
        }
    }

    record Answer(int status, String body) {
    }

    @FuzzTest
    void anyRequestGetsACleanAnswer(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        String body = nl < 0 ? "" : text.substring(nl + 1);
        int sp = line.indexOf(' ');
        String method = sp > 0 && METHODS.contains(line.substring(0, sp)) ? line.substring(0, sp) : "GET";
        String raw = sp > 0 && METHODS.contains(line.substring(0, sp)) ? line.substring(sp + 1) : line;
        String target = "/" + encode(raw.startsWith("/") ? raw.substring(1) : raw);

        Answer first = send(method, target, body, Server.token(false));
        // A 401 may mean an earlier request ended the fuzzer's own session (logout, a change of its user): once
        // more with a fresh login.
        Answer a = first.status() == 401 ? send(method, target, body, Server.token(true)) : first;
        String what = method + " " + target + " " + body;
        int s = a.status();
        if (s == 503 && ApiHarness.JSON.readTree(a.body()).has("ready")) {
            return; // /api/v1/ready says "not ready" with its facts: the Action Manager is absent here
        }
        if (s == 503) {
            // The Action Manager needs the kernel's sets, which this harness has not: its routes say so, and only
            // after the request was validated (a 400 wins).
            JsonNode e = ApiHarness.JSON.readTree(a.body()).path("error");
            assertEquals("not_ready", e.path("code").asText(), () -> what + " -> " + a);
            assertTrue(e.path("message").asText().contains("action manager"), () -> what + " -> " + a);
            return;
        }
        assertTrue(s >= 200 && s < 500, () -> what + " -> " + a);
        if (s >= 400 && !a.body().isEmpty()) {
            JsonNode e = ApiHarness.JSON.readTree(a.body()).path("error");
            assertFalse(e.path("code").asText().isEmpty(), () -> "the error shape: " + what + " -> " + a);
            assertFalse(e.path("message").asText().isEmpty(), () -> "the error shape: " + what + " -> " + a);
        }
    }

    /** Keeps the request one request: spaces, controls, '#' and non-ASCII percent-encoded, the rest as given. */
    static String encode(String target) {
        StringBuilder b = new StringBuilder();
        for (byte x : target.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** One request on its own connection, the target exactly as given (RawHttp: no client normalisation). */
    static Answer send(String method, String target, String body, String token) throws IOException {
        RawHttp.Raw r = RawHttp.send(Server.API.api.port(), method, target, "Authorization: Bearer " + token + "\r\n",
                body);
        return new Answer(r.status(), r.body());
    }
}
