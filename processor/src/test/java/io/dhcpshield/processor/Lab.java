package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real lab for one test class: the three namespaces of {@code lab/lab.sh} (client, appliance, Kea server) under
 * a random prefix, a {@code verify} nft table in the appliance that counts DHCP before the queue and by type bits
 * after it, and the packaged {@code dhcp-processor.jar} started as a child process in the appliance namespace.
 */
final class Lab implements AutoCloseable {

    static final Path REPO = Path.of(System.getProperty("dhcpshield.repo", "..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("dhcpshield.processor.jar",
            REPO.resolve("processor/target/dhcp-processor.jar").toString()));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Type codes counted separately after the queue chain. */
    static final int[] TYPE_CODES = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0f,
        0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1f};

    final String prefix;
    final String cli;
    final String app;
    final String srv;
    final Path run;
    private final List<Process> processes = new ArrayList<>();
    /** Environment added to the processors started from now on ({@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}). */
    final Map<String, String> processorEnv = new HashMap<>();

    private String clickHouseNs;

    private Lab(String prefix) {
        this.prefix = prefix;
        this.cli = prefix + "-cli";
        this.app = prefix + "-app";
        this.srv = prefix + "-srv";
        this.run = Path.of("/tmp/" + prefix + "-lab");
        this.clickHouseNs = app;
    }

    /** A private ClickHouse in the appliance namespace (storage/clickhouse/clickhouse.sh), data under the run dir. */
    void startClickHouse(int httpPort, int tcpPort) {
        startClickHouse(app, httpPort, tcpPort);
    }

    /** A private ClickHouse in namespace {@code ns}. */
    void startClickHouse(String ns, int httpPort, int tcpPort) {
        clickHouseNs = ns;
        mustRun(ns, REPO.resolve("storage/clickhouse/clickhouse.sh").toString(), "start",
                run.resolve("clickhouse").toString(), Integer.toString(httpPort), Integer.toString(tcpPort));
    }

    void stopClickHouse() {
        inNs(clickHouseNs, Duration.ofSeconds(30), REPO.resolve("storage/clickhouse/clickhouse.sh").toString(), "stop",
                run.resolve("clickhouse").toString());
    }

    /** The named counters of the appliance's {@code inet dhcp_inspection} table: name to packets. */
    Map<String, Long> nftCounters() throws IOException {
        Result r = inNs(app, Duration.ofSeconds(10), "nft", "-j", "list", "counters", "table", "inet",
                "dhcp_inspection");
        Map<String, Long> out = new HashMap<>();
        for (JsonNode n : JSON.readTree(r.output).path("nftables")) {
            if (n.has("counter")) {
                out.put(n.path("counter").path("name").asText(), n.path("counter").path("packets").asLong());
            }
        }
        return out;
    }

    /** The marks (0x........) in one of the appliance's {@code inet dhcp_inspection} sets. */
    java.util.Set<String> setMarks(String set) {
        String out = inNs(app, Duration.ofSeconds(10), "nft", "list", "set", "inet", "dhcp_inspection", set).output;
        java.util.Set<String> marks = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x[0-9a-f]{8}").matcher(out);
        while (m.find()) {
            marks.add(m.group());
        }
        return marks;
    }

    /** A minimal DHCPv4 DISCOVER payload (BOOTREQUEST, no giaddr) from {@code mac}, 12 hex digits. */
    static byte[] discover(String mac) {
        byte[] b = new byte[300];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        System.arraycopy(java.util.HexFormat.of().parseHex(mac), 0, b, 28, 6);
        System.arraycopy(new byte[] {99, (byte) 130, 83, 99, 53, 1, 1, (byte) 255}, 0, b, 236, 8);
        return b;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Brings the lab up with a fresh random prefix and installs the verify table. */
    static Lab up() throws IOException {
        Lab lab = new Lab("dsit" + Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36));
        lab.labScript("up");
        lab.installVerifyTable();
        return lab;
    }

    /** Runs {@code lab/lab.sh} with this lab's prefix (up, down, rogue-up, rogue-clients N, rogue-down, ...). */
    void labScript(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "LAB=" + prefix, REPO.resolve("lab/lab.sh").toString()));
        cmd.addAll(List.of(args));
        Result r = exec(Duration.ofSeconds(60), cmd.toArray(String[]::new));
        if (r.exit != 0) {
            throw new IllegalStateException("lab.sh " + String.join(" ", args) + " failed: " + r.output);
        }
    }

    private void installVerifyTable() throws IOException {
        StringBuilder nft = new StringBuilder("table inet verify {\n");
        nft.append("  counter arrived {}\n  counter typed {}\n  counter untyped {}\n  counter probe_forwarded {}\n");
        // Every mark the kernel carried after the queue on DHCP from the client side, with a packet count per mark.
        nft.append("  set client_marks { type mark; size 65535; flags dynamic; counter; }\n");
        for (int code : TYPE_CODES) {
            nft.append(String.format("  counter t%02x {}%n", code));
        }
        nft.append("  chain pre {\n    type filter hook prerouting priority -300; policy accept;\n")
                .append("    udp dport { 67, 68, 546, 547 } counter name arrived\n  }\n");
        nft.append("  chain forward_check {\n    type filter hook forward priority 0; policy accept;\n")
                .append("    meta l4proto != udp accept\n")
                // The tests' non-DHCP probe port: what the queue let through.
                .append("    udp dport 9999 counter name probe_forwarded accept\n")
                .append("    udp dport != { 67, 68, 546, 547 } accept\n")
                .append("    iifname \"a-cli\" add @client_marks { meta mark }\n")
                .append("    meta mark & 0xff000000 == 0 counter name untyped accept\n")
                .append("    counter name typed\n");
        for (int code : TYPE_CODES) {
            nft.append(String.format("    meta mark & 0xff000000 == 0x%02x000000 counter name t%02x%n", code, code));
        }
        nft.append("  }\n}\n");
        Path file = Files.createTempFile("verify", ".nft");
        Files.writeString(file, nft);
        mustRun(app, "nft", "-f", file.toString());
        Files.delete(file);
    }

    /** The verify table's counters by name (packets). */
    Map<String, Long> counters() {
        Result r = inNs(app, Duration.ofSeconds(10), "nft", "-j", "list", "counters", "table", "inet", "verify");
        Map<String, Long> out = new HashMap<>();
        try {
            for (JsonNode n : JSON.readTree(r.output).path("nftables")) {
                JsonNode c = n.path("counter");
                if (!c.isMissingNode()) {
                    out.put(c.path("name").asText(), c.path("packets").asLong());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("nft -j: " + r.output, e);
        }
        return out;
    }

    /**
     * The marks the kernel carried on DHCP from the client side after the queue, each with its packet count (the
     * verify table's dynamic set): what the verdicts really did, not what the processor says it did.
     */
    Map<Long, Long> kernelMarks() {
        Result r = inNs(app, Duration.ofSeconds(10), "nft", "-j", "list", "set", "inet", "verify", "client_marks");
        Map<Long, Long> out = new java.util.TreeMap<>();
        try {
            for (JsonNode n : JSON.readTree(r.output).path("nftables")) {
                for (JsonNode e : n.path("set").path("elem")) {
                    JsonNode el = e.path("elem");
                    out.put(el.path("val").asLong(), el.path("counter").path("packets").asLong());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("nft -j: " + r.output, e);
        }
        return out;
    }

    /** Empties the verify table's mark set (between tests). */
    void clearKernelMarks() {
        mustRun(app, "nft", "flush", "set", "inet", "verify", "client_marks");
    }

    long typeCount(int code) {
        return counters().getOrDefault(String.format("t%02x", code), 0L);
    }

    /** Starts dhcp-processor in the appliance namespace with {@code configYaml} and the given extra arguments. */
    ProcessorProcess startProcessor(String configYaml, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--install-queue-rule"));
        args.addAll(List.of(extraArgs));
        return startProcessorWith(configYaml, args.toArray(String[]::new));
    }

    /** Starts dhcp-processor with exactly these arguments after the config, status and events options. */
    ProcessorProcess startProcessorWith(String configYaml, String... extraArgs) throws IOException {
        return startProcessorIn(app, configYaml, extraArgs);
    }

    /** Starts dhcp-processor in namespace {@code ns} (a fresh config, status, events and log file each time). */
    ProcessorProcess startProcessorIn(String ns, String configYaml, String... extraArgs) throws IOException {
        Files.createDirectories(run);
        Path config = run.resolve("config.yaml");
        Files.writeString(config, configYaml);
        Path status = run.resolve("status.json");
        Path events = run.resolve("events.jsonl");
        Path log = run.resolve("processor.log");
        Files.deleteIfExists(status);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-jar", JAR.toString(), "--config", config.toString(),
                "--status-file", status.toString(), "--events-file", events.toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(processorEnv);
        Process p = pb.start();
        processes.add(p);
        ProcessorProcess pp = new ProcessorProcess(p, status, events, log);
        await(Duration.ofSeconds(30), () -> pp.log().contains("dhcp-processor started") || !p.isAlive(),
                "processor start");
        if (!p.isAlive()) {
            throw new IllegalStateException("dhcp-processor exited: " + pp.log());
        }
        return pp;
    }

    /** Runs perfdhcp through the appliance; returns its output. {@code v} is 4 or 6. */
    String perfdhcp(int v, int rate, int seconds) {
        Result r = exec(Duration.ofSeconds(seconds + 60), "env", "LAB=" + prefix, REPO.resolve("lab/lab.sh").toString(),
                "perfdhcp" + v, Integer.toString(rate), Integer.toString(seconds));
        return r.output;
    }

    /** Sends each payload as one UDP datagram from the client namespace to {@code dst}:{@code port}. */
    void sendUdp(String dst, int port, List<byte[]> payloads) throws IOException {
        StringBuilder py = new StringBuilder("import socket,binascii\n")
                .append("s=socket.socket(socket.AF_INET6 if ':' in '").append(dst)
                .append("' else socket.AF_INET, socket.SOCK_DGRAM)\n");
        for (byte[] p : payloads) {
            py.append("s.sendto(binascii.unhexlify('").append(java.util.HexFormat.of().formatHex(p))
                    .append("'),('").append(dst).append("',").append(port).append("))\n");
        }
        Path script = Files.createTempFile("send", ".py");
        Files.writeString(script, py);
        mustRun(cli, "python3", script.toString());
        Files.delete(script);
    }

    /** The bench flood generator, compiled once per run into target/. */
    static Path floodTool() {
        Path bin = REPO.resolve("processor/target/dhcp-flood");
        if (!Files.isExecutable(bin)) {
            Result r = exec(Duration.ofSeconds(60), "gcc", "-O2", "-o", bin.toString(),
                    REPO.resolve("bench/tools/dhcp-flood.c").toString());
            if (r.exit != 0) {
                throw new IllegalStateException("gcc dhcp-flood: " + r.output);
            }
        }
        return bin;
    }

    /** Floods DISCOVERs (v4) or SOLICITs (v6) from the client namespace; returns how many were sent. */
    long flood(int v, int seconds, int pps, int clients, String... taskset) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", cli));
        cmd.addAll(List.of(taskset));
        cmd.addAll(List.of(floodTool().toString(), "-" + v, v == 4 ? "198.19.0.2" : "2001:db8:2::2",
                Integer.toString(seconds), Integer.toString(pps), Integer.toString(clients)));
        Result r = exec(Duration.ofSeconds(seconds + 30), cmd.toArray(String[]::new));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("sent=(\\d+)").matcher(r.output);
        if (r.exit != 0 || !m.find()) {
            throw new IllegalStateException("dhcp-flood: " + r.output);
        }
        return Long.parseLong(m.group(1));
    }

    /** Starts {@code cmd} in namespace {@code ns} in the background (output to the run dir); stopped by close(). */
    Process startInNs(String ns, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(run.resolve("bg-" + processes.size() + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    /** Starts a flood in the background. */
    Process floodAsync(int v, int seconds, int pps, int clients) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", cli, floodTool().toString(), "-" + v,
                v == 4 ? "198.19.0.2" : "2001:db8:2::2", Integer.toString(seconds), Integer.toString(pps),
                Integer.toString(clients)).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    static long sentBy(Process flood) throws IOException, InterruptedException {
        String out = new String(flood.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        flood.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("sent=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("dhcp-flood: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    void mustRun(String ns, String... cmd) {
        Result r = inNs(ns, Duration.ofSeconds(60), cmd);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " in " + ns + ": " + r.output);
        }
    }

    Result inNs(String ns, Duration timeout, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return exec(timeout, full.toArray(String[]::new));
    }

    record Result(int exit, String output) {
    }

    static Result exec(Duration timeout, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; fails with {@code what}. */
    static void await(Duration timeout, BooleanSupplier condition, String what) {
        io.dhcpshield.storage.Await.until(timeout, condition, what);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        labScript("down");
    }

    /** A running dhcp-processor child. */
    static final class ProcessorProcess {
        final Process process;
        final Path statusFile;
        final Path eventsFile;
        final Path logFile;

        ProcessorProcess(Process process, Path statusFile, Path eventsFile, Path logFile) {
            this.process = process;
            this.statusFile = statusFile;
            this.eventsFile = eventsFile;
            this.logFile = logFile;
        }

        String log() {
            try {
                return Files.exists(logFile) ? Files.readString(logFile) : "";
            } catch (IOException e) {
                return "";
            }
        }

        /** The latest status file (written every counters_log_interval_secs and at exit). */
        JsonNode status() {
            try {
                return Files.exists(statusFile) ? JSON.readTree(statusFile.toFile()) : JSON.createObjectNode();
            } catch (IOException e) {
                return JSON.createObjectNode(); // being replaced right now; the next poll reads it
            }
        }

        /** A metric of the status file summed over its label sets; -1 when absent. */
        long metric(String name) {
            JsonNode m = status().path("metrics").path(name);
            return m.isMissingNode() ? -1 : m.path("total").asLong(-1);
        }

        /** A metric of the status file summed over the label sets where {@code label} is {@code value}. */
        long metric(String name, String label, String value) {
            long sum = 0;
            for (JsonNode s : status().path("metrics").path(name).path("series")) {
                if (value.equals(s.path("labels").path(label).asText())) {
                    sum += s.path("value").asLong();
                }
            }
            return sum;
        }

        /** A service's entry in the status file (state, ready, reason, detail). */
        JsonNode service(String name) {
            return status().path("services").path(name);
        }

        /** The PID of the JVM (the child of {@code ip netns exec}, which execs, so the same process). */
        long pid() {
            return process.pid();
        }

        /** SIGTERM and wait for a clean exit. */
        int stop() throws InterruptedException {
            Lab.exec(Duration.ofSeconds(5), "kill", "-TERM", Long.toString(process.pid()));
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("dhcp-processor did not stop on SIGTERM:\n" + log());
            }
            return process.exitValue();
        }

        void kill9() throws InterruptedException {
            Lab.exec(Duration.ofSeconds(5), "kill", "-KILL", Long.toString(process.pid()));
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
