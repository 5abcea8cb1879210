package io.dhcpshield.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The simulator against real Kea: the three namespaces of {@code lab/lab.sh} under a random prefix, Kea v4 and v6 in
 * the server namespace, the simulator in the client namespace as a relay (routed through the middle namespace). What
 * the simulator reports is checked against Kea's own statistics and the server namespace's UDP counters. Broadcast
 * mode runs against dnsmasq on the client segment (the lab's rogue), with its lease files as the oracle.
 */
class SimulatorLabTest {

    static final Path REPO = Path.of(System.getProperty("dhcpshield.repo", "..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static String prefix;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/kea-dhcp4")), "needs Kea");
        prefix = "sim" + Integer.toString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff), 36);
        String out = exec("env", "LAB=" + prefix, REPO.resolve("lab/lab.sh").toString(), "up");
        if (!out.contains("up")) {
            throw new IllegalStateException("lab.sh up: " + out);
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (prefix != null) {
            exec("env", "LAB=" + prefix, REPO.resolve("lab/lab.sh").toString(), "down");
        }
    }

    @Test
    void doraWith200ClientsCompletesWithoutTimeoutsAndKeaSawEveryMessage() throws Exception {
        Map<String, Long> before = kea(4);
        JsonNode r = simulate("-s", "198.19.0.2", "-p", "dora", "-c", "200", "-n", "200", "-r", "1000",
                "--mac-start", "02:00:5e:41:00:00");
        Map<String, Long> after = kea(4);
        assertEquals(200, r.at("/exchanges/completed").asLong());
        assertEquals(0, r.at("/exchanges/timeouts").asLong());
        assertEquals(200, r.at("/sent/DISCOVER").asLong());
        assertEquals(200, r.at("/received/ACK").asLong());
        assertEquals(200, delta(before, after, "pkt4-discover-received"));
        assertEquals(200, delta(before, after, "pkt4-request-received"));
        assertEquals(200, delta(before, after, "pkt4-ack-sent"));
        assertEquals(200, delta(before, after, "subnet[1].assigned-addresses"));
        assertEquals(200, r.at("/latencyMs/exchange/count").asLong());
    }

    @Test
    void sarrWith200ClientsThroughTwoRelayLevelsCompletesWithoutTimeouts() throws Exception {
        Map<String, Long> before = kea(6);
        JsonNode r = simulate("-6", "-s", "2001:db8:2::2", "-p", "sarr", "-c", "200", "-n", "200", "-r", "1000",
                "--relay-levels", "2", "--mac-start", "02:00:5e:61:00:00");
        Map<String, Long> after = kea(6);
        assertEquals(200, r.at("/exchanges/completed").asLong());
        assertEquals(0, r.at("/exchanges/timeouts").asLong());
        assertEquals(200, r.at("/received/REPLY").asLong());
        assertEquals(200, delta(before, after, "pkt6-solicit-received"));
        assertEquals(200, delta(before, after, "pkt6-request-received"));
        assertEquals(200, delta(before, after, "subnet[1].assigned-nas"));
    }

    @Test
    void releaseGivesEveryLeaseBack() throws Exception {
        Map<String, Long> before4 = kea(4);
        JsonNode r4 = simulate("-s", "198.19.0.2", "-p", "release", "-c", "100", "-n", "100", "-r", "1000",
                "--mac-start", "02:00:5e:42:00:00");
        Map<String, Long> after4 = kea(4);
        assertEquals(100, r4.at("/sent/RELEASE").asLong());
        assertEquals(100, delta(before4, after4, "pkt4-release-received"));
        assertEquals(0, delta(before4, after4, "subnet[1].assigned-addresses"));

        Map<String, Long> before6 = kea(6);
        JsonNode r6 = simulate("-6", "-s", "2001:db8:2::2", "-p", "release", "-c", "100", "-n", "100", "-r", "1000",
                "--mac-start", "02:00:5e:62:00:00");
        Map<String, Long> after6 = kea(6);
        assertEquals(100, r6.at("/exchanges/completed").asLong());
        assertEquals(0, r6.at("/exchanges/timeouts").asLong());
        assertEquals(100, delta(before6, after6, "pkt6-release-received"));
        assertEquals(0, delta(before6, after6, "subnet[1].assigned-nas"));
    }

    @Test
    void floodStarvationAndSpoofedReleaseSendWhatTheyClaim() throws Exception {
        Map<String, Long> before = kea(4);
        JsonNode flood = simulate("-s", "198.19.0.2", "-p", "flood", "-c", "4", "-n", "300", "-r", "3000",
                "--mac-start", "02:00:5e:43:00:00", "-t", "500");
        Map<String, Long> afterFlood = kea(4);
        assertEquals(300, flood.at("/sent/DISCOVER").asLong());
        assertEquals(0, flood.at("/sent/REQUEST").asLong());
        assertEquals(300, delta(before, afterFlood, "pkt4-discover-received"));
        assertEquals(0, delta(before, afterFlood, "subnet[1].assigned-addresses"));

        JsonNode starve = simulate("-s", "198.19.0.2", "-p", "starvation", "-c", "1", "-n", "150", "-r", "1000",
                "--seed", "7");
        Map<String, Long> afterStarve = kea(4);
        assertEquals(150, starve.at("/received/ACK").asLong());
        // One client configured, 150 random MACs: 150 leases.
        assertEquals(150, delta(afterFlood, afterStarve, "subnet[1].assigned-addresses"));

        JsonNode spoof = simulate("-s", "198.19.0.2", "-p", "spoofed-release", "-c", "50", "-n", "50", "-r", "1000",
                "--mac-start", "02:00:5e:44:00:00");
        Map<String, Long> afterSpoof = kea(4);
        assertEquals(50, spoof.at("/sent/RELEASE-SPOOFED").asLong());
        assertEquals(50, delta(afterStarve, afterSpoof, "pkt4-release-received"));
        // Kea has no way to tell: the victims' leases are gone.
        assertEquals(0, delta(afterStarve, afterSpoof, "subnet[1].assigned-addresses"));
    }

    @Test
    void rogueServerRepliesReachTheServerSide() throws Exception {
        Map<String, Long> before4 = kea(4);
        JsonNode r4 = simulate("-s", "198.19.0.2", "-p", "rogue-server", "-n", "40", "-r", "1000", "-t", "200");
        Map<String, Long> after4 = kea(4);
        assertEquals(40, r4.at("/sent/OFFER").asLong());
        assertEquals(40, delta(before4, after4, "pkt4-offer-received"));
        assertEquals(40, delta(before4, after4, "pkt4-ack-received"));

        Map<String, Long> before6 = kea(6);
        JsonNode r6 = simulate("-6", "-s", "2001:db8:2::2", "-p", "rogue-server", "-n", "40", "-r", "1000", "-t", "200");
        Map<String, Long> after6 = kea(6);
        assertEquals(40, r6.at("/sent/ADVERTISE").asLong());
        assertEquals(80, delta(before6, after6, "pkt6-received"));
    }

    @Test
    void malformedPacketsAllArriveAndKeaRejectsTheUnparseable() throws Exception {
        Map<String, Long> udp4 = udp("Udp:");
        Map<String, Long> before4 = kea(4);
        JsonNode r4 = simulate("-s", "198.19.0.2", "-p", "malformed", "-n", "50", "-r", "1000", "-t", "300");
        Map<String, Long> after4 = kea(4);
        long sent4 = r4.at("/sent").properties().stream().mapToLong(e -> e.getValue().asLong()).sum();
        assertEquals(50, sent4);
        assertEquals(10, r4.at("/sent/MALFORMED-truncated-header").asLong());
        assertEquals(50, delta(udp4, udp("Udp:"), "InDatagrams"));
        assertEquals(10, delta(before4, after4, "pkt4-parse-failed"));

        Map<String, Long> before6 = kea(6);
        JsonNode r6 = simulate("-6", "-s", "2001:db8:2::2", "-p", "malformed", "-n", "40", "-r", "1000", "-t", "300");
        Map<String, Long> after6 = kea(6);
        assertEquals(10, r6.at("/sent/MALFORMED-v6-truncated-header").asLong());
        assertEquals(40, delta(before6, after6, "pkt6-received"));
    }

    @Test
    void broadcastModeOnTheSegmentLeasesFromAServerThere() throws Exception {
        // dnsmasq on the client segment (lab.sh's rogue, DHCPv4 and DHCPv6): the simulator broadcasts DISCOVERs and
        // multicasts SOLICITs on br0, as clients on a LAN do, and takes the broadcast answers. dnsmasq's lease files
        // are the oracle: one lease per simulated MAC / DUID.
        String lab = REPO.resolve("lab/lab.sh").toString();
        String up = exec("env", "LAB=" + prefix, lab, "rogue-up") + exec("env", "LAB=" + prefix, lab, "rogue-v6");
        assertTrue(up.contains("rogue DHCPv6 server"), up);
        try {
            JsonNode r4 = simulate("-i", "br0", "-p", "dora", "-c", "60", "-n", "60", "-r", "300",
                    "--mac-start", "02:00:5e:45:00:00");
            assertEquals(60, r4.at("/exchanges/completed").asLong(), r4.toString());
            assertEquals(0, r4.at("/exchanges/timeouts").asLong());
            assertEquals(60, r4.at("/received/OFFER").asLong());
            assertEquals(60, r4.at("/received/ACK").asLong());
            assertEquals(60, leases("rogue.leases", " 02:00:5e:45:"));

            JsonNode r6 = simulate("-6", "-i", "br0", "-p", "sarr", "-c", "60", "-n", "60", "-r", "300",
                    "--mac-start", "02:00:5e:65:00:00");
            assertEquals(60, r6.at("/exchanges/completed").asLong(), r6.toString());
            assertEquals(0, r6.at("/exchanges/timeouts").asLong());
            assertEquals(60, r6.at("/received/REPLY").asLong());
            // DUID-LL (type 3, hardware type 1) of each MAC.
            assertEquals(60, leases("rogue6.leases", " 00:03:00:01:02:00:5e:65:"));
        } finally {
            exec("env", "LAB=" + prefix, lab, "rogue-down");
        }
    }

    // ------------------------------------------------------------------ harness

    /** The lines of one of the lab's dnsmasq lease files that contain {@code needle}. */
    static long leases(String file, String needle) throws IOException {
        return Files.readAllLines(Path.of("/tmp/" + prefix + "-lab", file)).stream()
                .filter(l -> l.contains(needle)).count();
    }

    /** Runs the simulator in the client namespace with {@code --json} and returns its report. */
    static JsonNode simulate(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-cli",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SimulatorCommand.class.getName()));
        cmd.addAll(List.of(args));
        cmd.add("--json");
        String out = exec(cmd.toArray(String[]::new));
        int at = out.indexOf('{');
        if (at < 0) {
            throw new IllegalStateException("no report: " + out);
        }
        return JSON.readTree(out.substring(at));
    }

    /** Kea's statistics (first sample of each), over its control socket. */
    static Map<String, Long> kea(int family) throws IOException {
        Path sock = Path.of("/tmp/" + prefix + "-lab/kea" + family + ".sock");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap("{\"command\":\"statistic-get-all\"}".getBytes(StandardCharsets.US_ASCII)));
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(65536);
            while (ch.read(b) > 0) {
                buf.write(b.array(), 0, b.position());
                b.clear();
            }
            Map<String, Long> out = new HashMap<>();
            JSON.readTree(buf.toByteArray()).path("arguments").properties()
                    .forEach(e -> out.put(e.getKey(), e.getValue().path(0).path(0).asLong()));
            return out;
        }
    }

    /** The server namespace's /proc/net/snmp counters of one protocol line ("Udp:"). */
    static Map<String, Long> udp(String proto) throws Exception {
        String[] lines = exec("ip", "netns", "exec", prefix + "-srv", "cat", "/proc/net/snmp").split("\n");
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith(proto) && lines[i + 1].startsWith(proto)) {
                String[] names = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int j = 1; j < names.length; j++) {
                    out.put(names[j], Long.parseLong(values[j]));
                }
                break;
            }
        }
        return out;
    }

    static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
        return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
    }

    static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        return out;
    }
}
