package io.dhcpshield.alarms.vector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.alarms.AlarmJson;
import io.dhcpshield.alarms.Notification;
import io.dhcpshield.alarms.NotificationSink;
import io.dhcpshield.automation.analysis.BackendBreaker;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.time.Time;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Vector notification sink: {@link #offer} queues (bounded) and returns at once; one sender thread POSTs batches
 * as newline-delimited JSON ({@code application/x-ndjson}, one {@link AlarmJson#notification} per line) to a Vector
 * {@code http_server} source. 2xx is sent; 5xx, 408, 429, timeouts and connection errors are retried with back-off
 * up to {@code max_attempts}; any other answer drops the batch at once. A circuit breaker ({@link BackendBreaker})
 * pauses delivery after {@code breaker_failures} failed requests in a row and sends one trial batch after
 * {@code breaker_open}; meanwhile notifications keep queuing up to {@code queue_capacity}.
 *
 * <p>Every notification is counted exactly once: {@code offered = sent + dropped + pending} holds in every
 * {@link #counts()} snapshot, where pending is queued plus in flight. Delivery is at least once: a batch whose
 * request timed out after the receiver stored it is sent again (the notification {@code id} tells duplicates).
 */
public final class VectorSink implements NotificationSink {

    /** Why notifications were dropped: the {@code reason} label of {@code notifications_dropped}. */
    public enum DropReason {
        /** Offered while {@code queue_capacity} notifications were pending. */
        QUEUE_FULL,
        /** The receiver answered with a status that is not retried (4xx but 408 and 429, 3xx); or unencodable. */
        REJECTED,
        /** {@code max_attempts} requests of the batch failed. */
        RETRIES_EXHAUSTED,
        /** Still pending when {@link #stop()} ended its last flush, or offered after it. */
        SHUTDOWN,
        /** Offered to a sink whose {@code alarms.vector.enabled} is false. */
        DISABLED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One consistent snapshot of the counters: {@code offered == sent + dropped() + pending}.
     *
     * @param retried   notifications sent again in a repeated request (a batch of n retried twice adds 2n)
     * @param pending   queued plus in flight
     * @param droppedBy dropped notifications by reason (every reason present)
     */
    public record Counts(long offered, long sent, long retried, long pending, Map<DropReason, Long> droppedBy) {

        public Counts {
            droppedBy = Collections.unmodifiableMap(new EnumMap<>(droppedBy));
        }

        public long dropped() {
            long n = 0;
            for (long v : droppedBy.values()) {
                n += v;
            }
            return n;
        }

        public long dropped(DropReason reason) {
            return droppedBy.getOrDefault(reason, 0L);
        }
    }

    public static final String NAME = "vector";

    private static final Logger log = LoggerFactory.getLogger(VectorSink.class);
    private static final ObjectWriter JSON = new ObjectMapper().writer();
    private static final String NDJSON = "application/x-ndjson";
    /** How much of a refusing receiver's answer goes into {@code last_error}. */
    private static final int ERROR_BODY_CHARS = 200;

    private final VectorSinkConfig config;
    private final Time time;
    private final BackendBreaker breaker;
    private final HttpClient http;
    private final Thread sender;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when notifications arrive and when stopping. */
    private final Condition wake = lock.newCondition();

    // Guarded by lock.
    private final ArrayDeque<Notification> queue = new ArrayDeque<>();
    private final long[] dropped = new long[DropReason.values().length];
    private long offered;
    private long sent;
    private long retried;
    private int inFlight;
    private String lastError;
    /** The sender waits for notifications (not for the breaker or a back-off): offers wake it. */
    private boolean senderAwaitsNotifications;
    private boolean started;
    private boolean stopping;
    private long stopDeadlineNanos;

    /**
     * @param time the product's clock: flush windows, back-off, the breaker's open time and the stop deadline
     */
    public VectorSink(VectorSinkConfig config, Time time) {
        this.config = Objects.requireNonNull(config, "config");
        this.time = Objects.requireNonNull(time, "time");
        this.breaker = new BackendBreaker(config.breakerFailures(), config.breakerOpen(), time);
        // A connection per request: notifications are few, and no pooled connection can have gone stale after the
        // agent restarted. Reactor Netty's own retry is off so that every request is one counted attempt.
        this.http = HttpClient.create(ConnectionProvider.newConnection())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, config.timeout().toMillis()))
                .disableRetry(true)
                .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, NDJSON));
        this.sender = new Thread(this::run, "alarms-vector-sender");
        this.sender.setDaemon(true);
    }

    @Override
    public String name() {
        return NAME;
    }

    public VectorSinkConfig config() {
        return config;
    }

    /** Starts the sender (a disabled sink has none). Offers made before are queued and go out now. */
    @Override
    public void start() {
        lock.lock();
        try {
            if (!config.enabled() || started || stopping) {
                return;
            }
            started = true;
        } finally {
            lock.unlock();
        }
        sender.start();
        log.info("vector sink: sending notifications to {} (batches of {}, queue {})", config.url(),
                config.batchSize(), config.queueCapacity());
    }

    /** Queues {@code n} and returns at once; false (counted as dropped) when full, disabled or stopping. */
    @Override
    public boolean offer(Notification n) {
        Objects.requireNonNull(n, "n");
        lock.lock();
        try {
            offered++;
            DropReason refused = !config.enabled() ? DropReason.DISABLED
                    : stopping ? DropReason.SHUTDOWN
                    : queue.size() + inFlight >= config.queueCapacity() ? DropReason.QUEUE_FULL
                    : null;
            if (refused != null) {
                dropped[refused.ordinal()]++;
                return false;
            }
            queue.addLast(n);
            if (senderAwaitsNotifications && (queue.size() == 1 || queue.size() >= config.batchSize())) {
                wake.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops: refuses new offers, gives what is pending one last flush (one request per batch, none while the breaker
     * is open) bounded by {@code alarms.vector.timeout_ms}, counts what is still pending as dropped (reason
     * {@code shutdown}) and returns when the sender has ended.
     */
    @Override
    public void stop() {
        lock.lock();
        try {
            if (!stopping) {
                stopping = true;
                stopDeadlineNanos = time.nanoseconds() + config.timeout().toNanos();
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (sender.isAlive()) {
            try {
                // The last request ends by the deadline (its own timeout is cut to it); a second is slack.
                sender.join(config.timeout().toMillis() + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Counts c;
        lock.lock();
        try {
            dropQueued(DropReason.SHUTDOWN);
            c = snapshot();
        } finally {
            lock.unlock();
        }
        log.info("vector sink stopped: offered {}, sent {}, dropped {}, pending {}", c.offered(), c.sent(),
                c.dropped(), c.pending());
    }

    /** The counters, taken atomically. */
    public Counts counts() {
        lock.lock();
        try {
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** The breaker's state: closed (delivering), open (holding delivery), half open (a trial batch is out). */
    public BackendBreaker.State breakerState() {
        return breaker.state();
    }

    /** Times the breaker opened. */
    public long breakerOpened() {
        return breaker.timesOpened();
    }

    /** The last failed or refused request, or null when none failed yet. */
    public String lastError() {
        lock.lock();
        try {
            return lastError;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code notifications_offered}, {@code _sent}, {@code _retried}, {@code _dropped} (by {@code reason}),
     * {@code notifications_pending}, {@code notification_breaker_state}, {@code notification_breaker_opened}; all
     * labelled {@code sink=vector}.
     */
    @Override
    public void metrics(MetricWriter out) {
        Counts c = counts();
        out.counter("notifications_offered", "notifications offered to a sink (refused offers included)",
                c.offered(), "sink", NAME);
        out.counter("notifications_sent", "notifications a sink delivered", c.sent(), "sink", NAME);
        out.counter("notifications_retried", "notifications sent again in a repeated request", c.retried(),
                "sink", NAME);
        for (DropReason r : DropReason.values()) {
            out.counter("notifications_dropped", "notifications a sink gave up on, by reason", c.dropped(r),
                    "sink", NAME, "reason", r.label());
        }
        out.gauge("notifications_pending", "notifications queued or in flight in a sink", c.pending(), "sink", NAME);
        out.gauge("notification_breaker_state", "a sink's circuit breaker: 0 closed, 1 open, 2 half open",
                stateCode(breaker.state()), "sink", NAME);
        out.counter("notification_breaker_opened", "times a sink's circuit breaker opened", breaker.timesOpened(),
                "sink", NAME);
    }

    /**
     * The sink status of docs/alarms.md: {@code name}, {@code type}, {@code enabled}, {@code target}, {@code state},
     * {@code counters} (offered, sent, retried, dropped, pending) and {@code last_error} (null when none).
     */
    @Override
    public ObjectNode status() {
        Counts c;
        String error;
        lock.lock();
        try {
            c = snapshot();
            error = lastError;
        } finally {
            lock.unlock();
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", NAME);
        o.put("type", "vector");
        o.put("enabled", config.enabled());
        o.put("target", config.url());
        o.put("state", breaker.state().label());
        ObjectNode counters = o.putObject("counters");
        counters.put("offered", c.offered());
        counters.put("sent", c.sent());
        counters.put("retried", c.retried());
        counters.put("dropped", c.dropped());
        counters.put("pending", c.pending());
        o.put("last_error", error);
        return o;
    }

    private static int stateCode(BackendBreaker.State s) {
        return switch (s) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        };
    }

    // ---- the sender thread ----

    private void run() {
        try {
            warmUp();
            List<Notification> batch;
            while ((batch = nextBatch()) != null) {
                deliver(batch);
            }
        } catch (InterruptedException e) {
            log.warn("vector sink: sender interrupted; what is pending is dropped");
        } catch (RuntimeException | Error e) {
            log.error("vector sink: sender failed; what is pending is dropped", e);
        } finally {
            lock.lock();
            try {
                // Nothing sends any more: refuse offers and count what waits, so the counts stay whole.
                stopping = true;
                dropInFlight(DropReason.SHUTDOWN);
                dropQueued(DropReason.SHUTDOWN);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Loads the event loops, the resolver and native transport now rather than inside the first request's timeout. */
    private void warmUp() {
        try {
            http.warmup().block();
        } catch (RuntimeException e) {
            log.debug("vector sink: HTTP client warm-up failed; the first request will do it", e);
        }
    }

    /**
     * Waits for the next batch: {@code batch_size} notifications, or fewer once they waited {@code flush_interval},
     * and only while the breaker lets requests through. Null when stopping and nothing is left to send.
     */
    private List<Notification> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            long flushAt = 0;
            boolean windowOpen = false;
            while (true) {
                if (stopping) {
                    if (queue.isEmpty()) {
                        return null;
                    }
                    if (stopDeadlinePassed() || breaker.refusing()) {
                        dropQueued(DropReason.SHUTDOWN);
                        return null;
                    }
                    return take();
                }
                if (breaker.refusing()) {
                    awaitBreaker();
                    continue;
                }
                if (queue.size() >= config.batchSize()) {
                    return take();
                }
                senderAwaitsNotifications = true;
                try {
                    if (queue.isEmpty()) {
                        windowOpen = false;
                        wake.await();
                        continue;
                    }
                    long now = time.nanoseconds();
                    if (!windowOpen) {
                        flushAt = now + config.flushInterval().toNanos();
                        windowOpen = true;
                    }
                    if (now - flushAt >= 0) {
                        return take();
                    }
                    wake.awaitNanos(flushAt - now);
                } finally {
                    senderAwaitsNotifications = false;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends one batch until it is sent, refused, out of attempts or cut short by a shutdown. */
    private void deliver(List<Notification> batch) throws InterruptedException {
        int n = batch.size();
        byte[] body;
        try {
            body = encode(batch);
        } catch (RuntimeException e) {
            log.error("vector sink: cannot encode a batch of {}; dropped", n, e);
            finishDropped(DropReason.REJECTED, "cannot encode a batch: " + e);
            return;
        }
        int attempt = 0;
        while (true) {
            Duration limit;
            lock.lock();
            try {
                limit = attemptLimit();
                if (limit == null) {
                    dropInFlight(DropReason.SHUTDOWN);
                    return;
                }
            } finally {
                lock.unlock();
            }
            if (!breaker.tryAcquire()) {
                lock.lock();
                try {
                    if (stopping) {
                        dropInFlight(DropReason.SHUTDOWN);
                        return;
                    }
                    awaitBreaker();
                } finally {
                    lock.unlock();
                }
                continue;
            }
            attempt++;
            if (attempt > 1) {
                lock.lock();
                try {
                    retried += n;
                } finally {
                    lock.unlock();
                }
            }
            BackendBreaker.State before = breaker.state();
            Answer a = post(body, limit);
            if (a.kind() == Answer.Kind.SENT || a.kind() == Answer.Kind.REFUSED) {
                // The receiver answered: it is up, whatever it thought of the batch.
                breaker.success();
                if (before != BackendBreaker.State.CLOSED) {
                    log.info("vector sink: {} answers again; breaker closed", config.url());
                }
                if (a.kind() == Answer.Kind.SENT) {
                    finishSent();
                } else {
                    log.warn("vector sink: batch of {} refused, dropped: {}", n, a.text());
                    finishDropped(DropReason.REJECTED, a.text());
                }
                return;
            }
            breaker.failure(a.text());
            if (breaker.state() == BackendBreaker.State.OPEN && before != BackendBreaker.State.OPEN) {
                log.warn("vector sink: breaker open for {} ms: {}", config.breakerOpen().toMillis(),
                        breaker.reason());
            }
            lock.lock();
            try {
                lastError = a.text();
                if (attempt >= config.maxAttempts()) {
                    log.warn("vector sink: batch of {} dropped after {} failed requests, the last: {}", n, attempt,
                            a.text());
                    dropInFlight(DropReason.RETRIES_EXHAUSTED);
                    return;
                }
                if (stopping) {
                    dropInFlight(DropReason.SHUTDOWN);
                    return;
                }
                if (breaker.state() == BackendBreaker.State.CLOSED) {
                    awaitNanos(config.backoffBefore(attempt).toNanos());
                }
                // An open breaker: the loop waits for its trial.
            } finally {
                lock.unlock();
            }
        }
    }

    /** One POST, its outcome whatever happens; bounded by {@code limit} from connect to the answer's last byte. */
    private Answer post(byte[] body, Duration limit) {
        try {
            Answer a = http.post()
                    .uri(config.url())
                    .send((req, out) -> {
                        req.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
                        return out.sendByteArray(Mono.just(body));
                    })
                    .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                            .map(text -> Answer.of(res.status().code(), text, config.url())))
                    .timeout(limit)
                    .onErrorResume(e -> Mono.just(Answer.failed(describe(e, limit))))
                    .block();
            return a != null ? a : Answer.failed("request to " + config.url() + " ended without an answer");
        } catch (RuntimeException e) {
            return Answer.failed(describe(e, limit));
        }
    }

    private String describe(Throwable e, Duration limit) {
        if (e instanceof TimeoutException) {
            return "no answer from " + config.url() + " within " + limit.toMillis() + " ms";
        }
        String message = e.getMessage();
        return "request to " + config.url() + " failed: "
                + (message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }

    private byte[] encode(List<Notification> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 768);
        try {
            for (Notification n : batch) {
                out.writeBytes(JSON.writeValueAsBytes(AlarmJson.notification(n, config.appliance())));
                out.write('\n');
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void finishSent() {
        lock.lock();
        try {
            sent += inFlight;
            inFlight = 0;
        } finally {
            lock.unlock();
        }
    }

    private void finishDropped(DropReason reason, String error) {
        lock.lock();
        try {
            lastError = error;
            dropInFlight(reason);
        } finally {
            lock.unlock();
        }
    }

    // ---- under the lock ----

    private List<Notification> take() {
        int n = Math.min(config.batchSize(), queue.size());
        List<Notification> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(queue.pollFirst());
        }
        inFlight = n;
        return batch;
    }

    private void dropInFlight(DropReason reason) {
        dropped[reason.ordinal()] += inFlight;
        inFlight = 0;
    }

    private void dropQueued(DropReason reason) {
        dropped[reason.ordinal()] += queue.size();
        queue.clear();
    }

    /** This request's timeout: the configured one, cut to the stop deadline; null once that has passed. */
    private Duration attemptLimit() {
        if (!stopping) {
            return config.timeout();
        }
        long left = stopDeadlineNanos - time.nanoseconds();
        return left <= 0 ? null : Duration.ofNanos(Math.min(left, config.timeout().toNanos()));
    }

    private boolean stopDeadlinePassed() {
        return time.nanoseconds() - stopDeadlineNanos >= 0;
    }

    /** Waits until the open breaker's time is over, or a stop. */
    private void awaitBreaker() throws InterruptedException {
        Instant until = breaker.openUntil();
        awaitNanos(until != null ? Duration.ofMillis(until.toEpochMilli() - time.milliseconds()).toNanos()
                : config.breakerOpen().toNanos());
    }

    /** Waits {@code nanos} by the injected clock, returning early on a stop. */
    private void awaitNanos(long nanos) throws InterruptedException {
        long until = time.nanoseconds() + nanos;
        long left = nanos;
        while (left > 0 && !stopping) {
            wake.awaitNanos(left);
            left = until - time.nanoseconds();
        }
    }

    private Counts snapshot() {
        Map<DropReason, Long> by = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            by.put(r, dropped[r.ordinal()]);
        }
        return new Counts(offered, sent, retried, queue.size() + (long) inFlight, by);
    }

    /** What one request came to. */
    private record Answer(Kind kind, String text) {

        enum Kind { SENT, REFUSED, FAILED }

        /** 2xx sent; 408, 429 and 5xx failed (retried); anything else refused. */
        static Answer of(int status, String body, String url) {
            if (status / 100 == 2) {
                return new Answer(Kind.SENT, "");
            }
            String clipped = body.strip().replaceAll("\\s+", " ");
            if (clipped.length() > ERROR_BODY_CHARS) {
                clipped = clipped.substring(0, ERROR_BODY_CHARS) + "…";
            }
            String text = "HTTP " + status + " from " + url + (clipped.isEmpty() ? "" : ": " + clipped);
            boolean retry = status == 408 || status == 429 || status >= 500;
            return new Answer(retry ? Kind.FAILED : Kind.REFUSED, text);
        }

        static Answer failed(String text) {
            return new Answer(Kind.FAILED, text);
        }
    }
}
