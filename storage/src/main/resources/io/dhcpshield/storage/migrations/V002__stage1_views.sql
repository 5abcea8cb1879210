-- Stage-1 aggregates for automation: SummingMergeTree, read with sum() ... GROUP BY, never FINAL.
CREATE TABLE IF NOT EXISTS client_minute_stats (
    minute DateTime,
    site_id String,
    client_mark UInt32,
    client_mac UInt64,
    family UInt8,
    message_type Int16,
    events UInt64
) ENGINE = SummingMergeTree PARTITION BY toYYYYMMDD(minute)
  ORDER BY (client_mark, client_mac, minute, site_id, family, message_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS client_minute_stats_mv TO client_minute_stats AS
SELECT toStartOfMinute(event_time) AS minute, site_id, client_mark, client_mac, family, inner_type AS message_type,
       count() AS events
FROM dhcp_events
GROUP BY minute, site_id, client_mark, client_mac, family, message_type;

CREATE TABLE IF NOT EXISTS relay_minute_stats (
    minute DateTime,
    site_id String,
    relay_ip FixedString(16),
    circuit_id String,
    remote_id String,
    family UInt8,
    message_type Int16,
    events UInt64
) ENGINE = SummingMergeTree PARTITION BY toYYYYMMDD(minute)
  ORDER BY (relay_ip, circuit_id, remote_id, minute, site_id, family, message_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS relay_minute_stats_mv TO relay_minute_stats AS
SELECT toStartOfMinute(event_time) AS minute, site_id, relay_ip, circuit_id, remote_id, family,
       inner_type AS message_type, count() AS events
FROM dhcp_events
GROUP BY minute, site_id, relay_ip, circuit_id, remote_id, family, message_type;

CREATE TABLE IF NOT EXISTS vendor_class_hour_stats (
    hour DateTime,
    site_id String,
    vendor_class String,
    family UInt8,
    message_type Int16,
    events UInt64
) ENGINE = SummingMergeTree PARTITION BY toYYYYMMDD(hour)
  ORDER BY (vendor_class, hour, site_id, family, message_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS vendor_class_hour_stats_mv TO vendor_class_hour_stats AS
SELECT toStartOfHour(event_time) AS hour, site_id, vendor_class, family, inner_type AS message_type,
       count() AS events
FROM dhcp_events
GROUP BY hour, site_id, vendor_class, family, message_type;
