package io.dhcpshield.processor;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.json.EventJson;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An event subscriber that appends each event as one JSON line ({@link EventJson}) to a file: the demo's window into
 * the stream and what the integration tests read. It has its own bounded buffer like any subscriber; a slow disk
 * costs events (counted), never verdicts.
 */
final class EventLog implements Service {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final Path file;
    private final EventFanout<DhcpEvent> events;
    private final int capacity;
    private final LongAdder written = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Scheduler scheduler = Schedulers.newSingle("event-log", true);
    private OutputStream out;
    private Disposable subscription;

    EventLog(Path file, EventFanout<DhcpEvent> events, int capacity) {
        this.file = file;
        this.events = events;
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return "event-log";
    }

    @Override
    public void start() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        subscription = events.subscribe("event-log", capacity, scheduler)
                .bufferTimeout(512, Duration.ofMillis(200), scheduler)
                .doFinally(signal -> done.countDown())
                .subscribe(batch -> {
                    try {
                        EventJson.writeLines(out, batch);
                        out.flush();
                        written.add(batch.size());
                    } catch (IOException | RuntimeException ex) {
                        // Counted and logged; the subscription stays (an exception out of here would end it).
                        failures.increment();
                        log.warn("event log write failed: {}", ex.toString());
                    }
                });
    }

    /** Waits for the fan-out's completion (the inspection service stops first), then closes the file. */
    @Override
    public void stop() {
        try {
            if (!done.await(5, TimeUnit.SECONDS)) {
                log.warn("event log did not drain within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscription.dispose();
        scheduler.dispose();
        try {
            out.close();
        } catch (IOException e) {
            log.warn("event log close failed: {}", e.getMessage());
        }
    }

    @Override
    public void metrics(MetricWriter m) {
        m.counter("writer_written", "events the destination accepted", written.sum(), "writer", "event-log");
        m.counter("writer_failures", "failed send attempts (each retried)", failures.sum(), "writer", "event-log");
    }
}
