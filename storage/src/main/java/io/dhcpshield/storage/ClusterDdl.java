package io.dhcpshield.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster option: the migrations' schema rewritten for a ClickHouse cluster. Each table {@code T} becomes
 * {@code T_local} with the Replicated variant of its engine, created {@code ON CLUSTER}, plus a {@code Distributed}
 * table {@code T} over it, so the product's queries and inserts keep using the plain names. Materialized views are
 * created on every node, read {@code dhcp_events_local} and write the {@code _local} aggregate table, so each shard
 * aggregates its own inserts. Sharding: events and aggregates by {@code client_mark} (one client's rows on one
 * shard); config tables by {@code cityHash64} of their key, so FINAL (which deduplicates within a shard only) still
 * sees every version of a key together. With no cluster ({@link #forCluster} not used) the schema is the migrations
 * as they are: the single-node form applied and tested here.
 */
public final class ClusterDdl {

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE TABLE IF NOT EXISTS (\\w+) \\((.*)\\) ENGINE = (\\w+)(?:\\(([^)]*)\\))?(.*)", Pattern.DOTALL);
    private static final Pattern CREATE_MV = Pattern.compile(
            "CREATE MATERIALIZED VIEW IF NOT EXISTS (\\w+) TO (\\w+) AS(.*)", Pattern.DOTALL);
    private static final Pattern ALTER_TABLE = Pattern.compile("ALTER TABLE (\\w+) (ADD COLUMN .*)", Pattern.DOTALL);
    private static final Pattern ORDER_BY = Pattern.compile("ORDER BY \\(?(\\w+)");

    private ClusterDdl() {
    }

    /**
     * Every DDL statement of the cluster variant, in order: {@code schema_migrations} and each migration.
     *
     * @param cluster   the cluster name of the servers' {@code remote_servers} config (an identifier)
     * @param database  the database (an identifier; Distributed tables name it)
     * @param zkPrefix  ZooKeeper/Keeper path prefix, e.g. {@code /clickhouse/tables/{shard}} (macros allowed)
     */
    public static List<String> forCluster(String cluster, String database, String zkPrefix) {
        requireIdentifier(cluster, "cluster");
        requireIdentifier(database, "database");
        Objects.requireNonNull(zkPrefix, "zkPrefix");
        if (!zkPrefix.matches("[A-Za-z0-9_/{}.-]+")) {
            throw new IllegalArgumentException("bad ZooKeeper path prefix " + zkPrefix);
        }
        List<String> out = new ArrayList<>();
        for (String statement : Migrations.allStatements()) {
            out.addAll(rewrite(statement, cluster, database, zkPrefix));
        }
        return out;
    }

    static List<String> rewrite(String ddl, String cluster, String database, String zkPrefix) {
        Matcher t = CREATE_TABLE.matcher(ddl);
        if (t.matches()) {
            String table = t.group(1);
            String local = table + "_local";
            String engine = t.group(3);
            String args = t.group(4) == null ? "" : t.group(4).strip();
            String path = "'" + zkPrefix + "/" + database + "/" + local + "', '{replica}'";
            String replicated = "Replicated" + engine + "(" + path + (args.isEmpty() ? "" : ", " + args) + ")";
            String createLocal = "CREATE TABLE IF NOT EXISTS " + local + " ON CLUSTER " + cluster + " (" + t.group(2)
                    + ") ENGINE = " + replicated + t.group(5);
            String createDistributed = "CREATE TABLE IF NOT EXISTS " + table + " ON CLUSTER " + cluster + " AS "
                    + local + " ENGINE = Distributed(" + cluster + ", " + database + ", " + local + ", "
                    + shardKey(table, t.group(5)) + ")";
            return List.of(createLocal, createDistributed);
        }
        Matcher v = CREATE_MV.matcher(ddl);
        if (v.matches()) {
            String select = v.group(3).replaceAll("\\bFROM dhcp_events\\b", "FROM dhcp_events_local");
            return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + v.group(1) + " ON CLUSTER " + cluster + " TO "
                    + v.group(2) + "_local AS" + select);
        }
        Matcher a = ALTER_TABLE.matcher(ddl);
        if (a.matches()) {
            // The local tables hold the data, the Distributed table must show the column too.
            return List.of("ALTER TABLE " + a.group(1) + "_local ON CLUSTER " + cluster + " " + a.group(2),
                    "ALTER TABLE " + a.group(1) + " ON CLUSTER " + cluster + " " + a.group(2));
        }
        throw new IllegalArgumentException("no cluster form for: " + ddl);
    }

    /**
     * Events and per-client data by client mark; keyed tables by a hash of the first ORDER BY column; append-only
     * logs (and revocations, read whole) at random.
     */
    static String shardKey(String table, String tail) {
        Matcher m = ORDER_BY.matcher(tail);
        String first = m.find() ? m.group(1) : null;
        if ("client_mark".equals(first)) {
            return "client_mark";
        }
        if (first == null || table.equals("schema_migrations") || table.endsWith("_log") || table.equals("alarms")
                || table.equals("token_revocations")) {
            return "rand()";
        }
        return "cityHash64(" + first + ")";
    }

    private static void requireIdentifier(String s, String what) {
        if (s == null || !s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(what + " must be an identifier, was '" + s + "'");
        }
    }
}
