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

-- name: history.events
-- params: int int time time int mac int string int ip ip ip int ip int string int string int string int int int int int string int int string int string time time int int int int
-- Every optional criterion is a (? = 0 OR ...) pair: a switch (1 = on) and its value. The client-mark range is one
-- mark when a MAC (or a DUID carrying one) fixes it, else 0..0xFFFFFF: a range, not an OR, so 18.16's primary-key
-- analysis uses it. tie = a hash of the whole row: with (event_time, event_micros) the key of exact keyset paging.
SELECT toUInt32(event_time), event_micros, queue, site_id, toString(direction), family, message_type, inner_type,
       message_type_name, transaction_id, mark, toString(mark_source), client_mac, duid, client_id, hostname,
       vendor_class, user_class, requested_options, hex(src_ip), hex(dst_ip), hex(relay_ip), circuit_id, remote_id,
       subscriber_id, relay_hops, hex(requested_ip), hex(assigned_ip), delegated_prefix, lease_seconds, hex(server_id),
       server_duid, arrayStringConcat(arrayMap(e -> hex(e), errors), ','),
       toInt64(cityHash64(event_time, event_micros, queue, site_id, direction, family, message_type, inner_type,
           message_type_name, transaction_id, mark, client_mark, mark_source, client_mac, duid, client_id, hostname,
           vendor_class, user_class, requested_options, src_ip, dst_ip, relay_ip, circuit_id, remote_id, subscriber_id,
           relay_hops, requested_ip, assigned_ip, delegated_prefix, lease_seconds, server_id, server_duid, errors,
           l2_source, input, agent, l2_destination)) AS tie,
       l2_source, input, agent, l2_destination
FROM dhcp_events
WHERE client_mark >= ? AND client_mark <= ?
  AND event_time >= ? AND event_time < ?
  AND (? = 0 OR client_mac = ?)
  AND (? = 0 OR duid = ?)
  AND (? = 0 OR assigned_ip = ? OR requested_ip = ? OR src_ip = ?)
  AND (? = 0 OR relay_ip = ?)
  AND (? = 0 OR circuit_id = ?)
  AND (? = 0 OR remote_id = ?)
  AND (? = 0 OR message_type_name = ?)
  AND (? = 0 OR inner_type = ?)
  AND (? = 0 OR family = ?)
  AND (? = 0 OR toString(direction) = ?)
  AND (? = 0 OR notEmpty(errors))
  AND (? = 0 OR site_id = ?)
  AND (? = 0 OR hostname = ?)
  AND (event_time < ? OR (event_time = ? AND (event_micros < ? OR (event_micros = ? AND tie <= ?))))
ORDER BY event_time DESC, event_micros DESC, tie DESC LIMIT ?;

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

-- The device summary. A client is (client_mark range, MAC switch and value, DUID switch and value), as in
-- history.events; fingerprint values count from the client's own messages only.
-- name: history.device_totals
-- params: int int int mac int string
SELECT count(), countIf(direction = 'client_to_server'), toUInt32(min(event_time)), toUInt32(max(event_time))
FROM dhcp_events
WHERE client_mark >= ? AND client_mark <= ? AND (? = 0 OR client_mac = ?) AND (? = 0 OR duid = ?);

-- name: history.device_seen
-- params: int int int mac int string int
SELECT kind, value, count(), toUInt32(min(t)), toUInt32(max(t)), max(us) AS last_us
FROM (
    SELECT event_time AS t, toUInt64(event_time) * 1000000 + event_micros AS us,
           arrayJoin([('mac', if(client_mac = 0, '', MACNumToString(client_mac))), ('duid', duid),
                      ('client_id', client_id), ('mark_source', toString(mark_source)),
                      ('client_mark', toString(client_mark)),
                      ('prl', if(direction = 'client_to_server', requested_options, '')),
                      ('vendor_class', if(direction = 'client_to_server', vendor_class, '')),
                      ('hostname', if(direction = 'client_to_server', hostname, ''))]) AS kv
    FROM dhcp_events
    WHERE client_mark >= ? AND client_mark <= ? AND (? = 0 OR client_mac = ?) AND (? = 0 OR duid = ?)
)
WHERE tupleElement(kv, 2) != ''
GROUP BY tupleElement(kv, 1) AS kind, tupleElement(kv, 2) AS value
ORDER BY kind, last_us DESC, value
LIMIT ? BY kind;

