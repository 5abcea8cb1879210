package io.dhcpshield.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** The Vector output against a real HTTP server on loopback that refuses, then accepts. */
class VectorSinkTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void batchesArrivePostedAsJsonLinesAndARefusingEndpointIsRetriedWithoutLoss() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean refuse = new AtomicBoolean(true);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = !refuse.get() && "application/x-ndjson".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (ok) {
                body.lines().forEach(lines::add);
            }
            exchange.sendResponseHeaders(ok ? 200 : 503, -1);
            exchange.close();
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
        EventFanout<DhcpEvent> fanout = new EventFanout<>();
        WriterConfig config = WriterConfig.defaults().withBatch(100, Duration.ofMillis(200))
                .withRetry(Duration.ofMillis(50), Duration.ofMillis(200));
        EventWriter writer = EventWriter.attach(fanout, new VectorSink(endpoint, Duration.ofSeconds(5)), config);
        for (int i = 0; i < 1000; i++) {
            fanout.publish(TestEvents.v4(i, 1_700_000_000_000_000L + i));
        }
        EventWriterTest.await("a refused batch", Duration.ofSeconds(20), () -> writer.stats().failures() > 0);
        refuse.set(false);
        EventWriterTest.await("all 1000 lines", Duration.ofSeconds(20), () -> lines.size() == 1000);
        fanout.complete();
        writer.close();
        WriterStats s = writer.stats();
        assertEquals(1000, s.received());
        assertEquals(1000, s.written());
        assertEquals(0, s.dropped());
        assertEquals(0, s.buffered());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertEquals(1_700_000_000_000_000L + i, line.path("time_us").asLong(), "every event once, in order");
            assertTrue(line.has("mark") && line.has("client_mac") && line.has("msg_type"), line.toString());
        }
    }
}
