package io.dhcpshield.processor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.processor.systemd.NotifyReceiver;
import io.dhcpshield.transport.nfqueue.NetworkNamespace;
import io.dhcpshield.transport.tzsp.Tzsp;
import io.dhcpshield.transport.tzsp.agent.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code dhcp-agent} binary between two network namespaces: a client sends DHCPv4 (untagged and behind VLAN 100),
 * DHCPv6 and other traffic across a veth pair; the agent captures the site side and sends TZSP to a collector port on
 * the site's loopback, where tshark captures it. tshark must dissect the agent's output as TZSP carrying exactly the
 * DHCP frames a second tshark captured on the interface itself, byte for byte; the agent must count only those, and
 * a second collector with no route gets send errors without hurting the first. Needs root and tshark.
 */
@Timeout(90)
class DhcpAgentNamespaceTest {

    private static final String SITE_IP = "10.203.0.1";
    private static final String CLIENT_IP = "10.203.0.2";
    private static final String SITE_VLAN_IP = "10.203.1.1";
    private static final String CLIENT_VLAN_IP = "10.203.1.2";
    private static final String SITE_IP6 = "fd00:203::1";
    private static final String CLIENT_IP6 = "fd00:203::2";
    private static final String SITE_MAC = "02:00:00:00:03:01";
    private static final String CLIENT_MAC = "02:00:00:00:03:02";
    private static final String UNROUTABLE_COLLECTOR = "192.0.2.1";
    private static final int METRICS_PORT = 9137;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<Process> processes = new ArrayList<>();
    private String site;
    private String client;
    private Path dir;
    private ExecutorService clientThread;
    private NotifyReceiver systemd;

