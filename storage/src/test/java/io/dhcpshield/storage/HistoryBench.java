package io.dhcpshield.storage;

import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Times the API's history queries over ~10 M synthetic events (7 days, 100,000 DHCPv4 clients, 10,000 DHCPv6
 * DUID-EN clients) in the private 18.16 server: an events query by MAC in the product's form (client-mark range) and
 * in the two other forms considered, an unfiltered newest page, a non-indexed criterion, and the device summary by
 * MAC and by DUID. Not part of the default test run (the name does not end in Test):
 * {@code mvn -pl storage -am verify -Dtest=HistoryBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.events=N} to change the volume; {@code -Dbench.endpoint=http://127.0.0.1:PORT} to use a server you
 * started with {@code storage/clickhouse/clickhouse.sh}, loaded once and kept).
 */
public class HistoryBench {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    public static final Instant START = Instant.parse("2026-11-16T00:00:00Z");
    public static final Duration SPAN = Duration.ofDays(7);
    public static final int V4_CLIENTS = 100_000;
    static final int V6_CLIENTS = 10_000;
    static final int BATCH = 200_000;
    static final int REPS = 5;

    @Test
    void timeHistoryQueriesOverTenMillionEvents() throws Exception {
        long n = Long.getLong("bench.events", 10_000_000L);
        String endpoint = System.getProperty("bench.endpoint");
        ClickHouseConfig cfg = endpoint == null ? server.freshDatabase("history_bench")
                : ClickHouseConfig.defaults().withEndpoint(endpoint).withDatabase("history_bench");
        try (ClickHouseClient client = new ClickHouseClient(cfg.withRequestTimeout(Duration.ofMinutes(5)))) {
            client.createDatabaseIfMissing();
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            // With -Dbench.endpoint (a server you keep, to study plans with clickhouse-client) the events are loaded
            // once: a database already holding n events is reused.
            long present = SchemaTest.countIn(client, "SELECT count() FROM dhcp_events");
            if (present != 0 && present != n) {
                throw new IllegalStateException("history_bench holds " + present + " events, not " + n
                        + ": drop that database first");
            }
            boolean reused = present == n;
            for (long i = reused ? n : 0; i < n; i += BATCH) {
                List<DhcpEvent> batch = new ArrayList<>(BATCH);
                for (long j = i; j < Math.min(n, i + BATCH); j++) {
                    batch.add(event(j, n));
                }
                BatchSink.clickhouse(client).send(EventRows.encode(batch));
            }
            double loadSecs = (System.nanoTime() - t0) / 1e9;
            long rows = SchemaTest.countIn(client, "SELECT count() FROM dhcp_events");
            assertEquals(n, rows);
            System.out.printf("%s %,d events%s; %d active parts of dhcp_events, %,d bindings%n",
                    reused ? "reused" : "loaded", rows,
                    reused ? "" : String.format(" in %.1f s (%,.0f/s, 4 views fed)", loadSecs, rows / loadSecs),
                    SchemaTest.countIn(client, "SELECT count() FROM system.parts WHERE database = currentDatabase()"
                            + " AND table = 'dhcp_events' AND active"),
                    SchemaTest.countIn(client, "SELECT count() FROM dhcp_bindings"));

            HistoryQueries history = new HistoryQueries(client, io.dhcpshield.core.time.Time.fixed(START.plus(SPAN)), SPAN);
            MacAddress mac = v4Mac(4242);
            EventQuery week = EventQuery.between(START, START.plus(SPAN));
            Instant lastDay = START.plus(SPAN).minus(Duration.ofDays(1));
            EventQuery day = EventQuery.between(lastDay, START.plus(SPAN));

            int macEvents = history.events(week.mac(mac), null, 1000).block().events().size();
            System.out.printf("%nMAC %s has %d events in the week; times in ms, %d runs after one warm-up:%n", mac,
                    macEvents, REPS);
            time("events by MAC, product template (client_mark range = one mark), limit 100",
                    () -> history.events(week.mac(mac), null, 100).block().events().size());
            String template = Queries.get("history.events").sql();
            Object[] macOnly = macQueryValues(mac, 0, 0xFF_FFFF);
            time("events by MAC, same template, mark range open (client_mac criterion only), limit 100",
                    () -> client.query(Sql.bind(template, macOnly), (row, meta) -> 1).collectList().block().size());
            String orForm = template.replace("client_mark >= ? AND client_mark <= ?", "(? = 0 OR client_mark = ?)");
            Object[] orValues = macQueryValues(mac, 1, mac.low24());
            time("events by MAC, mark as a (? = 0 OR client_mark = ?) pair, limit 100",
                    () -> client.query(Sql.bind(orForm, orValues), (row, meta) -> 1).collectList().block().size());
            time("events, no criterion, last day, newest page of 100",
                    () -> history.events(day, null, 100).block().events().size());
            time("events by circuit-id (not indexed), last day, limit 100",
                    () -> history.events(day.circuitId("circuit-17"), null, 100).block().events().size());
            time("device summary by MAC (lists of 20)",
                    () -> history.device(Client.of(mac), 20).block().events());
            time("device summary by DUID-EN (no certain mark: a scan), lists of 20",
                    () -> history.device(Client.of(v6Duid(42)), 20).block().events());
            assertTrue(macEvents > 0);
        }
    }

