package io.dhcpshield.storage;

import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The API's history queries (reactive). Every template is in {@code queries.sql}; every value is bound by
 * {@link Queries#bind} (type-checked, escaped literal): nothing from a request is concatenated into SQL. Times are
 * exchanged as epoch seconds ({@code toUInt32}) so the driver's time-zone handling of DateTime never applies.
 */
public final class HistoryQueries {

    /** Largest page or list a caller may ask for. */
    public static final int MAX_LIMIT = 10_000;

    /** What to select events by. */
    public sealed interface EventFilter {
        record ByMac(MacAddress mac) implements EventFilter {
        }

        record ByDuid(String duid) implements EventFilter {
        }

        /** Matches the assigned, requested or source address. */
        record ByIp(IpAddress ip) implements EventFilter {
        }

        record ByCircuit(String circuitId) implements EventFilter {
        }

        /** Every event in the time range. */
        record All() implements EventFilter {
        }
    }

    /** Keyset position: the last event of a page, in (time, micros, transaction id) descending order. */
    public record Cursor(long epochSecond, long micros, long transactionId) {
        /** The position before the newest event of a range ending (exclusively) at {@code to}. */
        public static Cursor start(Instant to) {
            return new Cursor(to.getEpochSecond(), 0, 0);
        }
    }

    /** One stored event as the API shows it; addresses as text ("" when absent), MAC as aa:bb:.. ("" when absent). */
    public record StoredEvent(Instant time, String siteId, String direction, int family, String messageType,
                              String mac, String duid, String hostname, String vendorClass, String requestedOptions,
                              String srcIp, String relayIp, String circuitId, String remoteId, String assignedIp,
                              long mark, long clientMark, long transactionId) {
        public Cursor cursor() {
            return new Cursor(time.getEpochSecond(), time.getNano() / 1000, transactionId);
        }
    }

    /** A page, newest first; {@code next} is null on the last page. */
    public record Page(List<StoredEvent> events, Cursor next) {
    }

    /** Time bucket of a rate series (a fixed set: nothing from the request reaches SQL). */
    public enum Bucket {
        MINUTE(60), FIVE_MINUTES(300), FIFTEEN_MINUTES(900), HOUR(3600), DAY(86400);

        public final int seconds;

        Bucket(int seconds) {
            this.seconds = seconds;
        }
    }

    public record TypeRate(Instant bucket, int family, int messageType, long events) {
    }

    public record RelayRate(Instant bucket, String relayIp, String circuitId, long events) {
    }

    public record Talker(String mac, long clientMark, long events) {
    }

    public record Action(String actionId, String action, String state, Instant since, long durationSecs, String source,
                         String reason) {
    }

    /**
     * What is known about one MAC: events seen from it, first and last seen (client messages), the fingerprint (the
     * newest Parameter Request List), the newest vendor class, recent hostnames and vendor classes (newest first),
     * and the actions in force now (newest row per action id not ended or expired).
     */
    public record DeviceSummary(String mac, long events, Instant firstSeen, Instant lastSeen, String fingerprint,
                                String vendorClass, long clientMark, List<String> hostnames,
                                List<String> vendorClasses, List<Action> currentActions) {
    }

    public record Binding(String ip, String prefix, Instant leaseStart, Instant leaseEnd, String mac, String duid,
                          String clientId, String hostname, String circuitId, String remoteId, String relayIp,
                          String serverId) {
    }

    private final ClickHouseClient client;
    private final Clock clock;

    public HistoryQueries(ClickHouseClient client, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Events in {@code [from, to)} matching {@code filter}, newest first, {@code limit} per page; pass the previous
     * page's {@code next} as {@code after} (null for the first page).
     */
    public Mono<Page> events(EventFilter filter, Instant from, Instant to, Cursor after, int limit) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        int n = limit(limit);
        Cursor c = after == null ? Cursor.start(to) : after;
        Instant ct = Instant.ofEpochSecond(c.epochSecond());
        Object[] tail = {from, to, ct, ct, c.micros(), c.micros(), c.transactionId(), n};
        String sql;
        if (filter instanceof EventFilter.ByMac f) {
            sql = Queries.bind("history.events_by_mac", prepend(tail, f.mac()));
        } else if (filter instanceof EventFilter.ByDuid f) {
            sql = Queries.bind("history.events_by_duid", prepend(tail, f.duid()));
        } else if (filter instanceof EventFilter.ByIp f) {
            sql = Queries.bind("history.events_by_ip", prepend(tail, f.ip(), f.ip(), f.ip()));
        } else if (filter instanceof EventFilter.ByCircuit f) {
            sql = Queries.bind("history.events_by_circuit", prepend(tail, f.circuitId()));
        } else {
            sql = Queries.bind("history.events_in_range", tail);
        }
        return client.query(sql, (row, meta) -> event(row)).collectList()
                .map(list -> new Page(list, list.size() < n ? null : list.get(list.size() - 1).cursor()));
    }

    /** Events per message type per bucket in {@code [from, to)}, from the Stage-1 per-client minute view. */
    public Flux<TypeRate> typeRates(Instant from, Instant to, Bucket bucket) {
        return client.query(Queries.bind("history.type_rates", bucket.seconds, bucket.seconds, from, to),
                (row, meta) -> new TypeRate(Instant.ofEpochSecond(num(row, 0)), (int) num(row, 1), (int) num(row, 2),
                        num(row, 3)));
    }

    /** Events per relay and circuit-id per bucket in {@code [from, to)}, from the Stage-1 per-relay minute view. */
    public Flux<RelayRate> relayRates(Instant from, Instant to, Bucket bucket) {
        return client.query(Queries.bind("history.relay_rates", bucket.seconds, bucket.seconds, from, to),
                (row, meta) -> new RelayRate(Instant.ofEpochSecond(num(row, 0)), ip(str(row, 1)), str(row, 2),
                        num(row, 3)));
    }

    /** The {@code limit} clients (MAC, mark) with the most events in {@code [from, to)}. */
    public Flux<Talker> topTalkers(Instant from, Instant to, int limit) {
        return client.query(Queries.bind("history.top_talkers", from, to, limit(limit)),
                (row, meta) -> new Talker(mac(str(row, 0)), num(row, 1), num(row, 2)));
    }

    /** The device summary of one MAC; empty when it was never seen. */
    public Mono<DeviceSummary> device(MacAddress mac) {
        Instant now = clock.instant();
        Mono<Object[]> seen = client.query(Queries.bind("history.device_seen", mac), (row, meta) -> new Object[] {
                num(row, 0), num(row, 1), num(row, 2), str(row, 3), str(row, 4), num(row, 5)}).next();
        Mono<List<String>> hostnames = client.query(Queries.bind("history.device_hostnames", mac),
                (row, meta) -> str(row, 0)).collectList();
        Mono<List<String>> vendors = client.query(Queries.bind("history.device_vendor_classes", mac),
                (row, meta) -> str(row, 0)).collectList();
        Mono<List<Action>> actions = client.query(Queries.bind("history.device_actions", mac, now, now),
                (row, meta) -> new Action(str(row, 0), str(row, 1), str(row, 2), Instant.ofEpochSecond(num(row, 7)),
                        num(row, 4), str(row, 5), str(row, 6))).collectList();
        return Mono.zip(seen, hostnames, vendors, actions).flatMap(t -> {
            Object[] s = t.getT1();
            long events = (Long) s[0];
            if (events == 0 && t.getT4().isEmpty()) {
                return Mono.empty();
            }
            return Mono.just(new DeviceSummary(mac.toString(), events,
                    events == 0 ? null : Instant.ofEpochSecond((Long) s[1]),
                    events == 0 ? null : Instant.ofEpochSecond((Long) s[2]), (String) s[3], (String) s[4],
                    (Long) s[5], t.getT2(), t.getT3(), t.getT4()));
        });
    }

    /** Who held {@code ip} at {@code at}: the newest binding started at or before it and not yet ended. */
    public Mono<Binding> bindingAt(IpAddress ip, Instant at) {
        return client.query(Queries.bind("history.binding_at", ip, at, at), (row, meta) -> binding(row)).next();
    }

    /** Every binding of {@code ip} overlapping {@code [from, to)}, newest first. */
    public Flux<Binding> bindings(IpAddress ip, Instant from, Instant to, int limit) {
        return client.query(Queries.bind("history.bindings_of_ip", ip, from, to, limit(limit)),
                (row, meta) -> binding(row));
    }

    private static Binding binding(Row row) {
        return new Binding(ip(str(row, 0)), str(row, 1), Instant.ofEpochSecond(num(row, 2)),
                Instant.ofEpochSecond(num(row, 3)), mac(str(row, 4)), str(row, 5), str(row, 6), str(row, 7),
                str(row, 8), str(row, 9), ip(str(row, 10)), ip(str(row, 11)));
    }

    private static StoredEvent event(Row row) {
        return new StoredEvent(Instant.ofEpochSecond(num(row, 0), num(row, 1) * 1000), str(row, 2), str(row, 3),
                (int) num(row, 4), str(row, 5), mac(str(row, 6)), str(row, 7), str(row, 8), str(row, 9),
                str(row, 10), ip(str(row, 11)), ip(str(row, 12)), str(row, 13), str(row, 14), ip(str(row, 15)),
                num(row, 16), num(row, 17), num(row, 18));
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    private static Object[] prepend(Object[] tail, Object... head) {
        Object[] out = new Object[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    static String str(Row row, int i) {
        Object v = row.get(i);
        return v == null ? "" : String.valueOf(v);
    }

    static long num(Row row, int i) {
        Object v = row.get(i);
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = v == null ? "0" : String.valueOf(v).strip();
        return s.isEmpty() ? 0 : new java.math.BigInteger(s).longValue();
    }

    /** IPv6NumToString output as the API shows it: "" for none, dotted IPv4 for the mapped form. */
    static String ip(String s) {
        if (s.equals("::")) {
            return "";
        }
        if (s.startsWith("::ffff:") && s.indexOf('.') > 0) {
            return s.substring(7);
        }
        return s;
    }

    static String mac(String s) {
        return s.equals("00:00:00:00:00:00") ? "" : s.toLowerCase();
    }
}
