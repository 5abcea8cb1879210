package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Measures the two bulk paths that work on 18.16 and modern servers for the real {@code dhcp_events} schema (its
 * materialized views included): RowBinary over plain HTTP vs multi-row literal {@code INSERT ... VALUES} through
 * R2DBC. Not part of the default test run (the name does not end in Test): {@code mvn -pl storage test
 * -Dtest=BulkPathBench}.
 */
class BulkPathBench {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    @Test
    void compareBulkPaths() throws Exception {
        int rows = 200_000;
        int batch = 50_000;
        ClickHouseClient client = new ClickHouseClient(server.freshDatabase("bench"));
        Migrations.apply(client).blockLast(Duration.ofSeconds(60));
        long t0 = Instant.parse("2026-11-23T10:00:00Z").getEpochSecond() * 1_000_000L;
        List<DhcpEvent> events = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            events.add(TestEvents.v4(i, t0 + i * 1_000L));
        }
        for (int rep = 0; rep < 4; rep++) {
            client.post("TRUNCATE TABLE dhcp_events", null);
            long a = System.nanoTime();
            for (int i = 0; i < rows; i += batch) {
                BatchSink.clickhouse(client).send(EventRows.encode(events.subList(i, i + batch)));
            }
            long b = System.nanoTime();
            client.post("TRUNCATE TABLE dhcp_events", null);
            long c = System.nanoTime();
            for (int i = 0; i < rows; i += batch) {
                client.execute(values(events.subList(i, i + batch))).block();
            }
            long d = System.nanoTime();
            assertEquals(rows, Long.parseLong(client.post("SELECT count() FROM dhcp_events", null).trim()));
            System.out.printf("rep %d: RowBinary/HTTP %.0f rows/s, VALUES/R2DBC %.0f rows/s (%d rows, batch %d)%n",
                    rep, rows / ((b - a) / 1e9), rows / ((d - c) / 1e9), rows, batch);
        }
        client.close();
    }

    /** The same rows as one literal multi-row INSERT (the R2DBC fast path), values escaped by {@link Sql}. */
    static String values(List<DhcpEvent> batch) {
        StringBuilder sb = new StringBuilder(batch.size() * 400);
        sb.append("INSERT INTO dhcp_events (").append(String.join(", ", EventRows.COLUMNS)).append(") VALUES ");
        boolean first = true;
        for (DhcpEvent e : batch) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            List<Object> v = Arrays.asList(
                    e.timeMicros() / 1_000_000, e.timeMicros() % 1_000_000, e.queue(), s(e.siteId()),
                    e.direction().name().toLowerCase(java.util.Locale.ROOT), e.family(), e.messageType(), e.innerType(),
                    s(e.messageTypeName()), e.transactionId(), e.mark() & 0xFFFF_FFFFL, e.clientMark(),
                    e.markSource().label(), e.clientMac() == null ? 0L : e.clientMac().value(),
                    s(e.duid()), s(e.clientId()), s(e.hostname()), s(e.vendorClass()), s(e.userClass()),
                    s(e.requestedOptions()), ip(e.source()), ip(e.destination()), ip(e.relayAddress()),
                    s(e.circuitId()), s(e.remoteId()), s(e.subscriberId()), e.relayHops(), ip(e.requestedAddress()),
                    ip(e.assignedAddress()), s(e.delegatedPrefix()), e.leaseSeconds(), ip(e.serverId()),
                    s(e.serverDuid()));
            sb.append('(');
            for (Object o : v) {
                sb.append(o instanceof String str ? (str.startsWith("RAW'") ? str.substring(3) : Sql.string(str))
                        : o.toString()).append(',');
            }
            sb.append('[');
            for (int i = 0; i < e.errors().size(); i++) {
                sb.append(i > 0 ? "," : "").append(Sql.string(e.errors().get(i)));
            }
            sb.append("],").append(e.l2Source() == null ? 0L : e.l2Source().value()).append(')');
        }
        return sb.toString();
    }

    private static String s(String x) {
        return x == null ? "" : x;
    }

    private static String ip(IpAddress a) {
        StringBuilder sb = new StringBuilder(66).append("RAW'");
        for (byte b : Sql.mapped(a)) {
            sb.append(String.format("\\x%02x", b & 0xFF));
        }
        return sb.append('\'').toString();
    }
}