    @BeforeAll
    static void needsRootAndTshark() {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "skipped: creates network namespaces and captures, which needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "skipped: needs tshark");
    }

    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        if (systemd != null) {
            systemd.close();
        }
        if (clientThread != null) {
            clientThread.shutdownNow();
        }
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (String ns : new String[] {site, client}) {
            if (ns != null) {
                exec(false, "ip", "netns", "del", ns);
            }
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void forwardsExactlyTheDhcpFramesAsTzspThatTsharkDecodes() throws Exception {
        buildNetwork();
        int dhcpFrames = 4 + 2 + 2 + 1;  // DHCPv4, DHCPv4 on VLAN 100, DHCPv6, the final DHCPv4

        Path direct = dir.resolve("direct.pcap");
        Path tzsp = dir.resolve("tzsp.pcap");
        startTshark("direct", "veth-a", AgentConfig.DHCP_FILTER, dhcpFrames, direct);
        startTshark("tzsp", "lo", "udp dst port " + Tzsp.DEFAULT_PORT, dhcpFrames, tzsp);
        Process agent = startAgent();

        // Other traffic first, so that it would be in the agent's output before the DHCP frames if it were captured.
        sendFromClient(() -> {
            udp(CLIENT_IP, 40000, SITE_IP, 53, 60);
            udp(CLIENT_IP, 40001, SITE_IP, 123, 48);
            InetAddress.getByName(SITE_IP).isReachable(2000);
            for (int i = 0; i < 4; i++) {
                udp(CLIENT_IP, 68, SITE_IP, 67, discover(0x1000 + i, 300));
            }
            for (int i = 0; i < 2; i++) {
                sendRaw(vlanFrame(100, discover(0x2000 + i, 320)));
            }
            for (int i = 0; i < 2; i++) {
                udp6(CLIENT_IP6, 546, SITE_IP6, 547, solicit(0x3000 + i));
            }
            // More other traffic, then one last DHCP frame: once that is captured, everything before it was seen.
            udp(CLIENT_IP, 40002, SITE_IP, 53, 70);
            udp(CLIENT_IP, 40003, SITE_IP, 5353, 90);
            udp(CLIENT_IP, 68, SITE_IP, 67, discover(0x4000, 400));
            return null;
        });

        for (Process p : processes.subList(0, 2)) {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark did not capture " + dhcpFrames + " frames: "
                    + Files.readString(dir.resolve((p == processes.get(0) ? "direct" : "tzsp") + ".err")));
        }

        String metrics = metrics();
        assertTrue(metrics.contains("dhcpshield_agent_frames_captured_total " + dhcpFrames + ".0"), metrics);
        assertTrue(metrics.contains("dhcpshield_agent_frames_sent_total{collector=\"127.0.0.1:37008\"} "
                + dhcpFrames + ".0"), metrics);

        // The agent's output, as tshark dissects it.
        String dissected = exec(true, "tshark", "-r", tzsp.toString(), "-d", "udp.port==" + Tzsp.DEFAULT_PORT + ",tzsp",
                "-T", "fields", "-E", "separator=;", "-e", "tzsp.encap", "-e", "vlan.id", "-e", "dhcp.option.dhcp",
                "-e", "dhcpv6.msgtype");
        // (tshark also says on stderr that it runs as root.)
        List<String> lines = dissected.lines().filter(l -> l.matches("^\\d.*")).toList();
        assertEquals(dhcpFrames, lines.size(), dissected);
        assertEquals(dhcpFrames, lines.stream().filter(l -> l.startsWith("1;")).count(), dissected);
        assertEquals(2, lines.stream().filter(l -> l.equals("1;100;1;")).count(), dissected);
        assertEquals(5, lines.stream().filter(l -> l.equals("1;;1;")).count(), dissected);
        assertEquals(2, lines.stream().filter(l -> l.equals("1;;;1")).count(), dissected);

        // Byte for byte, by tshark alone: where tshark's TZSP dissector hands on the inner Ethernet frame, to the end of
        // the datagram, is the frame tshark captured on the interface, in the same order; the sensor-id tag is "lab-1".
        List<String> onTheWire = tsharkFrames(direct, false);
        List<String> carried = tsharkFrames(tzsp, true);
        assertEquals(dhcpFrames, onTheWire.size());
        assertEquals(onTheWire, carried);

        // Under systemd: READY after the capture opened, STATUS with the counters, pings from the live loops.
        NotifyReceiver.Message ready = systemd.await("READY=1", java.time.Duration.ofSeconds(10));
        assertTrue(ready.has("STATUS=captured="), ready.text());
        systemd.await(systemd.indexOf(ready), m -> m.has("WATCHDOG=1"), java.time.Duration.ofSeconds(10),
                "a watchdog ping");
        NotifyReceiver.Message counted = systemd.await(0, m -> m.has("STATUS=captured=" + dhcpFrames + " "),
                java.time.Duration.ofSeconds(10), "STATUS with the counters");
        // A quiet interface is not a wedged capture loop: two seconds (four watchdog half-periods) after the last
        // frame the pings go on, none withheld (libpcap 1.10's own read would block until the next frame).
        systemd.await(systemd.indexOf(counted), m -> m.has("WATCHDOG=1") && m.nanos() - counted.nanos() > 2e9,
                java.time.Duration.ofSeconds(10), "a watchdog ping 2 s into a quiet interface");
        assertTrue(systemd.messages().stream().noneMatch(m -> m.text().contains("withheld")),
                systemd.messages().toString());

        // SIGTERM: a clean stop that prints the final counters.
        agent.destroy();
        assertTrue(agent.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, agent.exitValue());
        systemd.await("STOPPING=1", java.time.Duration.ofSeconds(1));
        String log = Files.readString(dir.resolve("agent.log"));
        Matcher last = Pattern.compile("final counters: (.*)").matcher(log);
        assertTrue(last.find(), log);
        String counters = last.group(1);
        assertTrue(counters.startsWith("captured=" + dhcpFrames + " sent=" + dhcpFrames + " send_errors="
                + dhcpFrames + " dropped[queue_full=0 oversize=0 runt=0] kernel_drops=0"), counters);
        assertTrue(counters.contains("collector[127.0.0.1:37008 sent=" + dhcpFrames + " errors=0]"), counters);
        assertTrue(counters.contains("collector[" + UNROUTABLE_COLLECTOR + ":37008 sent=0 errors=" + dhcpFrames
                + "]"), counters);
    }

