package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The appliance's public surface end to end: dhcp-processor with the full ruleset, a real ClickHouse and the API in
 * the lab's appliance namespace, real DHCP traffic (Kea, perfdhcp) through it, and {@code dpictl} (and plain HTTP
 * for what dpictl does not wrap) talking to the API from inside that namespace. Every resource answers with what the
 * traffic produced; an action taken through the API changes what the kernel drops.
 */
class ApiLabIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTP = 18_223 + (int) (ProcessHandle.current().pid() % 400);
    private static final int TCP = HTTP + 1000;
    private static final int API = 18_080;
    private static final String URL = "http://127.0.0.1:" + API;

    private static Lab lab;
    private static Lab.ProcessorProcess daemon;
    private static Path session;
    private static Path state;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        lab = Lab.up();
        lab.startClickHouse(HTTP, TCP);
        state = lab.run.resolve("state");
        session = lab.run.resolve("dpictl-session.json");
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
                  stream_slow_close_secs: 2
                operational:
                  websocket:
                    max_messages_per_second: 100000
                    burst: 100000
                """.formatted(HTTP, API, state));
        Lab.await(Duration.ofSeconds(60), () -> Files.exists(state.resolve("initial-admin-password"))
                && daemon.log().contains("action manager started"), "API users and the Action Manager");
        String password = Files.readString(state.resolve("initial-admin-password")).trim();
        Lab.Result login = dpictlWithStdin(password + "\n", "login", "-u", "admin", "--password-stdin");
        assertEquals(0, login.exit(), login.output());
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

    private static final Path DPICTL = DpictlRunner.JAR;

    private static String java() {
        return DpictlRunner.java();
    }

    /** dpictl in the appliance namespace, with this test's session file and the lab's API. */
    static Lab.Result dpictl(String... args) {
        return new DpictlRunner(lab, session, URL).run(args);
    }

    static Lab.Result dpictlWithStdin(String stdin, String... args) throws Exception {
        return new DpictlRunner(lab, session, URL).runWithStdin(stdin, args);
    }

    static JsonNode json(Lab.Result r) throws Exception {
        assertEquals(0, r.exit(), r.output());
        String out = r.output();
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    /** Plain HTTP from inside the namespace with the session's token: status, then the body. */
    static String[] http(String method, String path) {
        String py = """
                import json, urllib.request, urllib.error
                s = json.load(open('%s'))
                req = urllib.request.Request('%s' + '%s', method='%s', headers={'Authorization': 'Bearer ' + s['access_token']})
                try:
                    r = urllib.request.urlopen(req, timeout=30); print(r.status); print(r.read().decode())
                except urllib.error.HTTPError as e:
                    print(e.code); print(e.read().decode())
                """.formatted(session, URL, path, method);
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(60), "python3", "-c", py);
        int nl = r.output().indexOf('\n');
        return new String[] {r.output().substring(0, Math.max(0, nl)).trim(), r.output().substring(nl + 1)};
    }

    private static long clickhouse(String query) {
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(30), "clickhouse-client", "--port", Integer.toString(TCP),
                "--query", query);
        assertEquals(0, r.exit(), r.output());
        return Long.parseLong(r.output().trim());
    }

    private static String clickhouseText(String query) {
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(30), "clickhouse-client", "--port", Integer.toString(TCP),
                "--query", query);
        assertEquals(0, r.exit(), r.output());
        return r.output().trim();
    }

    private static long metric(String scrape, String series) {
        long sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(scrape);
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(2));
        }
        return sum;
    }

    @Test
    void statusCountersAndMetricsShowTheRunningApplianceAndMoveWithTraffic() throws Exception {
        JsonNode status = json(dpictl("status", "--json"));
        assertTrue(status.path("ready").asBoolean(), status.toString());
        assertEquals("xt-compat", status.path("queue_mode").asText());
        assertEquals("connected", status.path("clickhouse").asText());
        assertEquals(1, status.path("queues_bound").asLong());
        assertFalse(status.path("fail_open_in_effect").asBoolean());
        String[] before = http("GET", "/metrics");
        assertEquals("200", before[0]);
        assertTrue(lab.perfdhcp(4, 100, 2).contains("drops: 0"));
        String[] after = http("GET", "/metrics");
        long verdicted = metric(after[1], "dhcpshield_packets_verdicted_total");
        assertTrue(verdicted > metric(before[1], "dhcpshield_packets_verdicted_total") + 100, "moves with traffic");
        for (String name : List.of("dhcpshield_nfqueue_verdict_latency_seconds_bucket",
                "dhcpshield_writer_batch_size_bucket", "dhcpshield_http_request_seconds_bucket",
                "dhcpshield_nfqueue_received_total", "dhcpshield_fanout_delivered_total",
                "dhcpshield_stream_clients", "dhcpshield_actions_ready")) {
            assertTrue(after[1].contains(name), name + " in the scrape");
        }
        assertTrue(metric(after[1], "dhcpshield_nft_counter_packets_total") > 0
                || after[1].contains("dhcpshield_nft_counter_packets_total{counter=\"v4_discover_total\"}"),
                "the kernel's named counters");
        Lab.Result counters = dpictl("counters", "--match", "packets_verdicted");
        assertEquals(0, counters.exit(), counters.output());
        assertTrue(counters.output().contains("packets_verdicted"), counters.output());
    }

    @Test
    void everyResourceReturnsWhatTheTrafficProduced() throws Exception {
        assertTrue(lab.perfdhcp(4, 50, 2).contains("drops: 0"));
        Lab.await(Duration.ofSeconds(30), () -> clickhouse("SELECT count() FROM dhcp_shield.dhcp_bindings") > 0,
                "leases stored");
        String[] ack = clickhouseText("SELECT MACNumToString(client_mac), IPv6NumToString(ip) FROM "
                + "dhcp_shield.dhcp_bindings WHERE family = 4 ORDER BY lease_start DESC LIMIT 1").split("\t");
        String mac = ack[0].toLowerCase();
        String ip = ack[1].replace("::ffff:", "");
        JsonNode device = json(dpictl("device", mac, "--json"));
        assertTrue(device.path("events").asLong() >= 4, "DORA of the client: " + device);
        assertTrue(device.path("bindings").toString().contains(ip), device.toString());
        JsonNode who = json(dpictl("who-had", ip, "--json"));
        assertEquals(mac, who.path("bindings").get(0).path("client_mac").asText(), who.toString());
        String[] events = http("GET", "/api/v1/events?mac=" + mac + "&limit=50");
        assertEquals("200", events[0], events[1]);
        List<String> types = new ArrayList<>();
        JSON.readTree(events[1]).path("events").forEach(e -> types.add(e.path("msg_type").asText()));
        assertTrue(types.containsAll(List.of("DISCOVER", "OFFER", "REQUEST", "ACK")), types.toString());
    }

    @Test
    void anActionThroughTheApiPutsTheMarkInTheKernelSetAndNftablesDropsTheClientUntilUndone() throws Exception {
        JsonNode taken = json(dpictl("actions", "apply", "block", "02:00:5e:00:77:01", "--reason", "it", "--json"));
        String id = taken.path("records").get(0).path("id").asText();
        String set = lab.inNs(lab.app, Duration.ofSeconds(10), "nft", "list", "set", "inet", "dhcp_inspection",
                "llm_blocked_marks").output();
        assertTrue(set.contains("0x00007701"), set);
        long dropped = lab.nftCounters().getOrDefault("v4_discover_d", 0L);
        lab.sendUdp("198.19.0.2", 67, List.of(Lab.discover("02005e007701"), Lab.discover("02005e007701"),
                Lab.discover("02005e007701")));
        Lab.await(Duration.ofSeconds(10), () -> {
            try {
                return lab.nftCounters().getOrDefault("v4_discover_d", 0L) == dropped + 3;
            } catch (Exception e) {
                return false;
            }
        }, "the blocked client's DISCOVERs dropped by nftables");
        JsonNode listed = json(dpictl("actions", "list", "--active", "--json"));
        assertTrue(listed.toString().contains(id), listed.toString());
        assertEquals(0, dpictl("actions", "undo", id).exit());
        assertFalse(lab.inNs(lab.app, Duration.ofSeconds(10), "nft", "list", "set", "inet", "dhcp_inspection",
                "llm_blocked_marks").output().contains("0x00007701"), "undo removed the mark");
        long accepted = lab.nftCounters().getOrDefault("v4_discover_a", 0L);
        lab.sendUdp("198.19.0.2", 67, List.of(Lab.discover("02005e007701")));
        Lab.await(Duration.ofSeconds(10), () -> {
            try {
                return lab.nftCounters().getOrDefault("v4_discover_a", 0L) > accepted;
            } catch (Exception e) {
                return false;
            }
        }, "the client passes again");
        assertEquals(dropped + 3, lab.nftCounters().getOrDefault("v4_discover_d", 0L));
        JsonNode history = json(dpictl("actions", "list", "--json", "--actor", "user:admin"));
        assertTrue(history.toString().contains("undone"), history.toString());
    }

    @Test
    void aDenyThroughTheApiDropsTheClientAndSuppressesItsEvents() throws Exception {
        JsonNode taken = json(dpictl("actions", "apply", "deny", "02:00:5e:00:77:02", "--json"));
        String id = taken.path("records").get(0).path("id").asText();
        long denied = json(dpictl("counters", "--json")).path("metrics").path("packets_denied").path("total").asLong();
        long dropped = lab.nftCounters().getOrDefault("v4_discover_d", 0L);
        lab.sendUdp("198.19.0.2", 67, List.of(Lab.discover("02005e007702"), Lab.discover("02005e007702")));
        Lab.await(Duration.ofSeconds(10), () -> {
            try {
                return json(dpictl("counters", "--json")).path("metrics").path("packets_denied").path("total")
                        .asLong() == denied + 2;
            } catch (Exception e) {
                return false;
            }
        }, "the processor saw the denied client twice");
        assertEquals(dropped + 2, lab.nftCounters().getOrDefault("v4_discover_d", 0L), "and the kernel dropped it");
        Lab.await(Duration.ofSeconds(10), () -> daemon.metric("writer_buffered", "writer", "clickhouse") == 0,
                "the writer flushed");
        String[] events = http("GET", "/api/v1/events?mac=02:00:5e:00:77:02");
        assertEquals(0, JSON.readTree(events[1]).path("events").size(), "a denied client produces no events");
        assertEquals(0, dpictl("actions", "undo", id).exit());
    }

    @Test
    void dpictlListsDryRunsAndTogglesAutomationRulesAndQueuesAnAnalysis() throws Exception {
        Lab.await(Duration.ofSeconds(60), () -> dpictl("automation", "rules").output().contains("discover-volume"),
                "the seed rules");
        Lab.Result rules = dpictl("automation", "rules");
        assertEquals(0, rules.exit(), rules.output());
        assertTrue(rules.output().contains("client_minute_stats"), rules.output());
        Lab.Result dry = dpictl("automation", "dry-run", "discover-volume");
        assertEquals(0, dry.exit(), dry.output());
        assertTrue(dry.output().startsWith("dry_run discover-volume: matched"), dry.output());
        assertTrue(dpictl("automation", "disable", "nak-storm").output().contains("nak-storm disabled"));
        assertTrue(dpictl("automation", "enable", "nak-storm").output().contains("nak-storm enabled"));
        JsonNode runs = json(dpictl("automation", "runs", "--rule", "discover-volume", "--json"));
        assertEquals("dry_run", runs.path("runs").get(0).path("trigger").asText(), runs.toString());
        Lab.Result missing = dpictl("automation", "dry-run", "no-such-rule");
        assertEquals(1, missing.exit(), "refused by the API: " + missing.output());

        Lab.Result queued = dpictl("analysis", "queue", "02:00:5e:00:77:09");
        assertEquals(0, queued.exit(), queued.output());
        assertTrue(queued.output().startsWith("queued "), queued.output());
        String id = queued.output().trim().substring("queued ".length());
        Lab.await(Duration.ofSeconds(30), () -> dpictl("analysis", "list", "--target", "02:00:5e:00:77:09").output()
                .contains(id + "  02:00:5e:00:77:09"), "the analysis listed");
    }

    @Test
    void dpictlTailsTheLiveStream() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.app, "env", "DPICTL_SESSION=" + session,
                java(), "--enable-native-access=ALL-UNNAMED", "-jar", DPICTL.toString(), "events", "tail",
                "--type", "DISCOVER", "--count", "5", "--json", "--api", URL));
        Process tail = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Lab.await(Duration.ofSeconds(20), () -> {
            try {
                return json(dpictl("counters", "--json")).path("metrics").path("stream_clients").path("total")
                        .asLong() >= 1;
            } catch (Exception e) {
                return false;
            }
        }, "the tail connected");
        lab.perfdhcp(4, 50, 2);
        assertTrue(tail.waitFor(30, TimeUnit.SECONDS), "tail stopped after 5 events");
        assertEquals(0, tail.exitValue());
        List<String> lines = new String(tail.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        for (String l : lines) {
            JsonNode e = JSON.readTree(l);
            assertEquals("DISCOVER", e.path("msg_type").asText(), l);
            assertEquals("lab", e.path("site").asText());
        }
    }

    @Test
    void theLiveStreamCarriesEveryActionAppliedAndUndone() throws Exception {
        long connected = json(dpictl("counters", "--json")).path("metrics").path("stream_clients").path("total")
                .asLong();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.app, "env", "DPICTL_SESSION=" + session,
                java(), "--enable-native-access=ALL-UNNAMED", "-jar", DPICTL.toString(), "events", "tail",
                "--site", "no-such-site", "--seconds", "60", "--json", "--api", URL));
        Process tail = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(
                tail.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add));
        reader.start();
        try {
            Lab.await(Duration.ofSeconds(20), () -> {
                try {
                    return json(dpictl("counters", "--json")).path("metrics").path("stream_clients").path("total")
                            .asLong() > connected;
                } catch (Exception e) {
                    return false;
                }
            }, "the tail connected");
            JsonNode taken = json(dpictl("actions", "apply", "throttle", "02:00:5e:00:77:03", "--reason", "pushed",
                    "--json"));
            String id = taken.path("records").get(0).path("id").asText();
            assertEquals(0, dpictl("actions", "undo", id).exit());
            Lab.await(Duration.ofSeconds(20), () -> states(lines, id).containsAll(List.of("active", "undone")),
                    "the tail printed the action applied and then undone");
            for (String l : List.copyOf(lines)) {
                JsonNode m = JSON.readTree(l);
                assertEquals("action", m.path("type").asText(), "a foreign site's tail gets no events: " + l);
                assertEquals("user:admin", m.path("action").path("actor").asText(), l);
                assertEquals("02:00:5e:00:77:03", m.path("action").path("target").path("value").asText(), l);
            }
        } finally {
            tail.destroy();
            tail.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }

    private static List<String> states(List<String> lines, String id) {
        List<String> states = new ArrayList<>();
        for (String l : List.copyOf(lines)) {
            try {
                JsonNode a = JSON.readTree(l).path("action");
                if (id.equals(a.path("id").asText())) {
                    states.add(a.path("state").asText());
                }
            } catch (java.io.IOException e) {
                states.add("unreadable: " + l);
            }
        }
        return states;
    }

    @Test
    void configAndUsersAreManagedThroughDpictlAndUserManager() throws Exception {
        Lab.Result set = dpictl("config", "set", "operational.websocket.burst", "300");
        assertEquals(0, set.exit(), set.output());
        assertTrue(dpictl("config", "get", "operational.websocket.burst").output().contains("300"));
        String config = lab.run.resolve("config.yaml").toString();
        Lab.Result create = lab.inNs(lab.app, Duration.ofSeconds(60), "sh", "-c", "echo ops-password-123 | "
                + Lab.REPO.resolve("bin/user-manager") + " --config " + config
                + " create ops --role operator --password-stdin");
        assertEquals(0, create.exit(), create.output());
        Path opsSession = lab.run.resolve("ops-session.json");
        Lab.Result login = lab.inNs(lab.app, Duration.ofSeconds(60), "sh", "-c", "echo ops-password-123 | env "
                + "DPICTL_SESSION=" + opsSession + " " + java() + " -jar " + DPICTL + " login -u ops --password-stdin "
                + "--api " + URL);
        assertEquals(0, login.exit(), login.output());
        Lab.Result users = lab.inNs(lab.app, Duration.ofSeconds(60), Lab.REPO.resolve("bin/user-manager").toString(),
                "--config", config, "list");
        assertTrue(users.output().contains("ops") && users.output().contains("operator"), users.output());
        assertEquals(0, lab.inNs(lab.app, Duration.ofSeconds(60), Lab.REPO.resolve("bin/user-manager").toString(),
                "--config", config, "disable", "ops").exit());
        Lab.Result refused = lab.inNs(lab.app, Duration.ofSeconds(60), "sh", "-c", "echo ops-password-123 | env "
                + "DPICTL_SESSION=" + opsSession + " " + java() + " -jar " + DPICTL + " login -u ops --password-stdin "
                + "--api " + URL);
        assertEquals(1, refused.exit(), refused.output());
        assertTrue(refused.output().contains("invalid username or password"), refused.output());
    }

    @Test
    void aStalledStreamReaderIsClosedWhileTheVerdictPathCarriesOn() throws Exception {
        java.util.function.LongSupplier closedTooSlow = () -> {
            try {
                long n = 0;
                for (JsonNode x : json(dpictl("counters", "--json")).path("metrics").path("stream_closed")
                        .path("series")) {
                    if (x.path("labels").path("code").asText().equals("4008")) {
                        n += x.path("value").asLong();
                    }
                }
                return n;
            } catch (Exception e) {
                return -1;
            }
        };
        long closedBefore = closedTooSlow.getAsLong();
        // A stream client in the appliance namespace that completes the handshake and then never reads.
        String py = """
                import json, socket, time
                token = json.load(open('%s'))['access_token']
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.connect(('127.0.0.1', %d))
                s.sendall(('GET /api/v1/stream HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'
                    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n'
                    'Sec-WebSocket-Protocol: dhcp-shield.v1, bearer.' + token + '\\r\\n\\r\\n').encode())
                head = b''
                while not head.endswith(b'\\r\\n\\r\\n'):
                    head += s.recv(1)
                print(head.split(b'\\r\\n')[0].decode(), flush=True)
                time.sleep(120)
                """.formatted(session, API);
        Process stalled = new ProcessBuilder("ip", "netns", "exec", lab.app, "python3", "-c", py)
                .redirectErrorStream(true).start();
        try {
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(stalled.getInputStream()))
                    .readLine();
            assertTrue(status != null && status.contains("101"), "upgraded: " + status);
            Map<String, Long> before = lab.counters();
            long discoversBefore = lab.nftCounters().getOrDefault("v4_discover_total", 0L);
            long verdictedBefore = daemon.metric("packets_verdicted");
            long passedBefore = daemon.metric("nfqueue_passed_uninspected");
            long sent = lab.flood(4, 12, 4000, 1000);
            Lab.await(Duration.ofSeconds(30), () -> closedTooSlow.getAsLong() == closedBefore + 1,
                    "the stalled reader closed with 4008");
            Map<String, Long> after = lab.counters();
            long arrived = after.get("arrived") - before.get("arrived");
            assertTrue(arrived >= sent, arrived + " arrived of " + sent + " sent");
            Lab.await(Duration.ofSeconds(10), () -> daemon.metric("packets_verdicted") - verdictedBefore >= arrived,
                    "every packet that arrived verdicted");
            // The ruleset's per-type chains strip the type bits, so the verify table cannot tell marked from not
            // here; the seed's DISCOVER counter, reached only through route_by_type on the mark, can.
            assertEquals(arrived, lab.nftCounters().getOrDefault("v4_discover_total", 0L) - discoversBefore,
                    "every DISCOVER reached its per-type chain by its mark");
            assertEquals(passedBefore, daemon.metric("nfqueue_passed_uninspected"), "no fail-open pass");
        } finally {
            stalled.destroyForcibly();
        }
    }
}
