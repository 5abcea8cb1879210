package io.dhcpshield.storage;

import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Optional;

/**
 * Revoked API tokens in {@code token_revocations} (migration V006, append-only). The API adds a row when a token,
 * a refresh-token family or all of a user's tokens are revoked, and keeps the {@link #active} ones in memory to
 * check each request. Rows are never updated; {@link Retention} drops a day of rows once all of them have expired.
 */
public final class TokenRevocations {

    private final ClickHouseClient client;

    public TokenRevocations(ClickHouseClient client) {
        this.client = Arguments.required(client, "client");
    }

    /**
     * Appends one revocation; completes when the server stored it. {@code revokedAt} is kept to the microsecond,
     * {@code expiresAt} in whole seconds, rounded up: a revocation never lapses before the tokens it covers.
     */
    public Mono<Void> add(Revocation r) {
        Arguments.required(r, "revocation");
        Instant expires = r.expiresAt().getNano() == 0 ? r.expiresAt()
                : Instant.ofEpochSecond(r.expiresAt().getEpochSecond() + 1);
        Arguments.time(expires, "expiresAt");
        return client.execute(Queries.bind("auth.revocation_add", r.kind().label(), r.id(), r.username(),
                r.revokedAt(), r.revokedAt().getNano() / 1000, expires, r.reason(), r.actor()));
    }

    /**
     * The revocations that still matter at {@code now} ({@code expiresAt > now}), oldest revocation first. A row
     * whose kind this build does not know (written by a newer one) is skipped rather than failing every request.
     */
    public Flux<Revocation> active(Instant now) {
        Arguments.time(now, "now");
        return client.query(Queries.bind("auth.revocations_active", now), (row, meta) -> revocation(row))
                .<Revocation>handle((r, sink) -> r.ifPresent(sink::next));
    }

    private static Optional<Revocation> revocation(Row row) {
        String kind = HistoryQueries.str(row, 0);
        for (Revocation.Kind k : Revocation.Kind.values()) {
            if (k.label().equals(kind)) {
                return Optional.of(new Revocation(k, HistoryQueries.str(row, 1), HistoryQueries.str(row, 2),
                        Instant.ofEpochSecond(HistoryQueries.num(row, 3), HistoryQueries.num(row, 4) * 1000),
                        Instant.ofEpochSecond(HistoryQueries.num(row, 5)), HistoryQueries.str(row, 6),
                        HistoryQueries.str(row, 7)));
            }
        }
        return Optional.empty();
    }
}
