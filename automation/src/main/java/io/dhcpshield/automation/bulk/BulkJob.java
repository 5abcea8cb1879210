package io.dhcpshield.automation.bulk;

import io.dhcpshield.enforcement.action.ActionType;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A bulk job as stored and served: one action on the clients its criteria select, applied in batches. Progress
 * ({@code done} clients actioned, {@code failed} clients whose batch failed, {@code batches}) is saved after every
 * batch; {@code done + failed} is where a resumed job continues. {@code error} is empty unless something went wrong
 * or the job was resumed after a restart. Immutable: each step returns the job as it is after it.
 *
 * @param duration   the actions' duration; null for the action's default (and for deny and cleanup)
 * @param criteria   as submitted; from the job's start with the window it read made explicit
 * @param startedAt  null until it starts; {@code finishedAt} null until it ends
 */
public record BulkJob(String id, State state, ActionType action, Duration duration, BulkCriteria criteria,
                      String reason, String createdBy, Instant createdAt, Instant runAt, Instant startedAt,
                      Instant finishedAt, int batchSize, long total, long done, long failed, long batches,
                      String error) {

    /** A job's states; {@link #DONE}, {@link #CANCELLED} and {@link #FAILED} are final. */
    public enum State {
        /** Waiting for its run_at (or for the job before it). */
        SCHEDULED,
        /** Acting, one batch at a time. */
        RUNNING,
        /** Every target was tried. */
        DONE,
        /** Stopped by an operator before its next batch. */
        CANCELLED,
        /** Could not go on (its selection failed, batches failed in a row); the error says why. */
        FAILED,
        /** The daemon stopped while it ran; the next start resumes it from its saved progress. */
        INTERRUPTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isFinal() {
            return this == DONE || this == CANCELLED || this == FAILED;
        }

        public static Optional<State> byLabel(String s) {
            for (State v : values()) if (v.label().equals(s)) return Optional.of(v);
            return Optional.empty();
        }
    }

    public BulkJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(criteria, "criteria");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(runAt, "runAt");
        error = error == null ? "" : error;
    }

    /** Clients tried so far (actioned or failed): the position of the next batch. */
    public long position() {
        return done + failed;
    }

    BulkJob starting(Instant now, BulkCriteria resolved) {
        return new BulkJob(id, State.RUNNING, action, duration, resolved, reason, createdBy, createdAt, runAt,
                startedAt == null ? now : startedAt, null, batchSize, total, done, failed, batches, error);
    }

    BulkJob resumed(Instant now, String note) {
        return new BulkJob(id, State.RUNNING, action, duration, criteria, reason, createdBy, createdAt, runAt,
                startedAt == null ? now : startedAt, null, batchSize, total, done, failed, batches, note);
    }

    BulkJob withTotal(long n) {
        return new BulkJob(id, state, action, duration, criteria, reason, createdBy, createdAt, runAt, startedAt,
                finishedAt, batchSize, n, done, failed, batches, error);
    }

    BulkJob afterBatch(long actioned, long failedNow, String batchError) {
        return new BulkJob(id, state, action, duration, criteria, reason, createdBy, createdAt, runAt, startedAt,
                finishedAt, batchSize, total, done + actioned, failed + failedNow, batches + 1,
                batchError == null ? error : batchError);
    }

    BulkJob ended(State to, Instant now, String note) {
        return new BulkJob(id, to, action, duration, criteria, reason, createdBy, createdAt, runAt, startedAt, now,
                batchSize, total, done, failed, batches, note == null ? error : note);
    }

    /** Stopped by a shutdown: not final, resumed by the next start. */
    BulkJob interrupted(String note) {
        return new BulkJob(id, State.INTERRUPTED, action, duration, criteria, reason, createdBy, createdAt, runAt,
                startedAt, null, batchSize, total, done, failed, batches, note);
    }
}
