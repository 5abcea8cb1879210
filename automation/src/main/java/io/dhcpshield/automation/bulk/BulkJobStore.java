package io.dhcpshield.automation.bulk;

import io.dhcpshield.automation.Rows;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.storage.AuditEntry;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Queries;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Jobs and their targets in ClickHouse (migration V012, templates in queries.sql section "bulk"). {@code bulk_jobs}
 * is a ReplacingMergeTree: every change of a job is a new row version, numbered {@code max(last + 1, now in µs)}
 * where {@code last} is the highest version this instance wrote or read, so the newest state wins; reads use FINAL.
 * {@code bulk_job_targets} holds a job's clients, written once, in one INSERT, when the job starts.
 */
final class BulkJobStore {

    /** How long the runner's thread waits on one statement. */
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Jobs one listing returns at most. */
    static final int MAX_LIST = 1000;
    private static final List<String> TARGET_COLUMNS = List.of("created_at", "job_id", "seq", "target_kind", "target",
            "client_mark");

    private final ClickHouseClient client;
    private final Time time;
    private final AuditLog audit;
    private long lastVersion;

    BulkJobStore(ClickHouseClient client, Time time) {
        this.client = Objects.requireNonNull(client, "client");
        this.time = Objects.requireNonNull(time, "time");
        this.audit = new AuditLog(client, Duration.ofDays(1));
    }

    /** One {@code users_audit_log} row: {@code actor} did {@code action} ({@code bulk.job.submit}) on a job. */
    Mono<Void> audit(String actor, String action, String jobId, String detail) {
        return audit.write(new AuditEntry(time.now(), actor, "", action, jobId, detail));
    }

    ClickHouseClient client() {
        return client;
    }

    /** Stores {@code j} as the newest version of its job. */
    Mono<BulkJob> save(BulkJob j) {
        return Mono.defer(() -> client.execute(Queries.bind("bulk.job_write", j.id(), j.state().label(),
                j.action().label(), j.duration() == null ? -1L : j.duration().toSeconds(),
                j.criteria().toJson().toString(), j.reason(), j.createdBy(), j.createdAt(), j.runAt(),
                orEpoch(j.startedAt()), orEpoch(j.finishedAt()), j.batchSize(), j.total(), j.done(), j.failed(),
                j.batches(), j.error(), time.now(), nextVersion())).thenReturn(j));
    }

    /** The job's newest version; empty when there is none. */
    Mono<BulkJob> find(String id) {
        return client.query(Queries.bind("bulk.job", id), (row, meta) -> read(row)).next();
    }

    /** The newest {@code limit} jobs, newest created first. */
    Flux<BulkJob> list(int limit) {
        return client.query(Queries.bind("bulk.jobs", Math.max(1, Math.min(limit, MAX_LIST))), (row, meta) -> read(row));
    }

    /** Jobs whose newest state is scheduled, running or interrupted, oldest first. */
    Flux<BulkJob> open() {
        return client.query(Queries.bind("bulk.jobs_open"), (row, meta) -> read(row))
                .filter(j -> !j.state().isFinal());
    }

    /**
     * Stores a job's targets as seq 0..n-1, in one INSERT (one block: all or none). Blocking: for the runner's thread.
     */
    void saveTargets(BulkJob job, List<ActionTarget> targets) {
        StringBuilder tsv = new StringBuilder(targets.size() * 80);
        String created = Long.toString(job.createdAt().getEpochSecond());
        for (int i = 0; i < targets.size(); i++) {
            ActionTarget t = targets.get(i);
            tsv.append(created).append('\t').append(tsv(job.id())).append('\t').append(i).append('\t')
                    .append(t.kind().name().toLowerCase(Locale.ROOT)).append('\t').append(tsv(t.value())).append('\t')
                    .append(t.clientMark() & 0xFFFFFFFFL).append('\n');
        }
        try {
            client.insert("bulk_job_targets", TARGET_COLUMNS, "TabSeparated", tsv.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("storing the targets of bulk job " + job.id() + ": " + e.getMessage(), e);
        }
    }

    /** The targets with seq in {@code [from, to)}, in order. */
    Flux<ActionTarget> targets(String jobId, long from, long to) {
        return client.query(Queries.bind("bulk.targets", jobId, from, to), (row, meta) -> new ActionTarget(
                ActionTarget.Kind.valueOf(Rows.str(row, 1).toUpperCase(Locale.ROOT)), Rows.str(row, 2),
                (int) Rows.num(row, 3)));
    }

    /** How many targets the job has stored (0: not resolved yet). */
    Mono<Long> targetCount(String jobId) {
        return client.query(Queries.bind("bulk.targets_count", jobId), (row, meta) -> Rows.num(row, 0)).next()
                .defaultIfEmpty(0L);
    }

    /** Blocking {@link #save}, bounded, for the runner's thread. */
    BulkJob saveNow(BulkJob j) {
        return save(j).block(WAIT);
    }

    private synchronized long nextVersion() {
        Instant now = time.now();
        lastVersion = Math.max(lastVersion + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        return lastVersion;
    }

    private BulkJob read(Row row) {
        long version = Rows.num(row, 17);
        synchronized (this) {
            lastVersion = Math.max(lastVersion, version);
        }
        long duration = Rows.num(row, 3);
        return new BulkJob(Rows.str(row, 0),
                BulkJob.State.byLabel(Rows.str(row, 1)).orElse(BulkJob.State.FAILED),
                ActionType.parse(Rows.str(row, 2)), duration < 0 ? null : Duration.ofSeconds(duration),
                BulkCriteria.parse(Rows.str(row, 4)), Rows.str(row, 5), Rows.str(row, 6), Rows.second(row, 7),
                Rows.second(row, 8), orNull(Rows.second(row, 9)), orNull(Rows.second(row, 10)), (int) Rows.num(row, 11),
                Rows.num(row, 12), Rows.num(row, 13), Rows.num(row, 14), Rows.num(row, 15), Rows.str(row, 16));
    }

    private static Instant orEpoch(Instant t) {
        return t == null ? Instant.EPOCH : t;
    }

    private static Instant orNull(Instant t) {
        return t.getEpochSecond() == 0 ? null : t;
    }

    /** A TabSeparated field: backslash, tab and newline escaped. */
    private static String tsv(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }
}
