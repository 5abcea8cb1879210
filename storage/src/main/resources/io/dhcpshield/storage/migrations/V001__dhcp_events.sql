-- Every inspected DHCP packet, one row per DhcpEvent. Partitioned by day (retention drops day partitions),
-- ordered by the 24-bit client mark (the enforcement key; covers MAC and hashed-DUID clients) then time.
-- Addresses are FixedString(16): IPv6 as is, IPv4 mapped (::ffff:a.b.c.d), all zero bytes when absent.
-- client_mac is the 48-bit MAC as a number (0 when absent): MACStringToNum / MACNumToString.
CREATE TABLE IF NOT EXISTS dhcp_events (
    event_time DateTime,
    event_micros UInt32,
    queue UInt16,
    site_id String,
    direction Enum8('client_to_server' = 1, 'server_to_client' = 2, 'other' = 3),
    family UInt8,
    message_type Int16,
    inner_type Int16,
    message_type_name String,
    transaction_id UInt32,
    mark UInt32,
    client_mark UInt32,
    mark_source Enum8('chaddr' = 1, 'option61' = 2, 'duid-llt' = 3, 'duid-ll' = 4, 'option79' = 5, 'l2-source' = 6,
                      'duid-hash' = 7, 'client-id-hash' = 8, 'chaddr-hash' = 9, 'none' = 10),
    client_mac UInt64,
    duid String,
    client_id String,
    hostname String,
    vendor_class String,
    user_class String,
    requested_options String,
    src_ip FixedString(16),
    dst_ip FixedString(16),
    relay_ip FixedString(16),
    circuit_id String,
    remote_id String,
    subscriber_id String,
    relay_hops UInt8,
    requested_ip FixedString(16),
    assigned_ip FixedString(16),
    delegated_prefix String,
    lease_seconds Int64,
    server_id FixedString(16),
    server_duid String,
    errors Array(String)
) ENGINE = MergeTree PARTITION BY toYYYYMMDD(event_time) ORDER BY (client_mark, event_time);

-- Leases seen in server replies (DHCPv4 ACK, DHCPv6 REPLY, also when relayed): one row per reply, valid from
-- lease_start to lease_end. "Who had 100.64.3.7 at 14:02 yesterday" is one query on (ip, lease_start).
CREATE TABLE IF NOT EXISTS dhcp_bindings (
    ip FixedString(16),
    prefix String,
    lease_start DateTime,
    lease_end DateTime,
    lease_seconds Int64,
    family UInt8,
    site_id String,
    client_mark UInt32,
    client_mac UInt64,
    duid String,
    client_id String,
    hostname String,
    circuit_id String,
    remote_id String,
    relay_ip FixedString(16),
    server_id FixedString(16)
) ENGINE = MergeTree PARTITION BY toYYYYMMDD(lease_start) ORDER BY (ip, lease_start);

CREATE MATERIALIZED VIEW IF NOT EXISTS dhcp_bindings_mv TO dhcp_bindings AS
SELECT
    assigned_ip AS ip,
    delegated_prefix AS prefix,
    event_time AS lease_start,
    toDateTime(least(toUInt64(event_time) + toUInt64(greatest(lease_seconds, 0)), 4294967295)) AS lease_end,
    lease_seconds,
    family,
    site_id,
    client_mark,
    client_mac,
    duid,
    client_id,
    hostname,
    circuit_id,
    remote_id,
    relay_ip,
    server_id
FROM dhcp_events
WHERE ((family = 4 AND inner_type = 5) OR (family = 6 AND inner_type = 7))
  AND (assigned_ip != toFixedString('', 16) OR delegated_prefix != '');
