package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.storage.ClickHouseConfig;
import io.dhcpshield.storage.ClickHouseServerExtension;
import io.dhcpshield.storage.ClickHouseStorage;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.storage.WriterConfig;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A real API for tests: a private ClickHouse (the storage module's extension), storage with its event writer,
 * operational config, and {@link ApiServer} on a free loopback port, run by a {@link ServiceManager} as the daemon
 * runs it. The Action Manager is left to the daemon-level tests (it needs the kernel's sets): its routes answer 503.
 */
final class ApiHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path stateDir;
    final EventFanout<DhcpEvent> events = new EventFanout<>();
    final ClickHouseStorage storage;
    final OperationalConfig operational;
    final ApiServer api;
    final io.dhcpshield.automation.rules.AutomationScheduler automation;
    final io.dhcpshield.automation.analysis.AnalysisService analysis;
    final io.dhcpshield.automation.detectors.DetectorService detectors;
    final io.dhcpshield.alarms.AlarmService alarms;
    final ServiceManager daemon;
    final ApiConfig config;
    private final Scheduler scheduler = Schedulers.newSingle("harness", true);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param storeEvents whether the events published to {@link #events} are also stored (the stream tests publish
     *                    millions and need only the live path)
     */
    ApiHarness(ClickHouseServerExtension clickhouse, String database, ApiConfig base, boolean storeEvents)
            throws Exception {
        stateDir = Files.createTempDirectory("api-state-");
        ClickHouseConfig ch = clickhouse.freshDatabase(database);
        storage = ClickHouseStorage.start(ch, WriterConfig.defaults().withBatch(100, Duration.ofMillis(200)),
                storeEvents ? events : new EventFanout<>()).block(Duration.ofSeconds(60));
        operational = new OperationalConfig(storage.client(), Map.of(), Set.of(), Time.SYSTEM);
        operational.refresh().block(Duration.ofSeconds(30));
        config = new ApiConfig(true, "127.0.0.1", 0, null, null, stateDir, null, base.issuer(), base.audience(),
                base.accessTokenTtl(), base.refreshTokenTtl(), base.maxBodyBytes(), base.loginFailuresPerUser(),
                base.loginFailuresPerAddress(), base.loginWindow(), base.maxPageSize(), base.maxTimeRange(),
                base.streamQueue(), base.streamSlowClose(), base.streamPingInterval(), base.streamIdleTimeout(),
                base.streamAuthTimeout());
        Deferred<ServiceManager> self = new Deferred<>("daemon", "starting");
        Deferred<io.dhcpshield.enforcement.action.ActionManager> actions = Deferred.never("action manager",
                "not in this test (needs the kernel's sets)");
        Deferred<io.dhcpshield.storage.ClickHouseClient> client = Deferred.of("storage", storage.client());
        automation = new io.dhcpshield.automation.rules.AutomationScheduler(true, client, actions,
                Deferred.of("operational config", operational), Time.SYSTEM, scheduler);
        analysis = new io.dhcpshield.automation.analysis.AnalysisService(client, actions,
                io.dhcpshield.automation.analysis.AnalysisConfig.defaults(), Time.SYSTEM, scheduler);
        detectors = new io.dhcpshield.automation.detectors.DetectorService(client, actions,
                io.dhcpshield.automation.detectors.DetectorConfig.defaults(), Time.SYSTEM, scheduler);
        alarms = new io.dhcpshield.alarms.AlarmService(new io.dhcpshield.alarms.AlarmService.Settings(true,
                Duration.ofSeconds(1), Duration.ofSeconds(60), 65_536, "test"), events, () -> {
                    io.dhcpshield.core.metrics.MetricSamples m = new io.dhcpshield.core.metrics.MetricSamples();
                    self.now().ifPresent(d -> d.metrics(m));
                    return m;
                }, client, Deferred.of("operational config", operational), detectors.alarms(), automation.fired(),
                List.of(), Time.SYSTEM, scheduler);
        api = new ApiServer(config, new ApiServer.Context(self, Deferred.of("storage", storage),
                Deferred.of("operational config", operational), actions, events, 65_536, Time.SYSTEM, scheduler,
                Deferred.of("automation", automation), Deferred.of("analysis", analysis),
                Deferred.of("detectors", detectors), Deferred.of("alarms", alarms)));
        daemon = new ServiceManager(List.of(automation, analysis, detectors, alarms, api));
        self.complete(daemon);
        daemon.startAll();
        await(Duration.ofSeconds(30), () -> Files.exists(config.initialPasswordFile()), "the first admin");
        await(Duration.ofSeconds(30), () -> api.readiness().ready(), "users and revocations loaded");
    }

    ApiHarness(ClickHouseServerExtension clickhouse, String database, ApiConfig base) throws Exception {
        this(clickhouse, database, base, true);
    }

    ApiHarness(ClickHouseServerExtension clickhouse, String database) throws Exception {
        this(clickhouse, database, ApiConfig.defaults());
    }

    String base() {
        return "http://127.0.0.1:" + api.port();
    }

    String adminPassword() throws IOException {
        return Files.readString(config.initialPasswordFile()).trim();
    }

    /** A response: status, headers, body as JSON (empty object when none or not JSON). */
    record Reply(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.createObjectNode().put("text", body);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    Reply call(String method, String path, String token, String body) throws Exception {
        return call(method, path, token, body, "application/json");
    }

    Reply call(String method, String path, String token, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().map(), r.body());
    }

    /** Logs in; returns the token response. */
    JsonNode login(String user, String password) throws Exception {
        Reply r = call("POST", "/api/v1/auth/login", null, JSON.createObjectNode().put("username", user)
                .put("password", password).toString());
        if (r.status() != 200) {
            throw new AssertionError("login " + user + ": " + r.status() + " " + r.body());
        }
        return r.json();
    }

    String adminToken() throws Exception {
        return login("admin", adminPassword()).path("access_token").asText();
    }

    /** Creates a user with a role (as admin) and returns its access token. */
    String tokenFor(String user, String role) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("username", user).put("password", "pw-" + user + "-0123456")
                .put("role", role);
        Reply r = call("POST", "/api/v1/users", adminToken(), body.toString());
        if (r.status() != 201 && r.status() != 409) {
            throw new AssertionError("create " + user + ": " + r.status() + " " + r.body());
        }
        return login(user, "pw-" + user + "-0123456").path("access_token").asText();
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) {
        io.dhcpshield.storage.Await.until(timeout, condition, what);
    }

    @Override
    public void close() {
        daemon.stopAll();
        events.complete();
        storage.close();
        operational.close();
        scheduler.dispose();
    }
}
