package io.dhcpshield.automation.bulk;

/**
 * The runner's counters at one moment (the same numbers {@link BulkJobRunner#metrics} reports): jobs by how they
 * ended, jobs resumed after a restart, clients actioned and failed, batches and failed batches.
 */
public record BulkCounters(long submitted, long done, long cancelled, long failed, long resumed, long clientsActioned,
                           long clientsFailed, long batches, long batchFailures) {
}
