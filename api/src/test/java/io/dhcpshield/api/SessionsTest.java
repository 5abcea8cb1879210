package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users and sessions against a running API: the first admin, login, refresh rotation and reuse detection,
 * concurrent refreshes, logout, user changes ending sessions, revocations surviving a restart, the audit trail.
 */
class SessionsTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(CLICKHOUSE, "api_sessions");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static String refreshBody(String refresh) {
        return ApiHarness.JSON.createObjectNode().put("refresh_token", refresh).toString();
    }

    @Test
    void theFirstStartCreatesAnAdminWhoseOneTimePasswordIsInAnOwnerOnlyFile() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                api.config.initialPasswordFile())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                api.config.signingKeyFile())));
        JsonNode t = api.login("admin", api.adminPassword());
        assertEquals(api.config.accessTokenTtl().toSeconds(), t.path("expires_in").asLong());
        JsonNode me = api.call("GET", "/api/v1/auth/me", t.path("access_token").asText(), null).json();
        assertEquals("admin", me.path("username").asText());
        assertEquals("admin", me.path("role").asText());
        assertEquals(401, api.call("POST", "/api/v1/auth/login", null,
                "{\"username\":\"admin\",\"password\":\"wrong-password\"}").status());
        assertEquals(401, api.call("POST", "/api/v1/auth/login", null,
                "{\"username\":\"nobody\",\"password\":\"wrong-password\"}").status(), "same answer for a missing user");
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenRevokesTheWholeFamily() throws Exception {
        api.tokenFor("rotator", "operator");
        JsonNode first = api.login("rotator", "pw-rotator-0123456");
        ApiHarness.Reply r1 = api.call("POST", "/api/v1/auth/refresh", null,
                refreshBody(first.path("refresh_token").asText()));
        assertEquals(200, r1.status(), r1.body());
        JsonNode second = r1.json();
        assertNotEquals(first.path("refresh_token").asText(), second.path("refresh_token").asText());
        String access2 = second.path("access_token").asText();
        assertEquals(200, api.call("GET", "/api/v1/auth/me", access2, null).status());
        // The first refresh token again: reuse. The family is revoked, including the pair it was rotated into.
        ApiHarness.Reply reuse = api.call("POST", "/api/v1/auth/refresh", null,
                refreshBody(first.path("refresh_token").asText()));
        assertEquals(401, reuse.status(), reuse.body());
        assertEquals(401, api.call("GET", "/api/v1/auth/me", access2, null).status());
        assertEquals(401, api.call("POST", "/api/v1/auth/refresh", null,
                refreshBody(second.path("refresh_token").asText())).status());
        // Another login of the same user is another family: untouched.
        assertEquals(200, api.call("GET", "/api/v1/auth/me",
                api.login("rotator", "pw-rotator-0123456").path("access_token").asText(), null).status());
    }

    @Test
    void ofConcurrentRefreshesOfOneTokenExactlyOneWins() throws Exception {
        api.tokenFor("racer", "viewer");
        String refresh = api.login("racer", "pw-racer-0123456").path("refresh_token").asText();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> api.call("POST", "/api/v1/auth/refresh", null, refreshBody(refresh)).status());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
    }

    @Test
    void logoutRevokesTheSessionAndTheRevocationSurvivesARestart() throws Exception {
        ApiHarness first = new ApiHarness(CLICKHOUSE, "api_restart");
        String access;
        try {
            first.tokenFor("leaver", "viewer");
            JsonNode t = first.login("leaver", "pw-leaver-0123456");
            access = t.path("access_token").asText();
            assertEquals(204, first.call("POST", "/api/v1/auth/logout", access, null).status());
            assertEquals(401, first.call("GET", "/api/v1/auth/me", access, null).status());
            assertEquals(401, first.call("POST", "/api/v1/auth/refresh", null,
                    refreshBody(t.path("refresh_token").asText())).status());
            first.daemon.stopAll();
            // A new API process over the same database and state directory (same signing key): the revocation is
            // loaded from ClickHouse, so the logged-out token stays refused.
            Deferred<ServiceManager> self = new Deferred<>("daemon", "starting");
            ApiServer again = new ApiServer(first.config, new ApiServer.Context(self,
                    Deferred.of("storage", first.storage), Deferred.of("operational config", first.operational),
                    Deferred.never("action manager", "not here"), first.events, 1024, Time.SYSTEM,
                    Schedulers.single()));
            ServiceManager m = new ServiceManager(List.of(again));
            self.complete(m);
            m.startAll();
            try {
                ApiHarness.await(Duration.ofSeconds(30), () -> again.readiness().ready(), "revocations loaded");
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + again.port() + "/api/v1/auth/me"))
                        .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, r.statusCode(), r.body());
            } finally {
                m.stopAll();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void changingOrDisablingAUserEndsTheirSessionsAndEveryChangeIsAudited() throws Exception {
        String admin = api.adminToken();
        String victim = api.tokenFor("changer", "operator");
        assertEquals(200, api.call("GET", "/api/v1/auth/me", victim, null).status());
        ApiHarness.Reply demote = api.call("PATCH", "/api/v1/users/changer", admin, "{\"role\":\"viewer\"}");
        assertEquals(200, demote.status(), demote.body());
        assertEquals("viewer", demote.json().path("role").asText());
        assertEquals(401, api.call("GET", "/api/v1/auth/me", victim, null).status(), "the old role's token is dead");
        String again = api.login("changer", "pw-changer-0123456").path("access_token").asText();
        assertEquals("viewer", api.call("GET", "/api/v1/auth/me", again, null).json().path("role").asText());
        // Changing one's own password needs the current one.
        assertEquals(403, api.call("PATCH", "/api/v1/users/changer", again,
                "{\"password\":\"a-new-password-1\"}").status());
        assertEquals(200, api.call("PATCH", "/api/v1/users/changer", again,
                "{\"password\":\"a-new-password-1\",\"current_password\":\"pw-changer-0123456\"}").status());
        assertEquals(403, api.call("PATCH", "/api/v1/users/changer", api.login("changer", "a-new-password-1")
                .path("access_token").asText(), "{\"role\":\"admin\"}").status(), "no self-promotion");
        assertEquals(200, api.call("PATCH", "/api/v1/users/changer", admin, "{\"disabled\":true}").status());
        assertEquals(401, api.call("POST", "/api/v1/auth/login", null,
                "{\"username\":\"changer\",\"password\":\"a-new-password-1\"}").status(), "disabled: no login");
        assertEquals(204, api.call("DELETE", "/api/v1/users/changer", admin, null).status());
        assertEquals(404, api.call("GET", "/api/v1/users/changer", admin, null).status());
        assertEquals(409, api.call("DELETE", "/api/v1/users/admin", admin, null).status(), "not oneself");
        JsonNode audit = api.call("GET", "/api/v1/audit?target=changer&action=user.", admin, null).json();
        List<String> actions = new ArrayList<>();
        audit.path("entries").forEach(e -> actions.add(e.path("actor").asText() + " " + e.path("action").asText()));
        assertTrue(actions.containsAll(List.of("admin user.create", "admin user.update", "changer user.update",
                "admin user.delete")), actions.toString());
    }
}
