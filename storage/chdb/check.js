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

// The product's queries: storage/src/main/resources/io/dhcpshield/storage/queries.sql, the file Queries.java loads, so
// this list cannot drift from the Java code. Same parsing rule as Queries.parse(): "-- name:" starts a template,
// "-- params:" lists its parameter types, other "--" lines are comments, a trailing ";" is dropped.
const queriesFile = path.join(__dirname, "..", "src", "main", "resources", "io", "dhcpshield", "storage", "queries.sql");
function templates(text) {
  const out = [];
  let cur = null;
  for (const line of (text + "\n-- name: \n").split("\n")) {
    const l = line.trim();
    if (l.startsWith("-- name:")) {
      if (cur) { cur.sql = cur.sql.trim().replace(/;$/, "").trim(); out.push(cur); }
      cur = { name: l.slice(8).trim(), params: [], sql: "" };
    } else if (l.startsWith("-- params:")) {
      const p = l.slice(10).trim();
      cur.params = p ? p.split(/\s+/) : [];
    } else if (!l.startsWith("--") && cur) {
      cur.sql += line + "\n";
    }
  }
  return out;
}
// Sample literals in the exact form Sql.literal() writes them; the string is an injection attempt, escaped as Java does.
function stringLiteral(s) {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t").replace(/\0/g, "\\0") + "'";
}
const samples = {
  string: stringLiteral("x' OR 1=1 --\\"),
  int: "10",
  time: "toDateTime(1700000000)",
  mac: "toUInt64(2199023255553)",
  ip: "toFixedString(unhex('00000000000000000000ffff64400307'), 16)",
};
function bind(t) {
  let i = 0, quoted = false, out = "";
  for (let k = 0; k < t.sql.length; k++) {
    const c = t.sql[k];
    if (c === "'" && (k === 0 || t.sql[k - 1] !== "\\")) quoted = !quoted;
    if (c === "?" && !quoted) {
      const type = t.params[i++];
      if (!(type in samples)) throw new Error(`${t.name}: unknown parameter type ${type}`);
      out += samples[type];
    } else out += c;
  }
  if (i !== t.params.length) throw new Error(`${t.name}: ${t.params.length} params, ${i} placeholders`);
  return out;
}

// Rows for the queries to find (the product inserts events as RowBinary over HTTP; the same columns as VALUES here).
const ip = samples.ip;
const fixtures = [
  `INSERT INTO dhcp_events (event_time, family, message_type, inner_type, client_mac, assigned_ip, lease_seconds, circuit_id, mark_source, direction, errors) VALUES (toDateTime(1700000000), 4, 5, 5, 2199023255553, ${ip}, 3600, 'c1', 'chaddr', 'server_to_client', ['truncated'])`,
  `INSERT INTO dhcp_events (event_time, family, message_type, inner_type, client_mac, hostname, vendor_class, requested_options, circuit_id, mark_source, direction) VALUES (toDateTime(1700000000), 4, 1, 1, 2199023255553, 'h1', 'MSFT 5.0', '1,3,6', 'c1', 'chaddr', 'client_to_server')`,
  "INSERT INTO actions_log VALUES (toDateTime(1700000000), 'a1', 'block', 'active', 1, toUInt64(2199023255553), '', 7200, 'automation', 'rule-1', 'burst', '{}')",
  "INSERT INTO system_config VALUES ('operational.throttle.burst', 'value-1', 'test', toDateTime(1700000000), 1, 0)",
  "INSERT INTO system_config VALUES ('operational.throttle.burst', 'value-2', 'test', toDateTime(1700000001), 2, 0)",
];
const queryList = templates(fs.readFileSync(queriesFile, "utf8"));
const queries = [
  ...queryList.filter((t) => !t.name.startsWith("retention.drop.")).map(bind),
  // Checks on what the fixtures and views produced (FINAL, the binding view, Stage-1 sums, address and array text).
  "SELECT value FROM system_config FINAL WHERE key = 'operational.throttle.burst'",
  "SELECT sum(events) FROM client_minute_stats",
  "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'dhcp_events'",
  "SELECT IPv6NumToString(assigned_ip), arrayStringConcat(errors, ',') FROM dhcp_events",
  // Retention last: it drops the fixtures' partition (20231114) and a partition that does not exist.
  ...queryList.filter((t) => t.name.startsWith("retention.drop.")).map(bind),
  ...queryList.filter((t) => t.name.startsWith("retention.drop.")).map((t) => t.sql.replace(/\?\s*$/, "20231114")),
  "SELECT count() FROM dhcp_events",
];
console.log(`queries.sql: ${queryList.length} templates`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chdb-"));
const s = new Session(tmp);
let failed = 0;
console.log("engine", s.query("SELECT version()", "TSV").trim());
s.query("CREATE DATABASE IF NOT EXISTS dhcp", "TSV");
s.query("USE dhcp", "TSV");
for (const [kind, list] of [["ddl", ddl], ["ddl (re-run)", ddl], ["fixture", fixtures], ["query", queries]]) {
  for (const q of list) {
    try {
      // Same rule as Migrations.execute(): an ADD COLUMN whose column exists is skipped (18.16 has no IF NOT EXISTS).
      const add = /^ALTER TABLE (\w+) ADD COLUMN (\w+)/.exec(q);
      if (add && s.query(`SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = '${add[1]}'`
          + ` AND name = '${add[2]}'`, "TSV").trim() !== "0") {
        console.log(`ok   ${kind}: ${q.replace(/\s+/g, " ").slice(0, 90)}  -> skipped, the column exists`);
        continue;
      }
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
const total = 2 * ddl.length + fixtures.length + queries.length;
console.log(`chdb: ${total - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
