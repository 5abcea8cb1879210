package io.dhcpshield.processor;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.storage.EventWriter;
import io.dhcpshield.storage.VectorSink;
import io.dhcpshield.storage.WriterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;

/** The Vector output: events as JSON lines to an HTTP endpoint, batched like the ClickHouse writer. */
final class VectorService implements Service {

    private static final Logger log = LoggerFactory.getLogger(VectorService.class);

    private final URI endpoint;
    private final WriterConfig writer;
    private final EventFanout<DhcpEvent> events;
    private EventWriter output;

    VectorService(URI endpoint, WriterConfig writer, EventFanout<DhcpEvent> events) {
        this.endpoint = endpoint;
        this.writer = writer;
        this.events = events;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void start() {
        output = EventWriter.attach(events, new VectorSink(endpoint, Duration.ofSeconds(30)), writer);
        log.info("Vector output: {} (batch_size {}, flush {} s)", endpoint, writer.batchSize(),
                writer.flushInterval().toSeconds());
    }

    @Override
    public void stop() {
        output.close();
    }

    @Override
    public void metrics(MetricWriter out) {
        if (output != null) {
            StorageService.writerMetrics(out, output.stats());
        }
    }
}