-- name: history.device_relays
-- params: int int int mac int string int
SELECT IPv6NumToString(relay_ip), circuit_id, remote_id, count(), toUInt32(min(event_time)),
       toUInt32(max(event_time)) AS last
FROM dhcp_events
WHERE client_mark >= ? AND client_mark <= ? AND (? = 0 OR client_mac = ?) AND (? = 0 OR duid = ?)
  AND (relay_ip != toFixedString('', 16) OR circuit_id != '' OR remote_id != '')
GROUP BY relay_ip, circuit_id, remote_id
ORDER BY last DESC, circuit_id, remote_id LIMIT ?;

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

-- name: history.bindings_of_client
-- params: int int int mac int string time time int
SELECT IPv6NumToString(ip), prefix, toUInt32(lease_start), toUInt32(lease_end), MACNumToString(client_mac), duid, client_id, hostname,
       circuit_id, remote_id, IPv6NumToString(relay_ip), IPv6NumToString(server_id)
FROM dhcp_bindings
WHERE client_mark >= ? AND client_mark <= ? AND (? = 0 OR client_mac = ?) AND (? = 0 OR duid = ?)
  AND lease_end > ? AND lease_start < ?
ORDER BY lease_start DESC LIMIT ?;

-- name: history.prefix_at
-- params: string time time
-- The first parameter lists the candidate prefixes, comma-separated, as stored (address/length, RFC 5952 text).
SELECT IPv6NumToString(ip), prefix, toUInt32(lease_start), toUInt32(lease_end), MACNumToString(client_mac), duid, client_id, hostname,
       circuit_id, remote_id, IPv6NumToString(relay_ip), IPv6NumToString(server_id)
FROM dhcp_bindings
WHERE prefix != '' AND has(splitByChar(',', ?), prefix) AND lease_start <= ? AND lease_end > ?
ORDER BY lease_start DESC LIMIT 1;

-- name: retention.day_partitions
-- params:
SELECT DISTINCT table, partition FROM system.parts
WHERE database = currentDatabase() AND active
  AND table IN ('dhcp_events', 'dhcp_bindings', 'client_minute_stats', 'relay_minute_stats',
                'vendor_class_hour_stats', 'actions_log', 'alarms', 'token_revocations', 'automation_runs')
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

-- ---- automation: rules, runs (io.dhcpshield.automation.rules) ----

-- name: automation.rules_read_all
-- params:
-- The newest version of every rule (FINAL); tombstones (deleted = 1) are dropped by the reader.
SELECT rule_id, name, definition, active, updated_by, toUInt32(updated_at), version, deleted
FROM automation_rules FINAL ORDER BY rule_id;

-- name: automation.rules_ever_written
-- params:
-- Any row at all, tombstones included: the seed rules are written only into a table that never held one.
SELECT count() FROM automation_rules;

-- name: automation.rule_write
-- params: string string string int string time int int
INSERT INTO automation_rules (rule_id, name, definition, active, updated_by, updated_at, version, deleted)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: automation.run_insert
-- params: time int string string string int int int int int string
-- The writer sends only the three trigger names; anything else would be stored as 'manual'.
INSERT INTO automation_runs (run_time, run_micros, rule_id, rule_name, trigger, duration_ms, matched, acted,
                             suppressed, superseded, error)
VALUES (?, ?, ?, ?, transform(?, ['schedule', 'manual', 'dry_run'], ['schedule', 'manual', 'dry_run'], 'manual'),
        ?, ?, ?, ?, ?, ?);

-- name: automation.runs
-- params: int string time time int
-- Runs of one rule (switch 1 and its id) or of every rule, in [from, to), newest first.
SELECT toUInt32(run_time), run_micros, rule_id, rule_name, toString(trigger), duration_ms, matched, acted,
       suppressed, superseded, error
