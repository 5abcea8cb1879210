package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Automation end to end: the daemon with the full ruleset, a real ClickHouse and automation active, its seed rules,
 * and a perfdhcp flood from three clients through the appliance. The scheduler's next cycle after the flood's minute
 * that puts them over 300 DISCOVERs in the rule's window finds them with the seed rule {@code discover-volume} and
 * throttles them through the Action Manager (their marks land in the kernel's throttle set, the rule as the actor);
 * a quiet client that sent a few DISCOVERs is in no set. Every run is recorded. (The flood stays under the
 * higher-priority {@code discover-flood-client} rate of 200/min, which would block instead: priority and escalation
 * are proven by the automation module's tests.)
 */
// Beside the other lab tests (cli/pom.xml): its flood test mostly waits for two whole minutes of the rule's window.
// Its own methods run one after another on the class's thread.
@Execution(ExecutionMode.CONCURRENT)
class AutomationLabIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTP = 20_223 + (int) (ProcessHandle.current().pid() % 400);
    private static final int TCP = HTTP + 1000;
    private static final int API = 18_082;
    /** The test's chat-completions backend, in the appliance namespace. */
    private static final int LLM = 18_099;
    static final String FLOOD_BASE = "02:00:5e:00:aa:00";
    static final String QUIET = "02005e00bb01";

    private static Lab lab;
    private static Lab.ProcessorProcess daemon;
    private static String password;
    private static Process flood;
    private static Process llm;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        lab = Lab.up();
        lab.startClickHouse(HTTP, TCP);
        Path state = lab.run.resolve("state");
        daemon = lab.startProcessorWith("""
                site_id: lab
                counters_log_interval_secs: 1
                batch_size: 500
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
                automation:
                  enabled: true
                  analysis:
                    enabled: true
                    base_url: http://127.0.0.1:%d/v1
                    model: lab-test
                    api_key: lab-key
                    timeout_secs: 10
                operational:
                  automation:
                    active: true
                """.formatted(HTTP, API, state, LLM));
        // An OpenAI-compatible backend that recommends a block for every device it is asked about.
        String server = """
                import json, http.server
                class H(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
                        assert self.path == '/v1/chat/completions' and body['model'] == 'lab-test'
                        assert self.headers['Authorization'] == 'Bearer lab-key'
                        reply = {'choices': [{'index': 0, 'message': {'role': 'assistant',
                                 'content': json.dumps({'action': 'block', 'reason': 'lab backend: flagged'})}}]}
                        out = json.dumps(reply).encode()
                        self.send_response(200); self.send_header('Content-Type', 'application/json')
                        self.send_header('Content-Length', str(len(out))); self.end_headers(); self.wfile.write(out)
                http.server.HTTPServer(('127.0.0.1', %d), H).serve_forever()
                """.formatted(LLM);
        llm = new ProcessBuilder("ip", "netns", "exec", lab.app, "python3", "-c", server).redirectErrorStream(true)
                .redirectOutput(lab.run.resolve("llm.log").toFile()).start();
        Lab.await(Duration.ofSeconds(60), () -> Files.exists(state.resolve("initial-admin-password"))
                && daemon.log().contains("action manager started"), "API users and the Action Manager");
        password = Files.readString(state.resolve("initial-admin-password")).trim();
    }

    @AfterAll
    static void down() throws Exception {
        if (llm != null) {
            llm.destroy();
        }
        if (flood != null) {
            flood.destroy();
            flood.waitFor(10, TimeUnit.SECONDS);
        }
        if (daemon != null) {
            assertEquals(0, daemon.stop(), daemon.log());
        }
        if (lab != null) {
            lab.stopClickHouse();
            lab.close();
        }
    }

    /** The API from inside the appliance namespace, logged in as admin: the body of the answer as JSON. */
    static JsonNode api(String method, String path) throws Exception {
        return api(method, path, null);
    }

    static JsonNode api(String method, String path, String body) throws Exception {
        String py = """
                import json, urllib.request
                base = 'http://127.0.0.1:%d'
                def call(method, path, body=None, token=None):
                    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                        headers={'Content-Type': 'application/json', **({'Authorization': 'Bearer ' + token} if token else {})})
                    try:
                        return json.load(urllib.request.urlopen(req, timeout=60))
                    except urllib.error.HTTPError as e:
                        return {'status': e.code, 'body': e.read().decode()}
                t = call('POST', '/api/v1/auth/login', {'username': 'admin', 'password': '%s'})['access_token']
                body = %s
                print(json.dumps(call('%s', '%s', None if body is None else json.loads(body), t)))
                """.formatted(API, password, body == null ? "None" : "'" + body.replace("'", "\\'") + "'", method, path);
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(90), "python3", "-c", py);
        assertEquals(0, r.exit(), r.output());
        return JSON.readTree(r.output());
    }

    /** Active actions taken by a rule: target MAC (lower case) to action name. */
    private static List<String[]> byRule(String rule) throws Exception {
        List<String[]> out = new ArrayList<>();
        for (JsonNode a : api("GET", "/api/v1/actions/active").path("actions")) {
            if (a.path("actor").asText().equals("automation_rule:" + rule)) {
                out.add(new String[] {a.path("target").path("value").asText().toLowerCase(), a.path("action").asText(),
                        a.path("target").path("client_mark").asText()});
            }
        }
        return out;
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aFloodFromAFewClientsIsThrottledByTheVolumeRuleWhileAQuietClientIsLeftAlone() throws Exception {
        assertTrue(api("GET", "/api/v1/automation/rules/discover-volume").path("rule").path("enabled").asBoolean(),
                "the seed rule is there and enabled");
        lab.sendUdp("198.19.0.2", 67, List.of(Lab.discover(QUIET), Lab.discover(QUIET), Lab.discover(QUIET), Lab.discover(QUIET),
                Lab.discover(QUIET)));
        // Three clients, 9 DORA exchanges a second between them: ~180 DISCOVERs a minute each, so over 300 in the
        // window after two whole minutes, and under discover-flood-client's 200 a minute.
        flood = new ProcessBuilder("ip", "netns", "exec", lab.cli, "perfdhcp", "-4", "-r", "9", "-R", "3", "-p", "400",
                "-b", "mac=" + FLOOD_BASE, "-W", "500000", "-l", "198.18.0.2", "198.19.0.2")
                .redirectErrorStream(true).redirectOutput(lab.run.resolve("flood.log").toFile()).start();

        // Two whole minutes of the flood complete, the next cycle (every minute) finds it: throttle, tier 2 of 3.
        Lab.await(Duration.ofSeconds(300), () -> {
            try {
                return byRule("discover-volume").stream().anyMatch(a -> a[1].equals("throttle"));
            } catch (Exception e) {
                return false;
            }
        }, "discover-volume throttles the flooding clients");
        List<String[]> throttled = byRule("discover-volume");
        // Each client may hold the monitor of tier 1 and the throttle of tier 2 (the rule escalated).
        Set<String> clients = new TreeSet<>();
        throttled.forEach(a -> clients.add(a[0]));
        assertTrue(clients.size() <= 3, "only the three flooding clients: " + clients);
        Set<String> kernel = lab.setMarks("llm_throttled_marks");
        for (String[] a : throttled) {
            assertTrue(a[0].startsWith("02:00:5e:00:aa:"), "a flooding client: " + a[0]);
            if (a[1].equals("throttle")) {
                assertTrue(kernel.stream().anyMatch(m -> m.endsWith(a[2].substring(2))),
                        a[0] + "'s mark " + a[2] + " is in the kernel's throttle set " + kernel);
            }
        }
        String quietMark = "0x00" + QUIET.substring(6);
        for (String s : List.of("llm_throttled_marks", "llm_blocked_marks", "llm_monitored_marks")) {
            assertFalse(lab.setMarks(s).contains(quietMark), "the quiet client is in " + s);
        }

        JsonNode runs = api("GET", "/api/v1/automation/runs?rule=discover-volume");
        int acted = 0;
        for (JsonNode r : runs.path("runs")) {
            assertEquals("", r.path("error").asText(""), r.toString());
            acted += r.path("acted").asInt();
        }
        assertTrue(acted >= 1, "runs recorded with what they did: " + runs);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aDeviceQueuedForAnalysisIsBlockedOnTheBackendsRecommendationWithTheAnalysisAsActor() throws Exception {
        String mac = "02:00:5e:00:dd:01";
        lab.sendUdp("198.19.0.2", 67, List.of(Lab.discover(mac.replace(":", ""))));
        JsonNode queued = api("POST", "/api/v1/analysis", "{\"target\": \"" + mac + "\"}");
        assertEquals("queued", queued.path("status").asText(), queued.toString());
        String id = queued.path("id").asText();
        Lab.await(Duration.ofSeconds(90), () -> {
            try {
                return api("GET", "/api/v1/analysis/" + id).path("state").asText().equals("applied");
            } catch (Exception e) {
                return false;
            }
        }, "the analysis applied the backend's recommendation");
        JsonNode result = api("GET", "/api/v1/analysis/" + id);
        assertEquals("block", result.path("recommendation").asText(), result.toString());
        assertEquals("lab-test", result.path("model").asText(), result.toString());
        assertTrue(lab.setMarks("llm_blocked_marks").contains("0x0000dd01"), "the mark in the kernel's block set");
        boolean byAnalysis = false;
        for (JsonNode a : api("GET", "/api/v1/actions/active").path("actions")) {
            byAnalysis |= a.path("target").path("value").asText().equalsIgnoreCase(mac)
                    && a.path("actor").asText().equals("analysis:" + id);
        }
        assertTrue(byAnalysis, "the block's actor is the analysis");
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void theDetectorsFindAMarkCollisionAndAnUnrelayedChaddrThatIsNotTheSenderAndNothingElse() throws Exception {
        // Two MACs with the same low 24 bits share a client mark; a DHCPv4 DISCOVER sent unrelayed (giaddr 0) from
        // the client namespace whose chaddr is not the link-layer source the appliance saw.
        lab.sendUdp("198.19.0.2", 67, List.of(Lab.discover("02005e123456"), Lab.discover("0a005e123456"),
                Lab.discover("02005e00cc01")));
        Lab.await(Duration.ofSeconds(60), () -> {
            try {
                JsonNode ev = api("GET", "/api/v1/events?mac=02:00:5e:00:cc:01");
                return ev.path("events").size() > 0;
            } catch (Exception e) {
                return false;
            }
        }, "the crafted packets stored");
        List<JsonNode> alarms = new ArrayList<>();
        Lab.await(Duration.ofSeconds(60), () -> {
            try {
                api("POST", "/api/v1/automation/detectors/run");
                alarms.clear();
                api("GET", "/api/v1/automation/alarms?limit=100").path("alarms").forEach(alarms::add);
                return alarms.stream().anyMatch(a -> a.path("kind").asText().equals("mark_collision"))
                        && alarms.stream().anyMatch(a -> a.path("kind").asText().equals("chaddr_mismatch")
                        && a.path("message").asText().toLowerCase().contains("02:00:5e:00:cc:01"));
            } catch (Exception e) {
                return false;
            }
        }, "both detectors raised their alarm");
        for (JsonNode a : alarms) {
            String kind = a.path("kind").asText();
            String message = a.path("message").asText().toLowerCase();
            switch (kind) {
                case "mark_collision" -> assertTrue(message.contains("02:00:5e:12:34:56")
                        && message.contains("0a:00:5e:12:34:56"), "names both MACs: " + a);
                // Every DISCOVER this class crafts is sent unrelayed from the client namespace with a chaddr that is
                // not the namespace's MAC; perfdhcp's relayed clients are normal traffic and must not appear.
                case "chaddr_mismatch" -> assertTrue(List.of("02:00:5e:00:cc:01", "02:00:5e:12:34:56",
                        "0a:00:5e:12:34:56", "02:00:5e:00:dd:01", "02:00:5e:00:bb:01").stream()
                        .anyMatch(message::contains), "a crafted chaddr: " + a);
                default -> throw new AssertionError("an alarm on normal traffic: " + a);
            }
        }
    }
}
