package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.alarms.Alarm;
import io.dhcpshield.alarms.Channel;
import io.dhcpshield.alarms.Party;
import io.dhcpshield.alarms.Severity;
import io.dhcpshield.alarms.Signal;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/alarms} and {@code /api/v1/notifications} against a running API with the alarms engine and a real
 * ClickHouse: what the engine raised is listed, summarised and detailed with its history; viewers read, operators
 * acknowledge and clear (twice is a 409); routes are validated field by field, created, replaced and deleted; the
 * bell's changes arrive on the live stream.
 */
class AlarmResourceTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;
    static String viewer;
    static String operator;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(CLICKHOUSE, "api_alarms");
        viewer = api.tokenFor("watcher", "viewer");
        operator = api.tokenFor("oncall", "operator");
        ApiHarness.await(Duration.ofSeconds(30), () -> api.alarms.routeStore().isReady(), "the routes read");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static Alarm raise(String key, Severity severity, String client) {
        Instant now = Instant.now();
        return api.alarms.engine().report(new Signal(key, Channel.DHCP, "security", "rogue_server", severity,
                "Rogue " + key, "seen", List.of(new Party("server", "198.18.0.9", "02:00:5e:00:07:01", 3, now, now),
                new Party("client", client, "", 2, now, now)), Map.of("allowed", "198.19.0.2"),
                Duration.ofMinutes(10)));
    }

    @Test
    void raisedAlarmsAreListedSummarisedAndDetailedAndOperatorsAcknowledgeThenClearThem() throws Exception {
        Alarm a = raise("rogue_server/198.18.0.9", Severity.CRITICAL, "02:00:00:00:00:01");
        raise("rogue_server/198.18.0.10", Severity.WARNING, "02:00:00:00:00:02");

        JsonNode list = api.call("GET", "/api/v1/alarms?severity=critical", viewer, null).json();
        List<String> keys = new ArrayList<>();
        list.path("alarms").forEach(x -> keys.add(x.path("source_key").asText()));
        assertEquals(List.of("rogue_server/198.18.0.9"), keys);
        JsonNode first = list.path("alarms").get(0);
        assertEquals("02:00:5e:00:07:01", first.path("context").get(0).path("mac").asText());
        ApiHarness.Reply byParty = api.call("GET", "/api/v1/alarms?q=00:00:00:00:02", viewer, null);
        assertEquals(1, byParty.json().path("alarms").size(), "q finds a party: " + byParty.body());
        JsonNode summary = api.call("GET", "/api/v1/alarms/summary", viewer, null).json();
        assertTrue(summary.path("by_severity").path("critical").asInt() >= 1, summary.toString());

        String id = a.id();
        assertEquals(403, api.call("POST", "/api/v1/alarms/" + id + "/acknowledge", viewer, "{}").status());
        ApiHarness.Reply ack = api.call("POST", "/api/v1/alarms/" + id + "/acknowledge", operator,
                "{\"note\":\"on it\"}");
        assertEquals(200, ack.status(), ack.body());
        assertEquals("acknowledged", ack.json().path("state").asText());
        assertEquals("oncall", ack.json().path("acknowledged_by").asText());
        assertEquals(2, api.call("GET", "/api/v1/alarms/" + id, viewer, null).json().path("history").size(),
                "the acknowledge is in the history when its answer arrives (read your writes)");
        ApiHarness.Reply twice = api.call("POST", "/api/v1/alarms/" + id + "/acknowledge", operator, null);
        assertEquals(409, twice.status(), twice.body());
        assertEquals("conflict", twice.errorCode());
        assertEquals(200, api.call("POST", "/api/v1/alarms/" + id + "/clear", operator, null).status());
        assertEquals(409, api.call("POST", "/api/v1/alarms/" + id + "/clear", operator, null).status());

        ApiHarness.await(Duration.ofSeconds(30), () -> {
            try {
                return api.call("GET", "/api/v1/alarms/" + id, viewer, null).json().path("history").size() == 3;
            } catch (Exception e) {
                return false;
            }
        }, "raised, acknowledged, cleared in ClickHouse");
        JsonNode detail = api.call("GET", "/api/v1/alarms/" + id, viewer, null).json();
        assertEquals("on it", detail.path("history").get(1).path("note").asText());
        JsonNode cleared = api.call("GET", "/api/v1/alarms?state=cleared", viewer, null).json();
        assertTrue(cleared.path("alarms").toString().contains(id), cleared.toString());

        assertEquals(404, api.call("GET", "/api/v1/alarms/not-an-id", viewer, null).status());
        assertEquals(404, api.call("GET", "/api/v1/alarms/00000000-0000-0000-0000-000000000000", viewer, null)
                .status());
        assertEquals(400, api.call("GET", "/api/v1/alarms?state=sleeping", viewer, null).status());
    }

    @Test
    void routesAreValidatedByFieldCreatedReplacedAndDeletedByOperatorsOnly() throws Exception {
        ApiHarness.Reply bad = api.call("POST", "/api/v1/notifications/routes", operator,
                "{\"name\":\"x\",\"source_key_regex\":\"(\",\"sinks\":[\"bell\"]}");
        assertEquals(400, bad.status(), bad.body());
        assertEquals("source_key_regex", bad.json().path("error").path("field").asText());
        assertEquals("sinks", api.call("POST", "/api/v1/notifications/routes", operator,
                "{\"name\":\"x\",\"sinks\":[\"pager\"]}").json().path("error").path("field").asText());
        assertEquals(403, api.call("POST", "/api/v1/notifications/routes", viewer,
                "{\"name\":\"x\",\"sinks\":[\"bell\"]}").status());

        ApiHarness.Reply made = api.call("POST", "/api/v1/notifications/routes", operator,
                "{\"name\":\"health to bell\",\"categories\":[\"health\"],\"min_severity\":\"warning\","
                        + "\"sinks\":[\"bell\"]}");
        assertEquals(201, made.status(), made.body());
        String id = made.json().path("id").asText();
        JsonNode settings = api.call("GET", "/api/v1/notifications", viewer, null).json();
        assertTrue(settings.path("routes").toString().contains(id), settings.toString());
        assertEquals("bell", settings.path("sinks").get(0).path("name").asText());

        ApiHarness.Reply put = api.call("PUT", "/api/v1/notifications/routes/" + id, operator,
                "{\"name\":\"health to bell\",\"enabled\":false,\"sinks\":[\"bell\"]}");
        assertEquals(200, put.status(), put.body());
        assertEquals(false, put.json().path("enabled").asBoolean(true));
        assertEquals(204, api.call("DELETE", "/api/v1/notifications/routes/" + id, operator, null).status());
        assertEquals(404, api.call("DELETE", "/api/v1/notifications/routes/" + id, operator, null).status());
        assertTrue(!api.call("GET", "/api/v1/notifications", viewer, null).json().path("routes").toString()
                .contains(id));

        ApiHarness.Reply test = api.call("POST", "/api/v1/notifications/test", operator, "{\"sink\":\"bell\"}");
        assertEquals(200, test.status(), test.body());
        assertEquals(400, api.call("POST", "/api/v1/notifications/test", operator, "{\"sink\":\"pager\"}").status());
    }

    @Test
    void theBellsChangesArriveOnTheLiveStream() throws Exception {
        StreamTest.Client c = StreamTest.Client.connect(api, viewer, "", Integer.MAX_VALUE);
        try {
            Alarm a = raise("rogue_server/198.18.0.77", Severity.CRITICAL, "02:00:00:00:00:77");
            ApiHarness.await(Duration.ofSeconds(10), () -> c.messages.stream().anyMatch(m ->
                    m.path("type").asText().equals("alarm") && m.path("change").asText().equals("raised")
                            && m.path("alarm").path("id").asText().equals(a.id())), "the raise on the stream");
            api.alarms.engine().clear(a.id(), "oncall", "");
            ApiHarness.await(Duration.ofSeconds(10), () -> c.messages.stream().anyMatch(m ->
                    m.path("change").asText().equals("cleared") && m.path("alarm").path("id").asText()
                            .equals(a.id())), "the clear on the stream");
        } finally {
            c.socket.abort();
        }
    }
}
