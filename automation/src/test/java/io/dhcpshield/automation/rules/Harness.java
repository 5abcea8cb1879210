package io.dhcpshield.automation.rules;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.dhcpshield.storage.Await;
import io.dhcpshield.storage.ClickHouseActionLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.ClickHouseServerExtension;
import io.dhcpshield.storage.EventRows;
import io.dhcpshield.storage.Migrations;
import io.dhcpshield.storage.OperationalConfig;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One automation under test: a fresh database on the class's private ClickHouse (18.16), a real Action Manager over
 * in-memory kernel sets with the real ClickHouse action log, operational config with automation active, and the
 * scheduler on virtual time starting at {@link #T0}. {@link #tick()} advances one minute and waits for the cycle.
 */
final class Harness implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    final ClickHouseClient client;
    final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    final Time time = Time.of(vts, T0);
    final MemoryKernelSets kernel = new MemoryKernelSets();
    final ActionManager actions;
    final OperationalConfig operational;
    final RuleStore store;
    final AnalysisQueue analysis = new AnalysisQueue(100);
    AutomationScheduler automation;

    Harness(ClickHouseServerExtension server, String database) throws Exception {
        client = new ClickHouseClient(server.freshDatabase(database));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        actions = new ActionManager(kernel, new ClickHouseActionLog(client, time), new DenySet(),
                ThrottlingProfile.dualstack("medium"), analysis, time);
        operational = new OperationalConfig(client, Map.of("operational.automation.active", "true"),
                Set.of("automation"), time);
        store = new RuleStore(client, time);
    }

    /** Creates the scheduler and starts it (seeding the rules if the table is still empty). */
    Harness start() {
        automation = new AutomationScheduler(true, Deferred.of("clickhouse", client), Deferred.of("action manager", actions),
                Deferred.of("operational config", operational), time, vts, AutomationScheduler.TICK,
                Schedulers.boundedElastic());
        automation.start();
        return this;
    }

    /** One minute of virtual time: the tick runs the due rules; returns once that cycle completed. */
    void tick() {
        long before = automation.cycles();
        vts.advanceTimeBy(Duration.ofMinutes(1));
        Await.until(Duration.ofSeconds(60), () -> automation.cycles() > before, "an automation cycle");
    }

    Rule create(String json) {
        return store.create(RuleJson.parse(json), "alice").block(Duration.ofSeconds(30)).rule();
    }

    void insert(List<DhcpEvent> events) throws Exception {
        client.insert(EventRows.TABLE, EventRows.COLUMNS, "RowBinary", EventRows.encode(events));
    }

    /** {@code n} messages of DHCPv4 type {@code type} from {@code mac}, spread evenly over [from, from + minutes). */
    static List<DhcpEvent> v4(int n, int type, long mac, Instant from, int minutes, String circuit) {
        List<DhcpEvent> out = new ArrayList<>();
        long span = minutes * 60_000_000L;
        for (int i = 0; i < n; i++) {
            out.add(v4At(from.toEpochMilli() * 1000 + span * i / n, type, mac, circuit));
        }
        return out;
    }

    static DhcpEvent v4At(long micros, int type, long mac, String circuit) {
        boolean reply = type == 2 || type == 5 || type == 6;
        return new DhcpEvent(micros, 0, "site-a", reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER,
                4, type, type, "TYPE" + type, 0x1234L, (type << 24) | (int) (mac & 0xFF_FFFF), MarkSource.CHADDR,
                new MacAddress(mac), null, null, "host-" + (mac & 0xFF), "MSFT 5.0", null, "1,3,6,15",
                IpAddress.parse("10.0.0.1"), IpAddress.parse("255.255.255.255"), IpAddress.parse("100.64.0.1"),
                circuit, "remote-1", null, 1, null, null, null, -1, null, null, List.of());
    }

    static int mark(long mac) {
        return (int) (mac & 0xFF_FFFF);
    }

    List<RunRecord> runs() {
        return automation.runs(null, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)), 1000).collectList()
                .block(Duration.ofSeconds(30));
    }

    List<RunRecord> runs(String ruleId) {
        return runs().stream().filter(r -> r.ruleId().equals(ruleId)).toList();
    }

    @Override
    public void close() {
        if (automation != null) automation.stop();
        actions.close();
        operational.close();
        vts.dispose();
        client.close();
    }
}
