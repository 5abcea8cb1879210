package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API's users in {@code users} (migration V003, ReplacingMergeTree(version)): every change is a new version
 * (a {@code deleted = 1} row is a tombstone), reads use FINAL so the newest version of a name wins. A version is
 * {@code max(newest stored version of the name + 1, now in µs)}, as {@link OperationalConfig} numbers its versions
 * (and above any version this instance wrote), so a write wins over the stored one even when this node's clock is
 * behind the node that wrote it, or stands still.
 */
public final class UserStore {

    private final ClickHouseClient client;
    private final Time time;
    private final AtomicLong lastVersion = new AtomicLong();

    public UserStore(ClickHouseClient client, Time time) {
        this.client = Arguments.required(client, "client");
        this.time = Arguments.required(time, "time");
    }

    /** The user, or empty when there is none or it was deleted. */
    public Mono<StoredUser> find(String username) {
        Arguments.text(username, "username");
        return client.query(Queries.bind("users.find", username), (row, meta) -> versionOf(row))
                .filter(v -> !v.deleted())
                .map(Version::user)
                .next();
    }

    /** Every user not deleted, by name. */
    public Flux<StoredUser> list() {
        // Deleted rows are dropped here, after FINAL: a WHERE on a non-key column could be applied before FINAL
        // picks the newest version (as PREWHERE) and bring a deleted user back.
        return client.query(Queries.bind("users.list"), (row, meta) -> versionOf(row))
                .filter(v -> !v.deleted())
                .map(Version::user);
    }

    /** Stores {@code user} as its newest version, {@code updatedAt} = the clock's now. */
    public Mono<Void> put(StoredUser user) {
        Arguments.required(user, "user");
        return write(user.username(), user.passwordHash(), user.role(), user.disabled(), false);
    }

    /** Deletes a user (a tombstone version); deleting a name that does not exist is not an error. */
    public Mono<Void> delete(String username) {
        Arguments.text(username, "username");
        return write(username, "", "", false, true);
    }

    private Mono<Void> write(String username, String hash, String role, boolean disabled, boolean deleted) {
        return client.query(Queries.bind("users.max_version", username), (row, meta) -> HistoryQueries.num(row, 0))
                .next()
                .defaultIfEmpty(0L)
                .flatMap(stored -> {
                    Instant now = time.now();
                    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
                    long version = lastVersion.accumulateAndGet(Math.max(stored + 1, micros),
                            (last, next) -> Math.max(last + 1, next));
                    return client.execute(Queries.bind("users.write", username, hash, role, disabled ? 1 : 0, now,
                            version, deleted ? 1 : 0));
                });
    }

    private record Version(StoredUser user, boolean deleted) {
    }

    private static Version versionOf(Row row) {
        boolean deleted = HistoryQueries.num(row, 5) != 0;
        String username = HistoryQueries.str(row, 0);
        if (deleted) {
            return new Version(null, true);
        }
        return new Version(new StoredUser(username, HistoryQueries.str(row, 1), HistoryQueries.str(row, 2),
                HistoryQueries.num(row, 3) != 0, Instant.ofEpochSecond(HistoryQueries.num(row, 4))), false);
    }
}
