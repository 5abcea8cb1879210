-- Append-only logs: plain MergeTree, never FINAL.
CREATE TABLE IF NOT EXISTS users_audit_log (
    event_time DateTime,
    actor String,
    username String,
    action String,
    target String,
    detail String
) ENGINE = MergeTree PARTITION BY toYYYYMM(event_time) ORDER BY event_time;

CREATE TABLE IF NOT EXISTS actions_log (
    event_time DateTime,
    action_id String,
    action String,
    state String,
    client_mark UInt32,
    client_mac UInt64,
    duid String,
    duration_secs UInt32,
    source String,
    actor String,
    reason String
) ENGINE = MergeTree PARTITION BY toYYYYMMDD(event_time) ORDER BY (client_mark, event_time);

CREATE TABLE IF NOT EXISTS alarms (
    event_time DateTime,
    alarm_id String,
    severity String,
    kind String,
    subject String,
    message String,
    acknowledged UInt8
) ENGINE = MergeTree PARTITION BY toYYYYMMDD(event_time) ORDER BY event_time;
