package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.Log2Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The output manager's batching path: takes events from the fan-out, batches them on {@code batch_size} rows or
 * {@code flush_duration_secs}, whichever comes first, and hands each batch to a {@link BatchSink} on its own thread.
 * The pipeline never waits for it: receiving is an append under a short lock. When the destination is down or
 * slow the batch is retried with exponential back-off while new events queue up to {@code maxBuffered}; past that
 * the oldest waiting events are dropped and counted. Delivery is at least once: a request that timed out after the
 * server stored it is sent again.
 */
public final class EventWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

    private final BatchSink sink;
    private final WriterConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Encoded rows waiting for their batch: a few hundred bytes each, packed in reused chunks (not objects). */
    private final PendingRows pending = new PendingRows();
    /** The body of the batch being delivered; the flusher's own, reused. */
    private final PendingRows.Body body = new PendingRows.Body();
    private final Thread flusher;
    private final Log2Histogram batchSizes = new Log2Histogram();
    private final Log2Histogram batchNanos = new Log2Histogram();

    // Guarded by lock.
    private long received;
    private long written;
    private long dropped;
    private long encodeFailures;
    private int inFlight;
    private long batches;
    private long failures;
    private String lastError = "";
    private boolean stopping;
    private long stopDeadlineNanos;
    private boolean flusherWaiting;

    private final java.util.concurrent.CountDownLatch inputEnded = new java.util.concurrent.CountDownLatch(1);
    private volatile Disposable subscription;
    private volatile Scheduler scheduler;

    public EventWriter(BatchSink sink, WriterConfig config) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.config = Objects.requireNonNull(config, "config");
        this.flusher = new Thread(this::run, "event-writer-" + sink.name());
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /**
     * Starts a writer and subscribes it to {@code fanout} as subscriber {@code sink.name()}: the one call the
     * daemon makes to attach an output. {@link #close()} detaches and flushes.
     */
    public static EventWriter attach(EventFanout<DhcpEvent> fanout, BatchSink sink, WriterConfig config) {
        EventWriter writer = new EventWriter(sink, config);
        Scheduler s = Schedulers.newSingle("fanout-" + sink.name(), true);
        writer.scheduler = s;
        writer.subscription = fanout.subscribe(sink.name(), config.fanoutCapacity(), s)
                .subscribe(writer::accept, e -> log.error("event stream of {} failed", sink.name(), e),
                        writer::finishInput);
        return writer;
    }

    /** Takes one event, encoded into its row here; never blocks beyond a short lock, never throws. */
    public void accept(DhcpEvent event) {
        byte[] row;
        RuntimeException failure = null;
        try {
            row = sink.encodeRow(event);
        } catch (RuntimeException e) {
            row = null;
            failure = e;
        }
        lock.lock();
        try {
            received++;
            if (row == null) {
                dropped++;
                if (encodeFailures++ % 10_000 == 0) {
                    log.error("{}: cannot encode an event ({} so far); dropped", sink.name(), encodeFailures, failure);
                }
                return;
            }
            if (stopping) {
                dropped++;
                return;
            }
            if (pending.size() >= config.maxBuffered()) {
                pending.dropOldest();
                dropped++;
            }
            pending.add(row);
            if (flusherWaiting && pending.size() >= config.batchSize()) {
                flusherWaiting = false;
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A consistent snapshot of the counters. */
    public WriterStats stats() {
        lock.lock();
        try {
            return new WriterStats(sink.name(), received, written, dropped, pending.size() + (long) inFlight, batches,
                    failures, lastError, batchSizes.snapshot(), batchNanos.snapshot());
        } finally {
            lock.unlock();
        }
    }

    /** The input ended (the fan-out completed): flush everything and stop. */
    private void finishInput() {
        inputEnded.countDown();
        stop(config.shutdownTimeout());
    }

    private void stop(Duration timeout) {
        lock.lock();
        try {
            if (!stopping) {
                stopping = true;
                stopDeadlineNanos = System.nanoTime() + timeout.toNanos();
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Clean shutdown: waits (up to the shutdown timeout) for the fan-out to deliver what it buffered for this
     * writer, so call {@link EventFanout#complete()} first; then detaches, flushes what waits (retrying until the
     * shutdown timeout), counts what could not be written as dropped, and returns when the writer thread has ended.
     */
    @Override
    public void close() {
        Disposable s = subscription;
        if (s != null) {
            try {
                inputEnded.await(config.shutdownTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.dispose();
        }
        stop(config.shutdownTimeout());
        try {
            flusher.join(config.shutdownTimeout().toMillis() + config.retryMax().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Scheduler sc = scheduler;
        if (sc != null) {
            sc.dispose();
        }
    }

    /** True once the writer thread has ended (after a shutdown). */
    public boolean isTerminated() {
        return !flusher.isAlive();
    }

    private void run() {
        long flushIntervalNanos = config.flushInterval().toNanos();
        long nextFlush = System.nanoTime() + flushIntervalNanos;
        while (true) {
            int batch;
            lock.lock();
            try {
                while (!stopping && pending.size() < config.batchSize()) {
                    long wait = nextFlush - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    flusherWaiting = true;
                    wake.awaitNanos(wait);
                    flusherWaiting = false;
                }
                if (stopping && failures > 0 && System.nanoTime() - stopDeadlineNanos >= 0) {
                    // Shutdown deadline passed while the destination fails: what still waits is lost, and counted.
                    dropped += pending.size();
                    pending.clear();
                }
                if (pending.isEmpty()) {
                    if (stopping) {
                        return;
                    }
                    nextFlush = System.nanoTime() + flushIntervalNanos;
                    continue;
                }
                batch = Math.min(config.batchSize(), pending.size());
                body.reset();
                pending.takeInto(body, batch);
                inFlight = batch;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            nextFlush = System.nanoTime() + flushIntervalNanos;
            deliver(batch);
        }
    }

    /**
     * Sends the batch of {@code rows} rows in {@link #body} until it is accepted, or until a shutdown's deadline passes
     * (then it counts as dropped).
     */
    private void deliver(int rows) {
        long backoff = config.retryInitial().toNanos();
        while (true) {
            try {
                long t0 = System.nanoTime();
                sink.send(body.bytes(), body.length());
                batchNanos.record(System.nanoTime() - t0);
                batchSizes.record(rows);
                finish(rows, true, null);
                return;
            } catch (Exception e) {
                lock.lock();
                try {
                    failures++;
                    lastError = e.toString();
                    if (failures == 1 || failures % 100 == 0) {
                        log.warn("{}: batch of {} not written ({} failures so far), retrying: {}", sink.name(),
                                rows, failures, lastError);
                    }
                    if (stopping && System.nanoTime() - stopDeadlineNanos >= 0) {
                        inFlight = 0;
                        dropped += rows;
                        return;
                    }
                    long wait = stopping ? Math.min(backoff, Math.max(0, stopDeadlineNanos - System.nanoTime()))
                            : backoff;
                    if (wait > 0) {
                        wake.awaitNanos(wait);
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    inFlight = 0;
                    dropped += rows;
                    return;
                } finally {
                    lock.unlock();
                }
                backoff = Math.min(backoff * 2, config.retryMax().toNanos());
            }
        }
    }

    private void finish(int n, boolean ok, Exception error) {
        lock.lock();
        try {
            inFlight = 0;
            if (ok) {
                written += n;
                batches++;
            } else {
                dropped += n;
                lastError = String.valueOf(error);
            }
        } finally {
            lock.unlock();
        }
    }
}