    @Test
    void anInterfaceTakenDownAndUpAgainIsReopenedAndCaptureResumes() throws Exception {
        buildNetwork();
        Process agent = startAgent();
        sendFromClient(() -> {
            udp(CLIENT_IP, 68, SITE_IP, 67, discover(0x5000, 300));
            udp(CLIENT_IP, 68, SITE_IP, 67, discover(0x5001, 300));
            return null;
        });
        awaitMetric("dhcpshield_agent_frames_sent_total{collector=\"127.0.0.1:37008\"}", 2);
        assertEquals(0, metric("dhcpshield_agent_capture_failures_total"));

        // Down: the capture fails (ENETDOWN) and every reopen fails while the link stays down.
        exec(true, "ip", "-n", site, "link", "set", "veth-a", "down");
        awaitMetric("dhcpshield_agent_capture_failures_total", 1);
        // Up: the next reopen works, and frames sent from then on are captured and sent.
        exec(true, "ip", "-n", site, "link", "set", "veth-a", "up");
        awaitFile(dir.resolve("agent.log"), "capturing on veth-a again", agent);
        await(() -> {
            try {
                return exec(true, "ip", "-n", client, "link", "show", "veth-c").contains("LOWER_UP");
            } catch (IOException e) {
                return false;
            }
        }, () -> "the client's veth never got its carrier back");
        sendFromClient(() -> {
            udp(CLIENT_IP, 68, SITE_IP, 67, discover(0x5002, 300));
            udp(CLIENT_IP, 68, SITE_IP, 67, discover(0x5003, 300));
            udp(CLIENT_IP, 68, SITE_IP, 67, discover(0x5004, 300));
            return null;
        });
        awaitMetric("dhcpshield_agent_frames_sent_total{collector=\"127.0.0.1:37008\"}", 5);
        assertEquals(5, metric("dhcpshield_agent_frames_captured_total"));
        assertTrue(metric("dhcpshield_agent_capture_failures_total") >= 1);
        assertTrue(agent.isAlive(), "the agent never stopped");
        agent.destroy();
        assertTrue(agent.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, agent.exitValue());
        String log = Files.readString(dir.resolve("agent.log"));
        assertTrue(log.contains("reopening in"), log);
    }

