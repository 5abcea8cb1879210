package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A remote site mirrored to a central collector, on real namespaces. The remote site is the lab's client segment
 * ({@code lab.sh rogue-up}: a bridge with real dhclient clients and a real DHCP server, dnsmasq, plus perfdhcp relaying
 * DHCPv4 and DHCPv6 to Kea through the lab's router); {@code dhcp-agent} captures on the segment's bridge and sends
 * TZSP over a veth to a central namespace, where dhcp-processor runs the collector. tshark captures on the same bridge
 * as the oracle: every DHCP frame it sees must become one event with the sensor's site and the frame's own addresses.
 * First passive (no queue, no ruleset; events also in ClickHouse), then inline with the seed's re-injection (the copies
 * pass the queue, drop_mirrored drops each one). Nothing mirrored may leave the central namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteSiteLabIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENSOR = "branch-7";
    private static final int HTTP = 19_623 + (int) (ProcessHandle.current().pid() % 300);
    private static final int TCP = HTTP + 1000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The remote site's dnsmasq ({@code lab.sh rogue-up}). */
    private static final String ROGUE_ALARM = "rogue_server/198.18.0.9";
    /** The client mark of the first dhclient client ({@code rogue-clients}: 02:00:5e:00:99:11). */
    private static final String BLOCKED_CLIENT_MARK = "0x00009911";

    private static Lab lab;
    private static String ctr;
    private static Process agent;
    /** The daemon of the running test, killed after it if the test failed before stopping it. */
    private static Lab.ProcessorProcess daemon;
    private static Path agentLog;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        lab = Lab.up();
        lab.labScript("rogue-up");
        ctr = lab.prefix + "-ctr";
        Lab.exec(Duration.ofSeconds(10), "ip", "netns", "del", ctr);
        must("ip", "netns", "add", ctr);
        must("ip", "netns", "exec", ctr, "ip", "link", "set", "lo", "up");
        must("ip", "link", "add", "k-ctr", "netns", lab.cli, "type", "veth", "peer", "name", "ctr0", "netns", ctr);
        lab.mustRun(lab.cli, "ip", "addr", "add", "10.99.0.1/30", "dev", "k-ctr");
        lab.mustRun(lab.cli, "ip", "link", "set", "k-ctr", "up");
        lab.mustRun(ctr, "ip", "addr", "add", "10.99.0.2/30", "dev", "ctr0");
        lab.mustRun(ctr, "ip", "link", "set", "ctr0", "up");
        // What leaves the central namespace on a real interface towards DHCP or the mirror ports: must stay 0.
        Path nft = Files.createTempFile("ctr", ".nft");
        Files.writeString(nft, """
                table inet ctr_verify {
                  counter mirrored_left {}
                  chain post {
                    type filter hook postrouting priority 100; policy accept;
                    oifname != "lo" udp dport { 67, 68, 546, 547, 1067, 1547 } counter name mirrored_left
                    oifname != "lo" udp sport { 67, 68, 546, 547, 1067, 1547 } counter name mirrored_left
                  }
                }
                """);
        lab.mustRun(ctr, "nft", "-f", nft.toString());
        Files.delete(nft);
        lab.startClickHouse(ctr, HTTP, TCP);
        agentLog = lab.run.resolve("agent.log");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.cli,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", Lab.JAR.toString(), "io.dhcpshield.processor.agent.DhcpAgent", "--interface", "br0",
                "--collector", "10.99.0.2:37008", "--sensor-id", SENSOR, "--stats-interval", "1s"));
        agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(agentLog.toFile()).start();
        Lab.await(WAIT, () -> log(agentLog).contains("counters:") || !agent.isAlive(), "the agent capturing");
        assertTrue(agent.isAlive(), log(agentLog));
    }

    @AfterEach
    void killDaemon() throws InterruptedException {
        if (daemon != null && daemon.process.isAlive()) {
            daemon.kill9();
        }
        daemon = null;
    }

    @AfterAll
    static void down() throws Exception {
        if (agent != null) {
            agent.destroy();
            agent.waitFor();
        }
        if (lab != null) {
            lab.stopClickHouse();
            lab.labScript("rogue-down");
            Lab.exec(Duration.ofSeconds(10), "ip", "netns", "del", ctr);
            lab.close();
        }
    }

    private static void must(String... cmd) {
        Lab.Result r = Lab.exec(Duration.ofSeconds(30), cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.output());
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** tshark on the remote segment's bridge, printing one line per DHCP frame (the oracle). */
    private static Process oracle(Path out) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", lab.cli, "tshark", "-l", "-n", "-i", "br0",
                "-f", "udp port 67 or udp port 68 or udp port 546 or udp port 547",
                "-T", "fields", "-E", "separator=|", "-e", "eth.src", "-e", "eth.dst", "-e", "dhcp.option.dhcp",
                "-e", "dhcpv6.msgtype", "-e", "ip.src", "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst")
                .redirectOutput(out.toFile())
                .redirectError(lab.run.resolve("tshark.err").toFile()).start();
        Lab.await(WAIT, () -> log(lab.run.resolve("tshark.err")).contains("Capturing on") || !p.isAlive(),
                "tshark capturing");
        return p;
    }

    /** One frame as "l2src l2dst family type ipsrc ipdst", from a tshark line. */
    private static String key(String tsharkLine) {
        String[] f = tsharkLine.split("\\|", -1);
        boolean v4 = !f[2].isEmpty();
        String type = v4 ? f[2].split(",")[0] : f[3].split(",")[0];
        String ips = v4 ? f[4] + " " + f[5] : f[6] + " " + f[7];
        return f[0] + " " + f[1] + " " + (v4 ? 4 : 6) + " " + type + " " + ips;
    }

    private static String key(JsonNode e) {
        return e.path("l2_src").asText() + " " + e.path("l2_dst").asText() + " " + e.path("family").asInt() + " "
                + e.path("msg_type_code").asInt() + " " + e.path("src_ip").asText() + " " + e.path("dst_ip").asText();
    }

    private static List<String> sorted(List<String> keys) {
        List<String> s = new ArrayList<>(keys);
        s.sort(null);
        return s;
    }

    private static List<String> oracleKeys(Path out) {
        List<String> keys = new ArrayList<>();
        for (String line : log(out).split("\n")) {
            if (!line.isBlank()) {
                keys.add(key(line));
            }
        }
        return keys;
    }

    private static List<JsonNode> events(Lab.ProcessorProcess p, int skip) {
        List<JsonNode> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.exists(p.eventsFile) ? Files.readAllLines(p.eventsFile) : List.of();
        } catch (IOException e) {
            return out;
        }
        for (int i = skip; i < lines.size(); i++) {
            try {
                out.add(JSON.readTree(lines.get(i)));
            } catch (IOException e) {
                // the last line may be half written
            }
        }
        return out;
    }

    /** Real clients and servers at the remote site: dhclient against dnsmasq, perfdhcp DHCPv4/v6 against Kea. */
    private static void remoteTraffic(int dhclients) {
        lab.labScript("rogue-clients", Integer.toString(dhclients));
        lab.perfdhcp(4, 50, 2);
        lab.perfdhcp(6, 50, 2);
    }

    private static long ctrCounter(String table, String name) throws IOException {
        Lab.Result r = lab.inNs(ctr, Duration.ofSeconds(10), "nft", "-j", "list", "counter", "inet", table, name);
        for (JsonNode n : JSON.readTree(r.output()).path("nftables")) {
            if (n.has("counter")) {
                return n.path("counter").path("packets").asLong();
            }
        }
        throw new AssertionError("no counter " + name + ": " + r.output());
    }

    private static String clickhouse(String sql) {
        Lab.Result r = lab.inNs(ctr, Duration.ofSeconds(30), "python3", "-c",
                "import sys,urllib.request;print(urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:"
                        + HTTP + "/', data=sys.argv[1].encode())).read().decode().strip())", sql);
        assertEquals(0, r.exit(), r.output());
        return r.output().trim();
    }

    @Test
    @Order(1)
    void passiveEveryRemoteFrameBecomesAnEventWithTheSiteAndItsOwnAddresses() throws Exception {
        Lab.ProcessorProcess p = daemon = lab.startProcessorIn(ctr, """
                site_id: central
                counters_log_interval_secs: 1
                batch_size: 100
                flush_duration_secs: 1
                clickhouse:
                  enabled: true
                  endpoint: http://127.0.0.1:%d
                collector:
                  allowed_agents: [10.99.0.0/30]
                alarms:
                  evaluate_interval_secs: 1
                  window_secs: 5
                operational:
                  alarms:
                    rogue_server:
                      allowed: "198.19.0.2, duid:0003000102005e000202"
                """.formatted(HTTP), "--passive");
        assertTrue(p.log().contains("collector"), p.log());
        Path out = lab.run.resolve("oracle-passive.txt");
        Process tshark = oracle(out);
        remoteTraffic(3);
        // Every frame tshark saw on the bridge is one event (same L2 source and destination, family, type).
        Lab.await(WAIT, () -> {
            List<String> want = sorted(oracleKeys(out));
            List<String> got = sorted(events(p, 0).stream().map(RemoteSiteLabIT::key).toList());
            return !want.isEmpty() && want.equals(got);
        }, "every mirrored frame as an event: tshark " + oracleKeys(out).size() + " frames, events "
                + events(p, 0).size());
        tshark.destroy();
        List<JsonNode> events = events(p, 0);
        assertTrue(events.stream().anyMatch(e -> e.path("family").asInt() == 6), "DHCPv6 mirrored too");
        assertTrue(events.stream().anyMatch(e -> "ACK".equals(e.path("msg_type").asText())
                && e.path("l2_src").asText().equals("02:00:5e:00:07:01")), "dnsmasq's ACKs from its own MAC");
        for (JsonNode e : events) {
            assertEquals(SENSOR, e.path("site").asText(), e.toString());
            assertEquals("tzsp", e.path("input").asText(), e.toString());
            assertTrue(e.path("agent").asText().startsWith("10.99.0.1:"), e.toString());
            assertEquals(0, e.path("queue").asInt());
        }
        // Relayed DHCPv4 keeps the original IP addresses of the remote site.
        assertTrue(events.stream().anyMatch(e -> "198.18.0.2".equals(e.path("src_ip").asText())
                && "198.19.0.2".equals(e.path("dst_ip").asText())), "perfdhcp (198.18.0.2) to Kea (198.19.0.2)");

        // The collector's counters in the status (the API's status and /metrics walk the same services).
        // The status is written once a second: wait for the one that counts the frames the events above came from.
        Lab.await(WAIT, () -> p.service("collector").path("detail").path("agents").path(0).path("frames").asLong()
                >= events.size(), "the status counting every mirrored frame: " + p.service("collector"));
        JsonNode collector = p.service("collector").path("detail");
        JsonNode agentEntry = collector.path("agents").get(0);
        assertEquals("10.99.0.1", agentEntry.path("address").asText(), collector.toString());
        assertEquals(SENSOR, agentEntry.path("sensor_id").asText());
        assertTrue(p.metric("tzsp_agent_last_seen_seconds") > 0, "last seen");
        assertEquals(-1, p.metric("nfqueue_received"), "passive: no queue");
        assertTrue(p.service("inspection").isMissingNode(), "passive: no inspection service");

        // A sender outside the allow-list (here the central host's own loopback) is counted and dropped.
        long refusedBefore = p.metric("tzsp_dropped", "reason", "not_allowed");
        lab.mustRun(ctr, "python3", "-c", "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
                + "s.sendto(bytes.fromhex('0100000101'),('127.0.0.1',37008))");
        Lab.await(WAIT, () -> p.metric("tzsp_dropped", "reason", "not_allowed") == refusedBefore + 1,
                "the refused sender counted");

        // Passive mode alarms on what it observes: the remote site's dnsmasq (not allow-listed, unlike Kea) raises
        // rogue_server with its address, kept in ClickHouse's alarm history; Kea, answering perfdhcp, raises nothing.
        Lab.await(WAIT, () -> clickhouse("SELECT count() FROM dhcp_shield.alarms WHERE source_key = '"
                + ROGUE_ALARM + "' AND state = 'raised'").matches("[1-9][0-9]*"), "the rogue_server alarm of the "
                + "remote site's dnsmasq: " + p.metric("alarms_open", "severity", "critical") + " critical open");
        assertTrue(p.metric("alarms_open", "severity", "critical") >= 1, "the alarm is open");
        assertEquals("0", clickhouse("SELECT count() FROM dhcp_shield.alarms WHERE kind = 'rogue_server' AND "
                + "source_key != '" + ROGUE_ALARM + "'"), "no alarm for an allow-listed server");

        // Stored with the site, input and agent (V013).
        Lab.await(WAIT, () -> clickhouse("SELECT count() FROM dhcp_shield.dhcp_events WHERE site_id = '" + SENSOR
                + "' AND input = 1 AND startsWith(agent, '10.99.0.1:')").equals(Integer.toString(events(p, 0).size())),
                "the mirrored events in ClickHouse (a late retry of a remote client included)");
        assertEquals(0, ctrCounter("ctr_verify", "mirrored_left"), "nothing mirrored leaves the central host");
        assertEquals(0, p.stop(), p.log());
    }

    @Test
    @Order(2)
    void reinjectedCopiesPassTheQueueAndDropMirroredDropsEachOne() throws Exception {
        Lab.ProcessorProcess p = daemon = lab.startProcessorIn(ctr, """
                site_id: central
                counters_log_interval_secs: 1
                nfqueue:
                  queue_count: 1
                enforcement:
                  install_ruleset: true
                  profile: low
                collector:
                  enabled: true
                  mode: reinject
                  allowed_agents: [10.99.0.0/30]
                """);
        int skip = events(p, 0).size();
        // A client the central ruleset blocks: its mirrored replies (OFFER/ACK copies on the output hook) must still
        // reach drop_mirrored, analysed, instead of being dropped by v4_*_out_chain.
        lab.mustRun(ctr, "nft", "add", "element", "inet", "dhcp_inspection", "llm_blocked_marks",
                "{ " + BLOCKED_CLIENT_MARK + " }");
        Path out = lab.run.resolve("oracle-reinject.txt");
        Process tshark = oracle(out);
        remoteTraffic(2);
        // A host elsewhere sending to a mirror port (here the agent's side of the link) is no mirrored copy: not
        // queued, not counted by drop_mirrored (only the loopback's copies are).
        lab.mustRun(lab.cli, "python3", "-c", "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
                + "s.sendto(bytes([1,1,6,0])+bytes(232)+bytes.fromhex('63825363350101ff'),('10.99.0.2',1067))");
        Lab.await(WAIT, () -> {
            List<String> want = sorted(oracleKeys(out));
            List<String> got = sorted(events(p, skip).stream().map(RemoteSiteLabIT::key).toList());
            return !want.isEmpty() && want.equals(got);
        }, "every re-injected frame as the original frame's event: tshark " + oracleKeys(out).size()
                + " frames, events " + (events(p, 0).size() - skip));
        tshark.destroy();
        List<JsonNode> events = events(p, skip);
        events.forEach(e -> assertEquals(SENSOR, e.path("site").asText(), e.toString()));
        assertTrue(events.stream().anyMatch(e -> "ACK".equals(e.path("msg_type").asText())
                && "02:00:5e:00:99:11".equals(e.path("client_mac").asText())), "the blocked client's mirrored ACK");
        // A remote client's late retry may add a frame after the list above: compare the counters with the events
        // of the same moment (the status is written once a second).
        Lab.await(WAIT, () -> {
            long n = events(p, skip).size();
            try {
                return p.metric("tzsp_reinjected") == n && p.metric("packets_mirrored", "result", "matched") == n
                        && ctrCounter("dhcp_inspection", "mirrored_dropped") == n;
            } catch (IOException e) {
                return false;
            }
        }, "every re-injection counted, met its frame, and dropped by drop_mirrored (" + events.size() + " events)");
        assertEquals(0, p.metric("packets_mirrored", "result", "unmatched"), "the stray sender's datagram never queued");
        assertTrue(lab.inNs(ctr, Duration.ofSeconds(10), "nft", "list", "set", "inet", "dhcp_inspection",
                "llm_blocked_marks").output().contains("0x00009911"), "the client stayed blocked");
        assertEquals(0, ctrCounter("ctr_verify", "mirrored_left"), "nothing mirrored leaves the central host");
        assertEquals(0, p.stop(), p.log());
    }
}
