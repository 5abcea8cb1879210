package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's security suite against a running API: every bad token on every protected route is a 401 with the one
 * error shape; roles are enforced per route; bodies that are malformed, too large or wrongly typed get clean 4xx;
 * SQL metacharacters in parameters change nothing; the stream refuses unauthenticated clients.
 */
class ApiSecurityTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;
    static Forge forge;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(CLICKHOUSE, "api_security");
        forge = new Forge(api.config.signingKeyFile(), api.config.issuer(), api.config.audience());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** Every protected route with its path parameters filled in. */
    static List<String[]> protectedRoutes() {
        List<String[]> out = new ArrayList<>();
        for (Route r : api.api.routes()) {
            if (r.access() != Access.PUBLIC) {
                out.add(new String[] {r.method(), concrete(r.template()), r.access().name()});
            }
        }
        return out;
    }

    static String concrete(String template) {
        return template.replace("{username}", "admin").replace("{client}", "02:00:5e:00:00:01")
                .replace("{id}", "6f1c2d3e-0000-4000-8000-000000000001")
                .replace("{key}", "operational.automation.active").replace("{name}", "lab").replace("{version}", "1");
    }

    private static String body(String method) {
        return method.equals("GET") || method.equals("DELETE") ? null : "{}";
    }

    private static void allRefused(String what, String token) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String[] r : protectedRoutes()) {
            ApiHarness.Reply reply = api.call(r[0], r[1], token, body(r[0]));
            if (reply.status() != 401 || !reply.errorCode().equals("unauthorized")
                    || reply.header("WWW-Authenticate") == null) {
                wrong.add(r[0] + " " + r[1] + " -> " + reply.status() + " " + reply.body());
            }
        }
        assertEquals(List.of(), wrong, what);
    }

    @Test
    void everyProtectedRouteRefusesAMissingOrMalformedToken() throws Exception {
        assertTrue(protectedRoutes().size() >= 20, protectedRoutes().size() + " protected routes");
        allRefused("no token", null);
        allRefused("garbage", "not-a-token");
        allRefused("two parts", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0");
    }

    @Test
    void everyProtectedRouteRefusesAlgNoneInAnySpelling() throws Exception {
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            allRefused("alg " + none, Forge.algNone(none, forge.kid()));
        }
    }

    @Test
    void everyProtectedRouteRefusesAStrippedOrTamperedSignatureAndAnotherKey() throws Exception {
        String viewer = api.tokenFor("sec-viewer", "viewer");
        allRefused("signature stripped", Forge.stripped(viewer));
        allRefused("payload tampered (role raised)", Forge.tampered(viewer, "admin"));
        allRefused("signed by another key", forge.otherKey());
    }

    @Test
    void everyProtectedRouteRefusesARefreshTokenAndWrongClaims() throws Exception {
        JsonNode tokens = api.login("admin", api.adminPassword());
        allRefused("refresh token as access token", tokens.path("refresh_token").asText());
        allRefused("wrong issuer", forge.valid(h -> { }, c -> c.issuer("someone-else")));
        allRefused("wrong audience", forge.valid(h -> { }, c -> c.audience("another-api")));
        allRefused("two audiences", forge.valid(h -> { }, c -> c.audience(List.of("dhcp-shield-api", "x"))));
        allRefused("expired", forge.valid(h -> { }, c -> c.issueTime(Date.from(Instant.now().minusSeconds(1200)))
                .notBeforeTime(Date.from(Instant.now().minusSeconds(1200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(300)))));
        allRefused("not yet valid", forge.valid(h -> { }, c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))
                .issueTime(Date.from(Instant.now().plusSeconds(600)))
                .expirationTime(Date.from(Instant.now().plusSeconds(900)))));
        allRefused("lifetime longer than an access token's", forge.valid(h -> { },
                c -> c.expirationTime(Date.from(Instant.now().plus(Duration.ofDays(365))))));
        allRefused("typ missing", forge.valid(h -> h.type(null), c -> { }));
        allRefused("unknown role", forge.valid(h -> { }, c -> c.claim("role", "root")));
        allRefused("no subject", forge.valid(h -> { }, c -> c.subject(null)));
    }

    @Test
    void everyProtectedRouteRefusesHugeOrDeeplyNestedClaims() throws Exception {
        allRefused("huge claim", forge.valid(h -> { }, c -> c.claim("pad", "x".repeat(6000))));
        Object nested = "x";
        for (int i = 0; i < 50; i++) {
            nested = List.of(nested);
        }
        Object deep = nested;
        allRefused("deeply nested claim", forge.valid(h -> { }, c -> c.claim("deep", deep)));
        // A header far over the server's limit is refused by the HTTP decoder, still with a clean 4xx.
        ApiHarness.Reply r = api.call("GET", "/api/v1/auth/me", "x".repeat(100_000), null);
        assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
    }

    @Test
    void everyProtectedRouteRefusesKidAndJkuInjection() throws Exception {
        allRefused("kid path", forge.valid(h -> h.keyID("../../../../dev/null"), c -> { }));
        allRefused("kid sql", forge.valid(h -> h.keyID("x' OR '1'='1"), c -> { }));
        allRefused("jku", forge.valid(h -> h.jwkURL(Forge.evil()), c -> { }));
        allRefused("x5u", forge.valid(h -> h.x509CertURL(Forge.evil()), c -> { }));
        com.nimbusds.jose.jwk.JWK attackerKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_256).generate().toPublicJWK();
        allRefused("embedded jwk", forge.valid(h -> h.jwk(attackerKey), c -> { }));
        allRefused("crit", forge.valid(h -> h.criticalParams(java.util.Set.of("exp")), c -> { }));
    }

    @Test
    void aForgedButOtherwiseValidTokenIsAcceptedSoTheRefusalsAboveAreAboutTheirFlaw() throws Exception {
        // The control: the test's own forgery, with nothing wrong, passes (the key is the appliance's).
        ApiHarness.Reply r = api.call("GET", "/api/v1/auth/me", forge.valid(h -> { }, c -> { }), null);
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void rolesAreCheckedOnEveryRoute() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("VIEWER", api.tokenFor("role-viewer", "viewer"));
        tokens.put("OPERATOR", api.tokenFor("role-operator", "operator"));
        List<String> wrong = new ArrayList<>();
        for (String[] r : protectedRoutes()) {
            if (r[1].equals("/api/v1/auth/logout")) {
                continue; // would end the test's own sessions; its role is viewer, the least
            }
            Access need = Access.valueOf(r[2]);
            for (Map.Entry<String, String> t : tokens.entrySet()) {
                boolean allowed = io.dhcpshield.api.http.Role.valueOf(t.getKey()).allows(need.role());
                ApiHarness.Reply reply = api.call(r[0], r[1], t.getValue(), body(r[0]));
                if (!allowed && (reply.status() != 403 || !reply.errorCode().equals("forbidden"))) {
                    wrong.add(t.getKey() + " " + r[0] + " " + r[1] + " -> " + reply.status());
                }
                if (allowed && (reply.status() == 401 || reply.status() == 403) && !r[1].contains("/users/admin")) {
                    wrong.add(t.getKey() + " (allowed) " + r[0] + " " + r[1] + " -> " + reply.status());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void malformedOversizedAndWronglyTypedBodiesGetCleanClientErrors() throws Exception {
        String admin = api.adminToken();
        assertEquals(400, api.call("POST", "/api/v1/auth/login", null, "{").status());
        assertEquals("body", api.call("POST", "/api/v1/auth/login", null, "{").json().path("error").path("field")
                .asText());
        assertEquals(400, api.call("POST", "/api/v1/auth/login", null, "[1,2]").status());
        ApiHarness.Reply typed = api.call("POST", "/api/v1/auth/login", null, "{\"username\":1,\"password\":\"x\"}");
        assertEquals(400, typed.status());
        assertEquals("username", typed.json().path("error").path("field").asText());
        ApiHarness.Reply unknown = api.call("POST", "/api/v1/users", admin,
                "{\"username\":\"x1\",\"password\":\"0123456789ab\",\"role\":\"viewer\",\"is_admin\":true}");
        assertEquals(400, unknown.status());
        assertEquals("is_admin", unknown.json().path("error").path("field").asText());
        assertEquals(413, api.call("POST", "/api/v1/auth/login", null,
                "{\"username\":\"" + "a".repeat(2_000_000) + "\"}").status());
        assertEquals(415, api.call("POST", "/api/v1/auth/login", null, "username=a&password=b",
                "application/x-www-form-urlencoded").status());
        assertEquals(400, api.call("POST", "/api/v1/users", admin, "{\"username\":\"x2\",\"password\":\"short\","
                + "\"role\":\"viewer\"}").status());
        assertEquals(400, api.call("POST", "/api/v1/users", admin, "{\"username\":\"x3\",\"password\":"
                + "\"0123456789ab\",\"role\":\"root\"}").status());
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertEquals(400, api.call("POST", "/api/v1/auth/login", null, deep).status());
        assertEquals(400, api.call("PUT", "/api/v1/config/operational.websocket.burst", admin,
                "{\"value\":\"lots\"}").status());
        assertEquals(404, api.call("PUT", "/api/v1/config/operational.no_such.key", admin, "{\"value\":1}").status());
        assertEquals(405, api.call("DELETE", "/api/v1/events", admin, null).status());
        assertEquals(404, api.call("GET", "/api/v1/events/", admin, null).status(), "no prefix or slash matching");
        assertEquals(404, api.call("GET", "/api/v1/nope", admin, null).status());
    }

    @Test
    void sqlMetacharactersInEveryParameterChangeNothing() throws Exception {
        String admin = api.adminToken();
        long before = count();
        List<String> payloads = List.of("' OR 1=1 --", "x'); DROP TABLE dhcp_events; --", "\\' OR \\'1\\'=\\'1",
                "%27%20OR%201%3D1", "\u0000", "`; SELECT 1`");
        List<String> wrong = new ArrayList<>();
        String[] eventParams = {"mac", "duid", "ip", "relay_ip", "circuit_id", "remote_id", "msg_type", "inner_type",
            "family", "direction", "errors", "site", "hostname", "from", "to", "limit", "cursor"};
        for (String p : payloads) {
            String enc = java.net.URLEncoder.encode(p, java.nio.charset.StandardCharsets.UTF_8);
            for (String name : eventParams) {
                check(wrong, "/api/v1/events?" + name + "=" + enc, admin);
            }
            for (String path : List.of("/api/v1/devices/" + enc, "/api/v1/bindings?ip=" + enc,
                    "/api/v1/bindings?client=" + enc, "/api/v1/bindings?prefix=" + enc + "&at=0",
                    "/api/v1/actions?actor=" + enc, "/api/v1/actions?target=" + enc, "/api/v1/audit?actor=" + enc,
                    "/api/v1/audit?target=" + enc, "/api/v1/config/audit?key=" + enc, "/api/v1/users/" + enc,
                    "/api/v1/stats/top-clients?limit=" + enc)) {
                check(wrong, path, admin);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(before, count(), "no row appeared or vanished");
        assertEquals(200, api.call("GET", "/api/v1/users", admin, null).status(), "users table intact");
    }

    private static void check(List<String> wrong, String path, String token) throws Exception {
        ApiHarness.Reply r = api.call("GET", path, token, null);
        boolean clean = r.status() == 200 || r.status() == 400 || r.status() == 404;
        boolean empty = r.status() != 200 || r.json().path("events").size() == 0;
        if (!clean || !empty) {
            wrong.add(path + " -> " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    private static long count() throws Exception {
        return Long.parseLong(api.storage.client().post("SELECT count() FROM dhcp_events", null).trim());
    }

    /** Found by ApiRequestFuzzTest: the stream's refusal was sent with the body unread and the close reset it. */
    @Test
    void aRefusedStreamRequestWithABodyGetsItsAnswerNotAConnectionReset() throws Exception {
        String body = "{\"k\":\"" + "x".repeat(2000) + "\"}";
        for (int i = 0; i < 50; i++) {
            io.dhcpshield.api.http.RawHttp.Raw r = io.dhcpshield.api.http.RawHttp.send(api.api.port(), "GET",
                    "/api/v1/stream?mac=00:00:5e:00:53:0" + (i % 10), "", body);
            assertEquals(426, r.status(), r.body());
            assertTrue(r.body().contains("\"code\":\"upgrade_required\""), r.body());
        }
    }

    @Test
    void theStreamRefusesUnauthenticatedClients() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String ws = api.base().replace("http", "ws") + "/api/v1/stream";
        // A bad token in the handshake: refused before the upgrade.
        ExecutionException bad = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
                http.newWebSocketBuilder().subprotocols("dhcp-shield.v1", "bearer.not-a-token")
                        .buildAsync(URI.create(ws), new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
        assertEquals(401, ((java.net.http.WebSocketHandshakeException) bad.getCause()).getResponse().statusCode());
        // A token in the URL: refused.
        ExecutionException inUrl = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
                http.newWebSocketBuilder().subprotocols("dhcp-shield.v1")
                        .buildAsync(URI.create(ws + "?token=" + api.adminToken()), new WebSocket.Listener() { })
                        .get(10, TimeUnit.SECONDS));
        assertEquals(400, ((java.net.http.WebSocketHandshakeException) inUrl.getCause()).getResponse().statusCode());
        // No token at all: upgraded, then closed with 4401 when none arrives; a bad one in a message closes too.
        for (String first : new String[] {null, "{\"type\":\"auth\",\"token\":\"nope\"}",
            "{\"type\":\"filter\",\"mac\":\"02:00:5e:00:00:01\"}"}) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            List<String> received = new ArrayList<>();
            WebSocket socket = http.newWebSocketBuilder().subprotocols("dhcp-shield.v1")
                    .buildAsync(URI.create(ws), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            received.add(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            if (first != null) {
                socket.sendText(first, true);
            }
            int code = closed.get(api.config.streamAuthTimeout().toSeconds() + 10, TimeUnit.SECONDS);
            assertEquals(4401, code, "first message " + first + ", received " + received);
            assertFalse(received.stream().anyMatch(m -> m.contains("\"type\":\"event\"")), received.toString());
        }
        assertNotNull(api.api.readiness());
    }
}
