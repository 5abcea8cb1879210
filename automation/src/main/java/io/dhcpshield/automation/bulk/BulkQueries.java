package io.dhcpshield.automation.bulk;

import io.dhcpshield.automation.Rows;
import io.dhcpshield.automation.rules.MessageTypes;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The selection's SQL: {@code bulk.count} and {@code bulk.clients} in queries.sql (section "bulk"), every criterion
 * a switch and its value bound by {@link Queries#bind} (type-checked, escaped literals: nothing an operator typed is
 * concatenated). The same templates serve the preview and a job's targets, so what a preview counts is what a job
 * started at the same moment acts on.
 */
final class BulkQueries {

    private BulkQueries() {
    }

    /** How many clients {@code c} selects in {@code w}. */
    static Mono<Long> count(ClickHouseClient ch, BulkCriteria c, BulkCriteria.Window w) {
        return ch.query(Queries.bind("bulk.count", selected(c, w)), (row, meta) -> Rows.num(row, 0)).next()
                .defaultIfEmpty(0L);
    }

    /**
     * The clients {@code c} selects in {@code w}, at most {@code limit}: by client mark when {@code seed} is null,
     * else in the order of a hash of the mark and the seed (a random sample that the same seed reproduces).
     */
    static Flux<BulkClient> clients(ClickHouseClient ch, BulkCriteria c, BulkCriteria.Window w, Long seed, int limit) {
        List<Object> v = new ArrayList<>(matching(c));
        v.add(w.since());
        v.add(w.until());
        v.addAll(Arrays.asList(selected(c, w)));
        v.add(seed == null ? 0 : 1);
        v.add(seed == null ? 0L : seed & Long.MAX_VALUE);
        v.add(limit);
        return ch.query(Queries.bind("bulk.clients", v.toArray()), (row, meta) -> client(row));
    }

    /** The parameters of the selected-marks subquery: window, the event criteria, past action, min requests. */
    private static Object[] selected(BulkCriteria c, BulkCriteria.Window w) {
        List<Object> v = new ArrayList<>();
        v.add(w.since());
        v.add(w.until());
        v.addAll(matching(c));
        ActionType type = c.pastActionType();
        v.addAll(List.of(on(c.pastAction()), w.since(), w.until(), on(type), type == null ? "" : type.label()));
        v.add(c.minRequests() == null ? 0 : c.minRequests());
        return v.toArray();
    }

    /** The parameters of one event's criteria (the 17 of the "(? = 0 OR ...)" pairs, in template order). */
    private static List<Object> matching(BulkCriteria c) {
        List<MessageTypes.Type> types = c.messageTypes();
        MessageTypes.Type first = types.isEmpty() ? new MessageTypes.Type(0, 0, "") : types.get(0);
        MessageTypes.Type second = types.size() > 1 ? types.get(1) : first;
        return List.of(
                on(c.relay()), c.relay() == null ? IpAddress.V4_ANY : c.relay(),
                on(c.circuit()), orEmpty(c.circuit()),
                on(c.vendorClass()), orEmpty(c.vendorClass()),
                on(c.fingerprint()), orEmpty(c.fingerprint()),
                on(c.messageType()), first.family(), first.code(), second.family(), second.code(),
                on(c.family()), c.family() == null ? 0 : c.family(),
                on(c.site()), orEmpty(c.site()));
    }

    private static BulkClient client(Row row) {
        long mac = Rows.num(row, 1);
        String duid = Rows.str(row, 2);
        List<Integer> families = new ArrayList<>();
        for (String f : Rows.str(row, 3).split(",")) if (!f.isEmpty()) families.add(Integer.parseInt(f));
        return new BulkClient((int) Rows.num(row, 0), mac == 0 ? null : new MacAddress(mac), nullIfEmpty(duid),
                families, Rows.num(row, 4), Rows.second(row, 5), nullIfEmpty(Rows.relay(Rows.str(row, 6))),
                nullIfEmpty(Rows.str(row, 7)), nullIfEmpty(Rows.str(row, 8)));
    }

    private static int on(Object criterion) {
        return criterion == null ? 0 : 1;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
