package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The appliance as configured in production: dhcp-processor installs the full {@code inet dhcp_inspection} ruleset
 * (queueing through iptables-nft on this kernel) and stores every event in a real ClickHouse server, which runs in
 * the appliance namespace next to it. Real DORA and SARR exchanges (Kea, perfdhcp) go through.
 */
class ApplianceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Lab lab;
    private static String chDir;
    private static final int HTTP = 18_123 + (int) (ProcessHandle.current().pid() % 500);
    private static final int TCP = HTTP + 1000;

    @BeforeAll
    static void up() {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        try {
            lab = Lab.up();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        chDir = lab.run.resolve("clickhouse").toString();
        lab.mustRun(lab.app, Lab.REPO.resolve("storage/clickhouse/clickhouse.sh").toString(), "start", chDir,
                Integer.toString(HTTP), Integer.toString(TCP));
        lab.mustRun(lab.app, "clickhouse-client", "--port", Integer.toString(TCP), "--query",
                "CREATE DATABASE IF NOT EXISTS dhcp_shield");
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.inNs(lab.app, Duration.ofSeconds(30), Lab.REPO.resolve("storage/clickhouse/clickhouse.sh").toString(),
                    "stop", chDir);
            lab.close();
        }
    }

    private long clickhouse(String query) {
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(30), "clickhouse-client", "--port", Integer.toString(TCP),
                "--query", query);
        assertEquals(0, r.exit(), r.output());
        return Long.parseLong(r.output().trim());
    }

    /** Five DHCPOFFERs sent by a process on the appliance (so through OUTPUT, not PREROUTING). */
    private static final String LOCAL_OFFERS = String.join("\n",
            "import socket",
            "b = bytearray(300); b[0] = 2; b[1] = 1; b[2] = 6",
            "b[28:34] = bytes.fromhex('02005e0000aa'); b[236:240] = bytes([99, 130, 83, 99])",
            "b[240:244] = bytes([53, 1, 2, 255])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "[s.sendto(bytes(b), ('198.18.0.2', 68)) for _ in range(5)]");

    private Map<String, Long> rulesetCountersQuietly() {
        try {
            return rulesetCounters();
        } catch (Exception e) {
            return Map.of();
        }
    }

    private Map<String, Long> rulesetCounters() throws Exception {
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(10), "nft", "-j", "list", "counters", "table", "inet",
                "dhcp_inspection");
        Map<String, Long> out = new HashMap<>();
        for (JsonNode n : JSON.readTree(r.output()).path("nftables")) {
            if (n.has("counter")) {
                out.put(n.path("counter").path("name").asText(), n.path("counter").path("packets").asLong());
            }
        }
        return out;
    }

    @Test
    void processorInstallsTheRulesetMarksEveryExchangeAndStoresEveryEvent() throws Exception {
        long arrivedBefore = lab.counters().getOrDefault("arrived", 0L);
        Lab.ProcessorProcess p = lab.startProcessorWith("""
                site_id: it
                counters_log_interval_secs: 1
                batch_size: 500
                flush_duration_secs: 1
                nfqueue:
                  queue_count: 2
                enforcement:
                  install_ruleset: true
                  profile: low
                operational:
                  retention:
                    events_days: 45
                clickhouse:
                  enabled: true
                  endpoint: http://127.0.0.1:%d
                  database: dhcp_shield
                """.formatted(HTTP));
        assertTrue(p.log().contains("ruleset inet dhcp_inspection installed: profile dualstack_low_throttling, "
                + "queue mode xt-compat"), p.log());
        Lab.await(Duration.ofSeconds(30), () -> p.log().contains("ClickHouse event writer attached"), "storage");
        Lab.await(Duration.ofSeconds(30), () -> p.log().contains("action manager started: reconcile"),
                "action manager (ruleset + ClickHouse action log) reconciled at start");
        Lab.await(Duration.ofSeconds(10), () -> p.service("operational").path("detail").path("values")
                .has("operational.retention.events_days"), "operational config in the status file");
        assertEquals("45", p.service("operational").path("detail").path("values")
                        .path("operational.retention.events_days").asText(),
                "YAML overrides the compiled default (30) while the database has no value");
        String v4 = lab.perfdhcp(4, 100, 3);
        String v6 = lab.perfdhcp(6, 100, 3);
        assertTrue(v4.contains("drops: 0"), v4);
        assertTrue(v6.contains("drops: 0"), v6);
        // The outbound direction: replies generated on the appliance itself (a local server) leave through the
        // output hook, where dhcp_inspect_output queues them and route_output_by_type dispatches them.
        long offersBefore = rulesetCounters().getOrDefault("v4_offer_total", 0L);
        lab.inNs(lab.app, Duration.ofSeconds(20), "python3", "-c", LOCAL_OFFERS);
        Lab.await(Duration.ofSeconds(10),
                () -> rulesetCountersQuietly().getOrDefault("v4_offer_total", 0L) == offersBefore + 5, "local OFFERs");
        assertEquals(0, p.stop(), p.log());

        Map<String, Long> seed = rulesetCounters();
        long verdicted = p.metric("packets_verdicted");
        long arrived = lab.counters().get("arrived") - arrivedBefore;
        assertTrue(verdicted > 1000, "traffic flowed");
        // Every DHCP packet that reached the appliance was inspected (the per-type chains strip the type bits, so
        // the verify table's after-the-queue counters cannot be used here; the processor's count is compared).
        assertEquals(arrived + 5, verdicted, "nothing passed uninspected (the 5 local OFFERs never crossed prerouting)");
        java.util.function.ToLongFunction<String> byType = code -> p.metric("packets_by_type", "type_code", code);
        // The seed's per-type counters see exactly what the processor marked.
        assertEquals(byType.applyAsLong("0x01"), seed.get("v4_discover_total"), seed.toString());
        assertEquals(byType.applyAsLong("0x02"), seed.get("v4_offer_total"), seed.toString());
        assertEquals(byType.applyAsLong("0x03"), seed.get("v4_request_total"), seed.toString());
        assertEquals(byType.applyAsLong("0x05"), seed.get("v4_ack_total"), seed.toString());
        assertEquals(byType.applyAsLong("0x1c"), seed.get("v6_relay_forw_total"), seed.toString());
        assertEquals(byType.applyAsLong("0x1d"), seed.get("v6_relay_repl_total"), seed.toString());
        assertTrue(byType.applyAsLong("0x01") > 200, p.status().path("metrics").path("packets_by_type").toString());
        assertEquals(0, seed.get("v4_discover_d"), "no client was over the low profile's limits");
        // Every event is in ClickHouse, and the lease table learned from the ACKs.
        assertEquals(verdicted, clickhouse("SELECT count() FROM dhcp_shield.dhcp_events WHERE site_id = 'it'"));
        assertEquals(byType.applyAsLong("0x05"), clickhouse(
                "SELECT count() FROM dhcp_shield.dhcp_events WHERE site_id = 'it' AND family = 4 AND message_type = 5"));
        assertTrue(clickhouse("SELECT count() FROM dhcp_shield.dhcp_bindings WHERE site_id = 'it'") > 0);
    }

    @Test
    void clickHouseDownAtStartCostsNeitherVerdictsNorEventsWhileTheWriterBuffers() throws Exception {
        String script = Lab.REPO.resolve("storage/clickhouse/clickhouse.sh").toString();
        lab.mustRun(lab.app, script, "stop", chDir);
        Lab.ProcessorProcess p;
        try {
            p = lab.startProcessorWith("""
                    site_id: it-outage
                    counters_log_interval_secs: 1
                    batch_size: 100
                    flush_duration_secs: 1
                    nfqueue:
                      queue_count: 1
                    clickhouse:
                      enabled: true
                      endpoint: http://127.0.0.1:%d
                      database: dhcp_shield
                    """.formatted(HTTP), "--install-queue-rule");
            assertTrue(p.log().contains("dhcp-processor started"), "the daemon starts without its database");
            String v4 = lab.perfdhcp(4, 50, 2);
            assertTrue(v4.contains("drops: 0"), v4);
            Lab.await(Duration.ofSeconds(10), () -> p.metric("packets_verdicted") > 50, "verdicts while storage is down");
            Lab.await(Duration.ofSeconds(10), () -> !p.service("storage").path("reason").asText().isEmpty(),
                    "storage reports why it is not ready");
            assertFalse(p.service("storage").path("ready").asBoolean(), p.service("storage").toString());
            assertTrue(p.service("storage").path("reason").asText().contains("127.0.0.1:" + HTTP),
                    p.service("storage").toString());
        } finally {
            lab.mustRun(lab.app, script, "start", chDir, Integer.toString(HTTP), Integer.toString(TCP));
        }
        Lab.await(Duration.ofSeconds(60), () -> p.log().contains("ClickHouse event writer attached"),
                "storage attaches once ClickHouse is back");
        String v4 = lab.perfdhcp(4, 50, 2);
        assertTrue(v4.contains("drops: 0"), v4);
        assertEquals(0, p.stop(), p.log());
        long verdicted = p.metric("packets_verdicted");
        long stored = clickhouse("SELECT count() FROM dhcp_shield.dhcp_events WHERE site_id = 'it-outage'");
        assertTrue(p.metric("writer_failures", "writer", "clickhouse") > 0, "batches failed while it was down");
        assertEquals(0, p.metric("writer_dropped", "writer", "clickhouse"));
        assertEquals(verdicted, stored, "the writer buffered the outage's events and stored every one");
    }
}
