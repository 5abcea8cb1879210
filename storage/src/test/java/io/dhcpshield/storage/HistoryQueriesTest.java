package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.event.Origin;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.storage.HistoryQueries.Bucket;
import io.dhcpshield.storage.HistoryQueries.DeviceSummary;
import io.dhcpshield.storage.HistoryQueries.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    /** A second day of events with every kind of client, away from the rates' window. */
    static final Instant T1 = T0.plus(Duration.ofDays(2));
    static final Instant FROM1 = T1.minusSeconds(3600);
    static final Instant TO1 = T1.plusSeconds(3600);
    static final Duration MAX_RANGE = Duration.ofDays(2);
    static final String NASTY = BadInput.NASTY;

    static final MacAddress MAC1 = new MacAddress(0x0200_0000_0001L);
    static final MacAddress TIED = new MacAddress(0x0200_0000_0003L);
    /** DUID-LL of 02:00:00:00:00:05: its packets are marked by that MAC. */
    static final Duid DUID_LL = Client.duid("00:03:00:01:02:00:00:00:00:05");
    /** DUID-EN: its requests are marked by the link-layer source 02:00:00:00:00:06, the server's replies by a hash. */
    static final Duid DUID_EN = Client.duid("00:02:00:00:00:09:0a:0b:0c");
    static final MacAddress L2_OF_EN = new MacAddress(0x0200_0000_0006L);
    static final MacAddress LETTERS = MacAddress.parse("02:ab:cd:ef:00:99");

    static ClickHouseClient client;
    static HistoryQueries history;
    /** Every event stored in the second day, the oracle of the criteria test. */
    static final List<DhcpEvent> day2 = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        client = new ClickHouseClient(server.freshDatabase("history_test"));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
        history = new HistoryQueries(client, Time.fixed(T0.plusSeconds(3600)), MAX_RANGE);
        long t0 = T0.getEpochSecond() * 1_000_000L;
        List<DhcpEvent> events = new ArrayList<>();
        // MAC ..01: 25 events, a DISCOVER/REQUEST/ACK pattern, 7 s apart, two in the same second (micro tie-break).
        for (int i = 0; i < 25; i++) {
            int type = new int[] {1, 3, 5}[i % 3];
            events.add(TestEvents.v4Message(t0 + i * 7_000_000L + (i == 24 ? -6_500_000L : 0), type,
                    MAC1.value(), IpAddress.parse("100.64.3.7"), 3600, "c1"));
        }
        // MAC ..02: 5 events on circuit NASTY (an attacker-chosen circuit-id is stored and found exactly).
        for (int i = 0; i < 5; i++) {
            events.add(TestEvents.v4Message(t0 + 60_000_000L + i, 1, 0x0200_0000_0002L, null, -1, NASTY));
        }
        events.add(TestEvents.v6Reply(t0, "00:01:00:01:aa", IpAddress.parse("2001:db8::7"), "2001:db8:100::/56", 7200));
        // A MAC with letters, 40 days before everything else (outside every range the other tests query).
        events.add(TestEvents.v4Message(t0 - 40 * 86_400_000_000L, 1, LETTERS.value(), null, -1, "c9"));
        BatchSink.clickhouse(client).send(EventRows.encode(events));

        day2.addAll(secondDay());
        BatchSink.clickhouse(client).send(EventRows.encode(day2));

        // Actions as the Action Manager saves them: a block of MAC ..01 in force, a throttle undone a minute later.
        ClickHouseActionLog atT0 = new ClickHouseActionLog(client, Time.fixed(T0));
        ActionRecord block = record(ActionType.BLOCK, ActionTarget.mac(MAC1), Actor.rule("rule-1"), T0,
                Duration.ofHours(2));
        ActionRecord throttle = record(ActionType.THROTTLE, ActionTarget.mac(MAC1), Actor.analysis("llm"), T0,
                Duration.ofDays(1));
        atT0.save(block);
        atT0.save(throttle);
        new ClickHouseActionLog(client, Time.fixed(T0.plusSeconds(60)))
                .save(throttle.ended(ActionRecord.State.UNDONE, T0.plusSeconds(60), "user:alice"));
        // A deny of the DUID-EN client, and a block of its link-layer MAC (the mark its requests carry).
        ClickHouseActionLog atT1 = new ClickHouseActionLog(client, Time.fixed(T1));
        atT1.save(record(ActionType.DENY, ActionTarget.duid(DUID_EN), Actor.user("bob"), T1, Duration.ZERO));
        atT1.save(record(ActionType.BLOCK, ActionTarget.mac(L2_OF_EN), Actor.user("bob"), T1.plusMillis(5),
                Duration.ofHours(2)));
    }

    static ActionRecord record(ActionType type, ActionTarget target, Actor actor, Instant at, Duration d) {
        return new ActionRecord(UUID.randomUUID(), type, target, actor, "reason '" + type.label() + "'", d,
                d.toSeconds(), at, d.isZero() ? null : at.plus(d), ActionRecord.State.ACTIVE, null, "", List.of(), "");
    }

    /** Every kind of client and field the criteria can select, in one hour around T1. */
    static List<DhcpEvent> secondDay() {
        long t1 = T1.getEpochSecond() * 1_000_000L;
        List<DhcpEvent> out = new ArrayList<>();
        // DHCPv4 clients on two sites, two relays, every message type, some with decode errors; every fifth one
        // mirrored from a remote site's agent (V013).
        for (int i = 0; i < 60; i++) {
            long mac = 0x0200_0000_0010L + (i % 6);
            int type = i % 8 + 1;
            boolean reply = type == 2 || type == 5 || type == 6;
            Origin origin = i % 5 == 0 ? Origin.mirrored("192.0.2." + i + ":40001", new MacAddress(0xffff_ffff_ffffL))
                    : Origin.NFQUEUE;
            out.add(new DhcpEvent(t1 + i * 9_000_000L + i, i % 2, i % 3 == 0 ? "site-a" : "site-b",
                    reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER, 4, type, type, "TYPE" + type,
                    0x1000 + i, 0x0100_0000 | (int) (mac & 0xFF_FFFF), MarkSource.CHADDR, new MacAddress(mac), null,
                    "01:02:00:00:00:00:1" + (i % 6), "host-" + (i % 6), i % 2 == 0 ? "MSFT 5.0" : "udhcp 1.36",
                    null, i % 2 == 0 ? "1,3,6,15" : "1,3,6,12,15,28", IpAddress.parse("10.0.0." + (i % 6 + 1)),
                    IpAddress.parse("10.0.0.254"), IpAddress.parse(i % 4 < 2 ? "100.64.0.1" : "100.64.0.2"),
                    "circuit-" + (i % 5), "remote-" + (i % 3), null, 1,
                    type == 3 ? IpAddress.parse("100.64.3." + (i % 6 + 10)) : null,
                    reply ? IpAddress.parse("100.64.3." + (i % 6 + 10)) : null, null, reply ? 3600 : -1,
                    IpAddress.parse("100.64.0.254"), null, i % 7 == 0 ? List.of("truncated", "bad-option") : List.of())
                    .withOrigin(origin));
        }
        // 30 events of one client with one key (second, micro, transaction id): 20 differ, 10 are one duplicate.
        for (int i = 0; i < 30; i++) {
            out.add(TestEvents.v4Message(t1 + 1_800_000_000L + 123, 1, TIED.value(), null, -1,
                    "tie-" + Math.min(i, 20)));
        }
        // DUID-LL client: marked by its MAC, which the events carry too.
        for (int i = 0; i < 4; i++) {
            out.add(v6(t1 + 100_000_000L * i, i % 2 == 0 ? 1 : 7, DUID_LL, new MacAddress(0x0200_0000_0005L), 5,
                    MarkSource.DUID_LL, i % 2 == 0 ? null : "2001:db8:5::/56"));
        }
        // DUID-EN client: SOLICIT/REQUEST marked by the L2 source MAC, REPLY (relayed) marked by the DUID hash.
        for (int i = 0; i < 4; i++) {
            boolean request = i % 2 == 0;
            out.add(v6(t1 + 200_000_000L * i + 7, request ? 1 : 7, DUID_EN, request ? L2_OF_EN : null,
                    request ? L2_OF_EN.low24() : 0x00_4242, request ? MarkSource.L2_SOURCE : MarkSource.DUID_HASH,
                    request ? null : "2001:db8:e0::/48"));
        }
        // A full event (a relayed REPLY): every field set, a mark with the top bit set, no transaction id, a hostname
        // with quotes, a backslash, a tab and NUL.
        out.add(new DhcpEvent(t1 + 999_999, 7, "site-\\'x", Direction.OTHER, 6, 13, 7, "RELAY-REPL", -1,
                0x8100_0042, MarkSource.OPTION79, new MacAddress(0x0a00_0000_0042L), "00:02:00:00:00:09:ff",
                "client-id", "h'o\\s\tt\0" + NASTY, "vendor", "user-class", "6,23,24", IpAddress.parse("fe80::1"),
                IpAddress.parse("ff02::1:2"), IpAddress.parse("2001:db8:ffff::1"), "if-7", "remote-x", "sub-1", 3,
                IpAddress.parse("2001:db8::99"), IpAddress.parse("2001:db8::98"), "2001:db8:f000::/52", 86400,
                IpAddress.parse("2001:db8::53"), "00:01:00:01:bb", List.of("option-overrun"),
                new MacAddress(0x0a00_0000_0099L)));
        return out;
    }

    static DhcpEvent v6(long timeMicros, int inner, Duid duid, MacAddress mac, int clientMark, MarkSource source,
                        String prefix) {
        boolean reply = inner == 7;
        return new DhcpEvent(timeMicros, 1, "site-v6", reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER,
                6, reply ? 13 : inner, inner, reply ? "RELAY-REPL" : "SOLICIT", 0xab00 + inner,
                0x1100_0000 | clientMark, source, mac, duid.toString(), null, null, reply ? null : "vendor-v6", null,
                reply ? null : "23,24", IpAddress.parse(reply ? "2001:db8::53" : "fe80::6"), IpAddress.parse("ff02::1:2"),
                IpAddress.parse("2001:db8:1::1"), reply ? null : "eth-7", null, null, reply ? 1 : 0, null,
                reply ? IpAddress.parse("2001:db8::6") : null, prefix, reply ? 7200 : -1, null,
                reply ? "00:01:00:01:aa" : null, List.of());
    }

    @AfterAll
    static void close() {
        client.close();
    }

    /** Every page of a query, in order. */
    static List<DhcpEvent> all(EventQuery q, int limit) {
        return Pages.all(c -> history.events(q, c, limit).block(), Page::events, Page::next);
    }

    @Test
    void eventsByMacArePagedByKeysetWithoutGapsOrDuplicates() {
        EventQuery mac = EventQuery.between(FROM, TO).mac(MAC1);
        List<DhcpEvent> all = new ArrayList<>();
        Page page = history.events(mac, null, 10).block();
        int pages = 1;
        all.addAll(page.events());
        while (page.next() != null) {
            page = history.events(mac, page.next(), 10).block();
            all.addAll(page.events());
            pages++;
        }
        assertEquals(25, all.size());
        assertEquals(3, pages);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).timeMicros() > all.get(i).timeMicros(), "newest first, strictly: " + i);
        }
        DhcpEvent newest = all.get(0);
        assertEquals(MAC1, newest.clientMac());
        assertEquals("c1", newest.circuitId());
        assertEquals(IpAddress.parse("100.64.0.1"), newest.relayAddress());
        assertEquals("1,3,6,15", newest.requestedOptions());
        // Time range bounds are [from, to).
        assertEquals(0, history.events(EventQuery.between(FROM, T0).mac(MAC1), null, 10).block().events().size());
        assertEquals(1, history.events(EventQuery.between(T0, T0.plusSeconds(1)).mac(MAC1), null, 10).block()
                .events().size());
    }

    @Test
    void everyStoredFieldComesBackAsTheDhcpEventThatWasWritten() {
        List<DhcpEvent> read = all(EventQuery.between(FROM1, TO1), 1000);
        assertEquals(TestEvents.multiset(day2), TestEvents.multiset(read));
        DhcpEvent full = read.stream().filter(e -> e.queue() == 7).findFirst().orElseThrow();
        assertEquals(-1, full.transactionId());
        assertEquals(0x8100_0042, full.mark());
        assertEquals(0x00_0042, full.clientMark());
        assertEquals(MarkSource.OPTION79, full.markSource());
        assertEquals("h'o\\s\tt\0" + NASTY, full.hostname());
        assertEquals(List.of("option-overrun"), full.errors());
        assertEquals(new MacAddress(0x0a00_0000_0099L), full.l2Source(), "V009: the link-layer source is kept");
        assertEquals(12, read.stream().filter(e -> e.origin().observed()).count(), "V013: mirrored events stay so");
        assertTrue(read.stream().anyMatch(e -> e.origin().equals(Origin.mirrored("192.0.2.5:40001",
                new MacAddress(0xffff_ffff_ffffL)))), "with their agent and original L2 destination");
        DhcpEvent noOptionals = read.stream().filter(e -> DUID_EN.toString().equals(e.duid()) && e.innerType() == 7)
                .findFirst().orElseThrow();
        assertNull(noOptionals.clientMac());
        assertNull(noOptionals.hostname());
        assertNull(noOptionals.requestedAddress());
        assertNull(noOptionals.l2Source());
    }

    @Test
    void keysetPagingIsExactWhenManyEventsShareSecondMicrosAndTransactionId() {
        EventQuery tied = EventQuery.between(FROM1, TO1).mac(TIED);
        List<DhcpEvent> expected = day2.stream().filter(e -> TIED.equals(e.clientMac())).toList();
        assertEquals(30, expected.size());
        for (int limit : new int[] {1, 3, 7, 10, 11, 29, 30, 31}) {
            List<DhcpEvent> read = all(tied, limit);
            assertEquals(TestEvents.multiset(expected), TestEvents.multiset(read), "limit " + limit);
        }
        // Across the whole day too, where the tied run sits between other clients' events.
        assertEquals(TestEvents.multiset(day2), TestEvents.multiset(all(EventQuery.between(FROM1, TO1), 4)));
    }

    @Test
    void everyCriterionAloneAndCombinedSelectsExactlyTheMatchingEvents() {
        EventQuery day = EventQuery.between(FROM1, TO1);
        IpAddress assigned = IpAddress.parse("100.64.3.12");
        List<EventQuery> queries = List.of(day,
                day.mac(new MacAddress(0x0200_0000_0012L)),
                day.mac(new MacAddress(0x0200_0000_0005L)),
                day.mac(L2_OF_EN),
                day.duid(DUID_LL),
                day.duid(DUID_EN),
                day.client(Client.parse("02-00-00-00-00-05")),
                day.ip(assigned),
                day.ip(IpAddress.parse("10.0.0.3")),
                day.ip(IpAddress.parse("2001:db8::6")),
                day.relayIp(IpAddress.parse("100.64.0.2")),
                day.relayIp(IpAddress.parse("2001:db8:1::1")),
                day.circuitId("circuit-3"),
                day.remoteId("remote-1"),
                day.messageType("TYPE5"),
                day.messageType("SOLICIT"),
                day.innerType(7),
                day.family(6).innerType(1),
                day.family(4),
                day.direction(Direction.SERVER_TO_CLIENT),
                day.direction(Direction.OTHER),
                day.errorsOnly(true),
                day.siteId("site-a"),
                day.hostname("host-3"),
                day.mac(new MacAddress(0x0200_0000_0012L)).messageType("TYPE3").ip(assigned),
                day.duid(DUID_EN).direction(Direction.CLIENT_TO_SERVER).family(6),
                day.siteId("site-b").relayIp(IpAddress.parse("100.64.0.1")).circuitId("circuit-1").errorsOnly(true),
                day.family(4).remoteId("remote-2").hostname("host-4").direction(Direction.CLIENT_TO_SERVER),
                day.mac(new MacAddress(0x0200_0000_0005L)).duid(DUID_LL).innerType(7),
                day.mac(MAC1).duid(DUID_LL),
                EventQuery.between(T1.plusSeconds(100), T1.plusSeconds(400)).siteId("site-a"));
        for (EventQuery q : queries) {
            List<DhcpEvent> expected = day2.stream().filter(matches(q)).toList();
            List<DhcpEvent> read = all(q, 13);
            assertEquals(TestEvents.multiset(expected), TestEvents.multiset(read), q.toString());
        }
        // The ones that must find something do (so the comparisons above are not all empty).
        assertEquals(4, all(day.duid(DUID_EN), 100).size());   // two marks: L2 source and DUID hash
        assertEquals(4, all(day.duid(DUID_LL), 100).size());
        assertEquals(4, all(day.family(6).innerType(1), 100).size());
        assertFalse(all(day.mac(new MacAddress(0x0200_0000_0012L)).messageType("TYPE3").ip(assigned), 100).isEmpty());
    }

    /** The criteria of an event query, written out in Java: the oracle of the SQL template. */
    static Predicate<DhcpEvent> matches(EventQuery q) {
        return e -> {
            long t = e.timeMicros() / 1_000_000L;
            return t >= q.from().getEpochSecond() && t < q.to().getEpochSecond()
                    && (q.mac() == null || q.mac().equals(e.clientMac()))
                    && (q.duid() == null || q.duid().toString().equals(e.duid()))
                    && (q.ip() == null || q.ip().equals(e.assignedAddress()) || q.ip().equals(e.requestedAddress())
                        || q.ip().equals(e.source()))
                    && (q.relayIp() == null || q.relayIp().equals(e.relayAddress()))
                    && (q.circuitId() == null || q.circuitId().equals(e.circuitId()))
                    && (q.remoteId() == null || q.remoteId().equals(e.remoteId()))
                    && (q.messageType() == null || q.messageType().equals(e.messageTypeName()))
                    && (q.innerType() == null || q.innerType() == e.innerType())
                    && (q.family() == null || q.family() == e.family())
                    && (q.direction() == null || q.direction() == e.direction())
                    && (!q.errorsOnly() || !e.errors().isEmpty())
                    && (q.siteId() == null || q.siteId().equals(e.siteId()))
                    && (q.hostname() == null || q.hostname().equals(e.hostname()));
        };
    }

    @Test
    void sqlMetacharactersInEveryTextCriterionChangeNothing() {
        EventQuery day = EventQuery.between(FROM1, TO1);
        for (String attack : BadInput.ATTACKS) {
            for (EventQuery q : List.of(day.circuitId(attack), day.remoteId(attack), day.messageType(attack),
                    day.siteId(attack), day.hostname(attack), day.circuitId(attack).hostname(attack))) {
                assertEquals(0, history.events(q, null, 100).block().events().size(), attack + " " + q);
            }
            assertEquals(0, history.events(EventQuery.between(FROM, TO).circuitId(attack), null, 100).block()
                    .events().size() - (attack.equals(NASTY) ? 5 : 0), attack);
            assertThrows(IllegalArgumentException.class, () -> Client.parse(attack));
            assertThrows(IllegalArgumentException.class, () -> history.delegatedPrefixAt(attack, T1));
        }
        // Stored attacker text is found exactly, as data.
        assertEquals(NASTY, history.events(EventQuery.between(FROM, TO).circuitId(NASTY), null, 1).block().events()
                .get(0).circuitId());
        assertEquals(1, history.events(day.hostname("h'o\\s\tt\0" + NASTY), null, 10).block().events().size());
        assertEquals(1, history.events(day.siteId("site-\\'x"), null, 10).block().events().size());
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
        // Every string parameter of every SELECT template, bound with each attack, runs as a plain value.
        for (String q : Queries.all().keySet()) {
            Queries.Template t = Queries.get(q);
            if (!t.params().contains("string") || !t.sql().startsWith("SELECT")) {
                continue;
            }
            for (String attack : BadInput.ATTACKS) {
                Object[] values = new Object[t.params().size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = t.params().get(j).equals("string") ? attack : sample(t.params().get(j));
                }
                client.query(Queries.bind(q, values), (row, meta) -> 1).collectList().block(Duration.ofSeconds(10));
            }
        }
        assertEquals(31, history.events(EventQuery.between(FROM, TO), null, 100).block().events().size());
        assertEquals(day2.size(), all(day, 1000).size());
        assertEquals(5, SchemaTest.countIn(client, "SELECT count() FROM actions_log"));
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
    void badArgumentsAreRefusedNamingTheArgument() {
        EventQuery day = EventQuery.between(FROM1, TO1);
        BadInput.assertRefused("limit", () -> history.events(day, null, 0));
        BadInput.assertRefused("limit", () -> history.events(day, null, 10_001));
        BadInput.assertRefused("query", () -> history.events(null, null, 10));
        BadInput.assertRefused("from", () -> EventQuery.between(T1, T1));
        BadInput.assertRefused("from", () -> EventQuery.between(T1, T0));
        BadInput.assertRefused("from", () -> EventQuery.between(null, T1));
        BadInput.assertRefused("to", () -> EventQuery.between(T0, null));
        BadInput.assertRefused("from..to", () -> history.events(EventQuery.between(T0, T0.plus(MAX_RANGE).plusSeconds(1)),
                null, 10));
        BadInput.assertRefused("circuitId", () -> day.circuitId(""));
        BadInput.assertRefused("hostname", () -> day.hostname("x".repeat(5000)));
        BadInput.assertRefused("family", () -> day.family(5));
        BadInput.assertRefused("innerType", () -> day.innerType(256));
        BadInput.assertRefused("cursor", () -> Cursor.parse("12.x"));
        BadInput.assertRefused("cursor", () -> Cursor.parse("1.2000000.3.0"));
        BadInput.assertRefused("client", () -> Client.parse("0x000001"));
        BadInput.assertRefused("duid", () -> Client.duid("zz:zz"));
        BadInput.assertRefused("client", () -> history.device(null, 10));
        BadInput.assertRefused("limit", () -> history.device(Client.of(MAC1), 0));
        BadInput.assertRefused("ip", () -> history.bindingAt(null, T0));
        BadInput.assertRefused("at", () -> history.bindingAt(IpAddress.parse("100.64.3.7"), null));
        BadInput.assertRefused("from..to", () -> history.bindings(Client.of(MAC1), T0, T0.plus(Duration.ofDays(3)), 10));
        BadInput.assertRefused("address", () -> history.delegatedPrefixContaining(IpAddress.parse("100.64.3.7"), T0));
        BadInput.assertRefused("prefix", () -> history.delegatedPrefixAt("2001:db8::/129", T0));
        BadInput.assertRefused("prefix", () -> history.delegatedPrefixAt("100.64.0.0/10", T0));
        BadInput.assertRefused("bucket", () -> history.typeRates(FROM, TO, null));
        BadInput.assertRefused("from", () -> history.topTalkers(TO, FROM, 10));
        BadInput.assertRefused("maxRange", () -> new HistoryQueries(client, Time.SYSTEM, Duration.ZERO));
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
    void aDeviceSummaryWritesMacsTheWayTheApiTakesThemLowerCase() {
        DeviceSummary d = history.device(Client.of(LETTERS), 20).block();
        assertEquals(1, d.events());
        assertEquals(List.of("02:ab:cd:ef:00:99"), values(d.macs()));
    }

    @Test
    void deviceSummaryOfAMacHasItsIdentityFingerprintHistoryRelaysBindingsAndActions() {
        DeviceSummary d = history.device(Client.of(MAC1), 20).block();
        assertEquals(25, d.events());
        assertEquals(17, d.clientMessages());   // DISCOVER and REQUEST
        assertEquals(T0, d.firstSeen());
        assertEquals(List.of("02:00:00:00:00:01"), values(d.macs()));
        assertEquals(List.of("01:02:00:00:00:00:00"), values(d.clientIds()));
        assertEquals(List.of("chaddr"), values(d.markSources()));
        assertEquals(List.of("0x000001"), values(d.clientMarks()));
        assertEquals(List.of(), d.duids());
        assertEquals(new HistoryQueries.Fingerprint("1,3,6,15", "MSFT 5.0", "host-\t'1"), d.fingerprint());
        HistoryQueries.Seen prl = d.parameterRequestLists().get(0);
        assertEquals(17, prl.events());
        assertEquals(T0, prl.firstSeen());
        assertEquals(1, d.relays().size());
        assertEquals(new HistoryQueries.RelaySeen("100.64.0.1", "c1", "remote-1", 25, T0,
                T0.plusSeconds(23 * 7)), d.relays().get(0));
        assertEquals(8, d.bindings().size());   // the ACKs
        assertEquals("100.64.3.7", d.bindings().get(0).ip());
        assertEquals(1, d.enforcement().size(), d.enforcement().toString());
        assertEquals(ActionType.BLOCK, d.enforcement().get(0).type());
        assertEquals(2, d.actions().size());
        assertTrue(d.actions().stream().anyMatch(a -> a.state() == ActionRecord.State.UNDONE
                && a.type() == ActionType.THROTTLE && a.endedBy().equals("user:alice")));
        // Lists are limited.
        assertEquals(1, history.device(Client.of(MAC1), 1).block().actions().size());
        // Never seen: empty.
        assertNull(history.device(Client.of(new MacAddress(0x0200_0000_0099L)), 10).block());
    }

    @Test
    void deviceSummaryOfADuidFindsEventsUnderEveryMarkAndTheActionsOnThem() {
        DeviceSummary en = history.device(Client.of(DUID_EN), 10).block();
        assertEquals(4, en.events());
        assertEquals(2, en.clientMessages());
        assertEquals(List.of(DUID_EN.toString()), values(en.duids()));
        assertEquals(List.of(L2_OF_EN.toString()), values(en.macs()));
        assertEquals(List.of("duid-hash", "l2-source"), values(en.markSources()).stream().sorted().toList());
        assertEquals(2, en.clientMarks().size());
        assertEquals("23,24", en.fingerprint().parameterRequestList());
        assertEquals("vendor-v6", en.fingerprint().vendorClass());
        assertNull(en.fingerprint().hostname());
        assertEquals(List.of("2001:db8:e0::/48"), en.bindings().stream().map(HistoryQueries.Binding::prefix)
                .distinct().toList());
        // The deny of the DUID (its hash mark) and the block of the MAC its requests are marked with.
        assertEquals(2, en.enforcement().size(), en.enforcement().toString());
        assertEquals(ActionType.BLOCK, en.enforcement().get(0).type());   // taken 5 ms later: newest first
        assertEquals(2, en.actions().size());

        DeviceSummary ll = history.device(Client.of(DUID_LL), 10).block();
        assertEquals(4, ll.events());
        assertEquals(List.of("0x000005"), values(ll.clientMarks()));
        assertEquals(List.of("duid-ll"), values(ll.markSources()));
        assertEquals(List.of(), ll.enforcement());
        assertNull(history.device(Client.of(Client.duid("00:02:00:00:00:09:00")), 10).block());
    }

    static List<String> values(List<HistoryQueries.Seen> seen) {
        return seen.stream().map(HistoryQueries.Seen::value).toList();
    }

    @Test
    void bindingsByAddressClientAndDelegatedPrefix() {
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

        // A client's bindings in a range, by MAC and by DUID.
        assertEquals(8, history.bindings(Client.of(MAC1), FROM, TO, 100).collectList().block().size());
        assertEquals(3, history.bindings(Client.of(MAC1), FROM, TO, 3).collectList().block().size());
        assertEquals(0, history.bindings(Client.of(MAC1), FROM1, TO1, 100).collectList().block().size());
        var duid = history.bindings(Client.of(DUID_LL), FROM1, TO1, 100).collectList().block();
        assertEquals(2, duid.size());
        assertTrue(duid.stream().allMatch(x -> x.prefix().equals("2001:db8:5::/56")
                && x.mac().equals("02:00:00:00:00:05")));

        // Who had a delegated prefix at a time: exact prefix (any spelling), or an address inside it.
        Instant during = T0.plusSeconds(600);
        assertEquals("00:01:00:01:aa", history.delegatedPrefixAt("2001:0DB8:0100:0000::/56", during).block().duid());
        assertNull(history.delegatedPrefixAt("2001:db8:100::/48", during).block());
        assertNull(history.delegatedPrefixAt("2001:db8:100::/56", T0.minusSeconds(1)).block());
        assertNull(history.delegatedPrefixAt("2001:db8:100::/56", T0.plusSeconds(7200)).block());
        assertEquals("2001:db8:100::/56",
                history.delegatedPrefixContaining(IpAddress.parse("2001:db8:100:ff::1"), during).block().prefix());
        assertEquals("2001:db8:100::/56",
                history.delegatedPrefixContaining(IpAddress.parse("2001:db8:100::"), during).block().prefix());
        assertNull(history.delegatedPrefixContaining(IpAddress.parse("2001:db8:101::1"), during).block());
        assertEquals("2001:db8:f000::/52", history.delegatedPrefixContaining(
                IpAddress.parse("2001:db8:f000:fff::1"), T1.plusSeconds(10)).block().prefix());
        assertNull(history.delegatedPrefixContaining(IpAddress.parse("2001:db8:f000:1000::1"), T1.plusSeconds(10))
                .block());
    }
}
