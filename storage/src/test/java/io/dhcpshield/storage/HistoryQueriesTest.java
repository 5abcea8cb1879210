package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.storage.HistoryQueries.Bucket;
import io.dhcpshield.storage.HistoryQueries.EventFilter;
import io.dhcpshield.storage.HistoryQueries.Page;
import io.dhcpshield.storage.HistoryQueries.StoredEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's history queries against a real private server, including SQL injection through every parameter. */
class HistoryQueriesTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant T0 = Instant.parse("2026-11-22T13:00:00Z");
    static final Instant FROM = T0.minusSeconds(3600);
    static final Instant TO = T0.plusSeconds(86400);
    static final String NASTY = "x' OR 1=1 --";
    static final List<String> ATTACKS = List.of(NASTY, "\\' OR 1=1 --", "') OR ('1'='1", "c1' UNION SELECT 1 --",
            "?", "c1\\", "c1'; DROP TABLE dhcp_events; --", "c1\0");

    static ClickHouseClient client;
    static HistoryQueries history;

    @BeforeAll
    static void load() throws Exception {
        client = new ClickHouseClient(server.freshDatabase("history_test"));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        history = new HistoryQueries(client, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
        long t0 = T0.getEpochSecond() * 1_000_000L;
        List<DhcpEvent> events = new ArrayList<>();
        // MAC ..01: 25 events, a DISCOVER/REQUEST/ACK pattern, 7 s apart, two in the same second (micro tie-break).
        for (int i = 0; i < 25; i++) {
            int type = new int[] {1, 3, 5}[i % 3];
            events.add(TestEvents.v4Message(t0 + i * 7_000_000L + (i == 24 ? -6_500_000L : 0), type,
                    0x0200_0000_0001L, IpAddress.parse("100.64.3.7"), 3600, "c1"));
        }
        // MAC ..02: 5 events on circuit NASTY (an attacker-chosen circuit-id is stored and found exactly).
        for (int i = 0; i < 5; i++) {
            events.add(TestEvents.v4Message(t0 + 60_000_000L + i, 1, 0x0200_0000_0002L, null, -1, NASTY));
        }
        events.add(TestEvents.v6Reply(t0, "00:01:00:01:aa", IpAddress.parse("2001:db8::7"), "2001:db8:100::/56", 7200));
        BatchSink.clickhouse(client).send(EventRows.encode(events));
        // actions_log rows as the action manager writes them: a block in force, a throttle that was removed.
        String ins = "INSERT INTO actions_log (event_time, action_id, action, state, client_mark, client_mac, duid,"
                + " duration_secs, source, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        client.execute(Sql.bind(ins, T0, "a1", "block", "active", 1, new MacAddress(0x0200_0000_0001L), "", 7200,
                "automation", "rule-1", "burst")).block();
        client.execute(Sql.bind(ins, T0, "a2", "throttle", "active", 1, new MacAddress(0x0200_0000_0001L), "", 0,
                "llm", "llm", "flapping")).block();
        client.execute(Sql.bind(ins, T0.plusSeconds(60), "a2", "throttle", "removed", 1,
                new MacAddress(0x0200_0000_0001L), "", 0, "gui", "alice", "ok")).block();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void eventsByMacArePagedByKeysetWithoutGapsOrDuplicates() {
        EventFilter mac = new EventFilter.ByMac(new MacAddress(0x0200_0000_0001L));
        List<StoredEvent> all = new ArrayList<>();
        Page page = history.events(mac, FROM, TO, null, 10).block();
        int pages = 1;
        all.addAll(page.events());
        while (page.next() != null) {
            page = history.events(mac, FROM, TO, page.next(), 10).block();
            all.addAll(page.events());
            pages++;
        }
        assertEquals(25, all.size());
        assertEquals(3, pages);
        assertEquals(25, new HashSet<>(all).size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).time().isAfter(all.get(i).time()), "newest first, strictly: " + i);
        }
        StoredEvent newest = all.get(0);
        assertEquals("02:00:00:00:00:01", newest.mac());
        assertEquals("c1", newest.circuitId());
        assertEquals("100.64.0.1", newest.relayIp());
        assertEquals("1,3,6,15", newest.requestedOptions());
        // Time range bounds are [from, to).
        assertEquals(0, history.events(mac, FROM, T0, null, 10).block().events().size());
        assertEquals(1, history.events(mac, T0, T0.plusSeconds(1), null, 10).block().events().size());
    }

    @Test
    void eventsByDuidIpCircuitAndRange() {
        assertEquals(1, history.events(new EventFilter.ByDuid("00:01:00:01:aa"), FROM, TO, null, 100).block()
                .events().size());
        List<StoredEvent> byIp = history.events(new EventFilter.ByIp(IpAddress.parse("100.64.3.7")), FROM, TO, null,
                100).block().events();
        assertEquals(8, byIp.size());   // the ACKs carry the assigned address
        assertEquals("100.64.3.7", byIp.get(0).assignedIp());
        assertEquals(25, history.events(new EventFilter.ByCircuit("c1"), FROM, TO, null, 100).block().events().size());
        assertEquals(31, history.events(new EventFilter.All(), FROM, TO, null, 100).block().events().size());
        assertThrows(IllegalArgumentException.class, () -> history.events(new EventFilter.All(), FROM, TO, null, 0));
    }

    @Test
    void sqlInjectionThroughEveryParameterFindsNothingAndBreaksNothing() {
        for (String attack : ATTACKS) {
            assertEquals(0, history.events(new EventFilter.ByDuid(attack), FROM, TO, null, 100).block().events()
                    .size(), attack);
            int expected = attack.equals(NASTY) ? 5 : 0;
            assertEquals(expected, history.events(new EventFilter.ByCircuit(attack), FROM, TO, null, 100).block()
                    .events().size(), attack);
        }
        // The attacker's circuit-id is stored and matched as plain data.
        assertEquals(NASTY, history.events(new EventFilter.ByCircuit(NASTY), FROM, TO, null, 1).block().events()
                .get(0).circuitId());
        // Typed parameters (MAC, IP, time, limit, bucket) cannot carry text: a string is refused before any SQL.
        for (String q : Queries.all().keySet()) {
            Queries.Template t = Queries.get(q);
            for (int i = 0; i < t.params().size(); i++) {
                if (t.params().get(i).equals("string")) {
                    continue;
                }
                Object[] values = new Object[t.params().size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = sample(t.params().get(j));
                }
                values[i] = NASTY;
                int at = i;
                assertThrows(IllegalArgumentException.class, () -> Queries.bind(q, values), q + " param " + at);
            }
        }
        // Every string parameter of every template, bound with each attack, runs as a plain value on the server.
        for (String q : Queries.all().keySet()) {
            Queries.Template t = Queries.get(q);
            if (!t.params().contains("string") || !t.sql().startsWith("SELECT")) {
                continue;
            }
            for (String attack : ATTACKS) {
                Object[] values = new Object[t.params().size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = t.params().get(j).equals("string") ? attack : sample(t.params().get(j));
                }
                client.query(Queries.bind(q, values), (row, meta) -> 1).collectList().block(Duration.ofSeconds(10));
            }
        }
        assertEquals(31, history.events(new EventFilter.All(), FROM, TO, null, 100).block().events().size());
        assertEquals(3, SchemaTest.countIn(client, "SELECT count() FROM actions_log"));
    }

    static Object sample(String type) {
        return switch (type) {
            case "string" -> "s";
            case "int" -> 10;
            case "time" -> T0;
            case "mac" -> new MacAddress(1);
            case "ip" -> IpAddress.parse("10.0.0.1");
            default -> throw new IllegalArgumentException(type);
        };
    }

    @Test
    void ratesAndTopTalkersComeFromTheStageOneViews() {
        var rates = history.typeRates(FROM, TO, Bucket.HOUR).collectList().block();
        assertEquals(31, rates.stream().mapToLong(HistoryQueries.TypeRate::events).sum());
        assertTrue(rates.stream().allMatch(r -> r.bucket().equals(T0)), rates.toString());
        assertEquals(14, rates.stream().filter(r -> r.family() == 4 && r.messageType() == 1)
                .mapToLong(HistoryQueries.TypeRate::events).sum());   // 9 + 5 DISCOVERs
        var minutes = history.typeRates(FROM, TO, Bucket.MINUTE).collectList().block();
        assertTrue(minutes.size() > 3);
        var relays = history.relayRates(FROM, TO, Bucket.FIFTEEN_MINUTES).collectList().block();
        assertEquals(25, relays.stream().filter(r -> r.relayIp().equals("100.64.0.1") && r.circuitId().equals("c1"))
                .mapToLong(HistoryQueries.RelayRate::events).sum());
        assertEquals(1, relays.stream().filter(r -> r.relayIp().equals("2001:db8:1::1")).count());
        var top = history.topTalkers(FROM, TO, 2).collectList().block();
        assertEquals(2, top.size());
        assertEquals("02:00:00:00:00:01", top.get(0).mac());
        assertEquals(25, top.get(0).events());
        assertEquals(5, top.get(1).events());
    }

    @Test
    void deviceSummaryAndBindingLookup() {
        var d = history.device(new MacAddress(0x0200_0000_0001L)).block();
        assertEquals(17, d.events());   // client messages: DISCOVER and REQUEST
        assertEquals(T0, d.firstSeen());
        assertEquals("1,3,6,15", d.fingerprint());
        assertEquals("MSFT 5.0", d.vendorClass());
        assertEquals(List.of("host-\t'1"), d.hostnames());
        assertEquals(1, d.currentActions().size(), d.currentActions().toString());
        assertEquals("block", d.currentActions().get(0).action());
        assertNull(history.device(new MacAddress(0x0200_0000_0099L)).block());

        var b = history.bindingAt(IpAddress.parse("100.64.3.7"), T0.plusSeconds(30)).block();
        assertEquals("02:00:00:00:00:01", b.mac());
        assertEquals("100.64.3.7", b.ip());
        assertEquals(T0.plusSeconds(14), b.leaseStart());   // the first ACK (i = 2)
        assertEquals(T0.plusSeconds(14 + 3600), b.leaseEnd());
        assertNull(history.bindingAt(IpAddress.parse("100.64.3.7"), T0.plusSeconds(13)).block());
        assertEquals(8, history.bindings(IpAddress.parse("100.64.3.7"), FROM, TO, 100).collectList().block().size());
        var v6 = history.bindingAt(IpAddress.parse("2001:db8::7"), T0.plusSeconds(60)).block();
        assertEquals("2001:db8:100::/56", v6.prefix());
        assertEquals("00:01:00:01:aa", v6.duid());
    }
}