    /** One series of the agent's /metrics (0 when absent). */
    private double metric(String series) throws Exception {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private void awaitMetric(String series, double atLeast) throws Exception {
        await(() -> {
            try {
                return metric(series) >= atLeast;
            } catch (Exception e) {
                return false;
            }
        }, () -> {
            // What the agent said and counted by then: a timeout alone left nothing to read (a CI run at d4dca2e
            // waited 30 s for the capture failure of a link set down, which passes alone).
            String log;
            try {
                Path file = dir.resolve("agent.log");
                log = Files.exists(file) ? Files.readString(file) : "(no agent.log)";
            } catch (IOException e) {
                log = e.toString();
            }
            String counters;
            try {
                counters = metrics();
            } catch (Exception e) {
                counters = e.toString();
            }
            return series + " never reached " + atLeast + "\nagent.log:\n" + log + "\nmetrics:\n" + counters;
        });
    }

    private void buildNetwork() throws IOException {
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        site = "dag-" + id + "-s";
        client = "dag-" + id + "-c";
        dir = Files.createTempDirectory("dhcp-agent-test");
        exec(true, "ip", "netns", "add", site);
        exec(true, "ip", "netns", "add", client);
        exec(true, "ip", "-n", site, "link", "add", "veth-a", "address", SITE_MAC, "type", "veth", "peer", "name",
                "veth-c", "address", CLIENT_MAC, "netns", client);
        exec(true, "ip", "-n", site, "addr", "add", SITE_IP + "/24", "dev", "veth-a");
        exec(true, "ip", "-n", site, "addr", "add", SITE_IP6 + "/64", "dev", "veth-a", "nodad");
        exec(true, "ip", "-n", client, "addr", "add", CLIENT_IP + "/24", "dev", "veth-c");
        exec(true, "ip", "-n", client, "addr", "add", CLIENT_IP6 + "/64", "dev", "veth-c", "nodad");
        for (String[] link : new String[][] {{site, "lo"}, {site, "veth-a"}, {client, "lo"}, {client, "veth-c"}}) {
            exec(true, "ip", "-n", link[0], "link", "set", link[1], "up");
        }
        // Static neighbours: no ARP or neighbour discovery on the wire, and nothing waits for it.
        exec(true, "ip", "-n", client, "neigh", "replace", SITE_IP, "lladdr", SITE_MAC, "dev", "veth-c", "nud",
                "permanent");
        exec(true, "ip", "-n", client, "-6", "neigh", "replace", SITE_IP6, "lladdr", SITE_MAC, "dev", "veth-c",
                "nud", "permanent");
        exec(true, "ip", "-n", site, "neigh", "replace", CLIENT_IP, "lladdr", CLIENT_MAC, "dev", "veth-a", "nud",
                "permanent");
        clientThread = Executors.newSingleThreadExecutor(
                NetworkNamespace.threadFactory(client, Executors.defaultThreadFactory()));
    }

    private void startTshark(String name, String iface, String filter, int count, Path out) throws Exception {
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder("ip", "netns", "exec", site, "tshark", "-i", iface, "-f", filter, "-c",
                Integer.toString(count), "-w", out.toString())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(err.toFile()).start();
        processes.add(p);
        awaitFile(err, "Capturing on", p);
    }

    private Process startAgent() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve("agent.log");
        systemd = NotifyReceiver.bind(dir.resolve("notify").toString());
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", site, java, "-Xmx64m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DhcpAgent.class.getName(), "--interface", "veth-a", "--collector", "127.0.0.1",
                "--collector", UNROUTABLE_COLLECTOR, "--sensor-id", "lab-1",
                "--metrics-listen", "127.0.0.1:" + METRICS_PORT, "--stats-interval", "1s");
        pb.environment().put("NOTIFY_SOCKET", systemd.name());
        pb.environment().put("WATCHDOG_USEC", "1000000");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        awaitFile(log, "capturing on veth-a", p);
        return p;
    }

    /** GET /metrics from a thread in the site namespace (the endpoint listens on the site's loopback). */
    private String metrics() throws Exception {
        ExecutorService siteThread = Executors.newSingleThreadExecutor(
                NetworkNamespace.threadFactory(site, Executors.defaultThreadFactory()));
        try {
            return siteThread.submit(() -> {
                try (Socket s = new Socket("127.0.0.1", METRICS_PORT)) {
                    OutputStream out = s.getOutputStream();
                    out.write("GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }).get(10, TimeUnit.SECONDS);
        } finally {
            siteThread.shutdownNow();
        }
    }

    private void sendFromClient(Callable<Void> sends) throws Exception {
        clientThread.submit(sends).get(20, TimeUnit.SECONDS);
    }

    /**
     * Sends one Ethernet frame as is from the client's veth with an AF_PACKET socket (this kernel has no 802.1Q
     * module for a VLAN interface).
     */
    private void sendRaw(byte[] frame) throws IOException {
        StringBuilder hex = new StringBuilder();
        for (byte b : frame) {
            hex.append(String.format("%02x", b & 0xff));
        }
        exec(true, "ip", "netns", "exec", client, "python3", "-c", "import socket, sys\n"
                + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
                + "s.bind(('veth-c', 0))\n"
                + "s.send(bytes.fromhex(sys.argv[1]))", hex.toString());
    }

    /** Ethernet (client to site) / 802.1Q {@code vlan} / IPv4 / UDP 68 to 67 / {@code payload}. */
    private static byte[] vlanFrame(int vlan, byte[] payload) {
        ByteBuffer f = ByteBuffer.allocate(18 + 20 + 8 + payload.length);
        f.put(mac(SITE_MAC)).put(mac(CLIENT_MAC)).putShort((short) 0x8100).putShort((short) vlan)
                .putShort((short) 0x0800);
        int ip = f.position();
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length)).putInt(0)
                .put((byte) 64).put((byte) 17).putShort((short) 0);
        f.put(address(CLIENT_VLAN_IP)).put(address(SITE_VLAN_IP));
        int sum = 0;
        for (int i = ip; i < ip + 20; i += 2) {
            sum += f.getShort(i) & 0xffff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        f.putShort(ip + 10, (short) ~sum);
        // UDP checksum 0: none, which IPv4 allows.
        f.putShort((short) 68).putShort((short) 67).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return f.array();
    }

    private static byte[] mac(String text) {
        byte[] m = new byte[6];
        String[] parts = text.split(":");
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return m;
    }

    private static byte[] address(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    private static void udp(String from, int fromPort, String to, int toPort, int length) throws IOException {
        udp(from, fromPort, to, toPort, new byte[length]);
    }

    private static void udp(String from, int fromPort, String to, int toPort, byte[] payload) throws IOException {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
            c.bind(new InetSocketAddress(from, fromPort));
            c.send(ByteBuffer.wrap(payload), new InetSocketAddress(to, toPort));
        }
    }

    private static void udp6(String from, int fromPort, String to, int toPort, byte[] payload) throws IOException {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            c.bind(new InetSocketAddress(from, fromPort));
            c.send(ByteBuffer.wrap(payload), new InetSocketAddress(to, toPort));
        }
    }

    /** A DHCPDISCOVER (BOOTREQUEST, magic cookie, option 53 = 1) padded to {@code length}. */
    private static byte[] discover(int xid, int length) {
        byte[] b = new byte[length];
        ByteBuffer.wrap(b).put(0, (byte) 1).put(1, (byte) 1).put(2, (byte) 6).putInt(4, xid)
                .put(28, new byte[] {2, 0, 0, 0, 3, 2}).putInt(236, 0x63825363)
                .put(240, new byte[] {53, 1, 1, (byte) 255});
        return b;
    }

    /** A DHCPv6 SOLICIT with a DUID-LL client id. */
    private static byte[] solicit(int xid) {
        return new byte[] {1, (byte) (xid >> 16), (byte) (xid >> 8), (byte) xid, 0, 1, 0, 10, 0, 3, 0, 1, 2, 0, 0,
            0, 3, 2, 0, 8, 0, 2, 0, 0};
    }

    /**
     * Each frame of {@code pcap} as tshark's raw bytes (hex, {@code -T json -x}). With {@code tzsp}: the frame TZSP
     * carries, from the offset of the inner Ethernet layer tshark found after the TZSP header to the end of the
     * datagram (the loopback's frames have no trailer), and tshark's sensor-id tag must hold "lab-1".
     */
    private static List<String> tsharkFrames(Path pcap, boolean tzsp) throws IOException {
        List<String> command = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-T", "json", "-x",
                "--no-duplicate-keys"));
        if (tzsp) {
            command.addAll(List.of("-d", "udp.port==" + Tzsp.DEFAULT_PORT + ",tzsp"));
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        JsonNode packets = new ObjectMapper().readTree(p.getInputStream());
        List<String> out = new ArrayList<>();
        for (JsonNode packet : packets) {
            JsonNode layers = packet.path("_source").path("layers");
            String frame = layers.path("frame_raw").path(0).asText();
            if (!tzsp) {
                out.add(frame);
                continue;
            }
            JsonNode eth = layers.path("eth_raw");
            assertEquals(2, eth.size(), "the loopback's Ethernet layer and the one TZSP carries: " + eth);
            int inner = eth.path(1).path(1).asInt();
            JsonNode tzspLayer = layers.path("tzsp");
            assertEquals("1", tzspLayer.path("tzsp.version").asText(), tzspLayer.toString());
            assertEquals("1", tzspLayer.path("tzsp.encap").asText(), "Ethernet");
            String sensor = null;
            for (JsonNode tag : tzspLayer) {
                if (tag.isObject() && "60".equals(tag.path("tzsp.option_tag").asText())) {
                    int at = tag.path("tzsp.option_length_raw").path(1).asInt() + 1;
                    int length = tag.path("tzsp.option_length").asInt();
                    sensor = new String(java.util.HexFormat.of().parseHex(frame.substring(2 * at,
                            2 * (at + length))), StandardCharsets.UTF_8);
                }
            }
            assertEquals("lab-1", sensor, tzspLayer.toString());
            out.add(frame.substring(2 * inner));
        }
        return out;
    }

    private static void awaitFile(Path file, String text, Process process) throws Exception {
        await(() -> {
            try {
                return Files.exists(file) && Files.readString(file).contains(text);
            } catch (IOException e) {
                return false;
            }
        }, () -> {
            try {
                return file + " never said '" + text + "' (process alive: " + process.isAlive() + "): "
                        + (Files.exists(file) ? Files.readString(file) : "");
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + state.get());
            }
            Thread.sleep(20);
        }
    }

    private static String exec(boolean check, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || (check && p.exitValue() != 0)) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }
}
