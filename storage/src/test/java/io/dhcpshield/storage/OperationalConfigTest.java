package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.OperationalConfig.Change;
import io.dhcpshield.storage.OperationalConfig.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operational config against a real private server: override order, runtime toggles, audit. */
class OperationalConfigTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static ClickHouseClient client;

    @BeforeAll
    static void migrate() throws Exception {
        client = new ClickHouseClient(server.freshDatabase("opconfig_test"));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void databaseOverridesYamlOverridesDefaultForEveryKey() throws Exception {
        ClickHouseClient client = new ClickHouseClient(server.freshDatabase("opconfig_order"));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        Map<String, String> yaml = Map.of(OperationalKeys.THROTTLE_BURST.name(), "30",
                OperationalKeys.THROTTLE_RATE_PER_MINUTE.name(), "15");
        OperationalConfig cfg = new OperationalConfig(client, yaml, Set.of(), Time.SYSTEM);
        cfg.refresh().block(Duration.ofSeconds(10));
        // Nothing in the database yet: YAML where given, the compiled default elsewhere, for every key.
        for (OperationalKeys.Key<?> k : OperationalKeys.all()) {
            boolean inYaml = yaml.containsKey(k.name());
            assertEquals(inYaml ? Source.YAML : Source.DEFAULT, cfg.sourceOf(k), k.name());
            assertEquals(inYaml ? yaml.get(k.name()) : k.format(k.defaultValue()), cfg.snapshot().get(k.name()));
        }
        // A database value wins over YAML; several versions: FINAL gives the newest.
        cfg.set(OperationalKeys.THROTTLE_RATE_PER_MINUTE, 40L, "alice").block(Duration.ofSeconds(10));
        cfg.set(OperationalKeys.THROTTLE_RATE_PER_MINUTE, 50L, "bob").block(Duration.ofSeconds(10));
        assertEquals(50L, cfg.get(OperationalKeys.THROTTLE_RATE_PER_MINUTE));
        assertEquals(Source.DATABASE, cfg.sourceOf(OperationalKeys.THROTTLE_RATE_PER_MINUTE));
        // ... also over the default where YAML says nothing.
        cfg.set(OperationalKeys.RETENTION_EVENTS_DAYS, 7L, "alice").block(Duration.ofSeconds(10));
        assertEquals(7L, cfg.get(OperationalKeys.RETENTION_EVENTS_DAYS));
        // A fresh instance (a restart) reads the same from the table.
        OperationalConfig restarted = new OperationalConfig(client, yaml, Set.of(), Time.SYSTEM);
        restarted.refresh().block(Duration.ofSeconds(10));
        assertEquals(50L, restarted.get(OperationalKeys.THROTTLE_RATE_PER_MINUTE));
        assertEquals(30L, restarted.get(OperationalKeys.THROTTLE_BURST));
        // A tombstone removes the database value: back to YAML.
        cfg.reset(OperationalKeys.THROTTLE_RATE_PER_MINUTE, "alice").block(Duration.ofSeconds(10));
        assertEquals(15L, cfg.get(OperationalKeys.THROTTLE_RATE_PER_MINUTE));
        assertEquals(Source.YAML, cfg.sourceOf(OperationalKeys.THROTTLE_RATE_PER_MINUTE));
        // Malformed values: rejected from YAML at start and on set; a malformed database row falls back.
        assertThrows(IllegalArgumentException.class, () -> new OperationalConfig(client,
                Map.of(OperationalKeys.THROTTLE_BURST.name(), "lots"), Set.of(), Time.SYSTEM));
        assertThrows(IllegalArgumentException.class, () -> new OperationalConfig(client,
                Map.of("operational.no.such_key", "1"), Set.of(), Time.SYSTEM));
        assertThrows(IllegalArgumentException.class,
                () -> cfg.set(OperationalKeys.THROTTLE_BURST, -5L, "alice").block());
        client.execute(Queries.bind("config.write", OperationalKeys.THROTTLE_BURST.name(), "x'; DROP TABLE users; --",
                "mallory", Instant.now(), Long.MAX_VALUE / 2, 0)).block(Duration.ofSeconds(10));
        cfg.refresh().block(Duration.ofSeconds(10));
        assertEquals(30L, cfg.get(OperationalKeys.THROTTLE_BURST));
        assertEquals(Source.YAML, cfg.sourceOf(OperationalKeys.THROTTLE_BURST));
    }

    @Test
    void aRuntimeToggleIsObservedWithoutRestartAndAudited() throws Exception {
        Time clock = Time.fixed(Instant.parse("2026-11-23T10:00:00Z"));
        // The daemon: automation enabled in YAML (Core), not active yet (default false); it polls every 100 ms.
        OperationalConfig daemon = new OperationalConfig(client, Map.of(), Set.of("automation"), Time.SYSTEM);
        Scheduler scheduler = Schedulers.newSingle("opconfig-watch", true);
        List<Change> seen = new CopyOnWriteArrayList<>();
        daemon.changes().subscribe(seen::add);
        daemon.watch(Duration.ofMillis(100), scheduler);
        assertTrue(daemon.enabled("automation"));
        assertFalse(daemon.running("automation"));
        assertFalse(daemon.running("llm"));
        // The GUI (another process, same table) activates it.
        OperationalConfig gui = new OperationalConfig(client, Map.of(), Set.of(), clock);
        gui.refresh().block(Duration.ofSeconds(10));
        gui.set(OperationalKeys.AUTOMATION_ACTIVE, true, "operator'alice").block(Duration.ofSeconds(10));
        EventWriterTest.await("the toggle on", Duration.ofSeconds(10), () -> daemon.running("automation"));
        assertTrue(daemon.running("automation"), "toggle seen by the running daemon");
        assertTrue(seen.stream().anyMatch(c -> c.key().equals("operational.automation.active")
                && "false".equals(c.oldValue()) && "true".equals(c.newValue()) && c.source() == Source.DATABASE),
                seen.toString());
        // Not enabled in YAML: active alone does not run it.
        assertFalse(gui.running("automation"));
        // And back off.
        gui.set(OperationalKeys.AUTOMATION_ACTIVE, false, "bob").block(Duration.ofSeconds(10));
        EventWriterTest.await("the toggle off", Duration.ofSeconds(10), () -> !daemon.running("automation"));
        assertFalse(daemon.running("automation"));
        daemon.close();
        scheduler.dispose();

        List<String> audit = client.query(Queries.bind("audit.config_changes", "operational.automation.active"),
                (row, meta) -> row.get(0) + "|" + row.get(1) + "|" + row.get(2) + "|" + row.get(3) + "|"
                        + row.get(4)).collectList().block(Duration.ofSeconds(10));
        assertEquals(List.of(clock.now().getEpochSecond() + "|operator'alice|operational.automation.active|false|true",
                clock.now().getEpochSecond() + "|bob|operational.automation.active|true|false"), audit);
    }
}