    /** The values of history.events for a MAC-only query over the week, first page of 100. */
    static Object[] macQueryValues(MacAddress mac, int markA, int markB) {
        IpAddress none = IpAddress.V4_ANY;
        Instant from = START;
        Instant to = START.plus(SPAN);
        Cursor c = Cursor.first(to);
        Instant at = Instant.ofEpochSecond(c.epochSecond());
        return new Object[] {markA, markB, from, to, 1, mac, 0, "", 0, none, none, none, 0, none, 0, "", 0, "", 0, "",
                0, 0, 0, 0, 0, "", 0, 0, "", 0, "", at, at, c.micros(), c.micros(), c.tie(), 100};
    }

    static void time(String what, Supplier<Object> query) {
        query.get();
        long[] ms = new long[REPS];
        Object result = null;
        for (int r = 0; r < REPS; r++) {
            long a = System.nanoTime();
            result = query.get();
            ms[r] = (System.nanoTime() - a) / 1_000_000;
        }
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("  %-90s median %5d  runs %s  (result %s)%n", what, sorted[REPS / 2], Arrays.toString(ms),
                result);
    }

    public static MacAddress v4Mac(int client) {
        return new MacAddress(0x0200_0000_0000L | client);
    }

    static Duid v6Duid(int client) {
        return Duid.of(new byte[] {0, 2, 0, 0, 0, 9, (byte) (client >>> 16), (byte) (client >>> 8), (byte) client});
    }

    private static final String[] TYPE_NAMES = {"", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK",
            "RELEASE", "INFORM"};

    /** Event {@code i} of {@code n}, in time order over the span: 90% DHCPv4, 10% DHCPv6 DUID-EN clients. */
    public static DhcpEvent event(long i, long n) {
        long micros = START.getEpochSecond() * 1_000_000L + i * (SPAN.toSeconds() * 1_000_000L / n);
        long h = (i * 0x9E3779B97F4A7C15L) >>> 17;
        IpAddress relay = IpAddress.v4(0x6440_0000 | (int) (h % 64));
        if (i % 10 == 9) {
            int client = (int) (h % V6_CLIENTS);
            Duid duid = v6Duid(client);
            boolean reply = (h >>> 20) % 2 == 1;
            return new DhcpEvent(micros, 1, "site-a", reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER,
                    6, reply ? 13 : 12, reply ? 7 : 1, reply ? "RELAY-REPL" : "RELAY-FORW", h & 0xFF_FFFF,
                    0x1100_0000 | (client & 0xFF_FFFF), MarkSource.DUID_HASH, null, duid.toString(), null, null,
                    reply ? null : "vendor-v6", null, reply ? null : "23,24", IpAddress.parse("2001:db8::1"),
                    IpAddress.parse("2001:db8::2"), IpAddress.parse("2001:db8:1::1"), null, null, null, 1, null,
                    reply ? IpAddress.parse("2001:db8::6") : null, reply ? "2001:db8:" + (client % 4096) + "::/56" : null,
                    reply ? 7200 : -1, null, reply ? "00:01:00:01:aa" : null, List.of());
        }
        int client = (int) (h % V4_CLIENTS);
        int type = (int) (i % 8) + 1;
        boolean reply = type == 2 || type == 5 || type == 6;
        long mac = v4Mac(client).value();
        IpAddress assigned = IpAddress.v4(0x6440_0000 | client);
        return new DhcpEvent(micros, (int) (i % 4), client % 3 == 0 ? "site-a" : "site-b",
                reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER, 4, type, type, TYPE_NAMES[type],
                h & 0xFFFF_FFFFL, 0x0100_0000 | (int) (mac & 0xFF_FFFF), MarkSource.CHADDR, new MacAddress(mac), null,
                "01:02:00:00:" + (client % 100), "host-" + client, client % 2 == 0 ? "MSFT 5.0" : "udhcp 1.36", null,
                client % 2 == 0 ? "1,3,6,15,31,33,43,44,46,47,119,121,249,252" : "1,3,6,12,15,28,42", null,
                IpAddress.parse("255.255.255.255"), relay, "circuit-" + (client % 1000), "remote-" + (client % 50),
                null, 1, type == 3 ? assigned : null, reply ? assigned : null, null, reply ? 3600 : -1,
                IpAddress.parse("100.64.0.254"), null, i % 1000 == 0 ? List.of("truncated") : List.of());
    }
}
