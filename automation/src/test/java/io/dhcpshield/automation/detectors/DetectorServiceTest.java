package io.dhcpshield.automation.detectors;

import io.dhcpshield.automation.AlarmEvent;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.metrics.Log2Histogram;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.action.KernelSets;
import io.dhcpshield.enforcement.action.SetChange;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.dhcpshield.storage.Await;
import io.dhcpshield.storage.ClickHouseActionLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.ClickHouseServerExtension;
import io.dhcpshield.storage.EventRows;
import io.dhcpshield.storage.Migrations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each detector against a private ClickHouse 18.16 with virtual time: traffic built to trigger it raises exactly the
 * expected alarm with its context (published, listed by {@code recent}, written to {@code alarms}), and a
 * well-behaved DORA population beside it raises nothing.
 */
class DetectorServiceTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final long SERVER_MAC = 0x0200_0000_0fffL;
    static final String PRL = "1,3,6,15";

    final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    final Time time = Time.of(vts, T0);
    final MemorySets kernel = new MemorySets();
    ClickHouseClient client;
    ActionManager actions;
    DetectorService service;

    void setUp(TestInfo test, DetectorConfig config) throws Exception {
        client = new ClickHouseClient(server.freshDatabase("det_" + test.getTestMethod().orElseThrow().getName()
                .replaceAll("[^A-Za-z0-9]", "_").toLowerCase()));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        actions = new ActionManager(kernel, new ClickHouseActionLog(client, time), new DenySet(),
                ThrottlingProfile.dualstack("medium"), new AnalysisQueue(10), time);
        service = new DetectorService(Deferred.of("clickhouse", client), Deferred.of("action manager", actions),
                config, time, vts, Schedulers.boundedElastic());
    }

    @AfterEach
    void tearDown() {
        if (service != null) service.stop();
        if (actions != null) actions.close();
        if (client != null) client.close();
        vts.dispose();
    }

    // ---------------------------------------------------------------- traffic

    /** A client message or server reply with every field a detector reads. */
    static DhcpEvent event(Instant at, int type, long chaddr, long l2, String relay, String circuit, String prl,
                           String vendor, String hostname) {
        boolean reply = type == 2 || type == 5 || type == 6;
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
        return new DhcpEvent(micros, 0, "site-a", reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER,
                4, type, type, "TYPE" + type, 0x1234L, (type << 24) | (int) (chaddr & 0xFF_FFFF), MarkSource.CHADDR,
                new MacAddress(chaddr), null, null, reply ? null : hostname, reply ? null : vendor, null,
                reply ? null : prl, IpAddress.parse("10.0.0.1"), IpAddress.parse("255.255.255.255"),
                relay == null ? null : IpAddress.parse(relay), circuit, null, null, 0, null,
                reply ? IpAddress.parse("10.0.0.50") : null, null, reply ? 3600 : -1, null, null, List.of(),
                l2 == 0 ? null : new MacAddress(l2));
    }

    /**
     * A well-behaved population: {@code n} clients, half on the local segment (L2 source = chaddr), half behind one
     * relay port each, a stable fingerprint, renewing every hour for six hours and a full DORA in the window.
     */
    static List<DhcpEvent> population(int n, Instant windowStart) {
        List<DhcpEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long mac = 0x0200_0000_1000L + i;
            boolean local = i % 2 == 0;
            String relay = local ? null : "100.64.0.1";
            String circuit = local ? null : "port-" + i;
            long l2 = local ? mac : 0x0200_0000_0e01L;   // relayed: the frame came from the relay
            String prl = i % 3 == 0 ? "1,3,6,15,31,33,43,44,46,47,119,121,249,252" : "1,3,6,12,15,28,42";
            String vendor = i % 3 == 0 ? "MSFT 5.0" : "udhcp 1.36";
            for (int h = 6; h >= 1; h--) {
                Instant at = windowStart.minus(Duration.ofHours(h)).plusSeconds(i);
                out.add(event(at, 3, mac, l2, relay, circuit, prl, vendor, "host-" + i));
                out.add(event(at.plusMillis(5), 5, mac, SERVER_MAC, relay, circuit, null, null, null));
            }
            Instant at = windowStart.plusSeconds(30 + i);
            out.add(event(at, 1, mac, l2, relay, circuit, prl, vendor, "host-" + i));
            out.add(event(at.plusMillis(3), 2, mac, SERVER_MAC, relay, circuit, null, null, null));
            out.add(event(at.plusMillis(6), 3, mac, l2, relay, circuit, prl, vendor, "host-" + i));
            out.add(event(at.plusMillis(9), 5, mac, SERVER_MAC, relay, circuit, null, null, null));
        }
        return out;
    }

    /** A device that sent {@code prl}/{@code vendor} on its local segment every hour for six hours before {@code t}. */
    static List<DhcpEvent> history(long mac, Instant t, String prl, String vendor, String hostname) {
        List<DhcpEvent> out = new ArrayList<>();
        for (int h = 6; h >= 1; h--) {
            out.add(event(t.minus(Duration.ofHours(h)), 3, mac, mac, null, null, prl, vendor, hostname));
        }
        return out;
    }

    void insert(List<DhcpEvent> events) throws Exception {
        client.insert(EventRows.TABLE, EventRows.COLUMNS, "RowBinary", EventRows.encode(events));
    }

    /** The run at T0 + 5 min reads [T0 - 5 min, T0 + 5 min): traffic "in the window" is placed after T0 - 5 min. */
    static final Instant WINDOW_START = T0.minus(Duration.ofMinutes(5));

    List<AlarmEvent> runNow() {
        vts.advanceTimeBy(Duration.ofMinutes(5));
        return service.runNow().block(WAIT);
    }

    List<String> alarmRows() {
        return client.query("SELECT kind, subject, severity, acknowledged FROM alarms ORDER BY kind, subject",
                (row, meta) -> row.get(0) + " " + row.get(1) + " " + row.get(2) + " " + row.get(3)).collectList()
                .block(WAIT);
    }

    Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        service.metrics(new MetricWriter() {
            @Override
            public void counter(String name, String help, long value, String... labels) {
                out.put(name + (labels.length == 0 ? "" : "{" + labels[1] + "}"), value);
            }

            @Override
            public void gauge(String name, String help, double value, String... labels) {
            }

            @Override
            public void histogram(String name, String help, Log2Histogram.Snapshot h, double scale, String... l) {
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aWellBehavedDoraPopulationRaisesNothing(TestInfo t) throws Exception {
        setUp(t, DetectorConfig.defaults().withMacCircuits(new DetectorConfig.MacCircuits(
                DetectorConfig.Settings.alarmOnly("warning"), 2)));
        insert(population(60, WINDOW_START));
        assertEquals(List.of(), runNow());
        Map<String, Long> c = counters();
        for (String d : List.of("fingerprint_change", "chaddr_mismatch", "mac_circuits", "mark_collision")) {
            assertEquals(1, c.get("detector_runs{" + d + "}"), d);
            assertEquals(0, c.get("detector_errors{" + d + "}"), d);
            assertEquals(0, c.get("detector_findings{" + d + "}"), d);
        }
        assertEquals(List.of(), alarmRows());
    }

    @Test
    void aKnownMacWhosePrlAndVendorClassChangeAlarmsOnceWithBeforeAndAfter(TestInfo t) throws Exception {
        setUp(t, DetectorConfig.defaults());
        long cam = 0x0200_0000_ca01L, fresh = 0x0200_0000_ca02L;
        List<DhcpEvent> events = new ArrayList<>(population(30, WINDOW_START));
        events.addAll(history(cam, WINDOW_START, PRL, "MSFT 5.0", "cam-1"));
        // At T0 + 1 min: inside this run's window [T0 - 5 min, T0 + 5 min) and the next one's [T0, T0 + 10 min).
        events.add(event(T0.plusSeconds(60), 1, cam, cam, null, null, "1,3,6,12,15,28", "udhcp 1.36", "cam-1"));
        // A MAC never seen before has no established fingerprint: nothing to compare.
        events.add(event(WINDOW_START.plusSeconds(60), 1, fresh, fresh, null, null, "1,3", "odd", "new"));
        insert(events);
        List<AlarmEvent> alarms = new CopyOnWriteArrayList<>();
        var sub = service.alarms().subscribe(alarms::add);

        List<AlarmEvent> raised = runNow();
        assertEquals(1, raised.size(), raised.toString());
        AlarmEvent a = raised.get(0);
        assertEquals("fingerprint_change", a.kind());
        assertEquals("detector:fingerprint_change", a.source());
        assertEquals("warning", a.severity());
        assertEquals("02:00:00:00:ca:01", a.subject());
        assertEquals("1,3,6,15", a.context().get("prl_before"));
        assertEquals("1,3,6,12,15,28", a.context().get("prl_after"));
        assertEquals("MSFT 5.0", a.context().get("vendor_class_before"));
        assertEquals("udhcp 1.36", a.context().get("vendor_class_after"));
        assertEquals("6", a.context().get("vendor_class_before_events"));
        assertEquals("prl,vendor_class", a.context().get("changed"));
        assertFalse(a.context().containsKey("hostname_before"), "the hostname did not change");
        assertEquals("0x00ca01", a.context().get("client_mark"));
        assertTrue(a.message().contains("vendor_class \"MSFT 5.0\" -> \"udhcp 1.36\""), a.message());
        assertEquals(List.of(a), alarms, "published on alarms()");
        assertEquals(List.of(a), service.recent(10));
        assertEquals(List.of("fingerprint_change 02:00:00:00:ca:01 warning 0"), alarmRows());
        // The next run still sees the new values in its (overlapping) window: the MAC is quiet.
        assertEquals(List.of(), runNow());
        assertEquals(1, counters().get("detector_quiet{fingerprint_change}"));
        sub.dispose();
    }

    @Test
    void aDeviceFlappingBetweenTwoFingerprintsAlarmsOnceAcrossScheduledRuns(TestInfo t) throws Exception {
        setUp(t, DetectorConfig.defaults());
        long flap = 0x0200_0000_fa01L;
        insert(history(flap, T0, PRL, "android-dhcp-13", "phone"));
        insert(population(20, T0));
        service.start();
        for (int cycle = 0; cycle < 8; cycle++) {
            // Each 5-minute interval the device alternates between its two fingerprints (twice per interval).
            Instant start = T0.plus(Duration.ofMinutes(5L * cycle));
            boolean b = cycle % 2 == 0;
            insert(List.of(
                    event(start.plusSeconds(30), 3, flap, flap, null, null, b ? "1,3,6,15,26,28,51,58,59" : PRL,
                            b ? "android-dhcp-14" : "android-dhcp-13", "phone"),
                    event(start.plusSeconds(150), 3, flap, flap, null, null, b ? PRL : "1,3,6,15,26,28,51,58,59",
                            b ? "android-dhcp-13" : "android-dhcp-14", "phone")));
            long before = service.cycles();
            vts.advanceTimeBy(Duration.ofMinutes(5));
            Await.until(WAIT, () -> service.cycles() > before, "a detector run");
        }
        List<AlarmEvent> raised = service.recent(100);
        assertEquals(1, raised.size(), raised.toString());
        assertEquals("02:00:00:00:fa:01", raised.get(0).subject());
        assertEquals("android-dhcp-14", raised.get(0).context().get("vendor_class_after"));
        assertEquals(8, counters().get("detector_runs{fingerprint_change}"));
        assertEquals(1, alarmRows().size());
    }

    @Test
    void anAllowListedTransitionStaysQuietWhileAnotherChangeAlarms(TestInfo t) throws Exception {
        DetectorConfig base = DetectorConfig.defaults();
        setUp(t, base.withFingerprintChange(base.fingerprintChange().withAllowed(List.of(
                new DetectorConfig.Transition("vendor_class", "MSFT 5.0", "MSFT *"),
                new DetectorConfig.Transition("hostname", "*", "*")))));
        long upgraded = 0x0200_0000_ab01L, renamed = 0x0200_0000_ab02L, swapped = 0x0200_0000_ab03L;
        List<DhcpEvent> events = new ArrayList<>(population(20, WINDOW_START));
        events.addAll(history(upgraded, WINDOW_START, PRL, "MSFT 5.0", "pc-1"));
        events.addAll(history(renamed, WINDOW_START, PRL, "MSFT 5.0", "pc-2"));
        events.addAll(history(swapped, WINDOW_START, PRL, "MSFT 5.0", "pc-3"));
        Instant at = WINDOW_START.plusSeconds(90);
        events.add(event(at, 3, upgraded, upgraded, null, null, PRL, "MSFT 6.0", "pc-1"));
        events.add(event(at, 3, renamed, renamed, null, null, PRL, "MSFT 5.0", "kitchen-pc"));
        events.add(event(at, 3, swapped, swapped, null, null, PRL, "dhcpcd-9.4.1", "pc-3"));
        insert(events);

        List<AlarmEvent> raised = runNow();
        assertEquals(1, raised.size(), raised.toString());
        assertEquals("02:00:00:00:ab:03", raised.get(0).subject());
        assertEquals("dhcpcd-9.4.1", raised.get(0).context().get("vendor_class_after"));
    }

    @Test
    void aChaddrThatIsNotTheL2SourceOnUnrelayedTrafficAlarmsAndIsThrottledWhenConfigured(TestInfo t)
            throws Exception {
        DetectorConfig base = DetectorConfig.defaults();
        setUp(t, base.withChaddrMismatch(base.chaddrMismatch().withAction(ActionType.THROTTLE,
                Duration.ofMinutes(30))));
        long attacker = 0x0200_0000_0badL;          // the one NIC the spoofed frames come from
        long spoofed1 = 0x0a00_0000_5001L, spoofed2 = 0x0a00_0000_5002L, relayedClient = 0x0200_0000_7001L;
        List<DhcpEvent> events = new ArrayList<>(population(30, WINDOW_START));
        Instant at = WINDOW_START.plusSeconds(120);
        for (int i = 0; i < 5; i++) {
            events.add(event(at.plusSeconds(i), 1, spoofed1, attacker, null, null, "1,3", null, null));
        }
        events.add(event(at.plusSeconds(9), 1, spoofed2, attacker, null, null, "1,3", null, null));
        // Relayed traffic arrives from the relay's MAC: not a mismatch. Nor is an event without an L2 source.
        events.add(event(at, 1, relayedClient, 0x0200_0000_0e01L, "100.64.0.1", "port-9", PRL, "x", "y"));
        events.add(event(at, 1, 0x0200_0000_7002L, 0, null, null, PRL, "x", "y"));
        insert(events);

        List<AlarmEvent> raised = runNow();
        assertEquals(List.of("0a:00:00:00:50:01", "0a:00:00:00:50:02"),
                raised.stream().map(AlarmEvent::subject).toList(), raised.toString());
        AlarmEvent a = raised.get(0);
        assertEquals("chaddr_mismatch", a.kind());
        assertEquals("0a:00:00:00:50:01", a.context().get("chaddr"));
        assertEquals("02:00:00:00:0b:ad", a.context().get("l2_source"));
        assertEquals("5", a.context().get("events"));
        assertEquals("0x005001", a.context().get("client_mark"));
        assertEquals("throttle", a.context().get("action"));
        assertEquals("applied", a.context().get("action_result"));
        assertTrue(kernel.contains(EnforcementSet.LLM_THROTTLED_MARKS, 0x00_5001L));
        assertTrue(kernel.contains(EnforcementSet.LLM_THROTTLED_MARKS, 0x00_5002L));
        assertFalse(kernel.contains(EnforcementSet.LLM_THROTTLED_MARKS, 0x00_7001L));
        assertEquals(List.of("automation_rule detector:chaddr_mismatch throttle"), client.query(
                "SELECT DISTINCT source, actor, action FROM actions_log", (row, meta) -> row.get(0) + " " + row.get(1)
                        + " " + row.get(2)).collectList().block(WAIT));
        assertEquals(2, counters().get("detector_actions{chaddr_mismatch}"));
        assertEquals(List.of("chaddr_mismatch 0a:00:00:00:50:01 warning 0", "chaddr_mismatch 0a:00:00:00:50:02 warning 0"),
                alarmRows());
    }

    @Test
    void aMacBehindSeveralCircuitsAlarmsNamingEachCircuit(TestInfo t) throws Exception {
        setUp(t, DetectorConfig.defaults());
        long roaming = 0x0200_0000_c1c1L, moved = 0x0200_0000_c2c2L;
        List<DhcpEvent> events = new ArrayList<>(population(30, WINDOW_START));
        Instant at = WINDOW_START.plusSeconds(60);
        events.add(event(at, 1, roaming, 0, "100.64.0.1", "olt-1/1", PRL, "x", "y"));
        events.add(event(at.plusSeconds(1), 1, roaming, 0, "100.64.0.1", "olt-1/1", PRL, "x", "y"));
        events.add(event(at.plusSeconds(2), 1, roaming, 0, "100.64.0.1", "olt-1/2", PRL, "x", "y"));
        events.add(event(at.plusSeconds(3), 1, roaming, 0, "100.64.0.2", "olt-1/1", PRL, "x", "y"));
        // Two circuits is below the default of three.
        events.add(event(at, 1, moved, 0, "100.64.0.1", "olt-2/1", PRL, "x", "y"));
        events.add(event(at.plusSeconds(5), 1, moved, 0, "100.64.0.1", "olt-2/2", PRL, "x", "y"));
        insert(events);

        List<AlarmEvent> raised = runNow();
        assertEquals(1, raised.size(), raised.toString());
        AlarmEvent a = raised.get(0);
        assertEquals("mac_circuits", a.kind());
        assertEquals("02:00:00:00:c1:c1", a.subject());
        assertEquals("3", a.context().get("circuits"));
        assertTrue(a.context().get("circuit_1").startsWith("100.64.0.1 olt-1/1 (2 messages"), a.context().toString());
        assertTrue(a.message().contains("100.64.0.1 olt-1/2") && a.message().contains("100.64.0.2 olt-1/1"),
                a.message());
    }

    @Test
    void twoActiveMacsSharingAClientMarkAreNamedTogetherOnce(TestInfo t) throws Exception {
        setUp(t, DetectorConfig.defaults());
        long one = 0x0200_0000_f001L, other = 0x0a11_2200_f001L, third = 0x0e00_0000_f001L;
        List<DhcpEvent> events = new ArrayList<>(population(40, WINDOW_START));
        Instant at = T0.plusSeconds(60);
        events.add(event(at, 1, one, one, null, null, PRL, "a", "one"));
        events.add(event(at.plusSeconds(1), 3, one, one, null, null, PRL, "a", "one"));
        events.add(event(at.plusSeconds(2), 1, other, other, null, null, PRL, "b", "other"));
        // Both stay active into the third run's window [T0 + 5 min, T0 + 15 min).
        events.add(event(T0.plusSeconds(420), 3, one, one, null, null, PRL, "a", "one"));
        events.add(event(T0.plusSeconds(420), 3, other, other, null, null, PRL, "b", "other"));
        insert(events);

        List<AlarmEvent> raised = runNow();
        assertEquals(1, raised.size(), raised.toString());
        AlarmEvent a = raised.get(0);
        assertEquals("mark_collision", a.kind());
        assertEquals("info", a.severity());
        assertEquals("0x00f001", a.subject());
        assertEquals("02:00:00:00:f0:01,0a:11:22:00:f0:01", a.context().get("macs"));
        assertEquals("2", a.context().get("mac_1_events"));
        assertTrue(a.message().contains("02:00:00:00:f0:01, 0a:11:22:00:f0:01"), a.message());
        assertFalse(a.context().containsKey("action"), "a collision is never acted on");
        // The same pair is quiet; a third MAC joining the mark is news.
        assertEquals(List.of(), runNow());
        insert(List.of(event(T0.plusSeconds(480), 1, third, third, null, null, PRL, "c", "third")));
        List<AlarmEvent> again = runNow();
        assertEquals(1, again.size(), again.toString());
        assertEquals("02:00:00:00:f0:01,0a:11:22:00:f0:01,0e:00:00:00:f0:01", again.get(0).context().get("macs"));
    }

    @Test
    void aFailingDetectorIsCountedAndTheOthersStillAlarm(TestInfo t) throws Exception {
        setUp(t, DetectorConfig.defaults());
        long one = 0x0200_0000_f002L, other = 0x0a00_0000_f002L;
        Instant at = WINDOW_START.plusSeconds(60);
        insert(List.of(event(at, 1, one, one, null, null, PRL, "a", "one"),
                event(at, 1, other, other, null, null, PRL, "b", "other")));
        // The chaddr detector's column disappears (a schema from before V009): its query fails.
        client.execute("ALTER TABLE dhcp_events DROP COLUMN l2_source").block(WAIT);

        List<AlarmEvent> raised = runNow();
        assertEquals(List.of("mark_collision"), raised.stream().map(AlarmEvent::kind).toList());
        Map<String, Long> c = counters();
        assertEquals(1, c.get("detector_errors{chaddr_mismatch}"));
        assertEquals(0, c.get("detector_errors{mark_collision}"));
        @SuppressWarnings("unchecked")
        Map<String, String> failing = (Map<String, String>) service.readiness().detail().get("failing_detectors");
        assertTrue(failing.get("chaddr_mismatch").contains("l2_source"), failing.toString());
        assertTrue(service.readiness().ready());
    }

    @Test
    void configRefusesWhatCannotWork() {
        DetectorConfig d = DetectorConfig.defaults();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new DetectorConfig(true,
                d.interval(), d.window(), 100, d.fingerprintChange(), d.chaddrMismatch(), d.macCircuits(),
                d.markCollision().withAction(ActionType.BLOCK, null)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DetectorConfig.Transition("mtu", "a", "b"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> d.chaddrMismatch().withAction(ActionType.DENY, Duration.ofHours(1)));
        assertTrue(new DetectorConfig.Transition("vendor_class", "MSFT 5.0", "MSFT *")
                .matches("vendor_class", "MSFT 5.0", "MSFT 6.0"));
        assertFalse(new DetectorConfig.Transition("vendor_class", "MSFT 5.0", "MSFT *")
                .matches("vendor_class", "MSFT 5.0", "xMSFT 6.0"));
        assertFalse(new DetectorConfig.Transition("prl", "*", "*").matches("hostname", "a", "b"));
    }

    // ---------------------------------------------------------------- the kernel's sets, in memory

    /** The action sets in memory: what the real Action Manager writes here. */
    static final class MemorySets implements KernelSets {
        private final Map<EnforcementSet, Map<Long, Long>> sets = new EnumMap<>(EnforcementSet.class);

        MemorySets() {
            for (EnforcementSet s : EnforcementSet.values()) sets.put(s, new LinkedHashMap<>());
        }

        @Override
        public synchronized NftResult commit(List<SetChange> changes) {
            for (SetChange c : changes) {
                if (c.op() == SetChange.Op.PUT) sets.get(c.set()).put(c.value(), c.timeout());
                else sets.get(c.set()).remove(c.value());
            }
            return new NftResult(0, "", "");
        }

        @Override
        public synchronized Map<Long, Long> list(EnforcementSet set) {
            return new LinkedHashMap<>(sets.get(set));
        }

        synchronized boolean contains(EnforcementSet set, long clientMark) {
            return sets.get(set).containsKey(clientMark);
        }
    }
}
