package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Objects;

/**
 * The daemon's whole ClickHouse attachment: the event writer, attached to the fan-out at once so that events are
 * buffered (up to {@code max_buffered}, oldest dropped and counted beyond it) while the server is still unreachable or
 * the schema is not there yet, and {@link #prepare()}: create the database if missing, self-check
 * ({@code SELECT 1}), apply migrations. The writer's failed batches are retried with back-off, so they land once the
 * schema is in place. Close it at shutdown (after the fan-out completed) to flush.
 */
public final class ClickHouseStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseStorage.class);

    private final ClickHouseClient client;
    private final EventWriter writer;

    private ClickHouseStorage(ClickHouseClient client, EventWriter writer) {
        this.client = client;
        this.writer = writer;
    }

    /** The client and the event writer, attached to {@code fanout} now; nothing is contacted yet. */
    public static ClickHouseStorage attach(ClickHouseConfig config, WriterConfig writerConfig,
                                           EventFanout<DhcpEvent> fanout) {
        Objects.requireNonNull(fanout, "fanout");
        ClickHouseClient client = new ClickHouseClient(config);
        return new ClickHouseStorage(client, EventWriter.attach(fanout, BatchSink.clickhouse(client), writerConfig));
    }

    /**
     * Creates the database if missing, checks the connection and applies migrations; fails when any step but the
     * first fails (the caller retries). A user that may not create databases still works with one that exists.
     */
    public Mono<ClickHouseStorage> prepare() {
        ClickHouseConfig config = client.config();
        return Mono.fromCallable(() -> {
                    client.createDatabaseIfMissing();
                    return true;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(java.io.IOException.class, e -> {
                    // The server answered and refused: say so once per attempt. Unreachable: the self-check below
                    // fails with the reason, and the caller retries.
                    if (e instanceof ClickHouseClient.ServerRefused) {
                        log.warn("could not create database {} ({}); it has to exist", config.database(),
                                e.getMessage());
                    }
                    return Mono.just(false);
                })
                .then(client.selfCheck())
                .thenMany(Migrations.apply(client))
                .doOnNext(v -> log.info("ClickHouse schema migration {} applied", v))
                .then(Mono.just(this));
    }

    /** {@link #attach} then {@link #prepare}: the storage once its schema is in place (tests, tools). */
    public static Mono<ClickHouseStorage> start(ClickHouseConfig config, WriterConfig writerConfig,
                                                EventFanout<DhcpEvent> fanout) {
        return Mono.defer(() -> {
            ClickHouseStorage st = attach(config, writerConfig, fanout);
            return st.prepare().doOnError(e -> st.close());
        });
    }

    public ClickHouseClient client() {
        return client;
    }

    public EventWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        writer.close();
        client.close();
    }
}
