package io.dhcpshield.api;

import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ClickHouse down while the API runs: every route that reads or writes the database answers 503 {@code not_ready}
 * naming ClickHouse and why (what the GUI shows), not a 500; health and the metrics still answer; when ClickHouse
 * is back, so are the answers.
 */
class ClickHouseOutageTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(CLICKHOUSE, "api_outage");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    static final List<String> DATABASE_ROUTES = List.of("/api/v1/events?mac=02:00:5e:aa:00:01",
            "/api/v1/devices/02:00:5e:aa:00:01", "/api/v1/bindings?ip=198.18.1.10",
            "/api/v1/stats/message-types", "/api/v1/stats/relays", "/api/v1/stats/top-clients",
            "/api/v1/actions", "/api/v1/config/audit", "/api/v1/audit", "/api/v1/users");

    @Test
    void whileClickHouseIsDownDatabaseRoutesAnswer503NamingItAndRecoverAfter() throws Exception {
        String token = api.adminToken();
        for (String path : DATABASE_ROUTES) {
            assertAnswered(api.call("GET", path, token, null), path);
        }
        CLICKHOUSE.stop();
        try {
            for (String path : DATABASE_ROUTES) {
                ApiHarness.Reply r = api.call("GET", path, token, null);
                assertEquals(503, r.status(), path + " -> " + r.body());
                assertEquals("not_ready", r.errorCode(), path + " -> " + r.body());
                assertTrue(r.json().path("error").path("message").asText().toLowerCase().contains("clickhouse"),
                        path + " -> " + r.body());
            }
            ApiHarness.Reply login = api.call("POST", "/api/v1/auth/login", null,
                    "{\"username\":\"admin\",\"password\":\"" + api.adminPassword() + "\"}");
            assertEquals(503, login.status(), login.body());
            assertEquals(200, api.call("GET", "/api/v1/health", null, null).status());
            assertEquals(200, api.call("GET", "/metrics", null, null).status());
        } finally {
            CLICKHOUSE.start();
        }
        ApiHarness.await(java.time.Duration.ofSeconds(30), () -> {
            try {
                return api.call("GET", DATABASE_ROUTES.get(0), token, null).status() == 200;
            } catch (Exception e) {
                return false;
            }
        }, "answers again once ClickHouse is back");
        for (String path : DATABASE_ROUTES) {
            assertAnswered(api.call("GET", path, token, null), path);
        }
    }

    /** Answered from the database: 200, or 404 for the device nobody has seen. */
    private static void assertAnswered(ApiHarness.Reply r, String path) {
        assertTrue(r.status() == 200 || (r.status() == 404 && path.startsWith("/api/v1/devices/")),
                path + " -> " + r.status() + " " + r.body());
    }
}
