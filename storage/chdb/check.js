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
  `INSERT INTO dhcp_events (event_time, family, message_type, inner_type, client_mark, client_mac, assigned_ip, lease_seconds, circuit_id, mark_source, direction, errors) VALUES (toDateTime(1700000000), 4, 5, 5, 1, 2199023255553, ${ip}, 3600, 'c1', 'chaddr', 'server_to_client', ['truncated'])`,
  `INSERT INTO dhcp_events (event_time, family, message_type, inner_type, client_mark, client_mac, hostname, vendor_class, requested_options, circuit_id, mark_source, direction) VALUES (toDateTime(1700000000), 4, 1, 1, 1, 2199023255553, 'h1', 'MSFT 5.0', '1,3,6', 'c1', 'chaddr', 'client_to_server')`,
  `INSERT INTO dhcp_events (event_time, family, message_type, inner_type, client_mark, duid, delegated_prefix, lease_seconds, mark_source, direction) VALUES (toDateTime(1700000000), 6, 13, 7, 66, '00:02:00:00:00:09:01', '2001:db8:100::/56', 7200, 'duid-hash', 'server_to_client')`,
  "INSERT INTO actions_log VALUES (toDateTime(1700000000), 'a1', 'block', 'active', 1, toUInt64(2199023255553), '', 7200, 'automation', 'rule-1', 'burst', '{}')",
  `INSERT INTO actions_log VALUES (toDateTime(1700000000), 'a2', 'block', 'active', 1, toUInt64(2199023255553), '', 7200, 'user', 'alice', 'burst', '{"v":1,"target_kind":"mac","target":"02:00:00:00:00:01","at_ms":1700000000250}')`,
  "INSERT INTO users VALUES ('alice', 'hash-1', 'admin', 0, toDateTime(1700000000), 1, 0)",
  "INSERT INTO users VALUES ('alice', '', '', 0, toDateTime(1700000001), 2, 1)",
  "INSERT INTO users_audit_log (event_time, actor, username, action, target, detail) VALUES (toDateTime(1700000000), 'alice', 'alice', 'config.set', 'operational.throttle.burst', '{}')",
  "INSERT INTO token_revocations VALUES ('user', '', 'alice', toDateTime(1700000000), 5, toDateTime(1800000000), 'password changed', 'alice')",
  "INSERT INTO system_config VALUES ('operational.throttle.burst', 'value-1', 'test', toDateTime(1700000000), 1, 0)",
  "INSERT INTO system_config VALUES ('operational.throttle.burst', 'value-2', 'test', toDateTime(1700000001), 2, 0)",
];
const queryList = templates(fs.readFileSync(queriesFile, "utf8"));

// Some templates again, bound with values that select the fixtures: the engine's answers are checked, not only
// accepted. Values are literals as Sql.literal() writes them, in the template's parameter order.
function bindValues(name, values) {
  const t = queryList.find((q) => q.name === name);
  if (!t) throw new Error(`no template ${name}`);
  if (values.length !== t.params.length) throw new Error(`${name}: ${t.params.length} params, ${values.length} values`);
  let i = 0, quoted = false, out = "";
  for (let k = 0; k < t.sql.length; k++) {
    const c = t.sql[k];
    if (c === "'" && (k === 0 || t.sql[k - 1] !== "\\")) quoted = !quoted;
    out += c === "?" && !quoted ? values[i++] : c;
  }
  return out;
}
const T = (s) => `toDateTime(${s})`;
const none = (type) => ({ int: "0", string: "''", mac: "toUInt64(0)", ip, time: T(0) })[type];
// history.events: criteria off, then by MAC (mark 1), then by the DUID (every mark); first page, limit 10.
const eventsTail = [T(1700000001), T(1700000001), "999999", "999999", "9223372036854775807", "10"];
const eventsOff = ["0", "16777215", T(1699999999), T(1700000001), "0", none("mac"), "0", "''", "0", ip, ip, ip, "0", ip,
  "0", "''", "0", "''", "0", "''", "0", "0", "0", "0", "0", "''", "0", "0", "''", "0", "''"];
