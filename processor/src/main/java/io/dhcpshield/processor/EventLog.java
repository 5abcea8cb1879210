package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
                            out.write(JSON.writeValueAsString(toJson(e)));
                            out.write('\n');
                        }
                        out.flush();
                    } catch (IOException ex) {
                        log.warn("event log write failed: {}", ex.getMessage());
                    }
                });
    }

    static ObjectNode toJson(DhcpEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time_us", e.timeMicros()).put("queue", e.queue()).put("site", e.siteId())
                .put("direction", e.direction().name().toLowerCase()).put("family", e.family())
                .put("msg_type", e.messageTypeName()).put("msg_type_code", e.messageType())
                .put("inner_type", e.innerType()).put("xid", e.transactionId())
                .put("mark", String.format("0x%08x", e.mark())).put("mark_source", e.markSource().label());
        putText(n, "client_mac", e.clientMac());
        putText(n, "duid", e.duid());
        putText(n, "client_id", e.clientId());
        putText(n, "hostname", e.hostname());
        putText(n, "vendor_class", e.vendorClass());
        putText(n, "user_class", e.userClass());
        putText(n, "prl", e.requestedOptions());
        putText(n, "src_ip", e.source());
        putText(n, "dst_ip", e.destination());
        putText(n, "relay", e.relayAddress());
        putText(n, "circuit_id", e.circuitId());
        putText(n, "remote_id", e.remoteId());
        putText(n, "subscriber_id", e.subscriberId());
        n.put("relay_hops", e.relayHops());
        putText(n, "requested_ip", e.requestedAddress());
        putText(n, "assigned_ip", e.assignedAddress());
        putText(n, "prefix", e.delegatedPrefix());
        if (e.leaseSeconds() >= 0) {
            n.put("lease_secs", e.leaseSeconds());
        }
        putText(n, "server_id", e.serverId());
        putText(n, "server_duid", e.serverDuid());
        e.errors().forEach(n.withArray("errors")::add);
        return n;
    }

    private static void putText(ObjectNode n, String field, Object value) {
        if (value != null) {
            n.put(field, value.toString());
        }
    }

    /** Waits for the stream to end after {@link EventFanout#complete()}, then closes the file. */
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
