package io.dhcpshield.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code dpictl selftest bypass} in the lab (lab/lab.sh: client, appliance, Kea): with the seed ruleset installed
 * and no processor, a relayed DISCOVER from the appliance gets Kea's OFFER through the ruleset; with a process
 * holding the queues the self-test refuses to claim anything.
 */
class SelftestBypassIT {

    private static final Path REPO = Path.of(System.getProperty("dhcpshield.repo", "..")).toAbsolutePath().normalize();
    private static final Path DPICTL = Path.of(System.getProperty("dhcpshield.dpictl.jar",
            REPO.resolve("cli/target/dpictl.jar").toString()));
    private static final String LAB = "dsst" + Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36);
    private static final String APP = LAB + "-app";

    record Result(int exit, String output) {
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new Result(p.exitValue(), out);
    }

    static Result java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", APP,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    @BeforeAll
    static void up() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for namespaces and netfilter");
        Result r = run("env", "LAB=" + LAB, REPO.resolve("lab/lab.sh").toString(), "up");
        assertEquals(0, r.exit(), r.output());
        Result install = java("-cp", DPICTL.toString(), "io.dhcpshield.enforcement.EnforcementTool", "install", "low");
        assertEquals(0, install.exit(), install.output());
    }

    @AfterAll
    static void down() throws Exception {
        run("env", "LAB=" + LAB, REPO.resolve("lab/lab.sh").toString(), "down");
    }

    @Test
    void withNoProcessorAnExchangeCompletesThroughTheRuleset() throws Exception {
        Result r = java("-jar", DPICTL.toString(), "selftest", "bypass", "--server", "198.19.0.2", "--giaddr", "198.18.0.1");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("\"queue_rules_without_bypass\":0"), r.output());
        assertTrue(r.output().contains("exchange completed without the processor: OFFER of 198.18."), r.output());
    }

    @Test
    void anUnansweredExchangeFails() throws Exception {
        Result r = java("-jar", DPICTL.toString(), "selftest", "bypass", "--server", "198.19.0.9", "--giaddr", "198.18.0.1",
                "--timeout-ms", "1000");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("no OFFER from 198.19.0.9"), r.output());
    }

    @Test
    void boundQueuesMakeTheSelftestRefuse() throws Exception {
        Path config = Files.createTempFile("dpictl-it", ".yaml");
        Files.writeString(config, "nfqueue:\n  queue_count: 8\ncounters_log_interval_secs: 0\n");
        Process processor = new ProcessBuilder("ip", "netns", "exec", APP,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-jar", REPO.resolve("processor/target/dhcp-processor.jar").toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Result r = null;
            for (int i = 0; i < 100; i++) {
                r = java("-jar", DPICTL.toString(), "selftest", "bypass");
                if (r.output().contains("are bound")) {
                    break;
                }
            }
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("are bound: stop dhcp-processor first"), r.output());
        } finally {
            processor.destroy();
            processor.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(config);
        }
    }
}
