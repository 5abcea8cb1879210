package io.dhcpshield.storage;

import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The action history the API lists, from {@code actions_log}: actions filtered by actor, target and type, taken in a
 * time range, newest first, with keyset paging. Each action is its newest version, read exactly as
 * {@link ClickHouseActionLog} reads it (rows from before V005, with the record in {@code duid}, included).
 *
 * <p>Order: the time the action was taken (ms, from the record) descending, then a hash of the action id; the ids
 * are unique, so paging is exact.
 */
public final class ActionHistory {

    private static final Comparator<Keyset.Row<ActionRecord>> NEWEST_FIRST = Comparator
            .comparingLong((Keyset.Row<ActionRecord> r) -> r.epochSecond())
            .thenComparingInt(Keyset.Row::micros)
            .thenComparingLong(Keyset.Row::tie)
            .reversed();

    private final ClickHouseClient client;
    private final Duration maxRange;

    /** @param maxRange the longest {@code [from, to)} one query may ask for (the API's own bound) */
    public ActionHistory(ClickHouseClient client, Duration maxRange) {
        this.client = Arguments.required(client, "client");
        this.maxRange = Arguments.maxRange(maxRange);
    }

    /**
     * The actions matching {@code filter}, newest first, {@code limit} per page; pass the previous page's
     * {@code next} as {@code after} (null for the first page).
     */
    public Mono<ActionPage> query(ActionFilter filter, Cursor after, int limit) {
        Arguments.required(filter, "filter");
        Arguments.range(filter.from(), filter.to(), maxRange);
        return page(filter, after, Arguments.limit(limit));
    }

    /** {@link #query} without the range bound (the device summary lists a client's whole history). */
    Mono<ActionPage> page(ActionFilter f, Cursor after, int limit) {
        Cursor c = after == null ? Cursor.first(f.to()) : after;
        ActionTarget t = f.target();
        boolean exact = t != null && t.kind() != ActionTarget.Kind.MARK;
        int markLo = t == null ? 0 : t.clientMark();
        int markHi = t == null ? 0xFF_FFFF : t.clientMark();
        String sql = Queries.bind("actions.page", f.from(), markLo, markHi,
                Queries.given(f.actor()), Queries.textOrEmpty(f.actor()),
                Queries.given(f.type()), f.type() == null ? "" : f.type().label(),
                exact ? 1 : 0, exact ? t.kind().name().toLowerCase(Locale.ROOT) : "", exact ? t.value() : "",
                f.from().toEpochMilli(), f.to().toEpochMilli(),
                c.epochSecond(), c.epochSecond(), c.micros(), c.micros(), c.tie(), Keyset.fetch(c, limit));
        return client.query(sql, (row, meta) -> new TiedVersion(ClickHouseActionLog.version(row),
                        HistoryQueries.num(row, 10)))
                .collectList()
                .map(rows -> {
                    Map<UUID, Long> ties = new HashMap<>();
                    List<ClickHouseActionLog.Version> versions = new ArrayList<>(rows.size());
                    for (TiedVersion r : rows) {
                        versions.add(r.version());
                        ties.put(r.version().record().id(), r.tie());
                    }
                    List<Keyset.Row<ActionRecord>> keyed = new ArrayList<>();
                    for (ActionRecord a : ClickHouseActionLog.newest(versions)) {
                        keyed.add(new Keyset.Row<>(a, a.at().getEpochSecond(), a.at().getNano() / 1_000_000 * 1000,
                                ties.get(a.id())));
                    }
                    keyed.sort(NEWEST_FIRST);
                    Keyset.Result<ActionRecord> page = Keyset.page(keyed, c, limit);
                    return new ActionPage(page.items(), page.next());
                });
    }

    /** A version as the page template returns it, with its action's tie (a hash of the id). */
    private record TiedVersion(ClickHouseActionLog.Version version, long tie) {
    }

    /** The actions on {@code clientMark} in force at {@code now} (newest version active and not expired). */
    Mono<List<ActionRecord>> inForce(int clientMark, Instant now) {
        return client.query(Queries.bind("actions.versions_of_active_on_mark", clientMark),
                        (row, meta) -> ClickHouseActionLog.version(row))
                .collectList()
                .map(versions -> {
                    List<ActionRecord> out = new ArrayList<>();
                    for (ActionRecord r : ClickHouseActionLog.newest(versions)) {
                        if (r.activeAt(now)) {
                            out.add(r);
                        }
                    }
                    out.sort(Comparator.comparing(ActionRecord::at).reversed());
                    return out;
                });
    }
}
