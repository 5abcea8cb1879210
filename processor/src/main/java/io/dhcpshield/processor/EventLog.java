package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * An event subscriber that appends each event as one JSON line to a file: the demo's window into the stream until
 * storage and the GUI arrive, and what the integration tests read. It has its own bounded buffer like any
 * subscriber; a slow disk costs events (counted), never verdicts.
 */
final class EventLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;
    private final Scheduler scheduler = Schedulers.newSingle("event-log", true);
    private final Disposable subscription;
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    EventLog(Path file, EventFanout<DhcpEvent> events, int capacity) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        subscription = events.subscribe("event-log", capacity, scheduler)
                .bufferTimeout(512, Duration.ofMillis(200), scheduler)
                .doFinally(signal -> done.countDown())
                .subscribe(batch -> {
                    try {
                        for (DhcpEvent e : batch) {
                            out.write(JSON.writeValueAsString(io.dhcpshield.storage.EventJson.toJson(e)));
                            out.write('\n');
                        }
                        out.flush();
                    } catch (IOException ex) {
                        log.warn("event log write failed: {}", ex.getMessage());
                    }
                });
    }

    @Override
    public void close() {
        try {
            if (!done.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
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
}
