-- Alarms (docs/alarms.md): the alarms table becomes the history of the alarms engine: one row per transition
-- (raised, escalated, acknowledged, cleared) with the alarm as it was after it. event_time/event_micros is when the
-- transition happened; alarm_id ties the rows of one alarm; the newest row of an alarm is its current state. Rows
-- written before this migration (detector findings) read empty strings and zeros here.
-- No DEFAULT clauses (see V007 and V009).
ALTER TABLE alarms ADD COLUMN event_micros UInt32;
ALTER TABLE alarms ADD COLUMN source_key String;
ALTER TABLE alarms ADD COLUMN channel String;
ALTER TABLE alarms ADD COLUMN category String;
ALTER TABLE alarms ADD COLUMN state String;
ALTER TABLE alarms ADD COLUMN actor String;
ALTER TABLE alarms ADD COLUMN note String;
ALTER TABLE alarms ADD COLUMN title String;
ALTER TABLE alarms ADD COLUMN raised_at DateTime;
ALTER TABLE alarms ADD COLUMN last_seen DateTime;
ALTER TABLE alarms ADD COLUMN occurrences UInt64;
ALTER TABLE alarms ADD COLUMN hold_secs UInt32;
ALTER TABLE alarms ADD COLUMN alarm_json String;

-- Notification routes (docs/alarms.md): one JSON definition per route, versioned like automation_rules (a delete is a
-- tombstone row, deleted = 1; read with FINAL).
CREATE TABLE IF NOT EXISTS alarm_routes (
    route_id String,
    definition String,
    updated_by String,
    updated_at DateTime,
    version UInt64,
    deleted UInt8
) ENGINE = ReplacingMergeTree(version) ORDER BY route_id;
