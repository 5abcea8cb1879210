package io.dhcpshield.api.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Principal;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.json.EventJson;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.time.Time;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The live stream's one subscriber to the event fan-out: however many WebSocket clients are connected, the verdict
 * path sees one subscriber. On its own thread it serializes each event once ({@link EventJson}), matches it against
 * every client's filter, applies the client's rate limit and offers it to the client's bounded queue. A client that
 * cannot keep up loses messages (counted, and told how many) and is closed after a bound; a dead one (no pong) is
 * closed; neither slows the pipeline or another client. Action and alarm notices are pushed through the same
 * clients as typed messages.
 */
public final class StreamHub {

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    /** WebSocket close codes (4000-4999 are the application's). */
    public static final int CLOSE_UNAUTHENTICATED = 4401;
    public static final int CLOSE_TOO_SLOW = 4008;
    public static final int CLOSE_NO_PONG = 4002;
    public static final int CLOSE_BAD_MESSAGE = 4400;
    public static final int CLOSE_SHUTDOWN = 1001;

    /** Rate and burst of each connection, read every second (operational config; live-changeable). */
    public record Rate(double perSecond, double burst) {
    }

    private final EventFanout<DhcpEvent> events;
    private final int fanoutCapacity;
    private final Scheduler scheduler;
    private final Time time;
    private final Supplier<Rate> rateSource;
    private final Predicate<Principal> stillValid;
    private final int queueCapacity;
    private final Duration slowClose;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final Duration authTimeout;
    private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
    private final Map<Long, Long> connectedAt = new ConcurrentHashMap<>();
    private volatile Rate rate;
    private long lastPingNanos;
    private Disposable subscription;
    private Disposable ticker;

    private final LongAdder eventsIn = new LongAdder();
    private final LongAdder eventFailures = new LongAdder();
    private final LongAdder matched = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder skippedRate = new LongAdder();
    private final LongAdder skippedSlow = new LongAdder();
    private final LongAdder notices = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();

    public StreamHub(EventFanout<DhcpEvent> events, int fanoutCapacity, Scheduler scheduler, Time time,
                     Supplier<Rate> rateSource, Predicate<Principal> stillValid, int queueCapacity,
                     Duration slowClose, Duration pingInterval, Duration idleTimeout, Duration authTimeout) {
        this.events = events;
        this.fanoutCapacity = fanoutCapacity;
        this.scheduler = scheduler;
        this.time = time;
        this.rateSource = rateSource;
        this.stillValid = stillValid;
        this.queueCapacity = queueCapacity;
        this.slowClose = slowClose;
        this.pingInterval = pingInterval;
        this.idleTimeout = idleTimeout;
        this.authTimeout = authTimeout;
        this.rate = rateSource.get();
    }