FROM automation_runs
WHERE (? = 0 OR rule_id = ?) AND run_time >= ? AND run_time < ?
ORDER BY run_time DESC, run_micros DESC, rule_id LIMIT ?;

-- name: retention.drop.automation_runs
-- params: int
ALTER TABLE automation_runs DROP PARTITION ?;

-- ---- analysis: the analysis queue's prompts and results (io.dhcpshield.automation.analysis) ----
-- Results live in analysis_results, prompts in system_analysis_prompts: both ReplacingMergeTree(version), read with
-- FINAL. A filter on a column that changes between versions (state, deleted) never sits in the WHERE of a FINAL read
-- (it could apply before FINAL picks the newest version and bring an old one back): ids are chosen by state in a
-- subquery and the reader checks the newest version's state.

-- name: analysis.result_write
-- params: time string int mac string string string string string string string int string time int
-- An unknown state name is stored as 'failed' (the writer only sends the nine names).
INSERT INTO analysis_results (requested_at, analysis_id, client_mark, client_mac, duid, requested_by, state,
                              recommendation, reason, model, prompt_id, latency_ms, error, updated_at, version)
VALUES (?, ?, ?, ?, ?, ?,
        transform(?, ['queued', 'running', 'applied', 'held', 'approved', 'rejected', 'invalid', 'failed', 'skipped'],
                     ['queued', 'running', 'applied', 'held', 'approved', 'rejected', 'invalid', 'failed', 'skipped'],
                     'failed'),
        ?, ?, ?, ?, ?, ?, ?, ?);

-- name: analysis.result
-- params: string
SELECT toUInt32(requested_at), analysis_id, client_mark, client_mac, duid, requested_by, toString(state),
       recommendation, reason, model, prompt_id, latency_ms, error, toUInt32(updated_at), version
FROM analysis_results FINAL WHERE analysis_id = ?;

-- name: analysis.results
-- params: time time int int int string int string int
-- Newest requested first; optional requester and state (its ids by subquery; the reader re-checks the state).
SELECT toUInt32(requested_at), analysis_id, client_mark, client_mac, duid, requested_by, toString(state),
       recommendation, reason, model, prompt_id, latency_ms, error, toUInt32(updated_at), version
FROM analysis_results FINAL
WHERE requested_at >= ? AND requested_at < ? AND client_mark >= ? AND client_mark <= ?
  AND (? = 0 OR requested_by = ?)
  AND (? = 0 OR analysis_id IN (SELECT analysis_id FROM analysis_results WHERE toString(state) = ?))
ORDER BY requested_at DESC, analysis_id DESC LIMIT ?;

-- name: analysis.in_state
-- params: string int
-- Analyses that reached a state (held: the pending approvals; queued, running: interrupted by a restart), oldest
-- first; the reader keeps those whose newest version is still in it.
SELECT toUInt32(requested_at), analysis_id, client_mark, client_mac, duid, requested_by, toString(state),
       recommendation, reason, model, prompt_id, latency_ms, error, toUInt32(updated_at), version
FROM analysis_results FINAL
WHERE analysis_id IN (SELECT analysis_id FROM analysis_results WHERE toString(state) = ?)
ORDER BY requested_at, analysis_id LIMIT ?;

-- name: analysis.device_message_types
-- params: int int int mac int string time time
-- A client (as in history.device_totals) in [from, to): events by family, message type and direction.
SELECT family, message_type_name, toString(direction), count() AS n
FROM dhcp_events
WHERE client_mark >= ? AND client_mark <= ? AND (? = 0 OR client_mac = ?) AND (? = 0 OR duid = ?)
  AND event_time >= ? AND event_time < ?
GROUP BY family, message_type_name, direction
ORDER BY n DESC, family, message_type_name, direction;

-- name: analysis.prompt
-- params: string
SELECT prompt_id, name, prompt, updated_by, toUInt32(updated_at), version, deleted
FROM system_analysis_prompts FINAL WHERE prompt_id = ?;

