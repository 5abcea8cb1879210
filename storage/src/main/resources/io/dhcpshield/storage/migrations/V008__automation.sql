-- Automation (docs/automation.md). Every run of a rule: scheduled, by hand ("run now") or a dry run, with what it
-- found and did; a failed run has its error and counts zero.
CREATE TABLE IF NOT EXISTS automation_runs (
    run_time DateTime,
    run_micros UInt32,
    rule_id String,
    rule_name String,
    trigger Enum8('schedule' = 1, 'manual' = 2, 'dry_run' = 3),
    duration_ms UInt32,
    matched UInt32,
    acted UInt32,
    suppressed UInt32,
    superseded UInt32,
    error String
) ENGINE = MergeTree PARTITION BY toYYYYMMDD(run_time) ORDER BY (rule_id, run_time);

-- The analysis queue's results: one row per state of a request (a later version of the same analysis_id replaces
-- it: read with FINAL). recommendation is one of block, deny, throttle, monitor, allow, or empty when none parsed.
CREATE TABLE IF NOT EXISTS analysis_results (
    requested_at DateTime,
    analysis_id String,
    client_mark UInt32,
    client_mac UInt64,
    duid String,
    requested_by String,
    state Enum8('queued' = 1, 'running' = 2, 'applied' = 3, 'held' = 4, 'approved' = 5, 'rejected' = 6,
                'invalid' = 7, 'failed' = 8, 'skipped' = 9),
    recommendation String,
    reason String,
    model String,
    prompt_id String,
    latency_ms UInt32,
    error String,
    updated_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY analysis_id;
