package io.dhcpshield.processor;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.storage.ClickHouseConfig;
import io.dhcpshield.storage.ClickHouseStorage;
import io.dhcpshield.storage.WriterConfig;
import io.dhcpshield.storage.WriterStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.dhcpshield.storage.Unreachable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.time.Duration;

/**
 * ClickHouse: connects, migrates and attaches the event writer in the background, retrying with back-off while the
 * server is down (packets keep flowing; events until then are not stored). The connection is a {@link Deferred}:
 * operational config, the Action Manager, users and history queries wait for it, and the API answers 503 with the
 * last connection error until it arrives. Once connected, readiness stays true to the server: any request that finds
 * it unreachable (the writer's next insert, an API read, the {@code SELECT 1} probe every {@value #PROBE_SECS} s)
 * turns it "not ready" with its reason at once (the API's /ready, the GUI's header), and the next probe the server
 * answers clears it.
 */
final class StorageService implements Service {

    private static final Logger log = LoggerFactory.getLogger(StorageService.class);

    private final ClickHouseConfig config;
    private final WriterConfig writer;
    private final EventFanout<DhcpEvent> events;
    static final int PROBE_SECS = 10;

    private final Deferred<ClickHouseStorage> storage;
    private final Scheduler scheduler;
    private Disposable connecting;
    private Disposable probing;
    private ClickHouseStorage attached;
    /** The last failure of a request (or probe) that found the server unreachable, or null since it answers. */
    private volatile String unreachable;
    private final java.util.concurrent.atomic.LongAdder probeFailures = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder unreachableRequests =
            new java.util.concurrent.atomic.LongAdder();

    StorageService(ClickHouseConfig config, WriterConfig writer, EventFanout<DhcpEvent> events, Scheduler scheduler) {
        this.config = config;
        this.writer = writer;
        this.events = events;
        this.scheduler = scheduler;
        this.storage = new Deferred<>("storage", "connecting to ClickHouse at " + config.endpoint());
    }

    /** The connected storage, when it arrives. */
    Deferred<ClickHouseStorage> storage() {
        return storage;
    }

    @Override
    public String name() {
        return "storage";
    }

    /**
     * Attaches the event writer now (events are buffered while ClickHouse is unreachable, and land when it comes)
     * and prepares the schema in the background, retrying with back-off.
     */
    @Override
    public void start() {
        attached = ClickHouseStorage.attach(config, writer, events);
        connecting = attached.prepare()
                .doOnError(e -> {
                    storage.waiting("ClickHouse at " + config.endpoint() + ": " + e.getMessage());
                    log.warn("ClickHouse at {} not ready: {} (retrying; events are buffered)", config.endpoint(),
                            e.toString());
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
                .subscribe(st -> {
                    log.info("ClickHouse event writer attached: {} database {}, batch_size {}, flush {} s",
                            config.endpoint(), config.database(), writer.batchSize(),
                            writer.flushInterval().toSeconds());
                    st.client().onUnreachable(this::unreachable);
                    storage.complete(st);
                    probing = Flux.interval(Duration.ofSeconds(PROBE_SECS), scheduler)
                            .concatMap(tick -> Mono.fromCallable(() -> st.client().post("SELECT 1", null))
                                    .subscribeOn(Schedulers.boundedElastic())
                                    .doOnNext(ok -> {
                                        if (unreachable != null) {
                                            log.info("ClickHouse at {} answers again", config.endpoint());
                                        }
                                        unreachable = null;
                                    })
                                    .onErrorResume(e -> {
                                        probeFailures.increment();
                                        if (Unreachable.reason(e).isEmpty()) {
                                            // answered, with an error: not an outage the client reported
                                            markDown(e.toString());
                                        }
                                        return Mono.empty();
                                    }))
                            .subscribe();
                });
    }

    /** A request found the server unreachable (told by the client, on the requesting thread). */
    private void unreachable(String why) {
        unreachableRequests.increment();
        markDown(why);
    }

    private void markDown(String why) {
        if (unreachable == null) {
            log.warn("ClickHouse at {}: {}", config.endpoint(), why);
        }
        unreachable = why;
    }

    @Override
    public void stop() {
        if (connecting != null) {
            connecting.dispose();
        }
        if (probing != null) {
            probing.dispose();
        }
        if (attached != null) {
            attached.close(); // flushes what the writer holds
        }
    }

    @Override
    public Readiness readiness() {
        String down = unreachable;
        if (storage.isReady() && down != null) {
            return Readiness.notReady("ClickHouse at " + config.endpoint() + " " + down)
                    .with("endpoint", config.endpoint());
        }
        return storage.isReady() ? Readiness.up().with("endpoint", config.endpoint())
                .with("database", config.database())
                : Readiness.notReady(storage.reason()).with("endpoint", config.endpoint());
    }

    @Override
    public void metrics(MetricWriter out) {
        out.gauge("storage_connected", "1 while ClickHouse is connected, migrated and answering",
                storage.isReady() && unreachable == null ? 1 : 0);
        out.counter("storage_probe_failures", "periodic SELECT 1 probes ClickHouse did not answer",
                probeFailures.sum());
        out.counter("storage_unreachable_requests", "requests (inserts, reads, probes) that found ClickHouse "
                + "unreachable", unreachableRequests.sum());
        if (attached != null) {
            writerMetrics(out, attached.writer().stats());
        }
    }

    /** The counters of one event output (ClickHouse or Vector). */
    static void writerMetrics(MetricWriter out, WriterStats s) {
        String w = s.name();
        out.counter("writer_received", "events an output took from the fan-out", s.received(), "writer", w);
        out.counter("writer_written", "events the destination accepted", s.written(), "writer", w);
        out.counter("writer_dropped", "events an output dropped (buffer full, or unflushable at shutdown)",
                s.dropped(), "writer", w);
        out.gauge("writer_buffered", "events waiting in an output", s.buffered(), "writer", w);
        out.counter("writer_batches", "batches accepted", s.batches(), "writer", w);
        out.counter("writer_failures", "failed send attempts (each retried)", s.failures(), "writer", w);
        out.histogram("writer_batch_size", "events per accepted batch", s.batchSizes(), 1, "writer", w);
        out.histogram("writer_batch_seconds", "time to send an accepted batch", s.batchNanos(), 1e-9, "writer", w);
    }
}