-- name: analysis.prompts
-- params:
SELECT prompt_id, name, prompt, updated_by, toUInt32(updated_at), version, deleted
FROM system_analysis_prompts FINAL ORDER BY prompt_id;

-- name: analysis.prompt_versions
-- params: string
SELECT count(), max(version) FROM system_analysis_prompts WHERE prompt_id = ?;

-- name: analysis.prompt_write
-- params: string string string string time int int
INSERT INTO system_analysis_prompts (prompt_id, name, prompt, updated_by, updated_at, version, deleted)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- ---- detectors: the built-in detectors and the alarms they write (io.dhcpshield.automation.detectors) ----

-- name: detectors.fingerprints
-- params: time time time time int
-- For each client MAC that sent a DISCOVER/REQUEST (DHCPv4) or SOLICIT/REQUEST (DHCPv6) in the window
-- [3rd, 4th): every non-empty fingerprint value (PRL/ORO, vendor class, hostname) such messages carried in the
-- baseline [1st, 2nd), with its count and first/last second. Java decides what is established and what is new.
SELECT client_mac, family, any(client_mark), field, value, count(), toUInt32(min(t)), toUInt32(max(t))
FROM (
    SELECT client_mac, family, client_mark, event_time AS t,
           arrayJoin([('prl', requested_options), ('vendor_class', vendor_class), ('hostname', hostname)]) AS kv
    FROM dhcp_events
    WHERE event_time >= ? AND event_time < ? AND client_mac != 0 AND direction = 'client_to_server'
      AND inner_type IN (1, 3)
      AND client_mac IN (SELECT client_mac FROM dhcp_events
                         WHERE event_time >= ? AND event_time < ? AND client_mac != 0
                           AND direction = 'client_to_server' AND inner_type IN (1, 3))
)
WHERE tupleElement(kv, 2) != ''
GROUP BY client_mac, family, tupleElement(kv, 1) AS field, tupleElement(kv, 2) AS value
ORDER BY client_mac, family, field, value
LIMIT ?;

-- name: detectors.chaddr_mismatch
-- params: time time int
-- Unrelayed DHCPv4 client messages (giaddr 0) whose chaddr is not the link-layer source they arrived from
-- (V009; 0 = unknown, skipped), per (chaddr, L2 source).
SELECT client_mac, l2_source, any(client_mark), count(), toUInt32(min(event_time)), toUInt32(max(event_time)),
       any(site_id)
FROM dhcp_events
WHERE event_time >= ? AND event_time < ? AND family = 4 AND direction = 'client_to_server'
  AND relay_ip = toFixedString('', 16) AND client_mac != 0 AND l2_source != 0 AND l2_source != client_mac
GROUP BY client_mac, l2_source
ORDER BY count() DESC, client_mac, l2_source
LIMIT ?;

-- name: detectors.mac_circuits
-- params: time time time time int int int
-- Client MACs seen from at least ? distinct (relay, circuit-id) pairs in the window (the most first, at most ?
-- MACs), each with its pairs (at most ? per MAC, the busiest first). Relay as text (IPv4 mapped: ::ffff:a.b.c.d).
SELECT client_mac, any(client_mark), IPv6NumToString(relay_ip), circuit_id, count(), toUInt32(min(event_time)),
       toUInt32(max(event_time))
FROM dhcp_events
WHERE event_time >= ? AND event_time < ? AND client_mac != 0 AND direction = 'client_to_server'
  AND (relay_ip != toFixedString('', 16) OR circuit_id != '')
  AND client_mac IN (
      SELECT client_mac FROM dhcp_events
      WHERE event_time >= ? AND event_time < ? AND client_mac != 0 AND direction = 'client_to_server'
        AND (relay_ip != toFixedString('', 16) OR circuit_id != '')
      GROUP BY client_mac HAVING uniqExact(relay_ip, circuit_id) >= ?
      ORDER BY uniqExact(relay_ip, circuit_id) DESC, client_mac LIMIT ?)
GROUP BY client_mac, relay_ip, circuit_id
ORDER BY client_mac, count() DESC, circuit_id
LIMIT ? BY client_mac;