const withMac = [...eventsOff]; withMac[0] = "1"; withMac[1] = "1"; withMac[4] = "1"; withMac[5] = "toUInt64(2199023255553)";
const withDuid = [...eventsOff]; withDuid[6] = "1"; withDuid[7] = "'00:02:00:00:00:09:01'";
const withErrors = [...eventsOff]; withErrors[26] = "1";
const macClient = ["1", "1", "1", "toUInt64(2199023255553)", "0", "''"];
const checks = [
  ["history.events, no criterion", bindValues("history.events", [...eventsOff, ...eventsTail]), 3],
  ["history.events by MAC", bindValues("history.events", [...withMac, ...eventsTail]), 2],
  ["history.events by DUID", bindValues("history.events", [...withDuid, ...eventsTail]), 1],
  ["history.events with errors", bindValues("history.events", [...withErrors, ...eventsTail]), 1],
  ["history.device_totals", bindValues("history.device_totals", macClient), 1],
  ["history.device_seen", bindValues("history.device_seen", [...macClient, "5"]), 6],
  ["history.device_relays", bindValues("history.device_relays", [...macClient, "5"]), 1],
  ["history.prefix_at", bindValues("history.prefix_at", ["'2001:db8::/48,2001:db8:100::/56'", T(1700000100), T(1700000100)]), 1],
  ["actions.page", bindValues("actions.page", [T(1699999999), "1", "1", "1", "'alice'", "1", "'block'", "1", "'mac'",
    "'02:00:00:00:00:01'", "1699999999000", "1700000001000", "1700000001", "1700000001", "0", "0", "0", "10"]), 1],
  ["audit.page", bindValues("audit.page", [T(1699999999), T(1700000001), "0", "''", "0", "''", "1", "'config.'", "0",
    "''", T(1700000001), T(1700000001), "0", "0", "0", "10"]), 1],
  // FINAL: alice's newest version only (the tombstone), and the user the users.write template stored above.
  ["users.list", bindValues("users.list", []), 2],
  ["users.find", bindValues("users.find", ["'alice'"]), 1],
  ["auth.revocations_active", bindValues("auth.revocations_active", [T(1700000000)]), 1],
];
const queries = [
  ...queryList.filter((t) => !t.name.startsWith("retention.drop.")).map(bind),
  // Checks on what the fixtures and views produced (FINAL, the binding view, Stage-1 sums, address and array text).
  "SELECT value FROM system_config FINAL WHERE key = 'operational.throttle.burst'",
  "SELECT sum(events) FROM client_minute_stats",
  "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'dhcp_events'",
  "SELECT IPv6NumToString(assigned_ip), arrayStringConcat(errors, ',') FROM dhcp_events",
];
// The automation rules' generated SQL (storage/chdb/automation_rules.sql, written and kept in step by the automation
// module's RuleSqlFileTest): every seed rule's statements, bound already, in the same "-- name:" layout.
const automationFile = path.join(__dirname, "automation_rules.sql");
const automation = templates(fs.readFileSync(automationFile, "utf8")).map((t) => t.sql);
console.log(`automation_rules.sql: ${automation.length} statements`);
// Retention last (after the checks below): it drops the fixtures' partition (20231114) and one that does not exist.
const drops = [
  ...queryList.filter((t) => t.name.startsWith("retention.drop.")).map(bind),
  ...queryList.filter((t) => t.name.startsWith("retention.drop.")).map((t) => t.sql.replace(/\?\s*$/, "20231114")),
  "SELECT count() FROM dhcp_events",
];
console.log(`queries.sql: ${queryList.length} templates`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chdb-"));
const s = new Session(tmp);
let failed = 0;
let checked = 0;
console.log("engine", s.query("SELECT version()", "TSV").trim());
s.query("CREATE DATABASE IF NOT EXISTS dhcp", "TSV");
s.query("USE dhcp", "TSV");
function run(kind, list) {
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
run("ddl", ddl);
run("ddl (re-run)", ddl);
run("fixture", fixtures);
run("query", queries);
run("automation", automation);
for (const [what, q, rows] of checks) {
  checked++;
  try {
    const out = s.query(q, "TSV").trim();
    const n = out ? out.split("\n").length : 0;
    if (n !== rows) throw new Error(`expected ${rows} rows, got ${n}: ${out.replace(/\n/g, " | ").slice(0, 300)}`);
    console.log(`ok   check: ${what} -> ${n} rows`);
  } catch (e) {
    failed++;
    console.log(`FAIL check: ${what}\n     ${String(e.message || e).slice(0, 400)}`);
  }
}
run("query", drops);
s.cleanup && s.cleanup();
fs.rmSync(tmp, { recursive: true, force: true });
const total = 2 * ddl.length + fixtures.length + queries.length + automation.length + checked + drops.length;
console.log(`chdb: ${total - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
