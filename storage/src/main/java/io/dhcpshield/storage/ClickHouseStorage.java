package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Objects;

/**
 * The daemon's whole ClickHouse attachment in one call: connect, self-check ({@code SELECT 1}), apply migrations,
 * subscribe the event writer to the fan-out. Close it at shutdown (after the fan-out completed) to flush.
 */
public final class ClickHouseStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseStorage.class);

    private final ClickHouseClient client;
    private final EventWriter writer;

    private ClickHouseStorage(ClickHouseClient client, EventWriter writer) {
        this.client = client;
        this.writer = writer;
    }

    /**
     * Creates the database if missing, connects, checks, migrates, attaches; fails (and closes the client) when any
     * step but the first fails. A user that may not create databases still works with one that exists.
     */
    public static Mono<ClickHouseStorage> start(ClickHouseConfig config, WriterConfig writerConfig,
                                                EventFanout<DhcpEvent> fanout) {
        Objects.requireNonNull(fanout, "fanout");
        return Mono.defer(() -> {
            ClickHouseClient client = new ClickHouseClient(config);
            return Mono.fromCallable(() -> {
                        client.createDatabaseIfMissing();
                        return true;
                    })
                    .subscribeOn(Schedulers.boundedElastic())
                    .onErrorResume(java.io.IOException.class, e -> {
                        // The server answered and refused: say so once per attempt. Unreachable: the self-check
                        // below fails with the reason, and the caller retries.
                        if (e instanceof ClickHouseClient.ServerRefused) {
                            log.warn("could not create database {} ({}); it has to exist", config.database(),
                                    e.getMessage());
                        }
                        return Mono.just(false);
                    })
                    .then(client.selfCheck())
                    .thenMany(Migrations.apply(client))
                    .doOnNext(v -> log.info("ClickHouse schema migration {} applied", v))
                    .then(Mono.fromSupplier(() -> new ClickHouseStorage(client,
                            EventWriter.attach(fanout, BatchSink.clickhouse(client), writerConfig))))
                    .doOnError(e -> client.close());
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
