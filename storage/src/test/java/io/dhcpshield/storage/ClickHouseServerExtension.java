package io.dhcpshield.storage;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, private ClickHouse for one test class: {@code storage/clickhouse/clickhouse.sh} started in a temp folder on
 * two free loopback ports before the first test and killed (by PID) after the last. {@link #stop()} and
 * {@link #start()} let a test cause an outage; the data folder survives them.
 */
public final class ClickHouseServerExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private int httpPort;
    private int tcpPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("clickhouse-it-");
        httpPort = freePort();
        tcpPort = freePort();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // The folder is deleted next: no graceful shutdown (it waits for the clients' idle connections).
        run("kill", dir.toString());
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** A client config for this server with a fresh database of the given name. */
    public ClickHouseConfig freshDatabase(String database) throws IOException {
        ClickHouseConfig cfg = ClickHouseConfig.defaults().withEndpoint(endpoint())
                .withRequestTimeout(Duration.ofSeconds(10));
        ClickHouseClient admin = new ClickHouseClient(cfg.withDatabase("default"));
        admin.post("DROP DATABASE IF EXISTS " + database, null);
        admin.post("CREATE DATABASE " + database, null);
        return cfg.withDatabase(database);
    }

    public void start() throws IOException, InterruptedException {
        run("start", dir.toString(), Integer.toString(httpPort), Integer.toString(tcpPort));
    }

    public void stop() throws IOException, InterruptedException {
        run("stop", dir.toString());
    }

    private static String run(String... args) throws IOException, InterruptedException {
        Path script = script();
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("clickhouse.sh " + args[0] + " timed out");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("clickhouse.sh " + String.join(" ", args) + " failed (exit " + p.exitValue()
                    + "; the setup installs the Debian packages clickhouse-server clickhouse-client):\n" + out);
        }
        return out;
    }

    private static Path script() {
        Path local = Path.of("clickhouse/clickhouse.sh");
        if (Files.exists(local)) {
            return local.toAbsolutePath();
        }
        return Path.of(System.getProperty("dhcpshield.repo", ".."), "storage/clickhouse/clickhouse.sh");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
