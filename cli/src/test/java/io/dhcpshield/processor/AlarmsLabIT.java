package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alarms engine end to end, on the real lab: dhcp-processor with the ruleset, a real ClickHouse and the API in
 * the appliance namespace; Kea (allow-listed) answering perfdhcp through the appliance; a second DHCP server —
 * dnsmasq — started on the client segment ({@code lab.sh rogue-up}) answering real dhclient clients; ClickHouse
 * stopped and restarted; the ruleset flushed behind the daemon's back. Alarms are read through the API, the way the
 * GUI and operators read them. The rules evaluate every second over a five-second window with a five-second hold, so
 * conditions raise and clear within seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlarmsLabIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTP = 18_623 + (int) (ProcessHandle.current().pid() % 300);
    private static final int TCP = HTTP + 1000;
    private static final int API = 18_081;
    private static final String URL = "http://127.0.0.1:" + API;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ROGUE = "rogue_server/198.18.0.9";

    private static Lab lab;
    private static Lab.ProcessorProcess daemon;
    private static LabApi api;
    private static DpictlRunner dpictl;
    /** What the Vector stand-in (lab/vector-receiver.py in the appliance namespace) received, one JSON per line. */
    private static Path vectorLines;
    private static final int VECTOR = 18_687;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        lab = Lab.up();
        lab.startClickHouse(HTTP, TCP);
        vectorLines = lab.run.resolve("vector.ndjson");
        lab.startInNs(lab.app, "python3", Lab.REPO.resolve("lab/vector-receiver.py").toString(), "127.0.0.1",
                Integer.toString(VECTOR), vectorLines.toString());
        Path state = lab.run.resolve("state");
        daemon = lab.startProcessorWith("""
                site_id: lab
                counters_log_interval_secs: 1
                batch_size: 200
                flush_duration_secs: 1
                nfqueue:
                  queue_count: 1
                enforcement:
                  install_ruleset: true
                  profile: low
                clickhouse:
                  enabled: true
                  endpoint: http://127.0.0.1:%d
                api:
                  enabled: true
                  listen_address: 127.0.0.1
                  port: %d
                  state_directory: %s
                alarms:
                  evaluate_interval_secs: 1
                  window_secs: 5
                  vector:
                    enabled: true
                    url: http://127.0.0.1:%d/
                    flush_interval_ms: 200
                operational:
                  alarms:
                    hold_seconds: 5
                    rogue_server:
                      allowed: "198.19.0.2, duid:0003000102005e000202"
                """.formatted(HTTP, API, state, VECTOR));
        Lab.await(Duration.ofSeconds(60), () -> Files.exists(state.resolve("initial-admin-password"))
                && daemon.log().contains("alarms: ") && daemon.log().contains("open alarms restored"),
                "API users and the alarms engine with its routes");
        String password = Files.readString(state.resolve("initial-admin-password")).trim();
        api = new LabApi(lab, URL, lab.run.resolve("alarms-token")).login("admin", password);
        dpictl = new DpictlRunner(lab, lab.run.resolve("dpictl-session.json"), URL);
        Lab.Result r = dpictl.login("admin", password);
        assertEquals(0, r.exit(), r.output());
    }

    @AfterAll
    static void down() throws Exception {
        if (daemon != null) {
            assertEquals(0, daemon.stop(), daemon.log());
        }
        if (lab != null) {
            lab.stopClickHouse();
            lab.close();
        }
    }

    static JsonNode call(String method, String path, String body, boolean auth) throws Exception {
        return api.call(method, path, body, auth);
    }

    static JsonNode get(String path) throws Exception {
        return api.get(path);
    }

    /** The alarms (any state) whose source key is {@code key}, newest first. */
    static List<JsonNode> alarms(String key) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : get("/api/v1/alarms?state=all&limit=500&q=" + key).path("alarms")) {
            if (a.path("source_key").asText().equals(key)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Waits for an alarm of {@code key} raised at or after {@code since} to be in {@code state}; returns it. */
    static JsonNode awaitAlarm(String key, Instant since, String state) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Lab.await(WAIT, () -> {
            try {
                for (JsonNode a : alarms(key)) {
                    if (!Instant.parse(a.path("raised_at").asText()).isBefore(since)
                            && a.path("state").asText().equals(state)) {
                        found.set(a);
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        }, "an alarm " + key + " in state " + state + " raised after " + since + "\n" + daemon.log());
        return found.get();
    }

    static long counter(String name) throws Exception {
        return get("/api/v1/counters").path("metrics").path(name).path("total").asLong();
    }

    static List<String> ids(JsonNode alarm, String role) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : alarm.path("context")) {
            if (p.path("role").asText().equals(role)) {
                out.add(p.path("id").asText());
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void anAllowListedServerAnsweringHundredsOfClientsNeverAlarms() throws Exception {
        long before = counter("alarm_events_counted");
        String out = lab.perfdhcp(4, 200, 3);
        assertTrue(out.contains("drops: 0"), out);
        Lab.await(WAIT, () -> {
            try {
                return counter("alarm_events_counted") >= before + 1000;
            } catch (Exception e) {
                return false;
            }
        }, "the alarm rules counting Kea's traffic");
        long evaluations = counter("alarm_evaluations");
        Lab.await(WAIT, () -> {
            try {
                return counter("alarm_evaluations") >= evaluations + 3;
            } catch (Exception e) {
                return false;
            }
        }, "three evaluations after the traffic");
        for (JsonNode a : get("/api/v1/alarms?state=all&limit=500&kind=rogue_server").path("alarms")) {
            throw new AssertionError("an allow-listed server raised a rogue-server alarm: " + a);
        }
    }

    @Test
    @Order(2)
    void aRogueServerOnTheClientSegmentRaisesAnAlarmNamingItsAddressMacAndTheClientsItAnswered() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        lab.labScript("rogue-up");
        lab.labScript("rogue-clients", "2");
        AtomicReference<JsonNode> alarm = new AtomicReference<>();
        Lab.await(WAIT, () -> {
            try {
                JsonNode a = awaitAlarm(ROGUE, since, "raised");
                alarm.set(a);
                return ids(a, "client").containsAll(List.of("02:00:5e:00:99:11", "02:00:5e:00:99:12"));
            } catch (AssertionError e) {
                return false;
            }
        }, "the rogue-server alarm naming both clients");
        JsonNode a = alarm.get();
        assertEquals("critical", a.path("severity").asText());
        assertEquals("dhcp", a.path("channel").asText());
        assertEquals("security", a.path("category").asText());
        JsonNode server = a.path("context").get(0);
        assertEquals("server", server.path("role").asText());
        assertEquals("198.18.0.9", server.path("id").asText());
        assertEquals("02:00:5e:00:07:01", server.path("mac").asText());
        assertTrue(server.path("count").asLong() >= 4, "two OFFERs and two ACKs at least: " + server);

        String id = a.path("id").asText();
        JsonNode ack = call("POST", "/api/v1/alarms/" + id + "/acknowledge", "{\"note\":\"looking\"}", true);
        assertEquals(200, ack.path("_status").asInt(), ack.toString());
        assertEquals("acknowledged", ack.path("state").asText());
        JsonNode again = call("POST", "/api/v1/alarms/" + id + "/acknowledge", "", true);
        assertEquals(409, again.path("_status").asInt(), again.toString());
        JsonNode summary = get("/api/v1/alarms/summary");
        assertTrue(summary.path("acknowledged").asInt() >= 1, summary.toString());
        JsonNode detail = get("/api/v1/alarms/" + id);
        List<String> states = new ArrayList<>();
        detail.path("history").forEach(h -> states.add(h.path("state").asText() + " by " + h.path("actor").asText()));
        assertEquals(List.of("raised by engine", "acknowledged by admin"), states, detail.toString());
        assertTrue(counter("notifications_sent") >= 2, "the bell got the raise and the acknowledgement");
        // The seed route "warnings and worse to Vector" sent the raise through the real Vector sink over HTTP.
        Lab.await(WAIT, () -> {
            try {
                for (String line : Files.readAllLines(vectorLines)) {
                    JsonNode n = JSON.readTree(line);
                    if (n.path("alarm").path("id").asText().equals(id) && n.path("change").asText().equals("raised")
                            && n.path("appliance").asText().equals("lab")
                            && n.path("route").asText().equals("warnings-to-vector")) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        }, "the rogue-server raise at the Vector receiver");
    }

    @Test
    @Order(3)
    void stoppingTheRogueServerClearsItsAlarmAfterTheHoldTime() throws Exception {
        JsonNode open = alarms(ROGUE).get(0);
        assertTrue(List.of("raised", "acknowledged").contains(open.path("state").asText()), open.toString());
        lab.labScript("rogue-down");
        JsonNode cleared = awaitAlarm(ROGUE, Instant.parse(open.path("raised_at").asText()), "cleared");
        assertEquals(open.path("id").asText(), cleared.path("id").asText());
        assertEquals("auto", cleared.path("cleared_by").asText());
        Duration quiet = Duration.between(Instant.parse(cleared.path("last_seen").asText()),
                Instant.parse(cleared.path("cleared_at").asText()));
        assertTrue(quiet.compareTo(Duration.ofSeconds(5)) >= 0, "cleared only after the hold time: " + quiet);
        Lab.await(WAIT, () -> {
            try {
                return get("/api/v1/alarms/" + open.path("id").asText()).path("history").size() == 3;
            } catch (Exception e) {
                return false;
            }
        }, "raised, acknowledged and cleared in the alarms table");

        String id = open.path("id").asText();
        Lab.Result list = dpictl.run("alarms", "list", "--state", "cleared", "-q", "rogue_server");
        assertEquals(0, list.exit(), list.output());
        assertTrue(list.output().contains(id) && list.output().contains("Rogue DHCP server 198.18.0.9"),
                list.output());
        Lab.Result show = dpictl.run("alarms", "show", id);
        assertEquals(0, show.exit(), show.output());
        assertTrue(show.output().contains("02:00:5e:00:07:01") && show.output().contains("acknowledged by admin")
                && show.output().contains("cleared      by auto"), show.output());
        Lab.Result again = dpictl.run("alarms", "clear", id);
        assertEquals(1, again.exit(), "clearing a cleared alarm is refused: " + again.output());
    }

    @Test
    @Order(4)
    void stoppingClickHouseRaisesTheWriterAlarmAndRestartingClearsIt() throws Exception {
        // No writer alarm may be open before the outage (a slow insert on a loaded machine raises one that clears
        // after the hold): the outage must raise its own.
        Lab.await(WAIT, () -> {
            try {
                return alarms("health/writer/clickhouse").stream().allMatch(a -> a.path("state").asText()
                        .equals("cleared"));
            } catch (Exception e) {
                return false;
            }
        }, "no writer alarm open before ClickHouse is stopped");
        Instant since = Instant.now();
        lab.stopClickHouse();
        lab.perfdhcp(4, 100, 2);
        JsonNode raised = awaitAlarm("health/writer/clickhouse", since, "raised");
        assertEquals("critical", raised.path("severity").asText());
        assertEquals("system", raised.path("channel").asText());
        lab.startClickHouse(HTTP, TCP);
        JsonNode cleared = awaitAlarm("health/writer/clickhouse", since, "cleared");
        assertEquals(raised.path("id").asText(), cleared.path("id").asText());
        Lab.await(WAIT, () -> {
            try {
                List<String> states = new ArrayList<>();
                get("/api/v1/alarms/" + raised.path("id").asText()).path("history")
                        .forEach(h -> states.add(h.path("state").asText()));
                return states.equals(List.of("raised", "cleared"));
            } catch (Exception e) {
                return false;
            }
        }, "the outage's raise and clear written to the history once ClickHouse is back");
    }

    @Test
    @Order(5)
    void changingOrFlushingTheRulesetBehindTheDaemonsBackRaisesTheRulesetAlarm() throws Exception {
        Instant since = Instant.now();
        lab.mustRun(lab.app, "nft", "flush", "chain", "inet", "dhcp_inspection", "v4_discover_chain");
        JsonNode drift = awaitAlarm("health/ruleset", since, "raised");
        assertTrue(drift.path("message").asText().contains("no longer matches"), drift.toString());
        JsonNode ready = call("GET", "/api/v1/ready", null, true);
        assertFalse(ready.path("ready").asBoolean(true), ready.toString());

        lab.mustRun(lab.app, "nft", "flush", "ruleset");
        Lab.await(WAIT, () -> {
            try {
                JsonNode a = alarms("health/ruleset").get(0);
                return a.path("id").asText().equals(drift.path("id").asText())
                        && a.path("message").asText().contains("not installed");
            } catch (Exception e) {
                return false;
            }
        }, "the same ruleset alarm now saying the table is missing");
    }
}