    public void start() {
        lastPingNanos = time.nanoseconds();
        subscription = events.subscribe("stream", fanoutCapacity, scheduler).subscribe(this::onEventGuarded,
                e -> log.error("stream hub: event stream failed", e));
        ticker = scheduler.schedulePeriodically(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Closes every client (1001) and detaches from the fan-out. */
    public void stop() {
        if (ticker != null) {
            ticker.dispose();
        }
        if (subscription != null) {
            subscription.dispose();
        }
        for (StreamClient c : clients) {
            close(c, CLOSE_SHUTDOWN, "server shutting down");
        }
    }

    /** A new connection, not yet authenticated unless {@code principal} is given. */
    StreamClient connect(String remote, StreamFilter filter, Principal principal,
                         java.util.function.BiConsumer<Integer, String> closer,
                         java.util.function.BooleanSupplier writable) {
        long id = System.nanoTime();
        StreamClient c = new StreamClient(id, remote, filter, queueCapacity, time.nanoseconds(), closer, writable);
        c.principal = principal;
        connectedAt.put(id, time.nanoseconds());
        clients.add(c);
        connections.increment();
        if (principal != null) {
            hello(c);
        }
        return c;
    }

    void disconnected(StreamClient c) {
        c.closed = true;
        clients.remove(c);
        connectedAt.remove(c.id);
    }

    /** Authenticates (or re-authenticates) a connection; the first time, the hello follows. */
    void authenticated(StreamClient c, Principal p) {
        boolean first = c.principal == null;
        c.principal = p;
        scheduler.schedule(() -> {
            if (first) {
                hello(c);
            } else {
                notice(c, message("auth", null, Json.MAPPER.createObjectNode().put("user", p.username())
                        .put("expires_at", p.expiresAt().toString())));
            }
        });
    }

    void filter(StreamClient c, StreamFilter f) {
        c.filter = f;
        scheduler.schedule(() -> notice(c, message("filter", null, f.toJson())));
    }

    void error(StreamClient c, String code, String text) {
        scheduler.schedule(() -> notice(c, message("error", null, Json.MAPPER.createObjectNode().put("code", code)
                .put("message", text))));
    }

    void close(StreamClient c, int code, String reason) {
        closes.computeIfAbsent(Integer.toString(code), k -> new LongAdder()).increment();
        log.info("stream client {} ({}) closed: {} {}", c.remote, c.user(), code, reason);
        c.close(code, reason);
    }

    void pong(StreamClient c) {
        c.lastPongNanos = time.nanoseconds();
    }

    /** Pushes a typed notice ({@code action}, {@code alarm}) to every authenticated client. Any thread. */
    public void push(String type, JsonNode payload) {
        pushMessage(message(type, null, payload));
    }

    /** Pushes {@code {"type":type,"change":change,type:payload}} (the bell's alarm changes). Any thread. */
    public void push(String type, String change, JsonNode payload) {
        pushMessage(message(type, change, payload));
    }

    private void pushMessage(byte[] msg) {
        scheduler.schedule(() -> {
            for (StreamClient c : clients) {
                if (c.principal != null && !c.closed) {
                    notice(c, msg);
                }
            }
        });
    }

    // ---------------------------------------------------------------- hub thread

    /** One event that cannot be handled is counted and skipped: an exception out of here would end the stream. */
    private void onEventGuarded(DhcpEvent e) {
        try {
            onEvent(e);
        } catch (RuntimeException ex) {
            eventFailures.increment();
            log.warn("stream hub: an event could not be sent: {}", ex.toString());
        }
    }

    private void onEvent(DhcpEvent e) {
        eventsIn.increment();
        if (clients.isEmpty()) {
            return;
        }
        ByteBuffer frame = null;
        long now = time.nanoseconds();
        Rate r = rate;
        long matchedNow = 0;
        long sentNow = 0;
        long rateNow = 0;
        long slowNow = 0;
        for (StreamClient c : clients) {
            if (c.principal == null || c.closed || !c.filter.matches(e)) {
                continue;
            }
            c.matched++;
            matchedNow++;
            if (!c.limiter.tryAcquire(now, r.perSecond(), r.burst())) {
                c.skippedRate++;
                c.unreportedRate++;
                rateNow++;
                continue;
            }
            reportSkips(c);
            if (frame == null) {
                frame = eventFrame(e);
            }
            // Each client gets its own view of the one direct frame: no copy, no encoding, no release to forget.
            if (c.writable() && c.offer(Unpooled.wrappedBuffer(frame.duplicate()))) {
                c.queued++;
                sentNow++;
            } else {
                c.skippedSlow++;
                c.unreportedSlow++;
                slowNow++;
                if (c.slowSinceNanos < 0) {
                    c.slowSinceNanos = now;
                }
            }
        }
        matched.add(matchedNow);
        sent.add(sentNow);
        skippedRate.add(rateNow);
        skippedSlow.add(slowNow);
    }

    /** Tells a client how many events it missed since the last notice, before anything else is sent to it. */
    private void reportSkips(StreamClient c) {
        if (!c.writable()) {
            return;
        }
        if (c.unreportedRate > 0 && c.offer(skipped(c.unreportedRate, "rate_limit"))) {
            c.unreportedRate = 0;
        }
        if (c.unreportedSlow > 0 && c.offer(skipped(c.unreportedSlow, "slow_client"))) {
            c.unreportedSlow = 0;
        }
    }

    private void tick() {
        try {
            rate = rateSource.get();
        } catch (RuntimeException e) {
            log.warn("stream hub: rate settings unreadable, keeping {}: {}", rate, e.toString());
        }
        long now = time.nanoseconds();
        boolean ping = now - lastPingNanos >= pingInterval.toNanos();
        if (ping) {
            lastPingNanos = now;
        }
        for (StreamClient c : clients) {
            if (c.closed) {
                continue;
            }
            Principal p = c.principal;
            if (p == null) {
                Long at = connectedAt.get(c.id);
                if (at != null && now - at > authTimeout.toNanos()) {
                    close(c, CLOSE_UNAUTHENTICATED, "no token within " + authTimeout.toSeconds() + " s");
                }
                continue;
            }
            if (!stillValid.test(p)) {
                close(c, CLOSE_UNAUTHENTICATED, "token expired or revoked: authenticate again");
                continue;
            }
            reportSkips(c);
            boolean behind = !c.writable() || c.backlog() >= c.capacity() * 9 / 10 || c.unreportedSlow > 0;
            if (!behind) {
                c.slowSinceNanos = -1;
            } else if (c.slowSinceNanos < 0) {
                c.slowSinceNanos = now;
            } else if (now - c.slowSinceNanos > slowClose.toNanos()) {
                close(c, CLOSE_TOO_SLOW, "client too slow: " + c.skippedSlow + " event(s) skipped, not keeping up for "
                        + slowClose.toSeconds() + " s");
                continue;
            }
            if (now - c.lastPongNanos > idleTimeout.toNanos()) {
                close(c, CLOSE_NO_PONG, "no pong for " + idleTimeout.toSeconds() + " s");
                continue;
            }
            if (ping && c.writable()) {
                c.offer(new PingWebSocketFrame(Unpooled.wrappedBuffer(Long.toString(now).getBytes(
                        StandardCharsets.US_ASCII))));
            }
        }
    }

    private void hello(StreamClient c) {
        Rate r = rate;
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("schema", EventJson.SCHEMA_VERSION);
        n.put("user", c.principal.username());
        n.put("role", c.principal.role().label());
        n.put("expires_at", c.principal.expiresAt().toString());
        n.putObject("rate").put("per_second", r.perSecond()).put("burst", r.burst());
        n.set("filter", c.filter.toJson());
        notice(c, message("hello", null, n));
    }

    private void notice(StreamClient c, byte[] msg) {
        if (c.offer(Unpooled.wrappedBuffer(msg))) {
            notices.increment();
        }
    }

    private static ByteBuf skipped(long n, String reason) {
        return Unpooled.wrappedBuffer(TextFrames.encode(("{\"type\":\"skipped\",\"count\":" + n
                + ",\"reason\":\"" + reason + "\"}").getBytes(StandardCharsets.US_ASCII)));
    }

    private static final byte[] EVENT_PREFIX = "{\"type\":\"event\",\"event\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * The event's whole WebSocket frame, serialised and framed once, in GC-owned direct memory: the socket writes it
     * to every client as it is (a heap buffer would be copied to a direct one per client by the transport).
     */
    private static ByteBuffer eventFrame(DhcpEvent e) {
        byte[] json = EventJson.toBytes(e);
        int length = EVENT_PREFIX.length + json.length + 1;
        byte[] header = TextFrames.header(length);
        ByteBuffer out = ByteBuffer.allocateDirect(header.length + length);
        out.put(header).put(EVENT_PREFIX).put(json).put((byte) '}').flip();
        return out;
    }

    /** A typed notice's whole WebSocket frame. */
    private static byte[] message(String type, String change, JsonNode payload) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", type);
        if (change != null) {
            n.put("change", change);
        }
        n.set(type, payload);
        return TextFrames.encode(Json.bytes(n));
    }

    public int clientCount() {
        return clients.size();
    }

    public void metrics(MetricWriter out) {
        out.gauge("stream_clients", "connected live-stream clients", clients.size());
        out.counter("stream_connections", "live-stream connections accepted", connections.sum());
        out.counter("stream_events_received", "events the stream hub took from the fan-out", eventsIn.sum());
        out.counter("stream_event_failures", "events the hub could not handle (skipped, counted)",
                eventFailures.sum());
        out.counter("stream_events_matched", "events matching a client's filter (per client)", matched.sum());
        out.counter("stream_events_sent", "events queued to clients", sent.sum());
        out.counter("stream_events_skipped", "events a client did not get, by reason", skippedRate.sum(),
                "reason", "rate_limit");
        out.counter("stream_events_skipped", "events a client did not get, by reason", skippedSlow.sum(),
                "reason", "slow_client");
        out.counter("stream_notices_sent", "hello, filter, action and alarm messages queued", notices.sum());
        closes.forEach((code, n) -> out.counter("stream_closed", "connections the server closed, by close code",
                n.sum(), "code", code));
    }
}
