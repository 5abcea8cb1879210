package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.storage.ClickHouseServerExtension;
import io.dhcpshield.storage.OperationalKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live stream against a running API, fed through the real event fan-out: the per-connection rate limit is
 * honoured with exact skipped counts, filters apply, and a client that stops reading is closed after its bound while
 * another client and the fan-out carry on.
 */
class StreamTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        ApiConfig d = ApiConfig.defaults();
        ApiConfig small = new ApiConfig(true, "127.0.0.1", 0, null, null, d.stateDirectory(), null, d.issuer(),
                d.audience(), d.accessTokenTtl(), d.refreshTokenTtl(), d.maxBodyBytes(), d.loginFailuresPerUser(),
                d.loginFailuresPerAddress(), d.loginWindow(), d.maxPageSize(), d.maxTimeRange(), 64,
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(3));
        api = new ApiHarness(CLICKHOUSE, "api_stream", small, false);
        token = api.tokenFor("streamer", "viewer");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    static DhcpEvent event(long i, String site) {
        long mac = 0x0200_5e00_0000L | (i & 0xFFFF);
        return new DhcpEvent(1_700_000_000_000_000L + i, 1, site, Direction.CLIENT_TO_SERVER, 4, 1, 1, "DISCOVER",
                i, (int) (0x0100_0000 | (mac & 0xFF_FFFF)), MarkSource.CHADDR, new MacAddress(mac), null, null,
                "host-" + i, "MSFT 5.0", null, "1,3,6,15,31,33,43,44,46,47,119,121,249,252",
                IpAddress.parse("198.18.0.2"), IpAddress.parse("198.19.0.2"), IpAddress.parse("198.18.0.2"),
                "circuit-" + (i % 8), "remote-1", null, 0, null, null, null, -1, null, null, List.of());
    }

    /** A stream client that collects messages (reading, or not reading after {@code readFirst} messages). */
    static final class Client implements WebSocket.Listener {
        final List<JsonNode> messages = new CopyOnWriteArrayList<>();
        final AtomicLong events = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final int readFirst;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Client(int readFirst) {
            this.readFirst = readFirst;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = ApiHarness.JSON.readTree(partial.toString());
                    messages.add(m);
                    switch (m.path("type").asText()) {
                        case "event" -> events.incrementAndGet();
                        case "skipped" -> skipped.addAndGet(m.path("count").asLong());
                        default -> { }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            if (messages.size() < readFirst) {
                w.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
        }

        static Client connect(String query, int readFirst) throws Exception {
            return connect(api, token, query, readFirst);
        }

        /** Connects to {@code server}'s stream with {@code bearer} and waits for its hello. */
        static Client connect(ApiHarness server, String bearer, String query, int readFirst) throws Exception {
            Client c = new Client(readFirst);
            c.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("dhcp-shield.v1", "bearer." + bearer)
                    .buildAsync(URI.create(server.base().replace("http", "ws") + "/api/v1/stream" + query), c)
                    .get(10, TimeUnit.SECONDS);
            ApiHarness.await(Duration.ofSeconds(10), () -> c.messages.stream()
                    .anyMatch(m -> m.path("type").asText().equals("hello")), "hello");
            return c;
        }
    }

    private static MetricSamples metrics() {
        MetricSamples s = new MetricSamples();
        api.daemon.metrics(s);
        return s;
    }

    @Test
    void theRateLimitIsHonouredAndEverySkippedEventIsCountedExactly() throws Exception {
        api.operational.set(OperationalKeys.WEBSOCKET_MAX_MESSAGES_PER_SECOND, 20L, "test").block();
        api.operational.set(OperationalKeys.WEBSOCKET_BURST, 10L, "test").block();
        Client c = connectWithRate("?site=rate", 20);
        Client other = Client.connect("?site=elsewhere", Integer.MAX_VALUE);
        long t0 = System.nanoTime();
        int n = 500;
        for (int i = 0; i < n; i++) {
            api.events.publish(event(i, "rate"));
        }
        Client client = c;
        ApiHarness.await(Duration.ofSeconds(15), () -> client.events.get() + client.skipped.get() == n,
                "every event delivered or reported skipped");
        double seconds = (System.nanoTime() - t0) / 1e9;
        long delivered = client.events.get();
        assertTrue(delivered >= 10, "at least the burst: " + delivered);
        assertTrue(delivered <= 10 + 20 * seconds + 1, delivered + " delivered in " + seconds + " s at 20/s burst 10");
        assertEquals(n - delivered, client.skipped.get(), "skipped counts are exact");
        assertTrue(client.messages.stream().anyMatch(m -> m.path("reason").asText().equals("rate_limit")));
        assertEquals(0, other.events.get(), "a client's filter keeps other sites' events away");
        api.operational.reset(OperationalKeys.WEBSOCKET_MAX_MESSAGES_PER_SECOND, "test").block();
        api.operational.reset(OperationalKeys.WEBSOCKET_BURST, "test").block();
        c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        other.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterItsBoundWhileAnotherClientAndTheFanoutCarryOn() throws Exception {
        api.operational.set(OperationalKeys.WEBSOCKET_MAX_MESSAGES_PER_SECOND, 100_000L, "test").block();
        api.operational.set(OperationalKeys.WEBSOCKET_BURST, 100_000L, "test").block();
        Client reader = connectWithRate("?site=flood", 100_000);
        // A client that completes the handshake and then never reads a byte: its socket's receive buffer (kept
        // small) fills, the server's socket stops being writable, and its bounded queue fills.
        java.net.Socket stalled = new java.net.Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new java.net.InetSocketAddress("127.0.0.1", api.api.port()));
        stalled.getOutputStream().write(("GET /api/v1/stream?site=flood HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: dhcp-shield.v1, bearer." + token + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.io.InputStream in = stalled.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        long closedBefore = counter(metrics(), "stream_closed", "4008");
        long i = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (counter(metrics(), "stream_closed", "4008") == closedBefore && System.nanoTime() < deadline) {
            for (int k = 0; k < 100; k++) {
                api.events.publish(event(i++, "flood"));
            }
            Thread.sleep(20); // pacing the publisher (about 5,000 events/s, the reading client keeps up), not a wait
        }
        assertEquals(closedBefore + 1, counter(metrics(), "stream_closed", "4008"), "the stalled client was closed "
                + "(too slow) after " + i + " events");
        long readerBefore = reader.events.get();
        for (int k = 0; k < 1000; k++) {
            api.events.publish(event(i++, "flood"));
            if (k % 100 == 99) {
                Thread.sleep(20); // the same pace
            }
        }
        long published = i;
        ApiHarness.await(Duration.ofSeconds(20), () -> reader.events.get() + reader.skipped.get() == published,
                "the reading client got (or was told of) every event");
        assertTrue(reader.events.get() > readerBefore, "and kept receiving after the other was closed");
        assertFalse(reader.closed.isDone(), "the reading client stays connected");
        stalled.close();
        MetricSamples m = metrics();
        long hubDropped = (long) m.samples().stream().filter(s -> s.name().equals("fanout_dropped")
                && "stream".equals(s.labels().get("subscriber"))).mapToDouble(MetricSamples.Sample::value).sum();
        // The fan-out's own counters are the verdict path's side: the stream subscriber never fell behind it.
        assertEquals(0, hubDropped, "the hub kept up with the fan-out while a client stalled");
        api.operational.reset(OperationalKeys.WEBSOCKET_MAX_MESSAGES_PER_SECOND, "test").block();
        api.operational.reset(OperationalKeys.WEBSOCKET_BURST, "test").block();
        reader.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    @Test
    void aPeerThatAnswersNoPingIsClosedWhileOneThatDoesStays() throws Exception {
        Client alive = Client.connect("?site=none", Integer.MAX_VALUE); // the JDK client answers pings itself
        long before = counter(metrics(), "stream_closed", "4002");
        try (java.net.Socket dead = new java.net.Socket("127.0.0.1", api.api.port())) {
            dead.getOutputStream().write(("GET /api/v1/stream?site=none HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: dhcp-shield.v1, bearer." + token
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // Reads whatever comes (pings included) and never answers: a peer whose stack is gone.
            Thread drain = new Thread(() -> {
                try {
                    dead.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            drain.start();
            ApiHarness.await(Duration.ofSeconds(20), () -> counter(metrics(), "stream_closed", "4002") == before + 1,
                    "the silent peer closed with 4002 after the idle timeout");
            drain.join(10_000);
            assertFalse(drain.isAlive(), "and its connection dropped");
        }
        assertFalse(alive.closed.isDone(), "the peer that answers pings stays");
        alive.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    @Test
    void filtersCanChangeOnAnOpenConnection() throws Exception {
        Client c = Client.connect("?mac=02:00:5e:00:00:07", Integer.MAX_VALUE);
        api.events.publish(event(7, "f"));
        api.events.publish(event(8, "f"));
        ApiHarness.await(Duration.ofSeconds(10), () -> c.events.get() == 1, "the one matching event");
        c.socket.sendText("{\"type\":\"filter\",\"mac\":\"02:00:5e:00:00:08\"}", true);
        ApiHarness.await(Duration.ofSeconds(10), () -> c.messages.stream()
                .anyMatch(m -> m.path("type").asText().equals("filter")), "filter acknowledged");
        api.events.publish(event(7, "f"));
        api.events.publish(event(8, "f"));
        ApiHarness.await(Duration.ofSeconds(10), () -> c.events.get() == 2, "the newly matching event");
        JsonNode last = c.messages.stream().filter(m -> m.path("type").asText().equals("event"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("02:00:5e:00:00:08", last.path("event").path("client_mac").asText());
        assertEquals(1, last.path("event").path("v").asInt(), "the one event model, schema 1");
        c.socket.sendText("{\"type\":\"filter\",\"mac\":\"not-a-mac\"}", true);
        ApiHarness.await(Duration.ofSeconds(10), () -> c.messages.stream()
                .anyMatch(m -> m.path("type").asText().equals("error")), "a bad filter is an error message");
        assertFalse(c.closed.isDone(), "not a reason to close");
    }

    /**
     * Connects once the hub has read the given rate from operational config (it re-reads every second): the hello
     * of a new connection tells the rate in force.
     */
    private static Client connectWithRate(String query, double perSecond) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Client probe = Client.connect(query, Integer.MAX_VALUE);
            JsonNode hello = probe.messages.get(0).path("hello");
            if (hello.path("rate").path("per_second").asDouble() == perSecond) {
                return probe;
            }
            probe.socket.abort();
        }
        throw new AssertionError("the rate " + perSecond + "/s never reached the stream");
    }

    private static long counter(MetricSamples s, String name, String code) {
        return (long) s.samples().stream().filter(x -> x.name().equals(name) && code.equals(x.labels().get("code")))
                .mapToDouble(MetricSamples.Sample::value).sum();
    }
}
