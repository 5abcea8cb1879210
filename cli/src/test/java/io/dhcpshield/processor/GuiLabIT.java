package io.dhcpshield.processor;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GUI end to end in a real browser: dhcp-processor with the full ruleset, a real ClickHouse and the API (which
 * serves the GUI) in the lab's appliance namespace, perfdhcp traffic through it — many clients, plus one steady
 * client that does a DORA every half second — and {@code gui/e2e/e2e.mjs} driving Debian's Chromium headless
 * through Playwright from inside that namespace: log in, live events, the device page, block the steady client from
 * the GUI and see nftables drop its packets, undo and see its exchanges complete again, axe on every page, the
 * viewer role, screenshots. The kernel's own counters are checked here as well, not only through the API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuiLabIT {

    private static final int HTTP = 19_223 + (int) (ProcessHandle.current().pid() % 400);
    private static final int TCP = HTTP + 1000;
    private static final int API = 18_081;
    /** The steady client: perfdhcp with one client from this base MAC repeats its exchanges with this MAC. */
    static final String STEADY_MAC = "02:00:5e:00:99:01";
    static final Path SCREENSHOTS = Lab.REPO.resolve("gui/target/screenshots");

    private static Lab lab;
    private static Lab.ProcessorProcess daemon;
    private static String password;
    private static final List<Process> traffic = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium), chromium + " missing: ./dhcp-shield setup installs Debian's chromium");
        assertTrue(Files.isDirectory(Lab.REPO.resolve("gui/node_modules/playwright-core")),
                "gui/node_modules missing: ./dhcp-shield setup runs npm ci in gui/");
        lab = Lab.up();
        lab.startClickHouse(HTTP, TCP);
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
                capture:
                  dir: %s
                operational:
                  alarms:
                    hold_seconds: 900
                    rogue_server:
                      allowed: 198.19.0.2
                """.formatted(HTTP, API, state, lab.run.resolve("captures")));
        Lab.await(Duration.ofSeconds(60), () -> Files.exists(state.resolve("initial-admin-password"))
                && daemon.log().contains("action manager started"), "API users and the Action Manager");
        // A rogue DHCP server on the client segment answering two clients: the alarm the e2e's bell steps look at.
        lab.labScript("rogue-up");
        lab.labScript("rogue-clients", "2");
        password = Files.readString(state.resolve("initial-admin-password")).trim();
        // Many clients at 10 exchanges/s, and the steady one at 2/s, each for longer than the test runs.
        // Two perfdhcp cannot share the relay's port 67 on one address: the steady client is relayed from a second.
        lab.mustRun(lab.cli, "ip", "addr", "add", "198.18.0.3/16", "dev", "br0");
        traffic.add(perfdhcp("198.18.0.2", "ge0001", "-r", "10", "-R", "60000"));
        traffic.add(perfdhcp("198.18.0.3", "ge0099", "-r", "2", "-R", "1", "-b", "mac=" + STEADY_MAC));
    }

    /** perfdhcp as a relay at {@code relay}, adding Option 82 with this circuit id and the relay's remote id. */
    private static Process perfdhcp(String relay, String circuit, String... args) throws Exception {
        String option82 = "82,0106" + java.util.HexFormat.of().formatHex(circuit.getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)) + "020602005e000102";
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.cli, "perfdhcp", "-4", "-p", "900",
                "-W", "500000", "-l", relay, "-o", option82));
        cmd.addAll(List.of(args));
        cmd.add("198.19.0.2");
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(lab.run.resolve("perfdhcp-" + traffic.size() + ".log").toFile()).start();
    }

    @AfterAll
    static void down() throws Exception {
        for (Process p : traffic) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (daemon != null) {
            assertEquals(0, daemon.stop(), daemon.log());
        }
        if (lab != null) {
            lab.stopClickHouse();
            lab.close();
        }
    }

    @Test
    @Order(1)
    void anOperatorBlocksAndUnblocksAClientFromTheBrowserAndNftablesFollows() throws Exception {
        long droppedBefore = lab.nftCounters().getOrDefault("v4_discover_d", 0L);
        Files.createDirectories(SCREENSHOTS);
        Path log = lab.run.resolve("gui-e2e.log");
        Process node = new ProcessBuilder("ip", "netns", "exec", lab.app, "env",
                "GUI_URL=http://127.0.0.1:" + API, "GUI_USER=admin", "GUI_PASSWORD=" + password,
                "E2E_MAC=" + STEADY_MAC, "E2E_ALARMS=1", "E2E_TOOLS=1", "SCREENSHOTS=" + SCREENSHOTS,
                "node", Lab.REPO.resolve("gui/e2e/e2e.mjs").toString())
                .directory(Lab.REPO.resolve("gui").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = node.waitFor(420, TimeUnit.SECONDS);
        for (Process p : traffic) {
            assertTrue(p.isAlive(), "perfdhcp ran throughout: " + p.info().commandLine().orElse("?"));
        }
        if (!ended) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        System.out.println("gui/e2e/e2e.mjs:\n" + output);
        assertTrue(ended, "the browser test ended within 7 minutes:\n" + output);
        assertEquals(0, node.exitValue(), "gui/e2e/e2e.mjs failed:\n" + output + "\ndaemon log tail:\n"
                + tail(daemon.log(), 40));
        // The kernel dropped the steady client's DISCOVERs while the GUI's block was in force.
        assertTrue(lab.nftCounters().getOrDefault("v4_discover_d", 0L) > droppedBefore, "nftables dropped the blocked client");
        for (String page : List.of("login", "dashboard", "live-events", "device", "actions", "bell", "alarms", "alarm-detail",
                "notifications", "firewall", "ruleset", "flow", "bulk-preview", "captures")) {
            try (var files = Files.list(SCREENSHOTS)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(page)),
                        "a screenshot of the " + page + " page in " + SCREENSHOTS);
            }
        }
    }

    /** Last: ClickHouse is stopped under a logged-in browser and started again. */
    @Test
    @Order(2)
    void withClickHouseDownThePagesSayItIsNotReadyInsteadOfBreaking() throws Exception {
        Path log = lab.run.resolve("gui-outage.log");
        Process node = new ProcessBuilder("ip", "netns", "exec", lab.app, "env",
                "GUI_URL=http://127.0.0.1:" + API, "GUI_USER=admin", "GUI_PASSWORD=" + password,
                "E2E_MAC=" + STEADY_MAC, "E2E_ALARMS=1", "SCREENSHOTS=" + SCREENSHOTS,
                "node", Lab.REPO.resolve("gui/e2e/outage.mjs").toString())
                .directory(Lab.REPO.resolve("gui").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Lab.await(Duration.ofSeconds(90), () -> {
                try {
                    return Files.readString(log).contains("e2e-outage: logged in") || !node.isAlive();
                } catch (java.io.IOException e) {
                    return false;
                }
            }, "the browser logged in");
            lab.stopClickHouse();
            node.getOutputStream().write('\n');
            node.getOutputStream().flush();
            boolean ended = node.waitFor(180, TimeUnit.SECONDS);
            String output = Files.readString(log);
            System.out.println("gui/e2e/outage.mjs:\n" + output);
            assertTrue(ended, "the outage check ended:\n" + output);
            assertEquals(0, node.exitValue(), "gui/e2e/outage.mjs failed:\n" + output);
        } finally {
            node.destroyForcibly();
            lab.startClickHouse(HTTP, TCP);
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
