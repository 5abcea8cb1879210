package io.dhcpshield.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster variant's DDL text (no server: it needs a cluster with Keeper; the single-node form is SchemaTest's). */
class ClusterDdlTest {

    static final List<String> DDL = ClusterDdl.forCluster("shield", "dhcp", "/clickhouse/tables/{shard}");

    static String find(String prefix) {
        return DDL.stream().filter(s -> s.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix));
    }

    @Test
    void everyTableBecomesReplicatedLocalPlusDistributedOnCluster() {
        long tables = Migrations.allStatements().stream().filter(s -> s.startsWith("CREATE TABLE")).count();
        long views = Migrations.allStatements().stream().filter(s -> s.startsWith("CREATE MATERIALIZED VIEW")).count();
        long alters = Migrations.allStatements().stream().filter(s -> s.startsWith("ALTER TABLE")).count();
        assertEquals(2 * tables + views + 2 * alters, DDL.size());
        // A column added later reaches the local tables and the Distributed one.
        assertTrue(DDL.contains("ALTER TABLE actions_log_local ON CLUSTER shield ADD COLUMN detail String DEFAULT ''"));
        assertTrue(DDL.contains("ALTER TABLE actions_log ON CLUSTER shield ADD COLUMN detail String DEFAULT ''"));
        assertTrue(DDL.stream().allMatch(s -> s.contains(" ON CLUSTER shield ")), "every statement ON CLUSTER");
        assertTrue(DDL.stream().noneMatch(s -> s.matches("(?s).*ENGINE = (MergeTree|SummingMergeTree|ReplacingMergeTree).*")),
                "no unreplicated engine left");

        String events = find("CREATE TABLE IF NOT EXISTS dhcp_events_local ON CLUSTER shield (");
        assertTrue(events.contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/dhcp/dhcp_events_local',"
                + " '{replica}') PARTITION BY toYYYYMMDD(event_time) ORDER BY (client_mark, event_time)"), events);
        assertEquals("CREATE TABLE IF NOT EXISTS dhcp_events ON CLUSTER shield AS dhcp_events_local"
                + " ENGINE = Distributed(shield, dhcp, dhcp_events_local, client_mark)",
                find("CREATE TABLE IF NOT EXISTS dhcp_events ON CLUSTER"));

        // ReplacingMergeTree keeps its version column after the path and replica; config shards by key hash.
        assertTrue(find("CREATE TABLE IF NOT EXISTS system_config_local ").contains(
                "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/dhcp/system_config_local',"
                        + " '{replica}', version) ORDER BY key"));
        assertTrue(find("CREATE TABLE IF NOT EXISTS system_config ON").endsWith(
                "Distributed(shield, dhcp, system_config_local, cityHash64(key))"));
        assertTrue(find("CREATE TABLE IF NOT EXISTS client_minute_stats_local ").contains(
                "ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/dhcp/client_minute_stats_local',"
                        + " '{replica}') PARTITION BY"));
        assertTrue(find("CREATE TABLE IF NOT EXISTS users_audit_log ON").endsWith("users_audit_log_local, rand())"));

        // Views: on every node, from the local events table into the local aggregate.
        String mv = find("CREATE MATERIALIZED VIEW IF NOT EXISTS client_minute_stats_mv ");
        assertTrue(mv.startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS client_minute_stats_mv ON CLUSTER shield"
                + " TO client_minute_stats_local AS"), mv);
        assertTrue(mv.contains("FROM dhcp_events_local") && !mv.matches("(?s).*FROM dhcp_events\\b(?!_).*"), mv);
        assertTrue(find("CREATE MATERIALIZED VIEW IF NOT EXISTS dhcp_bindings_mv ").contains("FROM dhcp_events_local"));
    }

    @Test
    void namesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> ClusterDdl.forCluster("a b", "dhcp", "/p"));
        assertThrows(IllegalArgumentException.class, () -> ClusterDdl.forCluster("c", "dhcp;", "/p"));
        assertThrows(IllegalArgumentException.class, () -> ClusterDdl.forCluster("c", "dhcp", "/p'x"));
    }
}
