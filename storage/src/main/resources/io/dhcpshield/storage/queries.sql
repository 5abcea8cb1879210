-- Every query template the storage module issues (besides the migrations' DDL), by name. Read by Queries.java, which
-- binds each ? with Sql.literal() after checking the value's type against "params", and by storage/chdb/check.js,
-- which runs every template on the ClickHouse 26.x engine with a sample literal per parameter type. One file, so the
-- product's SQL and the modern-engine check cannot drift. Parameter types: string int time mac ip.
-- Every template must run on ClickHouse 18.16 and on modern ClickHouse (see ../shared/notes/clickhouse.md).

-- name: schema.self_check
-- params:
SELECT 1 AS one;

-- name: schema.applied_versions
-- params:
SELECT version FROM schema_migrations;

-- name: schema.column_exists
-- params: string string
SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = ? AND name = ?;

-- name: schema.record_migration
-- params: int string string time
INSERT INTO schema_migrations VALUES (?, ?, ?, ?);

-- name: config.read_all
-- params:
SELECT key, value, deleted, version FROM system_config FINAL;

-- name: config.write
-- params: string string string time int int
INSERT INTO system_config (key, value, updated_by, updated_at, version, deleted) VALUES (?, ?, ?, ?, ?, ?);

-- name: audit.write
-- params: time int string string string string string
INSERT INTO users_audit_log (event_time, event_micros, actor, username, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: audit.page
-- params: time time int string int string int string int string time time int int int int
-- Optional filters as (? = 0 OR ...) pairs; tie = a hash of the whole row, the last part of the keyset.
SELECT toUInt32(event_time), event_micros, actor, username, action, target, detail,
       toInt64(cityHash64(event_time, event_micros, actor, username, action, target, detail)) AS tie
FROM users_audit_log
WHERE event_time >= ? AND event_time < ?
  AND (? = 0 OR actor = ?) AND (? = 0 OR action = ?) AND (? = 0 OR startsWith(action, ?)) AND (? = 0 OR target = ?)
  AND (event_time < ? OR (event_time = ? AND (event_micros < ? OR (event_micros = ? AND tie <= ?))))
ORDER BY event_time DESC, event_micros DESC, tie DESC LIMIT ?;

-- name: audit.config_changes
-- params: string
SELECT toUInt32(event_time), actor, target, visitParamExtractString(detail, 'old'), visitParamExtractString(detail, 'new')
FROM users_audit_log WHERE action = 'config.set' AND target = ? ORDER BY event_time, detail;

-- name: history.events_by_mac
-- params: mac time time time time int int int int
SELECT toUInt32(event_time), event_micros, site_id, direction, family, message_type_name, MACNumToString(client_mac), duid,
       hostname, vendor_class, requested_options, IPv6NumToString(src_ip), IPv6NumToString(relay_ip), circuit_id,
       remote_id, IPv6NumToString(assigned_ip), mark, client_mark, transaction_id
FROM dhcp_events
WHERE client_mac = ? AND event_time >= ? AND event_time < ?
  AND (event_time < ? OR (event_time = ? AND (event_micros < ? OR (event_micros = ? AND transaction_id < ?))))
ORDER BY event_time DESC, event_micros DESC, transaction_id DESC LIMIT ?;

-- name: history.events_by_duid
-- params: string time time time time int int int int
SELECT toUInt32(event_time), event_micros, site_id, direction, family, message_type_name, MACNumToString(client_mac), duid,
       hostname, vendor_class, requested_options, IPv6NumToString(src_ip), IPv6NumToString(relay_ip), circuit_id,
       remote_id, IPv6NumToString(assigned_ip), mark, client_mark, transaction_id
FROM dhcp_events
WHERE duid = ? AND event_time >= ? AND event_time < ?
  AND (event_time < ? OR (event_time = ? AND (event_micros < ? OR (event_micros = ? AND transaction_id < ?))))
ORDER BY event_time DESC, event_micros DESC, transaction_id DESC LIMIT ?;

-- name: history.events_by_ip
-- params: ip ip ip time time time time int int int int
SELECT toUInt32(event_time), event_micros, site_id, direction, family, message_type_name, MACNumToString(client_mac), duid,
       hostname, vendor_class, requested_options, IPv6NumToString(src_ip), IPv6NumToString(relay_ip), circuit_id,
       remote_id, IPv6NumToString(assigned_ip), mark, client_mark, transaction_id
FROM dhcp_events
WHERE (assigned_ip = ? OR requested_ip = ? OR src_ip = ?) AND event_time >= ? AND event_time < ?
  AND (event_time < ? OR (event_time = ? AND (event_micros < ? OR (event_micros = ? AND transaction_id < ?))))
ORDER BY event_time DESC, event_micros DESC, transaction_id DESC LIMIT ?;

-- name: history.events_by_circuit
-- params: string time time time time int int int int
SELECT toUInt32(event_time), event_micros, site_id, direction, family, message_type_name, MACNumToString(client_mac), duid,
       hostname, vendor_class, requested_options, IPv6NumToString(src_ip), IPv6NumToString(relay_ip), circuit_id,
       remote_id, IPv6NumToString(assigned_ip), mark, client_mark, transaction_id
FROM dhcp_events
WHERE circuit_id = ? AND event_time >= ? AND event_time < ?
  AND (event_time < ? OR (event_time = ? AND (event_micros < ? OR (event_micros = ? AND transaction_id < ?))))
ORDER BY event_time DESC, event_micros DESC, transaction_id DESC LIMIT ?;

-- name: history.events_in_range
-- params: time time time time int int int int
SELECT toUInt32(event_time), event_micros, site_id, direction, family, message_type_name, MACNumToString(client_mac), duid,
       hostname, vendor_class, requested_options, IPv6NumToString(src_ip), IPv6NumToString(relay_ip), circuit_id,
       remote_id, IPv6NumToString(assigned_ip), mark, client_mark, transaction_id
FROM dhcp_events
WHERE event_time >= ? AND event_time < ?
  AND (event_time < ? OR (event_time = ? AND (event_micros < ? OR (event_micros = ? AND transaction_id < ?))))
ORDER BY event_time DESC, event_micros DESC, transaction_id DESC LIMIT ?;

-- name: history.type_rates
-- params: int int time time
SELECT intDiv(toUInt32(minute), ?) * ? AS bucket, family, message_type, sum(events) AS n
FROM client_minute_stats WHERE minute >= ? AND minute < ?
GROUP BY bucket, family, message_type ORDER BY bucket, family, message_type;

-- name: history.relay_rates
-- params: int int time time
SELECT intDiv(toUInt32(minute), ?) * ? AS bucket, IPv6NumToString(relay_ip) AS relay, circuit_id,
       sum(events) AS n
FROM relay_minute_stats WHERE minute >= ? AND minute < ?
GROUP BY bucket, relay, circuit_id ORDER BY bucket, relay, circuit_id;

-- name: history.top_talkers
-- params: time time int
SELECT MACNumToString(client_mac) AS mac, client_mark, sum(events) AS n
FROM client_minute_stats WHERE minute >= ? AND minute < ?
GROUP BY mac, client_mark ORDER BY n DESC, mac LIMIT ?;

-- name: history.device_seen
-- params: mac
SELECT count(), toUInt32(min(event_time)), toUInt32(max(event_time)), argMax(requested_options, event_time),
       argMax(vendor_class, event_time), any(client_mark)
FROM dhcp_events WHERE client_mac = ? AND direction = 'client_to_server';

-- name: history.device_hostnames
-- params: mac
SELECT hostname, toUInt32(max(event_time)) AS last FROM dhcp_events WHERE client_mac = ? AND hostname != ''
GROUP BY hostname ORDER BY last DESC LIMIT 20;

-- name: history.device_vendor_classes
-- params: mac
SELECT vendor_class, toUInt32(max(event_time)) AS last FROM dhcp_events WHERE client_mac = ? AND vendor_class != ''
GROUP BY vendor_class ORDER BY last DESC LIMIT 20;

-- name: history.device_actions
-- params: mac time time
SELECT action_id, argMax(action, event_time) AS a, argMax(state, event_time) AS s, max(event_time) AS t,
       argMax(duration_secs, event_time) AS d, argMax(source, event_time), argMax(reason, event_time), toUInt32(t)
FROM actions_log WHERE client_mac = ?
GROUP BY action_id
HAVING s NOT IN ('removed', 'expired', 'failed', 'cancelled', 'undone', 'superseded', 'cleared', 'done') AND (d = 0 OR toUInt32(t) + d > toUInt32(?))
   AND t <= ?
ORDER BY t DESC;

-- name: history.binding_at
-- params: ip time time
SELECT IPv6NumToString(ip), prefix, toUInt32(lease_start), toUInt32(lease_end), MACNumToString(client_mac), duid, client_id, hostname,
       circuit_id, remote_id, IPv6NumToString(relay_ip), IPv6NumToString(server_id)
FROM dhcp_bindings WHERE ip = ? AND lease_start <= ? AND lease_end > ?
ORDER BY lease_start DESC LIMIT 1;

-- name: history.bindings_of_ip
-- params: ip time time int
SELECT IPv6NumToString(ip), prefix, toUInt32(lease_start), toUInt32(lease_end), MACNumToString(client_mac), duid, client_id, hostname,
       circuit_id, remote_id, IPv6NumToString(relay_ip), IPv6NumToString(server_id)
FROM dhcp_bindings WHERE ip = ? AND lease_end > ? AND lease_start < ?
ORDER BY lease_start DESC LIMIT ?;

-- name: retention.day_partitions
-- params:
SELECT DISTINCT table, partition FROM system.parts
WHERE database = currentDatabase() AND active
  AND table IN ('dhcp_events', 'dhcp_bindings', 'client_minute_stats', 'relay_minute_stats',
                'vendor_class_hour_stats', 'actions_log', 'alarms', 'token_revocations')
ORDER BY table, partition;

-- name: retention.drop.dhcp_events
-- params: int
ALTER TABLE dhcp_events DROP PARTITION ?;

-- name: retention.drop.dhcp_bindings
-- params: int
ALTER TABLE dhcp_bindings DROP PARTITION ?;

-- name: retention.drop.client_minute_stats
-- params: int
ALTER TABLE client_minute_stats DROP PARTITION ?;

-- name: retention.drop.relay_minute_stats
-- params: int
ALTER TABLE relay_minute_stats DROP PARTITION ?;

-- name: retention.drop.vendor_class_hour_stats
-- params: int
ALTER TABLE vendor_class_hour_stats DROP PARTITION ?;

-- name: retention.drop.actions_log
-- params: int
ALTER TABLE actions_log DROP PARTITION ?;

-- name: retention.drop.alarms
-- params: int
ALTER TABLE alarms DROP PARTITION ?;

-- name: retention.drop.token_revocations
-- params: int
ALTER TABLE token_revocations DROP PARTITION ?;

-- name: actions.insert
-- params: time string string string int int string int string string string string
INSERT INTO actions_log (event_time, action_id, action, state, client_mark, client_mac, duid, duration_secs, source, actor, reason, detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: actions.versions_of
-- params: string
SELECT action_id, action, state, client_mark, duration_secs, source, actor, reason, duid, detail FROM actions_log
WHERE action_id = ?;

-- name: actions.versions_of_active
-- params:
SELECT action_id, action, state, client_mark, duration_secs, source, actor, reason, duid, detail FROM actions_log
WHERE action_id IN (SELECT action_id FROM actions_log WHERE state = 'active');

-- name: actions.versions_since
-- params: time
SELECT action_id, action, state, client_mark, duration_secs, source, actor, reason, duid, detail FROM actions_log
WHERE action_id IN (SELECT action_id FROM actions_log WHERE event_time >= ?);

-- name: actions.versions_of_active_on_mark
-- params: int
SELECT action_id, action, state, client_mark, duration_secs, source, actor, reason, duid, detail FROM actions_log
WHERE action_id IN (SELECT action_id FROM actions_log WHERE client_mark = ? AND state = 'active');

-- name: actions.page
-- params: time int int int string int string int string string int int int int int int int int
-- Actions (newest version of each id) by the time they were taken (at_ms of the record, detail or, before V005,
-- duid), newest first; tie = a hash of the id. Every version is saved at or after its action was taken, so
-- event_time >= from loses none. The outer query returns all versions of the page's ids.
SELECT action_id, action, state, client_mark, duration_secs, source, actor, reason, duid, detail,
       toInt64(cityHash64(action_id))
FROM actions_log
WHERE action_id IN (
    SELECT action_id FROM (
        SELECT action_id, any(visitParamExtractInt(if(detail != '', detail, duid), 'at_ms')) AS at_ms,
               intDiv(at_ms, 1000) AS s, (at_ms % 1000) * 1000 AS us, toInt64(cityHash64(action_id)) AS tie
        FROM actions_log
        WHERE event_time >= ? AND client_mark >= ? AND client_mark <= ?
          AND (? = 0 OR actor = ?) AND (? = 0 OR action = ?)
          AND (? = 0 OR (visitParamExtractString(if(detail != '', detail, duid), 'target_kind') = ?
                         AND visitParamExtractString(if(detail != '', detail, duid), 'target') = ?))
        GROUP BY action_id
        HAVING at_ms >= ? AND at_ms < ? AND (s < ? OR (s = ? AND (us < ? OR (us = ? AND tie <= ?))))
        ORDER BY s DESC, us DESC, tie DESC LIMIT ?
    )
);

-- name: users.find
-- params: string
SELECT username, password_hash, role, disabled, toUInt32(updated_at), deleted FROM users FINAL WHERE username = ?;

-- name: users.list
-- params:
-- Tombstones (deleted = 1) are dropped by the reader, after FINAL (see UserStore).
SELECT username, password_hash, role, disabled, toUInt32(updated_at), deleted FROM users FINAL ORDER BY username;

-- name: users.max_version
-- params: string
SELECT max(version) FROM users WHERE username = ?;

-- name: users.write
-- params: string string string int time int int
INSERT INTO users (username, password_hash, role, disabled, updated_at, version, deleted) VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: auth.revocation_add
-- params: string string string time int time string string
INSERT INTO token_revocations (kind, id, username, revoked_at, revoked_micros, expires_at, reason, actor)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: auth.revocations_active
-- params: time
SELECT kind, id, username, toUInt32(revoked_at), revoked_micros, toUInt32(expires_at), reason, actor
FROM token_revocations WHERE expires_at > ? ORDER BY revoked_at, revoked_micros, kind, id;
