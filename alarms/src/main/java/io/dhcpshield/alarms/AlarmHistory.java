package io.dhcpshield.alarms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The alarms' history in ClickHouse's {@code alarms} table: every transition (raised, escalated, acknowledged,
 * cleared; not the updates in between) is queued by the engine's listener and written by {@link #flush} in order.
 * While ClickHouse is down rows wait (at most {@link #CAPACITY}; beyond that the oldest are dropped and counted) and
 * are written when it is back, so a raise and clear during an outage both reach the history.
 */
public final class AlarmHistory {

    private static final Logger log = LoggerFactory.getLogger(AlarmHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int CAPACITY = 10_000;

    /** One transition of the history, as the API shows it. */
    public record Transition(Instant time, String state, String actor, String severity, String message, String note) {
    }

    /** An alarm as last written, with the hold time it had. */
    public record Stored(Alarm alarm, Duration hold) {
    }

    private final Supplier<ClickHouseClient> client;
    private final Deque<String> queue = new ArrayDeque<>();
    private final LongAdder written = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private final Object flushLock = new Object();
    private Mono<Void> nextFlush;
    /** The one thread writes run on, in order (the evaluation and an operator's acknowledge both flush). */
    private final reactor.core.scheduler.Scheduler writer =
            reactor.core.scheduler.Schedulers.newBoundedElastic(1, 16, "alarm-history", 60, true);
    private volatile String lastError = "";

    /** @param client the ClickHouse client, or null while storage is not there (rows wait) */
    public AlarmHistory(Supplier<ClickHouseClient> client) {
        this.client = client;
    }

    /** Queues the row of one change (engine listener: never blocks). Updates are not history. */
    public void record(AlarmChange c) {
        Duration hold = c.hold();
        if (c.type() == AlarmChange.Type.UPDATED) {
            return;
        }
        Alarm a = c.alarm();
        Instant t = c.time();
        String row = Queries.bind("alarms.transition_insert", t, t.getNano() / 1000, a.id(), a.severity().label(),
                a.kind(), subject(a), a.message(), a.sourceKey(), a.channel().label(), a.category(),
                c.type() == AlarmChange.Type.ESCALATED ? "escalated" : a.state().label(), c.actor(), c.note(),
                a.title(), a.raisedAt(), a.lastSeen(), a.occurrences(), hold.toSeconds(),
                AlarmJson.alarm(a).toString());
        synchronized (queue) {
            if (queue.size() >= CAPACITY) {
                queue.removeFirst();
                dropped.increment();
            }
            queue.addLast(row);
        }
    }

    /**
     * Writes what is queued, in order, and completes once it is written (or failed: the rest waits for the next
     * flush). Flushes run one after another on one thread, so a flush asked for after a change (an operator's
     * acknowledge) completes only when that change's row is in ClickHouse: the API reads its own writes.
     */
    public Mono<Void> flush() {
        ClickHouseClient ch = client.get();
        if (ch == null) {
            return Mono.empty();
        }
        synchronized (flushLock) {
            // At most one flush waits behind the running one; every caller meanwhile shares it (it copies the queue
            // when it starts, so it writes their rows too): a slow ClickHouse cannot pile flushes up.
            if (nextFlush == null) {
                reactor.core.publisher.Sinks.Empty<Void> done = reactor.core.publisher.Sinks.empty();
                nextFlush = done.asMono();
                writer.schedule(() -> {
                    synchronized (flushLock) {
                        nextFlush = null;
                    }
                    try {
                        writeQueued(ch);
                    } finally {
                        done.tryEmitEmpty();
                    }
                });
            }
            return nextFlush;
        }
    }

    /** Blocking, on the writer thread only. */
    private void writeQueued(ClickHouseClient ch) {
        List<String> batch;
        synchronized (queue) {
            batch = new ArrayList<>(queue);
        }
        try {
            for (String sql : batch) {
                ch.execute(sql).block(WRITE_TIMEOUT);
                synchronized (queue) {
                    if (!queue.isEmpty() && queue.peekFirst().equals(sql)) {
                        queue.removeFirst();
                    }
                }
                written.increment();
            }
            lastError = "";
        } catch (RuntimeException e) {
            failures.increment();
            String m = e.toString();
            if (!m.equals(lastError)) {
                log.warn("alarms: writing the history failed ({} rows wait): {}", pending(), m);
            }
            lastError = m;
        }
    }

    /** Stops the writer thread. */
    public void close() {
        writer.dispose();
    }

    /** The newest state of every alarm raised in [from, to), newest raised first, at most {@code limit}. */
    public Flux<Stored> latest(Instant from, Instant to, int limit) {
        ClickHouseClient ch = client.get();
        if (ch == null) {
            return Flux.error(new io.dhcpshield.core.service.NotReadyException("storage", "ClickHouse not ready"));
        }
        return ch.query(Queries.bind("alarms.latest", from, to, limit), (row, meta) -> {
            String js = String.valueOf(row.get(2));
            long hold = Long.parseLong(String.valueOf(row.get(3)));
            try {
                return new Stored(AlarmJson.parse(JSON.readTree(js)), Duration.ofSeconds(hold));
            } catch (Exception e) {
                return new Stored(null, Duration.ZERO);
            }
        }).filter(s -> s.alarm() != null);
    }

    /** The newest state of one alarm, or empty. */
    public Mono<Stored> byId(String alarmId) {
        ClickHouseClient ch = client.get();
        if (ch == null) {
            return Mono.error(new io.dhcpshield.core.service.NotReadyException("storage", "ClickHouse not ready"));
        }
        return ch.query(Queries.bind("alarms.by_id", alarmId), (row, meta) -> {
            String js = String.valueOf(row.get(0));
            if (js.isEmpty() || "null".equals(js)) {
                return new Stored(null, Duration.ZERO);
            }
            try {
                return new Stored(AlarmJson.parse(JSON.readTree(js)),
                        Duration.ofSeconds(Long.parseLong(String.valueOf(row.get(1)))));
            } catch (Exception e) {
                return new Stored(null, Duration.ZERO);
            }
        }).filter(s -> s.alarm() != null).next();
    }

    /** Every transition of one alarm, oldest first. */
    public Flux<Transition> transitions(String alarmId) {
        ClickHouseClient ch = client.get();
        if (ch == null) {
            return Flux.error(new io.dhcpshield.core.service.NotReadyException("storage", "ClickHouse not ready"));
        }
        return ch.query(Queries.bind("alarms.transitions", alarmId), (row, meta) -> new Transition(
                Instant.ofEpochSecond(Long.parseLong(String.valueOf(row.get(0))),
                        Long.parseLong(String.valueOf(row.get(1))) * 1000),
                String.valueOf(row.get(2)), String.valueOf(row.get(3)), String.valueOf(row.get(4)),
                String.valueOf(row.get(5)), String.valueOf(row.get(6))));
    }

    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    public String lastError() {
        return lastError;
    }

    public void metrics(MetricWriter out) {
        out.counter("alarm_history_written", "alarm transitions written to the alarms table", written.sum());
        out.counter("alarm_history_failures", "failed writes of alarm transitions (retried)", failures.sum());
        out.counter("alarm_history_dropped", "alarm transitions dropped because the queue was full", dropped.sum());
        out.gauge("alarm_history_pending", "alarm transitions waiting to be written", pending());
    }

    /** The old {@code subject} column: the first party's id (what the detectors put there). */
    private static String subject(Alarm a) {
        return a.context().isEmpty() ? a.sourceKey() : a.context().get(0).id();
    }
}
