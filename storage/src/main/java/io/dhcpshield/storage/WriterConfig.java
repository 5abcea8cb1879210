package io.dhcpshield.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Batching and buffering of one event output (Core config).
 *
 * @param batchSize        {@code batch_size}: flush when this many events wait
 * @param flushInterval    {@code flush_duration_secs}: flush at least this often when events wait
 * @param maxBuffered      events held while the destination is down or slow; beyond it the oldest are dropped
 * @param fanoutCapacity   the bounded buffer of this subscriber inside the event fan-out
 * @param retryInitial     first back-off after a failed batch; doubles per failure
 * @param retryMax         longest back-off
 * @param shutdownTimeout  how long a clean shutdown keeps trying to flush before counting the rest as dropped
 */
public record WriterConfig(int batchSize, Duration flushInterval, int maxBuffered, int fanoutCapacity,
                           Duration retryInitial, Duration retryMax, Duration shutdownTimeout) {

    public WriterConfig {
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(retryInitial, "retryInitial");
        Objects.requireNonNull(retryMax, "retryMax");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (batchSize < 1 || maxBuffered < batchSize || fanoutCapacity < 1) {
            throw new IllegalArgumentException("need batch_size >= 1, max_buffered >= batch_size, fanout capacity >= 1;"
                    + " got " + batchSize + ", " + maxBuffered + ", " + fanoutCapacity);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flush_duration_secs must be > 0");
        }
    }

    /**
     * Compiled defaults, the only place they are written: 50,000-row batches, a flush at least every 60 s (the
     * seed's "one flush every one to two minutes"), up to 1,000,000 events held, 8,192 events of fan-out buffer (80 ms at 100k events/s; the writer holds
     * its own rows. A subscriber's fan-out buffer is full whenever the box is saturated, and what it holds is the GC's
     * live set: 65,536 events made young collections copy and promote ~30 MB each, docs/performance.md).
     */
    public static WriterConfig defaults() {
        return new WriterConfig(50_000, Duration.ofSeconds(60), 1_000_000, 8_192, Duration.ofMillis(200),
                Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public WriterConfig withBatch(int size, Duration interval) {
        return new WriterConfig(size, interval, maxBuffered, fanoutCapacity, retryInitial, retryMax, shutdownTimeout);
    }

    public WriterConfig withMaxBuffered(int max) {
        return new WriterConfig(batchSize, flushInterval, max, fanoutCapacity, retryInitial, retryMax, shutdownTimeout);
    }

    public WriterConfig withRetry(Duration initial, Duration max) {
        return new WriterConfig(batchSize, flushInterval, maxBuffered, fanoutCapacity, initial, max, shutdownTimeout);
    }

    public WriterConfig withFanoutCapacity(int capacity) {
        return new WriterConfig(batchSize, flushInterval, maxBuffered, capacity, retryInitial, retryMax,
                shutdownTimeout);
    }
}
