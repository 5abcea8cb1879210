package io.dhcpshield.storage;

import io.dhcpshield.core.metrics.Log2Histogram;

/**
 * Counts of one event output, taken atomically: {@code received = written + dropped + buffered} always holds.
 * Together with the fan-out's counts for this subscriber (published = delivered + dropped + buffered, where
 * delivered = received here), every emitted event is written, buffered in one of the two places, or dropped.
 *
 * @param received  events handed over by the fan-out
 * @param written   events the destination accepted
 * @param dropped   events dropped: oldest first when the buffer was full, and what a shutdown could not flush
 * @param buffered  events waiting, including the batch being sent
 * @param batches   batches accepted
 * @param failures  failed send attempts (each is retried)
 * @param lastError the last failure's message, or empty
 * @param batchSizes events per accepted batch
 * @param batchNanos time to send each accepted batch (its last, successful attempt)
 */
public record WriterStats(String name, long received, long written, long dropped, long buffered, long batches,
                          long failures, String lastError, Log2Histogram.Snapshot batchSizes,
                          Log2Histogram.Snapshot batchNanos) {
}
