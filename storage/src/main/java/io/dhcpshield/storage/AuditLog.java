package io.dhcpshield.storage;

import io.r2dbc.spi.Row;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;

/**
 * The API's audit trail, {@code users_audit_log} (plain MergeTree, append-only): who changed what, when. The API
 * writes user and session actions here; {@link OperationalConfig} writes its {@code config.set} rows through
 * {@link #write(ClickHouseClient, AuditEntry)}, so one {@link #query} lists both. Rows written before migration V007
 * (no microseconds) read with 0 µs.
 */
public final class AuditLog {

    private final ClickHouseClient client;
    private final Duration maxRange;

    /** @param maxRange the longest {@code [from, to)} one query may ask for (the API's own bound) */
    public AuditLog(ClickHouseClient client, Duration maxRange) {
        this.client = Arguments.required(client, "client");
        this.maxRange = Arguments.maxRange(maxRange);
    }

    /** Appends one entry; completes when the server stored it. */
    public Mono<Void> write(AuditEntry entry) {
        Arguments.required(entry, "entry");
        Arguments.time(entry.time(), "time");
        Arguments.text(entry.actor(), "actor");
        Arguments.text(entry.action(), "action");
        Arguments.orEmpty(entry.username(), "username");
        Arguments.orEmpty(entry.target(), "target");
        return write(client, entry);
    }

    static Mono<Void> write(ClickHouseClient client, AuditEntry e) {
        return client.execute(Queries.bind("audit.write", e.time(), e.time().getNano() / 1000, e.actor(),
                e.username(), e.action(), e.target(), e.detail()));
    }

    /**
     * The entries matching {@code filter}, newest first, {@code limit} per page; pass the previous page's
     * {@code next} as {@code after} (null for the first page). Entries within one microsecond (and rows from before
     * V007, all at 0 µs) are ordered by a hash of the row, identical rows counted by the cursor: paging is exact.
     */
    public Mono<AuditPage> query(AuditFilter filter, Cursor after, int limit) {
        Arguments.required(filter, "filter");
        Arguments.range(filter.from(), filter.to(), maxRange);
        int n = Arguments.limit(limit);
        Cursor c = after == null ? Cursor.first(filter.to()) : after;
        Instant at = Instant.ofEpochSecond(c.epochSecond());
        String sql = Queries.bind("audit.page", filter.from(), filter.to(),
                Queries.given(filter.actor()), Queries.textOrEmpty(filter.actor()),
                Queries.given(filter.action()), Queries.textOrEmpty(filter.action()),
                Queries.given(filter.actionPrefix()), Queries.textOrEmpty(filter.actionPrefix()),
                Queries.given(filter.target()), Queries.textOrEmpty(filter.target()),
                at, at, c.micros(), c.micros(), c.tie(), Keyset.fetch(c, n));
        return client.query(sql, (row, meta) -> row(row)).collectList()
                .map(rows -> {
                    Keyset.Result<AuditEntry> page = Keyset.page(rows, c, n);
                    return new AuditPage(page.items(), page.next());
                });
    }

    private static Keyset.Row<AuditEntry> row(Row row) {
        long second = HistoryQueries.num(row, 0);
        int micros = (int) HistoryQueries.num(row, 1);
        AuditEntry e = new AuditEntry(Instant.ofEpochSecond(second, micros * 1000L), HistoryQueries.str(row, 2),
                HistoryQueries.str(row, 3), HistoryQueries.str(row, 4), HistoryQueries.str(row, 5),
                HistoryQueries.str(row, 6));
        return new Keyset.Row<>(e, second, micros, HistoryQueries.num(row, 7));
    }
}