-- name: detectors.mark_collisions
-- params: time time time time int int
-- 24-bit client marks that two or more MACs had in the window, where the mark is the MAC's own low 24 bits (a mark
-- a custom rule gave, or a hash of a client id or DUID, is not this collision), with each MAC (at most ? marks,
-- at most ? MACs per mark, the busiest first).
SELECT client_mark, client_mac, count(), toUInt32(min(event_time)), toUInt32(max(event_time))
FROM dhcp_events
WHERE event_time >= ? AND event_time < ? AND client_mac != 0 AND client_mark = bitAnd(client_mac, 16777215)
  AND client_mark IN (
      SELECT client_mark FROM dhcp_events
      WHERE event_time >= ? AND event_time < ? AND client_mac != 0 AND client_mark = bitAnd(client_mac, 16777215)
      GROUP BY client_mark HAVING uniqExact(client_mac) >= 2
      ORDER BY client_mark LIMIT ?)
GROUP BY client_mark, client_mac
ORDER BY client_mark, count() DESC, client_mac
LIMIT ? BY client_mark;

-- name: detectors.alarm_insert
-- params: time string string string string string
INSERT INTO alarms (event_time, alarm_id, severity, kind, subject, message, acknowledged) VALUES (?, ?, ?, ?, ?, ?, 0);

-- ---- alarms: history, routes (io.dhcpshield.alarms) ----

-- name: alarms.transition_insert
-- params: time int string string string string string string string string string string string string time time int int string
INSERT INTO alarms (event_time, event_micros, alarm_id, severity, kind, subject, message, acknowledged, source_key,
                    channel, category, state, actor, note, title, raised_at, last_seen, occurrences, hold_secs,
                    alarm_json)
VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: alarms.latest
-- params: time time int
-- The newest transition of every alarm raised in [from, to) (engine rows only), newest raised first; the reader
-- filters by state and the rest.
SELECT alarm_id, argMax(state, (event_time, event_micros)) AS st,
       argMax(alarm_json, (event_time, event_micros)) AS js,
       argMax(hold_secs, (event_time, event_micros)) AS hold
FROM alarms WHERE source_key != '' AND raised_at >= ? AND raised_at < ?
GROUP BY alarm_id ORDER BY max(raised_at) DESC LIMIT ?;

-- name: alarms.transitions
-- params: string
SELECT toUInt32(event_time), event_micros, state, actor, severity, message, note
FROM alarms WHERE alarm_id = ? AND source_key != '' ORDER BY event_time, event_micros;

-- name: alarms.routes_read_all
-- params:
SELECT route_id, definition, updated_by, toUInt32(updated_at), version, deleted FROM alarm_routes FINAL
ORDER BY route_id;

-- name: alarms.routes_ever_written
-- params:
SELECT count() FROM alarm_routes;

-- name: alarms.route_write
-- params: string string string time int int
INSERT INTO alarm_routes (route_id, definition, updated_by, updated_at, version, deleted) VALUES (?, ?, ?, ?, ?, ?);

-- name: alarms.by_id
-- params: string
-- The newest state of one alarm (an empty alarm_json when there is none).
SELECT argMax(alarm_json, (event_time, event_micros)), argMax(hold_secs, (event_time, event_micros))
FROM alarms WHERE alarm_id = ? AND source_key != '';

-- name: firewall.rulesets_all
-- params:
-- Every version of every ruleset in its current state, without the JSON (docs/firewall.md).
SELECT name, ruleset_version, origin, note, toUInt32(created_at), created_by, active, apply_order, deleted, version
FROM firewall_rulesets FINAL WHERE ruleset_version > 0 ORDER BY name, ruleset_version;

-- name: firewall.ruleset_get
-- params: string
SELECT name, ruleset_version, origin, note, toUInt32(created_at), created_by, active, apply_order, deleted, version,
       ruleset
FROM firewall_rulesets FINAL WHERE ruleset_id = ?;

