// Runs every DDL statement the storage module ships, then the product's queries, on the modern ClickHouse engine
// embedded in chdb (26.x), so SQL that works on Debian's 18.16 server is proven on modern ClickHouse too.
// Usage: (cd storage/chdb && npm install && node check.js)   exit 0 = all passed.
const fs = require("fs");
const os = require("os");
const path = require("path");
const { Session } = require("chdb");

const dir = path.join(__dirname, "..", "src", "main", "resources", "io", "dhcpshield", "storage", "migrations");
// Same rule as Migrations.statements(): drop "--" comment lines, split on ";".
function statements(text) {
  return text.split("\n").filter((l) => !l.trim().startsWith("--")).join("\n")
    .split(";").map((s) => s.trim()).filter((s) => s.length > 0);
}

const ddl = ["CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version"];
for (const f of fs.readdirSync(dir).filter((f) => /^V\d+__\w+\.sql$/.test(f)).sort()) {
  ddl.push(...statements(fs.readFileSync(path.join(dir, f), "utf8")));
}

// The statements the Java code and its tests issue (literal-bound by Sql.bind), with sample values.
const ip = "toFixedString(unhex('00000000000000000000ffff64400307'), 16)";
const queries = [
  "SELECT 1 AS one",
  "SELECT version FROM schema_migrations",
  "INSERT INTO schema_migrations VALUES (1, 'dhcp_events', 'abc', toDateTime(1700000000))",
  "INSERT INTO system_config VALUES ('operational.throttle.burst', 'value-1', 'test', toDateTime(1700000000), 1, 0)",
  "INSERT INTO system_config VALUES ('operational.throttle.burst', 'value-2', 'test', toDateTime(1700000001), 2, 0)",
  "SELECT value FROM system_config FINAL WHERE key = 'operational.throttle.burst'",
  `INSERT INTO dhcp_events (event_time, family, message_type, inner_type, client_mac, assigned_ip, lease_seconds, circuit_id, mark_source, direction, errors) VALUES (toDateTime(1700000000), 4, 5, 5, 2199023255553, ${ip}, 3600, 'c1', 'chaddr', 'server_to_client', ['truncated'])`,
  `SELECT MACNumToString(client_mac), circuit_id FROM dhcp_bindings WHERE ip = ${ip} AND lease_start <= toDateTime(1700000100) AND lease_end > toDateTime(1700000100) ORDER BY lease_start DESC LIMIT 1`,
  "SELECT sum(events) FROM client_minute_stats",
  "SELECT sum(events) FROM relay_minute_stats",
  "SELECT sum(events) FROM vendor_class_hour_stats",
  "SELECT count() FROM dhcp_events",
  "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'dhcp_events'",
  "SELECT IPv6NumToString(assigned_ip), arrayStringConcat(errors, ',') FROM dhcp_events",
  "TRUNCATE TABLE dhcp_events",
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chdb-"));
const s = new Session(tmp);
let failed = 0;
console.log("engine", s.query("SELECT version()", "TSV").trim());
s.query("CREATE DATABASE IF NOT EXISTS dhcp", "TSV");
s.query("USE dhcp", "TSV");
for (const [kind, list] of [["ddl", ddl], ["ddl (re-run)", ddl], ["query", queries]]) {
  for (const q of list) {
    try {
      const out = s.query(q, "TSV");
      console.log(`ok   ${kind}: ${q.replace(/\s+/g, " ").slice(0, 90)}${out.trim() ? "  -> " + out.trim().replace(/\n/g, " | ") : ""}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${kind}: ${q.replace(/\s+/g, " ").slice(0, 90)}\n     ${String(e.message || e).slice(0, 400)}`);
    }
  }
}
s.cleanup && s.cleanup();
fs.rmSync(tmp, { recursive: true, force: true });
console.log(failed === 0 ? `all ${2 * ddl.length + queries.length} statements passed` : `${failed} statements failed`);
process.exit(failed === 0 ? 0 : 1);
