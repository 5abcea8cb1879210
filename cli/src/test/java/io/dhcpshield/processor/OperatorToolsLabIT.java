package io.dhcpshield.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator tools of issue 15 end to end on the real lab: dhcp-processor with its ruleset, a real ClickHouse and
 * the API in the appliance namespace, Kea answering perfdhcp through the appliance. The Firewall Manager seeds the
 * shipped profiles, applies a merged ruleset and a swap (checked in {@code nft list} and in the traffic), refuses a
 * ruleset the kernel refuses with the kernel's words and the running one untouched, rolls back, applies the active
 * set after a restart, and reports drift after the table is flushed behind its back; the Flow Visualizer draws the
 * running ladder with live counters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorToolsLabIT {

    private static final int HTTP = 18_423 + (int) (ProcessHandle.current().pid() % 300);
    private static final int TCP = HTTP + 1000;
    private static final int API = 18_082;
    private static final String URL = "http://127.0.0.1:" + API;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String LOW = "dualstack_low_throttling";
    private static final String STRICT = "dualstack_strict_throttling";

    private static Lab lab;
    private static Lab.ProcessorProcess daemon;
    private static LabApi api;
    private static String config;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        lab = Lab.up();
        lab.startClickHouse(HTTP, TCP);
        Path state = lab.run.resolve("state");
        config = """
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
                capture:
                  dir: %s
                """.formatted(HTTP, API, state, lab.run.resolve("captures"));
        start();
        String password = Files.readString(state.resolve("initial-admin-password")).trim();
        api = new LabApi(lab, URL, lab.run.resolve("tools-token")).login("admin", password);
    }

    private static void start() throws Exception {
        daemon = lab.startProcessorWith(config);
        Lab.await(Duration.ofSeconds(60), () -> Files.exists(lab.run.resolve("state/initial-admin-password"))
                        && daemon.log().contains("action manager started"),
                "API users, the Firewall Manager's start-up apply and the Action Manager\n" + daemon.log());
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

    private static String nft(String... args) {
        List<String> cmd = new ArrayList<>(List.of("nft"));
        cmd.addAll(List.of(args));
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(30), cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    private static JsonNode rulesets() throws Exception {
        return api.get("/api/v1/firewall/rulesets");
    }

    private static List<String> active() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : rulesets().path("rulesets")) {
            if (r.path("active").asBoolean()) {
                out.add(r.path("name").asText() + "@" + r.path("active_version").asInt() + "#" + r.path("order").asInt());
            }
        }
        return out;
    }

    private static JsonNode apply(String mode, String... names) throws Exception {
        StringBuilder b = new StringBuilder("{\"mode\":\"" + mode + "\",\"rulesets\":[");
        for (int i = 0; i < names.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"name\":\"").append(names[i]).append("\"}");
        }
        return api.call("POST", "/api/v1/firewall/apply", b.append("]}").toString(), true);
    }

    /** The discover chain's per-client limit as nft prints it: which profile runs. */
    private static String discoverLimit() {
        String chain = nft("list", "chain", "inet", "dhcp_inspection", "v4_discover_chain");
        int at = chain.indexOf("limit rate over");
        return chain.substring(at, chain.indexOf('}', at)).strip();
    }

    @Test
    @Order(1)
    void aFreshDatabaseIsSeededWithTheShippedProfilesAndTheConfiguredOneRuns() throws Exception {
        JsonNode list = rulesets();
        assertEquals(3, list.path("rulesets").size(), list.toString());
        assertEquals(List.of(LOW + "@1#1"), active());
        JsonNode low = list.path("rulesets").get(0);
        assertEquals("profile:low", low.path("source").asText());
        assertEquals("xt-compat", low.path("summary").path("queue").asText());
        assertEquals(29, low.path("summary").path("chains").asInt());
        assertEquals("", list.path("kernel").path("drift").asText(), list.toString());
        assertTrue(list.path("kernel").path("applied").path("ok").asBoolean(), list.toString());
        assertTrue(discoverLimit().startsWith("limit rate over 50/second burst 100"), discoverLimit());
        assertTrue(api.get("/api/v1/firewall/diff?name=" + LOW).path("equal").asBoolean());
    }

    @Test
    @Order(2)
    void aMergedRulesetChangesTheTrafficAndLeavesTheRestWhileASwapStartsClean() throws Exception {
        assertTrue(lab.perfdhcp(4, 50, 2).contains("drops: 0"));
        String patch = """
                {"name":"lab-drop","comment":"drop DHCPv4 to servers at priority 95","body":{"nftables":[
                 {"table":{"family":"inet","name":"dhcp_inspection"}},
                 {"counter":{"family":"inet","table":"dhcp_inspection","name":"lab_dropped"}},
                 {"chain":{"family":"inet","table":"dhcp_inspection","name":"lab_drop","type":"filter","hook":"prerouting","prio":95,"policy":"accept"}},
                 {"rule":{"family":"inet","table":"dhcp_inspection","chain":"lab_drop","expr":[
                   {"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":67}},
                   {"counter":"lab_dropped"},{"drop":null}]}}]}}""";
        api.expect(201, "POST", "/api/v1/firewall/rulesets", patch);
        JsonNode v = api.expect(200, "POST", "/api/v1/firewall/validate",
                "{\"mode\":\"merge\",\"body\":" + api.get("/api/v1/firewall/rulesets/lab-drop").path("body") + "}");
        assertTrue(v.path("ok").asBoolean(), v.toString());

        assertEquals(200, apply("merge", "lab-drop").path("_status").asInt());
        assertEquals(List.of(LOW + "@1#1", "lab-drop@1#2"), active());
        String table = nft("list", "table", "inet", "dhcp_inspection");
        assertTrue(table.contains("chain lab_drop"), table);
        assertTrue(table.contains("chain v4_discover_chain"), "a merge leaves the rest");
        String out = lab.perfdhcp(4, 50, 2);
        assertTrue(out.contains("received packets: 0"), "the merged chain drops DISCOVERs: " + out);
        assertTrue(nft("list", "counter", "inet", "dhcp_inspection", "lab_dropped").matches("(?s).*packets [1-9].*"));

        JsonNode swap = apply("swap", LOW);
        assertEquals(200, swap.path("_status").asInt(), swap.toString());
        assertEquals(List.of(LOW + "@1#1"), active());
        assertFalse(nft("list", "table", "inet", "dhcp_inspection").contains("lab_drop"), "a swap starts clean");
        assertTrue(lab.perfdhcp(4, 50, 2).contains("drops: 0"), "DHCP flows again");
        assertEquals("", rulesets().path("kernel").path("drift").asText());
    }

    @Test
    @Order(3)
    void aRulesetTheKernelRefusesIsRejectedWithItsWordsAndTheRunningOneIsUntouched() throws Exception {
        ObjectNode body = (ObjectNode) api.get("/api/v1/firewall/rulesets/" + LOW).path("body");
        ArrayNode items = (ArrayNode) body.path("nftables");
        int bad = -1;
        for (int i = 0; i < items.size(); i++) {
            JsonNode r = items.get(i).path("rule");
            if (r.path("chain").asText().equals("dhcp_block") && r.path("expr").toString().contains("blocked_macs")) {
                ((ObjectNode) r.path("expr").get(0).path("match")).put("right", "@no_such_set");
                bad = i;
            }
        }
        ObjectNode create = LabApi.JSON.createObjectNode().put("name", "low-broken");
        create.set("body", body);
        api.expect(201, "POST", "/api/v1/firewall/rulesets", create.toString());
        JsonNode v = api.expect(200, "POST", "/api/v1/firewall/validate",
                "{\"mode\":\"swap\",\"body\":" + body + "}");
        assertFalse(v.path("ok").asBoolean(), v.toString());
        assertTrue(v.path("kernel_error").asText().contains("No such file or directory"), v.toString());
        assertEquals(bad, v.path("errors").get(0).path("index").asInt(), v.toString());
        assertTrue(v.path("errors").get(0).path("object").toString().contains("@no_such_set"));

        // Stateless and terse: counters of the lab's other tables and element expiry times move by themselves.
        String before = nft("-s", "-t", "list", "ruleset");
        JsonNode failed = apply("swap", "low-broken");
        assertEquals(422, failed.path("_status").asInt(), failed.toString());
        assertEquals("dry-run", failed.path("apply").path("stage").asText());
        assertEquals(before, nft("-s", "-t", "list", "ruleset"), "the running ruleset is untouched");
        assertEquals(List.of(LOW + "@1#1"), active());

        // Another table, and an in-place edit, are refused before the kernel sees anything.
        JsonNode foreign = api.expect(400, "POST", "/api/v1/firewall/rulesets", """
                {"name":"foreign","body":{"nftables":[{"chain":{"family":"inet","table":"filter","name":"input"}}]}}""");
        assertEquals("body.nftables[0]", foreign.path("error").path("field").asText(), foreign.toString());
        JsonNode inPlace = api.expect(409, "POST", "/api/v1/firewall/rulesets",
                "{\"name\":\"low-broken\",\"from_profile\":\"low\"}");
        assertEquals("exists", inPlace.path("error").path("code").asText());

        // Delete hides, undelete restores; an active ruleset cannot be deleted.
        api.expect(409, "DELETE", "/api/v1/firewall/rulesets/" + LOW, null);
        api.expect(204, "DELETE", "/api/v1/firewall/rulesets/low-broken", null);
        assertFalse(rulesets().toString().contains("low-broken"));
        assertTrue(api.get("/api/v1/firewall/rulesets?deleted=true").toString().contains("low-broken"));
        api.expect(200, "POST", "/api/v1/firewall/rulesets/low-broken/undelete", null);

        // Export and import under a new name round-trips the JSON.
        JsonNode bundle = api.get("/api/v1/firewall/export?names=lab-drop");
        ((ObjectNode) bundle.path("rulesets").get(0)).put("name", "lab-drop-imported");
        ((ObjectNode) bundle).remove("_status");
        JsonNode imported = api.expect(200, "POST", "/api/v1/firewall/import", bundle.toString());
        assertEquals("lab-drop-imported", imported.path("imported").get(0).path("name").asText(), imported.toString());
        assertTrue(api.get("/api/v1/audit?limit=100").toString().contains("firewall.import"));
    }

    @Test
    @Order(4)
    void rollbackReturnsToWhatAnEarlierApplyApplied() throws Exception {
        String lowApply = null;
        for (JsonNode a : api.get("/api/v1/firewall/applies").path("applies")) {
            if (lowApply == null && a.path("ok").asBoolean() && a.path("rulesets").toString().equals("[\"" + LOW + "@1\"]")) {
                lowApply = a.path("id").asText();
            }
        }
        assertEquals(200, apply("swap", STRICT).path("_status").asInt());
        assertTrue(discoverLimit().startsWith("limit rate over 5/second burst 10"), discoverLimit());
        JsonNode back = api.expect(200, "POST", "/api/v1/firewall/rollback", "{\"apply_id\":\"" + lowApply + "\"}");
        assertEquals(lowApply, back.path("apply").path("rollback_of").asText());
        assertTrue(discoverLimit().startsWith("limit rate over 50/second burst 100"), discoverLimit());
        assertEquals(List.of(LOW + "@1#1"), active());
    }

    @Test
    @Order(5)
    void aRestartAppliesTheActiveRulesetsFromTheDatabase() throws Exception {
        assertEquals(200, apply("swap", STRICT).path("_status").asInt());
        assertEquals(0, daemon.stop(), daemon.log());
        start(); // config.yaml still says profile: low
        Lab.await(WAIT, () -> discoverLimit().startsWith("limit rate over 5/second burst 10"),
                "the restarted daemon applying the active strict ruleset\n" + daemon.log());
        JsonNode last = api.get("/api/v1/firewall/applies").path("applies").get(0);
        assertEquals("system:start", last.path("actor").asText(), last.toString());
        assertEquals(STRICT + "@1", last.path("rulesets").get(0).asText());
        assertTrue(lab.perfdhcp(4, 3, 2).contains("drops: 0"));
    }

    @Test
    @Order(6)
    void flushingTheTableBehindTheDaemonsBackIsDriftInReadyAndTheFirewallPage() throws Exception {
        nft("flush", "table", "inet", "dhcp_inspection");
        Lab.await(WAIT, () -> {
            try {
                return !rulesets().path("kernel").path("drift").asText().isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, "drift after nft flush table");
        assertTrue(rulesets().path("kernel").path("drift").asText().contains("chain v4_discover_chain changed"));
        JsonNode ready = api.call("GET", "/api/v1/ready", null, true);
        assertFalse(ready.path("ready").asBoolean(true), ready.toString());
        assertTrue(ready.toString().contains("changed behind the daemon's back"), ready.toString());

        assertEquals(200, apply("swap", STRICT).path("_status").asInt());
        assertEquals("", rulesets().path("kernel").path("drift").asText());
    }

    @Test
    @Order(7)
    void theFlowVisualizerDrawsTheRunningLadderWithLiveCounters() throws Exception {
        lab.perfdhcp(4, 20, 2);
        Lab.await(WAIT, () -> {
            try {
                return flowStep("v4_discover_chain", "counter").path("packets").asLong() > 0;
            } catch (Exception e) {
                return false;
            }
        }, "the discover chain's live counter");
        JsonNode blocked = null;
        for (JsonNode s : api.get("/api/v1/firewall/flow?type=DISCOVER&direction=inbound").path("steps")) {
            if ("llm_blocked_marks".equals(s.path("set").asText()) && s.path("chain").asText().equals("v4_discover_chain")) {
                blocked = s;
            }
        }
        assertTrue(blocked != null && blocked.path("verdict").asText().equals("drop")
                && blocked.path("set_elements").isNumber(), String.valueOf(blocked));
        JsonNode types = api.get("/api/v1/firewall/flow/types");
        assertEquals(21, types.path("types").size());
        JsonNode ambiguous = api.call("GET", "/api/v1/firewall/flow?type=REQUEST", null, true);
        assertEquals(400, ambiguous.path("_status").asInt(), ambiguous.toString());
    }

    private static JsonNode flowStep(String chain, String kind) throws Exception {
        for (JsonNode s : api.get("/api/v1/firewall/flow?type=v4_discover").path("steps")) {
            if (s.path("chain").asText().equals(chain) && s.path("kind").asText().equals(kind)) {
                return s;
            }
        }
        return LabApi.JSON.createObjectNode();
    }

    @Test
    @Order(8)
    void aCaptureSessionWritesPcapngThatTsharkOpensWithEveryPacketAndItsComments() throws Exception {
        JsonNode started = api.expect(201, "POST", "/api/v1/captures", """
                {"label":"../../etc/passwd","filter":{"message_type":"DISCOVER","direction":"inbound"},
                 "max_packets":20,"max_seconds":120}""");
        String id = started.path("id").asText();
        assertEquals("running", started.path("state").asText());
        lab.perfdhcp(4, 20, 2);
        Lab.await(WAIT, () -> {
            try {
                return api.get("/api/v1/captures/" + id).path("state").asText().equals("stopped");
            } catch (Exception e) {
                return false;
            }
        }, "the capture stopping at its packet bound");
        JsonNode done = api.get("/api/v1/captures/" + id);
        assertEquals("max_packets", done.path("stop_reason").asText(), done.toString());
        assertEquals(20, done.path("packets").asInt());
        JsonNode list = api.get("/api/v1/captures");
        assertTrue(list.path("captures").toString().contains(id));
        assertTrue(list.path("counters").path("written").asLong() >= 20, list.toString());

        Path file = lab.run.resolve("download.pcapng");
        String headers = api.download("/api/v1/captures/" + id + "/download", file);
        assertTrue(headers.contains("filename=\"capture-" + id + ".pcapng\""), headers);
        Lab.Result all = Lab.exec(Duration.ofSeconds(60), "tshark", "-r", file.toString(), "-T", "fields",
                "-e", "frame.len", "-e", "frame.cap_len", "-e", "dhcp.option.dhcp", "-e", "frame.comment");
        assertEquals(0, all.exit(), all.output());
        List<String> rows = all.output().lines().filter(l -> l.matches("\\d+\\t.*")).toList();
        assertEquals(20, rows.size(), all.output());
        for (String row : rows) {
            String[] f = row.split("\t");
            assertEquals(f[0], f[1], "whole packet: " + row);
            assertEquals("1", f[2], "a DISCOVER tshark decodes: " + row);
            assertTrue(f[3].contains("mark=0x01") && f[3].contains("queue=1") && f[3].contains("direction=inbound")
                    && f[3].contains("site=lab"), row);
        }
        api.expect(400, "GET", "/api/v1/captures/..%2F..%2Fetc%2Fpasswd", null);
        api.expect(204, "DELETE", "/api/v1/captures/" + id, null);
        api.expect(404, "GET", "/api/v1/captures/" + id, null);
    }

    private static JsonNode awaitJob(String id, String state) {
        java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
        Lab.await(Duration.ofSeconds(180), () -> {
            try {
                last.set(api.get("/api/v1/bulk/jobs/" + id));
                return last.get().path("state").asText().equals(state);
            } catch (Exception e) {
                return false;
            }
        }, "bulk job " + id + " " + state + ": " + last.get());
        return last.get();
    }

    /** One number from the lab's ClickHouse (python3: the setup installs it; curl it does not). */
    private static long clickhouse(String sql) {
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(30), "python3", "-c",
                "import sys, urllib.request; print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], "
                        + "data=sys.argv[2].encode()), timeout=30).read().decode().strip())",
                "http://127.0.0.1:" + HTTP + "/?database=dhcp_shield", sql);
        assertEquals(0, r.exit(), r.output());
        String out = r.output().strip();
        return Long.parseLong(out.substring(out.lastIndexOf('\n') + 1));
    }

    private static String criteria;
    private static long clients;

    @Test
    @Order(9)
    void aBulkJobOverTenThousandClientsLandsTheirMarksInTheSetAndEveryOneInTheHistory() throws Exception {
        String since = java.time.Instant.now().minusSeconds(60).toString();
        lab.perfdhcp(4, 2500, 6); // ~15,000 DISCOVERs from a 60,000-MAC range: well over 10,000 clients
        criteria = "{\"since\":\"" + since + "\",\"message_type\":\"DISCOVER\"}";
        java.util.concurrent.atomic.AtomicReference<JsonNode> preview = new java.util.concurrent.atomic.AtomicReference<>();
        Lab.await(WAIT, () -> {
            try {
                preview.set(api.expect(200, "POST", "/api/v1/bulk/preview", "{\"criteria\":" + criteria + ",\"sample\":20}"));
                return preview.get().path("count").asLong() >= 10_000;
            } catch (Exception e) {
                return false;
            }
        }, "10,000 clients in ClickHouse: " + preview.get());
        assertEquals(20, preview.get().path("sample").size());
        JsonNode job = api.expect(201, "POST", "/api/v1/bulk/jobs", "{\"criteria\":" + criteria
                + ",\"action\":\"block\",\"duration_seconds\":600,\"reason\":\"lab bulk\",\"batch_size\":2000}");
        String id = job.path("id").asText();
        JsonNode done = awaitJob(id, "done");
        clients = done.path("total").asLong();
        assertTrue(clients >= 10_000, done.toString());
        assertEquals(clients, done.path("done").asLong(), done.toString());
        assertEquals(0, done.path("failed").asLong(), done.toString());
        assertEquals(clients, lab.setMarks("llm_blocked_marks").size(), "every client's mark is in the set");
        assertEquals(clients, clickhouse("SELECT uniqExact(action_id) FROM actions_log WHERE source = 'bulk_job'"
                + " AND actor = '" + id + "' AND action = 'block' AND state = 'active'"), "every client in the history");
        JsonNode page = api.get("/api/v1/actions?actor=bulk_job:" + id + "&limit=5");
        assertEquals(5, page.path("actions").size(), page.toString());
    }

    @Test
    @Order(10)
    void aCancelledJobStopsBetweenBatches() throws Exception {
        JsonNode job = api.expect(201, "POST", "/api/v1/bulk/jobs", "{\"criteria\":" + criteria
                + ",\"action\":\"monitor\",\"reason\":\"lab cancel\",\"batch_size\":50}");
        String id = job.path("id").asText();
        Lab.await(WAIT, () -> {
            try {
                return api.get("/api/v1/bulk/jobs/" + id).path("done").asLong() > 0;
            } catch (Exception e) {
                return false;
            }
        }, "the job's first batches");
        JsonNode cancelled = api.expect(200, "POST", "/api/v1/bulk/jobs/" + id + "/cancel", null);
        assertEquals("cancelled", cancelled.path("state").asText(), cancelled.toString());
        long done = cancelled.path("done").asLong();
        assertTrue(done > 0 && done < clients, cancelled.toString());
        assertEquals(0, done % 50, "stopped between batches: " + cancelled);
        assertEquals(done, lab.setMarks("llm_monitored_marks").size());
        assertEquals(done, awaitJob(id, "cancelled").path("done").asLong());
        assertEquals("cancelled", api.expect(200, "POST", "/api/v1/bulk/jobs/" + id + "/cancel", null).path("state").asText());
        api.expect(404, "POST", "/api/v1/bulk/jobs/" + UUID_ZERO + "/cancel", null);
    }

    private static final String UUID_ZERO = "00000000-0000-4000-8000-000000000000";
}
