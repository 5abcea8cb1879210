package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The API's history queries (reactive): events by any combination of criteria, rates, top talkers, the device
 * summary of a MAC or DUID, and bindings (who had an address or a delegated prefix when). Every template is in
 * {@code queries.sql}; every value is bound by {@link Queries#bind} (type-checked, escaped literal): nothing from a
 * request is concatenated into SQL. Times are exchanged as epoch seconds ({@code toUInt32}) so the driver's time-zone
 * handling of DateTime never applies. Arguments are checked when a method is called: a bad one throws an
 * {@link IllegalArgumentException} naming it, before anything is sent.
 */
public final class HistoryQueries {

    /** Largest page or list a caller may ask for. */
    public static final int MAX_LIMIT = Arguments.MAX_LIMIT;

    private static final int ALL_MARKS = 0xFF_FFFF;
    private static final MacAddress NO_MAC = new MacAddress(0);
    private static final Instant BEGINNING = Instant.EPOCH;
    private static final Instant END = Instant.ofEpochSecond(Arguments.MAX_EPOCH_SECOND);

    /** A page of events, newest first; {@code next} is null on the last page. */
    public record Page(List<DhcpEvent> events, Cursor next) {
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

    /** One value a client was seen with (a DUID, a hostname, a PRL...): in how many events, first and last when. */
    public record Seen(String value, long events, Instant firstSeen, Instant lastSeen) {
    }

    /** A relay a client's messages came through: relay address ("" when none), circuit-id, remote-id. */
    public record RelaySeen(String relayIp, String circuitId, String remoteId, long events, Instant firstSeen,
                            Instant lastSeen) {
    }

    /**
     * The client's fingerprint now, from its newest messages to the server: the Parameter Request List as the
     * client ordered it (option 55, DHCPv6 ORO), vendor class, hostname; null where it never sent one.
     */
    public record Fingerprint(String parameterRequestList, String vendorClass, String hostname) {
    }

    /**
     * What is known about one client (by MAC or DUID). Every list is newest first and at most the limit asked for.
     *
     * @param events         stored events about the client, both directions; {@code clientMessages} those it sent
     * @param macs           identity: MACs, DUIDs, DHCPv4 client ids, mark source labels ({@code chaddr},
     *                       {@code option61}, {@code duid-ll}, ...) and client marks ({@code 0x00abcd}) seen
     * @param parameterRequestLists fingerprint history: each distinct PRL, vendor class and hostname the client sent
     * @param enforcement    the actions in force now on the client's marks (whatever they were aimed at: the kernel
     *                       sets are keyed by the mark)
     * @param actions        the action history on those marks, newest taken first
     */
    public record DeviceSummary(Client client, long events, long clientMessages, Instant firstSeen, Instant lastSeen,
                                List<Seen> macs, List<Seen> duids, List<Seen> clientIds, List<Seen> markSources,
                                List<Seen> clientMarks, Fingerprint fingerprint, List<Seen> parameterRequestLists,
                                List<Seen> vendorClasses, List<Seen> hostnames, List<RelaySeen> relays,
                                List<Binding> bindings, List<ActionRecord> enforcement, List<ActionRecord> actions) {
    }

    public record Binding(String ip, String prefix, Instant leaseStart, Instant leaseEnd, String mac, String duid,
                          String clientId, String hostname, String circuitId, String remoteId, String relayIp,
                          String serverId) {
    }

    private final ClickHouseClient client;
    private final Time time;
    private final Duration maxRange;
    private final ActionHistory actions;

    /**
     * @param time     "now" of the device summary's actions in force
     * @param maxRange the longest {@code [from, to)} one query may ask for (the API's own bound on a request's scan)
     */
    public HistoryQueries(ClickHouseClient client, Time time, Duration maxRange) {
        this.client = Arguments.required(client, "client");
        this.time = Arguments.required(time, "time");
        this.maxRange = Arguments.maxRange(maxRange);
        this.actions = new ActionHistory(client, maxRange);
    }

    /**
     * Events matching {@code query}, newest first, {@code limit} per page; pass the previous page's {@code next} as
     * {@code after} (null for the first page). Each event is the whole stored {@link DhcpEvent}. A MAC, or a DUID
     * that carries one, also selects its client mark, the leading primary-key column, so such a query reads only
     * that client's granules. Paging is exact: see {@link Cursor}.
     */
    public Mono<Page> events(EventQuery query, Cursor after, int limit) {
        Arguments.required(query, "query");
        Arguments.range(query.from(), query.to(), maxRange);
        int n = Arguments.limit(limit);
        Cursor c = after == null ? Cursor.first(query.to()) : after;
        Instant at = Instant.ofEpochSecond(c.epochSecond());
        int mark = query.eventMark();
        IpAddress ip = query.ip() == null ? IpAddress.V4_ANY : query.ip();
        String sql = Queries.bind("history.events", mark < 0 ? 0 : mark, mark < 0 ? ALL_MARKS : mark,
                query.from(), query.to(),
                Queries.given(query.mac()), query.mac() == null ? NO_MAC : query.mac(),
                Queries.given(query.duid()), query.duid() == null ? "" : query.duid().toString(),
                Queries.given(query.ip()), ip, ip, ip,
                Queries.given(query.relayIp()), query.relayIp() == null ? IpAddress.V4_ANY : query.relayIp(),
                Queries.given(query.circuitId()), Queries.textOrEmpty(query.circuitId()),
                Queries.given(query.remoteId()), Queries.textOrEmpty(query.remoteId()),
                Queries.given(query.messageType()), Queries.textOrEmpty(query.messageType()),
                Queries.given(query.innerType()), query.innerType() == null ? 0 : query.innerType(),
                Queries.given(query.family()), query.family() == null ? 0 : query.family(),
                Queries.given(query.direction()),
                query.direction() == null ? "" : query.direction().name().toLowerCase(Locale.ROOT),
                query.errorsOnly() ? 1 : 0,
                Queries.given(query.siteId()), Queries.textOrEmpty(query.siteId()),
                Queries.given(query.hostname()), Queries.textOrEmpty(query.hostname()),
                at, at, c.micros(), c.micros(), c.tie(), Keyset.fetch(c, n));
        return client.query(sql, (row, meta) -> StoredEvents.row(row)).collectList()
                .map(rows -> {
                    Keyset.Result<DhcpEvent> page = Keyset.page(rows, c, n);
                    return new Page(page.items(), page.next());
                });
    }

    /** Events per message type per bucket in {@code [from, to)}, from the Stage-1 per-client minute view. */
    public Flux<TypeRate> typeRates(Instant from, Instant to, Bucket bucket) {
        Arguments.range(from, to, maxRange);
        Arguments.required(bucket, "bucket");
        return client.query(Queries.bind("history.type_rates", bucket.seconds, bucket.seconds, from, to),
                (row, meta) -> new TypeRate(Instant.ofEpochSecond(num(row, 0)), (int) num(row, 1), (int) num(row, 2),
                        num(row, 3)));
    }

    /** Events per relay and circuit-id per bucket in {@code [from, to)}, from the Stage-1 per-relay minute view. */
    public Flux<RelayRate> relayRates(Instant from, Instant to, Bucket bucket) {
        Arguments.range(from, to, maxRange);
        Arguments.required(bucket, "bucket");
        return client.query(Queries.bind("history.relay_rates", bucket.seconds, bucket.seconds, from, to),
                (row, meta) -> new RelayRate(Instant.ofEpochSecond(num(row, 0)), ip(str(row, 1)), str(row, 2),
                        num(row, 3)));
    }

    /** The {@code limit} clients (MAC, mark) with the most events in {@code [from, to)}. */
    public Flux<Talker> topTalkers(Instant from, Instant to, int limit) {
        Arguments.range(from, to, maxRange);
        return client.query(Queries.bind("history.top_talkers", from, to, Arguments.limit(limit)),
                (row, meta) -> new Talker(mac(str(row, 0)), num(row, 1), num(row, 2)));
    }

    /**
     * The device summary of a client over everything stored, each list at most {@code limit} long; empty when the
     * client has no event, binding or action. A MAC (or a DUID carrying one) reads through the client-mark key; any
     * other DUID means a scan of {@code dhcp_events} (see docs/storage.md for the cost).
     */
    public Mono<DeviceSummary> device(Client who, int limit) {
        Arguments.required(who, "client");
        int n = Arguments.limit(limit);
        Instant now = time.now();
        Object[] key = clientKey(who);
        Mono<long[]> totals = client.query(Queries.bind("history.device_totals", key), (row, meta) -> new long[] {
                num(row, 0), num(row, 1), num(row, 2), num(row, 3)}).next();
        Mono<Map<String, List<Seen>>> seen = client.query(Queries.bind("history.device_seen", append(key, n)),
                        (row, meta) -> Map.entry(str(row, 0), new Seen(str(row, 0).equals("mac") ? mac(str(row, 1))
                                : str(row, 1), num(row, 2),
                                Instant.ofEpochSecond(num(row, 3)), Instant.ofEpochSecond(num(row, 4)))))
                .collect(LinkedHashMap::new, (m, e) -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        Mono<List<RelaySeen>> relays = client.query(Queries.bind("history.device_relays", append(key, n)),
                (row, meta) -> new RelaySeen(ip(str(row, 0)), str(row, 1), str(row, 2), num(row, 3),
                        Instant.ofEpochSecond(num(row, 4)), Instant.ofEpochSecond(num(row, 5)))).collectList();
        Mono<List<Binding>> bindings = bindingsOf(who, BEGINNING, END, n).collectList();
        return Mono.zip(totals, seen, relays, bindings).flatMap(t -> {
            Map<String, List<Seen>> s = t.getT2();
            Set<Integer> marks = new LinkedHashSet<>();
            marks.add(who.actionTarget().clientMark());
            for (Seen m : s.getOrDefault("client_mark", List.of())) {
                marks.add(Integer.parseInt(m.value()));
            }
            return Mono.zip(enforcement(marks, now, n), actionHistory(marks, n)).flatMap(a -> {
                long[] tot = t.getT1();
                if (tot[0] == 0 && t.getT4().isEmpty() && a.getT2().isEmpty()) {
                    return Mono.empty();
                }
                List<Seen> prls = s.getOrDefault("prl", List.of());
                List<Seen> vendors = s.getOrDefault("vendor_class", List.of());
                List<Seen> hostnames = s.getOrDefault("hostname", List.of());
                List<Seen> clientMarks = new ArrayList<>();
                for (Seen m : s.getOrDefault("client_mark", List.of())) {
                    clientMarks.add(new Seen(String.format("0x%06x", Integer.parseInt(m.value())), m.events(),
                            m.firstSeen(), m.lastSeen()));
                }
                return Mono.just(new DeviceSummary(who, tot[0], tot[1],
                        tot[0] == 0 ? null : Instant.ofEpochSecond(tot[2]),
                        tot[0] == 0 ? null : Instant.ofEpochSecond(tot[3]),
                        s.getOrDefault("mac", List.of()), s.getOrDefault("duid", List.of()),
                        s.getOrDefault("client_id", List.of()), s.getOrDefault("mark_source", List.of()), clientMarks,
                        new Fingerprint(newest(prls), newest(vendors), newest(hostnames)), prls, vendors, hostnames,
                        t.getT3(), t.getT4(), a.getT1(), a.getT2()));
            });
        });
    }

    private Mono<List<ActionRecord>> enforcement(Set<Integer> marks, Instant now, int limit) {
        return Flux.fromIterable(marks).concatMap(m -> actions.inForce(m, now)).flatMapIterable(l -> l).collectList()
                .map(list -> newestTaken(list, limit));
    }

    private Mono<List<ActionRecord>> actionHistory(Set<Integer> marks, int limit) {
        return Flux.fromIterable(marks)
                .concatMap(m -> actions.page(ActionFilter.between(BEGINNING, END).target(ActionTarget.mark(m)), null,
                        limit))
                .collectList()
                .map(pages -> {
                    List<ActionRecord> all = new ArrayList<>();
                    pages.forEach(p -> all.addAll(p.actions()));
                    return newestTaken(all, limit);
                });
    }

    /** Distinct by id, newest taken first, at most {@code limit}. */
    private static List<ActionRecord> newestTaken(List<ActionRecord> records, int limit) {
        Map<UUID, ActionRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(r.id(), r));
        return byId.values().stream().sorted(Comparator.comparing(ActionRecord::at).reversed()).limit(limit).toList();
    }

    private static String newest(List<Seen> seen) {
        return seen.isEmpty() ? null : seen.get(0).value();
    }

    /** Who held {@code ip} at {@code at}: the newest binding started at or before it and not yet ended. */
    public Mono<Binding> bindingAt(IpAddress ip, Instant at) {
        Arguments.required(ip, "ip");
        Arguments.time(at, "at");
        return client.query(Queries.bind("history.binding_at", ip, at, at), (row, meta) -> binding(row)).next();
    }

    /** Every binding of {@code ip} overlapping {@code [from, to)}, newest first. */
    public Flux<Binding> bindings(IpAddress ip, Instant from, Instant to, int limit) {
        Arguments.required(ip, "ip");
        Arguments.range(from, to, maxRange);
        return client.query(Queries.bind("history.bindings_of_ip", ip, from, to, Arguments.limit(limit)),
                (row, meta) -> binding(row));
    }

    /** Every binding of a client (by MAC or DUID) overlapping {@code [from, to)}, newest first. */
    public Flux<Binding> bindings(Client who, Instant from, Instant to, int limit) {
        Arguments.required(who, "client");
        Arguments.range(from, to, maxRange);
        return bindingsOf(who, from, to, Arguments.limit(limit));
    }

    private Flux<Binding> bindingsOf(Client who, Instant from, Instant to, int limit) {
        return client.query(Queries.bind("history.bindings_of_client", append(clientKey(who), from, to, limit)),
                (row, meta) -> binding(row));
    }

    /**
     * Who had the DHCPv6 delegated prefix {@code prefix} ({@code 2001:db8:100::/56}, any spelling of the address) at
     * {@code at}: the newest binding of exactly that prefix started at or before it and not yet ended.
     */
    public Mono<Binding> delegatedPrefixAt(String prefix, Instant at) {
        Arguments.time(at, "at");
        return prefixBinding(canonicalPrefix(prefix), at);
    }

    /**
     * Who had a delegated prefix containing the IPv6 {@code address} at {@code at}. Portable to 18.16 without
     * parsing addresses in SQL: the address's 128 possible prefixes ({@code /1} to {@code /128}) are written out
     * here, as stored ({@code address masked/length}, RFC 5952), and matched as text.
     */
    public Mono<Binding> delegatedPrefixContaining(IpAddress address, Instant at) {
        Arguments.required(address, "address");
        Arguments.time(at, "at");
        if (address.isV4()) {
            throw new IllegalArgumentException("address must be IPv6, was " + address);
        }
        byte[] a = address.toBytes();
        StringBuilder candidates = new StringBuilder(128 * 24);
        for (int len = 1; len <= 128; len++) {
            candidates.append(len > 1 ? "," : "").append(masked(a, len)).append('/').append(len);
        }
        return prefixBinding(candidates.toString(), at);
    }

    private Mono<Binding> prefixBinding(String prefixes, Instant at) {
        return client.query(Queries.bind("history.prefix_at", prefixes, at, at), (row, meta) -> binding(row)).next();
    }

    /** {@code address/length} as stored: the address in RFC 5952 form, so any spelling finds it. */
    static String canonicalPrefix(String prefix) {
        Arguments.text(prefix, "prefix");
        int slash = prefix.indexOf('/');
        try {
            int len = Integer.parseInt(prefix.substring(slash + 1).strip());
            IpAddress address = IpAddress.parse(prefix.substring(0, Math.max(slash, 0)).strip());
            if (slash < 0 || address.isV4() || len < 0 || len > 128) {
                throw new IllegalArgumentException("not an IPv6 prefix");
            }
            return address + "/" + len;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prefix must be an IPv6 prefix (2001:db8:100::/56), was '" + prefix
                    + "'", e);
        }
    }

    private static IpAddress masked(byte[] address, int len) {
        byte[] m = address.clone();
        for (int bit = len; bit < 128; bit++) {
            m[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return IpAddress.of(m);
    }

    /**
     * The client's criteria as the templates' {@code client_mark >= ? AND client_mark <= ? AND (? = 0 OR
     * client_mac = ?) AND (? = 0 OR duid = ?)}: the mark range is the one mark when certain (the primary key is
     * used), else every mark.
     */
    private static Object[] clientKey(Client who) {
        int mark = who.eventMark().orElse(-1);
        MacAddress mac = who instanceof Client.ByMac m ? m.mac() : null;
        String duid = who instanceof Client.ByDuid d ? d.duid().toString() : null;
        return new Object[] {mark < 0 ? 0 : mark, mark < 0 ? ALL_MARKS : mark, Queries.given(mac),
                mac == null ? NO_MAC : mac, Queries.given(duid), Queries.textOrEmpty(duid)};
    }

    private static Object[] append(Object[] head, Object... tail) {
        Object[] out = new Object[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    private static Binding binding(Row row) {
        return new Binding(ip(str(row, 0)), str(row, 1), Instant.ofEpochSecond(num(row, 2)),
                Instant.ofEpochSecond(num(row, 3)), mac(str(row, 4)), str(row, 5), str(row, 6), str(row, 7),
                str(row, 8), str(row, 9), ip(str(row, 10)), ip(str(row, 11)));
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