-- name: firewall.ruleset_state
-- params: int int int string time int string
-- A new state of a stored version: the same content, new active/apply_order/deleted.
INSERT INTO firewall_rulesets (ruleset_id, name, ruleset_version, ruleset, origin, note, created_at, created_by, active,
    apply_order, deleted, updated_by, updated_at, version)
SELECT ruleset_id, name, ruleset_version, ruleset, origin, note, created_at, created_by, ?, ?, ?, ?, ?, ?
FROM firewall_rulesets FINAL WHERE ruleset_id = ?;

-- name: firewall.apply_write
-- params: string int string string string int string string int string
INSERT INTO firewall_applies (apply_id, at_micros, actor, mode, rulesets, ok, stage, error, duration_micros,
    rollback_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: firewall.applies_recent
-- params: int
SELECT apply_id, at_micros, actor, mode, rulesets, ok, stage, error, duration_micros, rollback_of
FROM firewall_applies ORDER BY at_micros DESC, apply_id LIMIT ?;

-- name: firewall.apply_by_id
-- params: string
SELECT apply_id, at_micros, actor, mode, rulesets, ok, stage, error, duration_micros, rollback_of
FROM firewall_applies WHERE apply_id = ? LIMIT 1;

-- ---- bulk: Bulk Actions' selection, jobs and their targets (io.dhcpshield.automation.bulk) ----
-- The selection: the clients (24-bit client marks; 0 never) with at least one event in [since, until) matching every
-- criterion given. Each criterion is a (? = 0 OR ...) pair, a switch (1 = on) and its value; a message type is up to
-- two (family, type) pairs (a name DHCPv4 and DHCPv6 share: REQUEST, RELEASE, DECLINE), the second repeating the first
-- when there is one. past_action: the client has an action of that type (switch 2 off: any type) taken in the same
-- window. min_requests: of the matching events, at least that many sent by the client (0 = no minimum).

-- name: bulk.count
-- params: time time int ip int string int string int string int int int int int int int int string int time time int string int
SELECT count() FROM (
    SELECT client_mark FROM dhcp_events
    WHERE event_time >= ? AND event_time < ? AND client_mark != 0
      AND (? = 0 OR relay_ip = ?) AND (? = 0 OR circuit_id = ?)
      AND (? = 0 OR positionCaseInsensitiveUTF8(vendor_class, ?) > 0) AND (? = 0 OR requested_options = ?)
      AND (? = 0 OR (family, inner_type) IN ((?, ?), (?, ?))) AND (? = 0 OR family = ?) AND (? = 0 OR site_id = ?)
      AND (? = 0 OR client_mark IN (SELECT client_mark FROM actions_log
                                    WHERE event_time >= ? AND event_time < ? AND state IN ('active', 'done')
                                      AND (? = 0 OR action = ?)))
    GROUP BY client_mark
    HAVING countIf(direction = 'client_to_server') >= ?
);

-- name: bulk.clients
-- params: int ip int string int string int string int int int int int int int int string time time time time int ip int string int string int string int int int int int int int int string int time time int string int int int int
-- The selected clients, one row per client mark, described from all their events in the window (so a DHCPv6 client
-- known by a DUID-LL/LLT shows the MAC its DHCPv4 side used: both carry the same mark): a MAC, a DUID, the families
-- used; and from the matching events: requests (sent by the client), last seen, the newest relay, circuit and vendor
-- class. Ordered by mark (switch 0) or by a hash of the mark and a seed (switch 1: a reproducible random sample).
SELECT client_mark, maxIf(client_mac, client_mac != 0), maxIf(duid, duid != ''),
       arrayStringConcat(arrayMap(f -> toString(f), arraySort(groupUniqArray(family))), ','),
       countIf(matched AND direction = 'client_to_server'), toUInt32(maxIf(event_time, matched)),
       IPv6NumToString(argMaxIf(relay_ip, event_time, matched AND relay_ip != toFixedString('', 16))),
       argMaxIf(circuit_id, event_time, matched AND circuit_id != ''),
       argMaxIf(vendor_class, event_time, matched AND vendor_class != '')
FROM (
    SELECT client_mark, client_mac, duid, family, direction, event_time, relay_ip, circuit_id, vendor_class,
           ((? = 0 OR relay_ip = ?) AND (? = 0 OR circuit_id = ?)
            AND (? = 0 OR positionCaseInsensitiveUTF8(vendor_class, ?) > 0) AND (? = 0 OR requested_options = ?)
            AND (? = 0 OR (family, inner_type) IN ((?, ?), (?, ?))) AND (? = 0 OR family = ?)
            AND (? = 0 OR site_id = ?)) AS matched
    FROM dhcp_events
    WHERE event_time >= ? AND event_time < ?
      AND client_mark IN (
          SELECT client_mark FROM dhcp_events
          WHERE event_time >= ? AND event_time < ? AND client_mark != 0
            AND (? = 0 OR relay_ip = ?) AND (? = 0 OR circuit_id = ?)
            AND (? = 0 OR positionCaseInsensitiveUTF8(vendor_class, ?) > 0) AND (? = 0 OR requested_options = ?)
            AND (? = 0 OR (family, inner_type) IN ((?, ?), (?, ?))) AND (? = 0 OR family = ?) AND (? = 0 OR site_id = ?)
            AND (? = 0 OR client_mark IN (SELECT client_mark FROM actions_log
                                          WHERE event_time >= ? AND event_time < ? AND state IN ('active', 'done')
                                            AND (? = 0 OR action = ?)))
          GROUP BY client_mark
          HAVING countIf(direction = 'client_to_server') >= ?)
)
GROUP BY client_mark
ORDER BY if(? = 0, toUInt64(client_mark), cityHash64(client_mark, ?)), client_mark
LIMIT ?;

-- name: bulk.job_write
-- params: string string string int string string string time time time time int int int int int string time int
-- An unknown state name is stored as 'failed' (the writer only sends the six names).
INSERT INTO bulk_jobs (job_id, state, action, duration_secs, criteria, reason, created_by, created_at, run_at,
                       started_at, finished_at, batch_size, total, done, failed, batches, error, updated_at, version)
VALUES (?, transform(?, ['scheduled', 'running', 'done', 'cancelled', 'failed', 'interrupted'],
                        ['scheduled', 'running', 'done', 'cancelled', 'failed', 'interrupted'], 'failed'),
        ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: bulk.job
-- params: string
SELECT job_id, toString(state), action, duration_secs, criteria, reason, created_by, toUInt32(created_at),
       toUInt32(run_at), toUInt32(started_at), toUInt32(finished_at), batch_size, total, done, failed, batches, error,
       version
FROM bulk_jobs FINAL WHERE job_id = ?;

-- name: bulk.jobs
-- params: int
-- Newest created first.
SELECT job_id, toString(state), action, duration_secs, criteria, reason, created_by, toUInt32(created_at),
       toUInt32(run_at), toUInt32(started_at), toUInt32(finished_at), batch_size, total, done, failed, batches, error,
       version
FROM bulk_jobs FINAL ORDER BY created_at DESC, job_id DESC LIMIT ?;

-- name: bulk.jobs_open
-- params:
-- Jobs that ever were scheduled, running or interrupted (ids by subquery, never a state filter on the FINAL read);
-- the reader keeps those whose newest state still is one of them: what a start re-arms or resumes.
SELECT job_id, toString(state), action, duration_secs, criteria, reason, created_by, toUInt32(created_at),
       toUInt32(run_at), toUInt32(started_at), toUInt32(finished_at), batch_size, total, done, failed, batches, error,
       version
FROM bulk_jobs FINAL
WHERE job_id IN (SELECT job_id FROM bulk_jobs WHERE toString(state) IN ('scheduled', 'running', 'interrupted'))
ORDER BY created_at, job_id;

-- name: bulk.targets
-- params: string int int
-- A job's targets with seq in [from, to), in order (the next batch).
SELECT seq, toString(target_kind), target, client_mark FROM bulk_job_targets
WHERE job_id = ? AND seq >= ? AND seq < ? ORDER BY seq;

-- name: bulk.targets_count
-- params: string
SELECT count() FROM bulk_job_targets WHERE job_id = ?;
