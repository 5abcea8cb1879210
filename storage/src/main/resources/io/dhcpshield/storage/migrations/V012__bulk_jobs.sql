-- Bulk Actions (docs/bulk.md). A job: one action on the clients its criteria select, applied in batches through the
-- Action Manager with the job as the actor. Every change of a job (started, a batch done, cancelled, finished) is a new
-- row of the same job_id with a higher version (ReplacingMergeTree, read with FINAL). criteria is the job's criteria as
-- JSON; its window is made explicit when the job starts. Times of steps not reached are 0 (1970-01-01);
-- duration_secs -1 means the action's default duration.
-- (V011 is another branch's; migrations apply by version, so the gap is harmless.)
CREATE TABLE IF NOT EXISTS bulk_jobs (
    job_id String,
    state Enum8('scheduled' = 1, 'running' = 2, 'done' = 3, 'cancelled' = 4, 'failed' = 5, 'interrupted' = 6),
    action String,
    duration_secs Int64,
    criteria String,
    reason String,
    created_by String,
    created_at DateTime,
    run_at DateTime,
    started_at DateTime,
    finished_at DateTime,
    batch_size UInt32,
    total UInt32,
    done UInt32,
    failed UInt32,
    batches UInt32,
    error String,
    updated_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY job_id;

-- The clients of a job, resolved once when it starts: seq 0..total-1 in client-mark order, the action target (named by
-- MAC, else DUID, else mark) and the 24-bit mark it is keyed by. Written in one INSERT (one block: all rows or none),
-- so a job resumed after a restart continues from its saved progress over exactly the same list. created_at is the
-- job's, for dropping old months.
CREATE TABLE IF NOT EXISTS bulk_job_targets (
    created_at DateTime,
    job_id String,
    seq UInt32,
    target_kind Enum8('mac' = 1, 'duid' = 2, 'mark' = 3),
    target String,
    client_mark UInt32
) ENGINE = MergeTree PARTITION BY toYYYYMM(created_at) ORDER BY (job_id, seq);
