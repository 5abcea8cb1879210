package io.dhcpshield.api;

import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failed logins are limited per user and per source address, answering 429 with Retry-After. */
class LoginLimitTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        ApiConfig d = ApiConfig.defaults();
        api = new ApiHarness(CLICKHOUSE, "api_login_limit", new ApiConfig(true, "127.0.0.1", 0, null, null,
                d.stateDirectory(), null, d.issuer(), d.audience(), d.accessTokenTtl(), d.refreshTokenTtl(),
                d.maxBodyBytes(), 3, 8, Duration.ofMinutes(10), d.maxPageSize(), d.maxTimeRange(), d.streamQueue(),
                d.streamSlowClose(), d.streamPingInterval(), d.streamIdleTimeout(), d.streamAuthTimeout()));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static ApiHarness.Reply login(String user, String password) throws Exception {
        return api.call("POST", "/api/v1/auth/login", null, ApiHarness.JSON.createObjectNode()
                .put("username", user).put("password", password).toString());
    }

    @Test
    void aUserIsLockedAfterItsLimitOfFailuresEvenWithTheRightPasswordThenTheAddressIs() throws Exception {
        api.tokenFor("guessed", "viewer");
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login("guessed", "wrong-" + i).status());
        }
        ApiHarness.Reply blocked = login("guessed", "pw-guessed-0123456");
        assertEquals(429, blocked.status(), blocked.body());
        assertEquals("too_many_requests", blocked.errorCode());
        long retry = Long.parseLong(blocked.header("Retry-After"));
        assertTrue(retry > 0 && retry <= 600, "Retry-After " + retry);
        // Other users still log in from this address (3 failures so far of its 8).
        assertEquals(200, login("admin", api.adminPassword()).status());
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login("nobody-" + i, "wrong").status());
        }
        assertEquals(429, login("admin", api.adminPassword()).status(), "the address reached its limit");
    }
}
