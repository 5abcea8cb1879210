package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automation and analysis over HTTP against a real ClickHouse: the seeded rules are listed, a rule is created,
 * validated with its fields named, dry-run, disabled, run-listed and deleted with the roles the routes name; a device
 * is queued for analysis and, with no backend configured, ends skipped.
 */
class AutomationRoutesTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;
    static String admin;
    static String operator;
    static String viewer;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(CLICKHOUSE, "api_automation");
        admin = api.adminToken();
        operator = api.tokenFor("op", "operator");
        viewer = api.tokenFor("reader", "viewer");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    static final String RULE = """
            {"id": "api-test-volume", "name": "DISCOVER volume (API test)", "priority": 300, "every_minutes": 5,
             "source": "client_minute_stats", "window_minutes": 10,
             "filters": [{"field": "message_type", "match": "exact", "value": "DISCOVER"}],
             "group_by": ["client"], "metric": "count",
             "thresholds": [{"value": 50, "action": "monitor", "duration_minutes": 60},
                            {"value": 200, "action": "throttle", "duration_minutes": 30}],
             "suppress_minutes": 10, "severity": "warning"}""";

    @Test
    void rulesAreSeededListedCreatedDryRunDisabledAndDeletedByTheRightRoles() throws Exception {
        ApiHarness.await(Duration.ofSeconds(30), () -> {
            try {
                return api.call("GET", "/api/v1/automation/rules", viewer, null).json().path("rules").size() >= 10;
            } catch (Exception e) {
                return false;
            }
        }, "the seed rules");
        assertEquals(403, api.call("POST", "/api/v1/automation/rules", operator, RULE).status(),
                "creating a rule is for admins");
        ApiHarness.Reply bad = api.call("POST", "/api/v1/automation/rules", admin,
                RULE.replace("\"value\": 200", "\"value\": 20"));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.json().path("error").path("message").asText().contains("thresholds[1].value"), bad.body());
        ApiHarness.Reply created = api.call("POST", "/api/v1/automation/rules", admin, RULE);
        assertEquals(201, created.status(), created.body());
        assertEquals("api-test-volume", created.json().path("rule").path("id").asText());
        assertEquals(409, api.call("POST", "/api/v1/automation/rules", admin, RULE).status());

        ApiHarness.Reply dry = api.call("POST", "/api/v1/automation/rules/api-test-volume/dry-run", operator, "");
        assertEquals(200, dry.status(), dry.body());
        assertEquals("dry_run", dry.json().path("run").path("trigger").asText(), dry.body());
        assertTrue(dry.json().path("hits").isArray(), dry.body());
        ApiHarness.Reply preview = api.call("POST", "/api/v1/automation/dry-run", operator, RULE);
        assertEquals(200, preview.status(), preview.body());

        ApiHarness.Reply off = api.call("PATCH", "/api/v1/automation/rules/api-test-volume", operator,
                "{\"enabled\": false}");
        assertEquals(200, off.status(), off.body());
        assertFalse(off.json().path("rule").path("enabled").asBoolean(true), off.body());
        assertEquals(403, api.call("PATCH", "/api/v1/automation/rules/api-test-volume", viewer,
                "{\"enabled\": true}").status());

        JsonNode runs = api.call("GET", "/api/v1/automation/runs?rule=api-test-volume", viewer, null).json();
        assertTrue(runs.path("runs").size() >= 1, runs.toString());
        assertEquals(400, api.call("GET", "/api/v1/automation/runs?rule=../x", viewer, null).status());

        assertEquals(204, api.call("DELETE", "/api/v1/automation/rules/api-test-volume", admin, null).status());
        assertEquals(404, api.call("GET", "/api/v1/automation/rules/api-test-volume", viewer, null).status());
        assertEquals(404, api.call("DELETE", "/api/v1/automation/rules/api-test-volume", admin, null).status());
    }

    @Test
    void theDetectorsRunOnDemandAndTheirAlarmsAreListed() throws Exception {
        assertEquals(403, api.call("POST", "/api/v1/automation/detectors/run", viewer, "").status());
        ApiHarness.Reply run = api.call("POST", "/api/v1/automation/detectors/run", operator, "");
        assertEquals(200, run.status(), run.body());
        assertTrue(run.json().path("alarms").isArray(), run.body());
        ApiHarness.Reply recent = api.call("GET", "/api/v1/automation/alarms?limit=10", viewer, null);
        assertEquals(200, recent.status(), recent.body());
        assertTrue(recent.json().path("alarms").isArray(), recent.body());
    }

    @Test
    void aDeviceQueuedForAnalysisWithoutABackendEndsSkipped() throws Exception {
        assertEquals(403, api.call("POST", "/api/v1/analysis", viewer, "{\"target\":\"02:00:5e:aa:00:09\"}")
                .status());
        assertEquals(400, api.call("POST", "/api/v1/analysis", operator, "{\"target\":\"nope\"}").status());
        ApiHarness.Reply q = api.call("POST", "/api/v1/analysis", operator, "{\"target\":\"02:00:5e:aa:00:09\"}");
        assertEquals(202, q.status(), q.body());
        String id = q.json().path("id").asText();
        ApiHarness.await(Duration.ofSeconds(30), () -> {
            try {
                return "skipped".equals(api.call("GET", "/api/v1/analysis/" + id, viewer, null).json()
                        .path("state").asText());
            } catch (Exception e) {
                return false;
            }
        }, "the analysis ends skipped (no backend)");
        JsonNode list = api.call("GET", "/api/v1/analysis?target=02:00:5e:aa:00:09", viewer, null).json();
        assertEquals(id, list.path("results").get(0).path("id").asText(), list.toString());
        assertEquals(409, api.call("POST", "/api/v1/analysis/" + id + "/approve", operator, "").status(),
                "only a held recommendation can be approved");
        JsonNode prompts = api.call("GET", "/api/v1/analysis/prompts", viewer, null).json();
        assertEquals("default", prompts.path("prompts").get(0).path("id").asText(), prompts.toString());
    }
}
