#!/usr/bin/env node
// DEV ONLY: a tiny stand-in for the appliance's API, to look at the operator-tool pages (issue 15) before the
// backend exists. It serves the built GUI (dist/) and canned JSON that follows docs' contract for
// /api/v1/firewall, /api/v1/bulk and /api/v1/captures (plus just enough auth, health and alarms for the shell).
// It is not used by any test, the build or the e2e run; nothing of it ships.
//
//   npm run build && node dev/fixtures.mjs            # http://127.0.0.1:5180, any password; user "viewer" is a viewer
//   PORT=5181 node dev/fixtures.mjs
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(here, '..', 'dist');
const NFT = resolve(here, '..', '..', 'nft-config');
const PORT = Number(process.env.PORT || 5180);
const T0 = Date.parse('2026-12-04T20:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const now = () => iso(Date.now());

const profile = (p) => JSON.parse(readFileSync(join(NFT, `dualstack_${p}_throttling.json`), 'utf8'));

// ---- firewall state ----
function summary(body) {
  const n = (k) => body.nftables.filter((o) => k in o).length;
  return { chains: n('chain'), rules: n('rule'), sets: n('set'), counters: n('counter'), queue: 'native-nft' };
}
const rulesets = new Map();
function addVersion(name, body, source, by, at, comment = '') {
  const r = rulesets.get(name) || { name, versions: [], deleted: false };
  const v = { version: r.versions.length + 1, source, comment, created_at: iso(at), created_by: by, body, deleted: false };
  r.versions.push(v);
  rulesets.set(name, r);
  return v;
}
addVersion('medium', profile('medium'), 'profile:medium', 'admin', T0, 'shipped medium profile');
addVersion('medium', profile('medium'), 'edit', 'alice', T0 + 3600e3, 'log monitored v6 clients');
addVersion('medium', profile('medium'), 'edit', 'alice', T0 + 7200e3, 'relay 7 allowance');
const TBL = { family: 'inet', table: 'dhcp_inspection' };
const extra = {
  nftables: [
    { metainfo: { json_schema_version: 1 } },
    { table: { family: 'inet', name: 'dhcp_inspection' } },
    { counter: { ...TBL, name: 'relay7_seen' } },
    { counter: { ...TBL, name: 'relay7_dropped' } },
    { chain: { ...TBL, name: 'relay7', type: 'filter', hook: 'prerouting', prio: 95, policy: 'accept' } },
    { rule: { ...TBL, chain: 'relay7', expr: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '10.0.7.1' } }, { counter: 'relay7_seen' }] } },
    { rule: { ...TBL, chain: 'relay7', expr: [{ match: { op: '==', left: { meta: { key: 'mark' } }, right: '@blocked_macs' } }, { counter: 'relay7_dropped' }, { drop: null }] } },
  ],
};
addVersion('site-extra', extra, 'copy:medium@3', 'bob', T0 + 8000e3, 'per-site counters');
addVersion('kernel-snapshot', profile('strict'), 'kernel', 'admin', T0 + 9000e3, 'before the maintenance window');
addVersion('old-test', profile('low'), 'profile:low', 'carol', T0 - 86400e3, 'lab test');
rulesets.get('old-test').deleted = true;
let active = [{ name: 'medium', version: 3 }, { name: 'site-extra', version: 1 }];
const applies = [
  { id: 12, at: iso(T0 + 9500e3), actor: 'user:alice', mode: 'swap', rulesets: ['medium@3', 'site-extra@1'], ok: true, stage: 'done', error: '', ms: 142, rollback_of: null },
  { id: 11, at: iso(T0 + 9400e3), actor: 'user:alice', mode: 'merge', rulesets: ['site-extra@1'], ok: false, stage: 'dry-run', error: 'Error: Could not process rule: No such file or directory\nadd rule inet dhcp_inspection relay7 counter name relay7_seen', ms: 37, rollback_of: null },
  { id: 10, at: iso(T0 + 7300e3), actor: 'user:alice', mode: 'swap', rulesets: ['medium@2'], ok: true, stage: 'done', error: '', ms: 131, rollback_of: null },
  { id: 9, at: iso(T0 + 100e3), actor: 'user:admin', mode: 'swap', rulesets: ['medium@1'], ok: true, stage: 'done', error: '', ms: 155, rollback_of: null },
];
let nextApply = 13;

function R(r) {
  const v = r.versions[r.versions.length - 1];
  const a = active.findIndex((e) => e.name === r.name);
  return {
    name: r.name, version: v.version, versions: r.versions.length, source: r.versions[0].source === 'profile:medium' && r.name === 'medium' ? 'profile:medium' : v.source,
    comment: v.comment, created_at: r.versions[0].created_at, created_by: r.versions[0].created_by, active: a >= 0, order: a >= 0 ? a + 1 : null,
    active_version: a >= 0 ? active[a].version : null, deleted: r.deleted, summary: summary(v.body),
  };
}
function V(r, v) {
  const a = active.findIndex((e) => e.name === r.name && e.version === v.version);
  return { version: v.version, source: v.source, comment: v.comment, created_at: v.created_at, created_by: v.created_by, active: a >= 0, order: a >= 0 ? a + 1 : null, deleted: v.deleted };
}
const kernel = () => ({ installed: true, drift: 'chain v6_relay_forw_chain: 2 rules missing; set llm_throttled_marks: timeout 604800 s, 86400 s expected', applied: applies.find((a) => a.ok) || null });

/** What nft would say about a body: declared chains and sets, and the only table we touch. */
function check(body) {
  const errors = [];
  const chains = new Set();
  const sets = new Set();
  body.nftables.forEach((o) => {
    if (o.chain) chains.add(o.chain.name);
    if (o.set) sets.add(o.set.name);
  });
  body.nftables.forEach((o, index) => {
    const v = o[Object.keys(o)[0]];
    if (v && typeof v === 'object' && v.table && v.table !== 'dhcp_inspection') errors.push({ index, object: o, message: 'only table inet dhcp_inspection may be touched', stage: 'structure' });
    if (o.table && o.table.name !== 'dhcp_inspection') errors.push({ index, object: o, message: 'only table inet dhcp_inspection may be touched', stage: 'structure' });
    if (o.rule && !chains.has(o.rule.chain)) errors.push({ index, object: o, message: `Could not process rule: No such file or directory (chain ${o.rule.chain} does not exist)`, stage: 'kernel' });
    if (o.rule) {
      const refs = JSON.stringify(o.rule.expr).match(/"@([a-z0-9_]+)"/g) || [];
      for (const r of refs) {
        const name = r.slice(2, -1);
        if (!sets.has(name)) errors.push({ index, object: o, message: `Could not process rule: No such file or directory (set ${name} does not exist)`, stage: 'kernel' });
      }
    }
  });
  return errors;
}

// ---- flow: the medium profile walked for a message type ----
const TYPES = [
  ['DISCOVER', 4, 'inbound', 0x01], ['OFFER', 4, 'outbound', 0x02], ['REQUEST', 4, 'inbound', 0x03], ['DECLINE', 4, 'inbound', 0x04], ['ACK', 4, 'outbound', 0x05],
  ['NAK', 4, 'outbound', 0x06], ['RELEASE', 4, 'inbound', 0x07], ['INFORM', 4, 'inbound', 0x08], ['SOLICIT', 6, 'inbound', 0x11], ['ADVERTISE', 6, 'outbound', 0x12],
  ['RENEW', 6, 'inbound', 0x15], ['REPLY', 6, 'outbound', 0x17],
].map(([name, family, direction, b]) => ({ name, family, direction, type_bits: '0x' + (b << 24 >>> 0).toString(16).padStart(8, '0') }));

function exprText(expr) {
  const val = (x) => {
    if (x == null) return '';
    if (typeof x !== 'object') return String(x);
    if (x.meta) return 'meta ' + x.meta.key;
    if (x.payload) return `${x.payload.protocol} ${x.payload.field}`;
    if (x.set) return '{ ' + x.set.map((e) => (Array.isArray(e) ? val(e[0]) : val(e))).join(', ') + ' }';
    if (x['&']) return `${val(x['&'][0])} & 0x${Number(x['&'][1]).toString(16)}`;
    if (x['|']) return `${val(x['|'][0])} | 0x${Number(x['|'][1]).toString(16)}`;
    return JSON.stringify(x);
  };
  return expr
    .map((e) => {
      const k = Object.keys(e)[0];
      const v = e[k];
      if (k === 'match') return `${val(v.left)} ${v.op === '==' ? (String(v.right).startsWith('@') ? 'in' : '==') : v.op} ${val(v.right)}`;
      if (k === 'counter') return typeof v === 'string' ? `count ${v}` : 'count';
      if (k === 'drop' || k === 'accept') return '→ ' + k;
      if (k === 'queue') return `→ queue ${v.num.range ? v.num.range.join('-') : v.num}`;
      if (k === 'limit') return `limit ${v.rate}/${v.per}${v.burst ? ' burst ' + v.burst : ''}`;
      if (k === 'log') return 'log';
      if (k === 'mangle') return 'mark ← mark & 0xffffff';
      if (k === 'set') return `${v.op} @${v.set.replace('@', '')}`;
      if (k === 'vmap') return 'mark & 0xff000000 → jump by type';
      if (k === 'jump') return '→ jump ' + v.target;
      return k;
    })
    .join(' ');
}

let flowTick = 0;
function flow(type, direction) {
  flowTick++;
  const t = TYPES.find((x) => x.name === type) || TYPES[0];
  const body = profile('medium').nftables;
  const chains = body.filter((o) => o.chain).map((o) => o.chain);
  const rules = body.filter((o) => o.rule).map((o) => o.rule);
  const hook = direction === 'outbound' ? 'output' : 'prerouting';
  const base = chains.filter((c) => c.hook === hook).sort((a, b) => a.prio - b.prio);
  const typeChain = `v${t.family}_${t.name.toLowerCase()}${t.direction === 'outbound' ? '_out' : ''}_chain`;
  const counters = {};
  const seed = (name) => (name.length * 7919 + name.charCodeAt(3) * 31) % 5000;
  const count = (name) => (counters[name] = { packets: seed(name) * 40 + flowTick * (name.endsWith('_d') ? 3 : 17), bytes: 0 });
  const sets = {};
  for (const o of body.filter((x) => x.set)) sets[o.set.name] = { size: o.set.size, elements: o.set.name === 'llm_blocked_marks' ? 12 : o.set.name === 'tracked_marks' ? 4180 + (flowTick % 7) : o.set.name === 'blocked_macs' ? 3 : 0 };
  const steps = [];
  const push = (s) => steps.push({ rule: null, set: null, counter: null, verdict: null, packets: null, set_elements: null, ...s });
  const walk = (c, depth, isBase) => {
    push({ id: `${c.name}`, depth, chain: c.name, hook: isBase ? c.hook : null, priority: isBase ? c.prio : null, base: isBase, kind: 'chain', label: `chain ${c.name}${isBase ? ` (filter, policy ${c.policy})` : ''}` });
    rules.filter((r) => r.chain === c.name).forEach((r, i) => {
      const text = exprText(r.expr);
      const setRef = (JSON.stringify(r.expr).match(/"@([a-z0-9_]+)"/) || [])[1] || null;
      const counter = (r.expr.find((e) => typeof e.counter === 'string') || {}).counter || null;
      const verdict = r.expr.some((e) => 'drop' in e) ? 'drop' : r.expr.some((e) => 'accept' in e) ? 'accept' : r.expr.some((e) => e.vmap) ? 'jump ' + typeChain : null;
      const kind = r.expr.some((e) => e.vmap) ? 'vmap' : r.expr.some((e) => e.queue) ? 'queue' : setRef ? 'set' : r.expr.some((e) => e.limit) ? 'limit' : r.expr.some((e) => e.log) ? 'log' : counter && r.expr.length === 1 ? 'counter' : 'match';
      if (counter) count(counter);
      push({ id: `${c.name}/${i}`, depth, chain: c.name, hook: isBase ? c.hook : null, priority: isBase ? c.prio : null, base: isBase, rule: i, kind, label: text, set: setRef, counter, verdict: verdict || 'continue', packets: counter ? counters[counter].packets : null, set_elements: setRef ? sets[setRef].elements : null });
      if (kind === 'vmap') {
        const tc = chains.find((x) => x.name === typeChain);
        if (tc) walk(tc, depth + 1, false);
      }
    });
    if (isBase) push({ id: `${c.name}/policy`, depth, chain: c.name, hook: c.hook, priority: c.prio, base: true, kind: 'policy', label: 'policy ' + c.policy, verdict: c.policy });
    else push({ id: `${c.name}/return`, depth, chain: c.name, base: false, kind: 'verdict', label: 'end of chain: back to the caller', verdict: 'return' });
  };
  for (const c of base.filter((x) => x.name !== 'drop_mirrored')) walk(c, 0, true);
  return { type: t.name, direction, type_bits: t.type_bits, source: 'kernel', steps, sets, counters };
}

// ---- bulk ----
const jobs = [
  { id: 'b-0007', state: 'running', action: 'throttle', duration_seconds: 3600, criteria: { since: iso(T0), until: iso(T0 + 3600e3), message_type: 'DISCOVER', relay: '10.0.7.1', min_requests: 100, past_action: null, circuit: null, vendor_class: null, fingerprint: null, family: 4, site: null }, reason: 'relay 7 DISCOVER storm', created_by: 'alice', created_at: iso(T0 + 9600e3), run_at: iso(T0 + 9600e3), started_at: iso(T0 + 9601e3), finished_at: null, total: 4200, done: 1500, failed: 12, batches: 3, error: '' },
  { id: 'b-0006', state: 'scheduled', action: 'cleanup', duration_seconds: null, criteria: { since: iso(T0 - 7 * 86400e3), until: iso(T0), past_action: 'block', message_type: null, relay: null, circuit: null, vendor_class: null, fingerprint: null, min_requests: null, family: null, site: 'lab' }, reason: 'weekly tidy-up', created_by: 'bob', created_at: iso(T0 + 9000e3), run_at: '2026-12-05T03:00:00Z', started_at: null, finished_at: null, total: null, done: 0, failed: 0, batches: 0, error: '' },
  { id: 'b-0005', state: 'done', action: 'block', duration_seconds: 86400, criteria: { since: iso(T0 - 86400e3), until: iso(T0), vendor_class: 'evil-boot', past_action: null, relay: null, circuit: null, fingerprint: null, message_type: null, min_requests: null, family: null, site: null }, reason: 'rogue PXE images', created_by: 'alice', created_at: iso(T0 - 3600e3), run_at: iso(T0 - 3600e3), started_at: iso(T0 - 3599e3), finished_at: iso(T0 - 3590e3), total: 37, done: 37, failed: 0, batches: 1, error: '' },
  { id: 'b-0004', state: 'failed', action: 'deny', duration_seconds: null, criteria: { since: iso(T0 - 86400e3), until: iso(T0), fingerprint: '1,3,6,15,119,252', past_action: null, relay: null, circuit: null, vendor_class: null, message_type: null, min_requests: null, family: null, site: null }, reason: 'known bad fingerprint', created_by: 'carol', created_at: iso(T0 - 7200e3), run_at: iso(T0 - 7200e3), started_at: iso(T0 - 7199e3), finished_at: iso(T0 - 7150e3), total: 900, done: 500, failed: 400, batches: 2, error: 'Action Manager not ready: enforcement restarting' },
];
function sample(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(Math.random() * 0xffffff);
    const h = (k) => ((r >> k) & 0xff).toString(16).padStart(2, '0');
    out.push({ mark: '0x' + r.toString(16).padStart(6, '0'), mac: `00:0c:01:${h(16)}:${h(8)}:${h(0)}`, duid: i % 4 === 3 ? `00:01:00:01:2c:${h(8)}:${h(0)}:00:0c:01:${h(16)}:${h(8)}:${h(0)}` : null, family: i % 4 === 3 ? 6 : 4, requests: 100 + ((r >> 3) % 2000), last_seen: iso(Date.now() - (r % 3600) * 1000), relay: '10.0.7.1', circuit: `eth0/1/${r % 48}`, vendor_class: i % 3 ? 'MSFT 5.0' : 'udhcp 1.36.1' });
  }
  return out;
}

// ---- captures ----
const captures = [
  { id: 'c-0003', label: 'relay 7 storm', state: 'running', stop_reason: null, filter: { relay: '10.0.7.1', message_type: 'DISCOVER', direction: 'inbound' }, limits: { max_packets: 10000, max_bytes: 10485760, max_seconds: 600 }, packets: 3120, bytes: 1094000, dropped: 0, started_at: iso(Date.now() - 95e3), stopped_at: null, created_by: 'alice', file_bytes: 1180000 },
  { id: 'c-0002', label: 'printer not getting a lease', state: 'stopped', stop_reason: 'max_seconds', filter: { mac: '00:0c:01:02:03:04' }, limits: { max_packets: 1000, max_bytes: 10485760, max_seconds: 300 }, packets: 14, bytes: 4910, dropped: 0, started_at: iso(T0 + 5000e3), stopped_at: iso(T0 + 5300e3), created_by: 'bob', file_bytes: 6240 },
  { id: 'c-0001', label: '', state: 'stopped', stop_reason: 'max_packets', filter: {}, limits: { max_packets: 1000, max_bytes: 10485760, max_seconds: 300 }, packets: 1000, bytes: 352000, dropped: 41, started_at: iso(T0 + 1000e3), stopped_at: iso(T0 + 1012e3), created_by: 'admin', file_bytes: 380112 },
];
let nextCap = 4;
const capCounters = { offered: 1804211, written: 4134, dropped_queue_full: 41, filtered_out: 1800036 };

// ---- http ----
const users = new Map(); // token → username
function send(res, status, body, headers = {}) {
  const data = body == null ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(data);
}
const err = (res, status, code, message, extra = {}) => send(res, status, { error: { code, message, ...extra } });
async function readBody(req) {
  let s = '';
  for await (const c of req) s += c;
  return s ? JSON.parse(s) : {};
}
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

async function apiRoute(req, res, url) {
  const p = url.pathname;
  const m = req.method;
  if (p === '/api/v1/auth/login') {
    const b = await readBody(req);
    const t = 'tok-' + Math.random().toString(36).slice(2);
    users.set(t, b.username || 'admin');
    return send(res, 200, { access_token: t, refresh_token: 'r' + t, expires_in: 900 });
  }
  if (p === '/api/v1/auth/refresh') {
    const b = await readBody(req);
    const t = String(b.refresh_token || '').slice(1);
    if (!users.has(t)) return err(res, 401, 'unauthorized', 'spent');
    return send(res, 200, { access_token: t, refresh_token: 'r' + t, expires_in: 900 });
  }
  if (p === '/api/v1/ready') return send(res, 200, { ready: true, queues: 4, queues_bound: 4, transport: 'nfqueue', queue_mode: 'native-nft', clickhouse: 'connected', ruleset: 'installed', fail_open_in_effect: false, services: [] });
  const token = (req.headers.authorization || '').slice(7);
  const user = users.get(token);
  if (!user) return err(res, 401, 'unauthorized', 'no token');
  const role = user === 'viewer' ? 'viewer' : 'admin';
  const write = m !== 'GET';
  if (write && role === 'viewer') return err(res, 403, 'forbidden', 'operators only');
  const q = url.searchParams;

  if (p === '/api/v1/auth/me') return send(res, 200, { username: user, role, expires_at: iso(Date.now() + 900e3) });
  if (p === '/api/v1/auth/logout') return send(res, 204, null);
  if (p === '/api/v1/alarms/summary') return send(res, 200, { raised: 0, acknowledged: 0, by_severity: { critical: 0, warning: 0, info: 0 }, latest: [] });
  if (p === '/api/v1/actions/active') return send(res, 200, { actions: [] });
  if (p === '/api/v1/actions') {
    const actor = q.get('actor');
    const list = actor && actor.startsWith('bulk_job:') ? sample(6).map((s, i) => ({ id: 'a' + i, at: now(), action: 'throttle', target: { kind: 'mac', value: s.mac }, state: 'applied', actor, duration_secs: 3600, expires_at: iso(Date.now() + 3600e3), reason: 'relay 7 DISCOVER storm' })) : [];
    return send(res, 200, { actions: list, next: null });
  }

  // firewall
  const FW = '/api/v1/firewall';
  if (p === FW + '/rulesets' && m === 'GET') {
    const deleted = q.get('deleted') === 'true';
    return send(res, 200, { rulesets: [...rulesets.values()].filter((r) => deleted || !r.deleted).map(R), kernel: kernel() });
  }
  if (p === FW + '/rulesets' && m === 'POST') {
    const b = await readBody(req);
    if (!b.name || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(b.name)) return send(res, 400, { error: { code: 'invalid_request', message: 'name: letters, digits, dot, dash, underscore; at most 64', field: 'name' } });
    const existing = rulesets.get(b.name);
    if (existing && !b.force) return send(res, 409, { error: { code: 'exists', message: 'never edit a profile in place: choose a new name, or force a new version' } });
    let body;
    let source;
    if (b.body) {
      const structural = check(b.body).filter((e) => e.stage === 'structure');
      if (structural.length) return send(res, 400, { error: { code: 'invalid_request', message: 'the ruleset touches other tables', fields: Object.fromEntries(structural.map((e) => [`body.nftables[${e.index}]`, e.message])) } });
      body = b.body;
      source = 'edit';
    } else if (b.from_profile) (body = profile(b.from_profile)), (source = 'profile:' + b.from_profile);
    else if (b.from_kernel) (body = profile('strict')), (source = 'kernel');
    else if (b.copy_of) (body = rulesets.get(b.copy_of.name).versions[b.copy_of.version - 1].body), (source = `copy:${b.copy_of.name}@${b.copy_of.version}`);
    addVersion(b.name, body, source, user, Date.now(), b.comment || '');
    return send(res, 201, { ...R(rulesets.get(b.name)), body });
  }
  let mm = new RegExp('^' + FW + '/rulesets/([^/]+)$').exec(p);
  if (mm) {
    const r = rulesets.get(decodeURIComponent(mm[1]));
    if (!r) return err(res, 404, 'not_found', 'no such ruleset');
    if (m === 'DELETE') {
      if (active.some((e) => e.name === r.name)) return err(res, 409, 'conflict', `${r.name} is active: apply a set without it first`);
      r.deleted = true;
      return send(res, 204, null);
    }
    return send(res, 200, { name: r.name, versions: [...r.versions].reverse().map((v) => V(r, v)), body: r.versions[r.versions.length - 1].body });
  }
  mm = new RegExp('^' + FW + '/rulesets/([^/]+)/undelete$').exec(p);
  if (mm) {
    const r = rulesets.get(decodeURIComponent(mm[1]));
    r.deleted = false;
    return send(res, 200, R(r));
  }
  mm = new RegExp('^' + FW + '/rulesets/([^/]+)/versions/(\\d+)$').exec(p);
  if (mm) {
    const r = rulesets.get(decodeURIComponent(mm[1]));
    const v = r && r.versions[Number(mm[2]) - 1];
    if (!v) return err(res, 404, 'not_found', 'no such version');
    return send(res, 200, { ...V(r, v), body: v.body });
  }
  if (p === FW + '/validate') {
    const b = await readBody(req);
    const errors = check(b.body);
    if (!errors.length) return send(res, 200, { ok: true, commands: b.body.nftables.length });
    const stage = errors.some((e) => e.stage === 'structure') ? 'structure' : 'kernel';
    const first = errors[0];
    return send(res, 200, {
      ok: false, stage,
      kernel_error: stage === 'kernel' ? `Error: ${first.message.replace(/ \(.*\)$/, '')}\nadd rule inet dhcp_inspection ${first.object.rule ? first.object.rule.chain : '?'} ${exprText(first.object.rule ? first.object.rule.expr : [])}\n^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^` : '',
      errors: errors.map(({ stage: _s, ...e }) => e),
    });
  }
  if (p === FW + '/apply' || p === FW + '/rollback') {
    const b = await readBody(req);
    let list;
    let mode;
    let rollbackOf = null;
    if (p.endsWith('/rollback')) {
      const a = applies.find((x) => x.id === b.apply_id);
      list = a.rulesets.map((s) => ({ name: s.split('@')[0], version: Number(s.split('@')[1]) }));
      mode = 'swap';
      rollbackOf = a.id;
    } else (list = b.rulesets), (mode = b.mode);
    const a = { id: nextApply++, at: now(), actor: 'user:' + user, mode, rulesets: list.map((e) => `${e.name}@${e.version}`), ok: true, stage: 'done', error: '', ms: 90 + Math.floor(Math.random() * 80), rollback_of: rollbackOf };
    const bad = list.find((e) => e.name === 'kernel-snapshot' && mode === 'merge');
    if (bad) {
      Object.assign(a, { ok: false, stage: 'dry-run', error: 'Error: Could not process rule: File exists\nadd set inet dhcp_inspection llm_blocked_marks { type mark; size 1000000; flags timeout; timeout 2h; }' });
      applies.unshift(a);
      return send(res, 422, { ok: false, apply: a, errors: [{ index: 3, object: { set: { name: 'llm_blocked_marks' } }, message: 'set exists with another timeout' }], kernel_error: a.error });
    }
    active = list;
    applies.unshift(a);
    return send(res, 200, { ok: true, apply: a });
  }
  if (p === FW + '/applies') return send(res, 200, { applies });
  if (p === FW + '/kernel') return send(res, 200, { installed: true, drift: '', body: profile('medium') });
  if (p === FW + '/diff') {
    const r = rulesets.get(q.get('name'));
    const v = q.get('version') ? Number(q.get('version')) : r.versions.length;
    const left = r.versions[v - 1].body.nftables.map((o) => JSON.stringify(o));
    const right = profile(r.name === 'medium' ? 'strict' : 'medium').nftables.map((o) => JSON.stringify(o));
    const lines = [];
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      if (left[i] === right[i]) lines.push({ op: ' ', text: left[i] });
      else {
        if (left[i] != null) lines.push({ op: '-', text: left[i] });
        if (right[i] != null) lines.push({ op: '+', text: right[i] });
      }
    }
    return send(res, 200, { left: `${r.name}@${v}`, right: 'kernel', equal: !lines.some((l) => l.op !== ' '), lines });
  }
  if (p === FW + '/export') {
    const names = q.get('names') ? q.get('names').split(',') : [...rulesets.keys()];
    const bundle = { format: 'dhcp-shield-rulesets/1', exported_at: now(), rulesets: names.map((n) => { const r = rulesets.get(n); const v = r.versions[r.versions.length - 1]; return { name: n, version: v.version, source: v.source, comment: v.comment, body: v.body }; }) };
    return send(res, 200, bundle, { 'Content-Disposition': 'attachment; filename="dhcp-shield-rulesets.json"' });
  }
  if (p === FW + '/import') {
    const b = await readBody(req);
    const force = q.get('force') === 'true';
    const imported = [];
    const skipped = [];
    for (const r of b.rulesets) {
      if (rulesets.has(r.name) && !force) skipped.push({ name: r.name, reason: 'exists (import with force for a new version)' });
      else imported.push({ name: r.name, version: addVersion(r.name, r.body, 'import', user, Date.now(), r.comment || '').version });
    }
    return send(res, 200, { imported, skipped });
  }
  if (p === FW + '/flow/types') return send(res, 200, { types: TYPES });
  if (p === FW + '/flow') return send(res, 200, flow(q.get('type') || 'DISCOVER', q.get('direction') || 'inbound'));

  // bulk
  if (p === '/api/v1/bulk/preview') {
    const b = await readBody(req);
    if (b.criteria.relay === '10.9.9.9') return send(res, 400, { error: { code: 'invalid_request', message: 'relay 10.9.9.9 was never seen', field: 'criteria.relay' } });
    const count = b.criteria.min_requests && b.criteria.min_requests > 100000 ? 0 : 4213;
    return send(res, 200, { count, sample: count ? sample(b.sample || 20) : [], query_ms: 180 + Math.floor(Math.random() * 200) });
  }
  if (p === '/api/v1/bulk/jobs' && m === 'GET') {
    for (const j of jobs) if (j.state === 'running') {
      j.done = Math.min(j.total - j.failed, j.done + 150);
      j.batches = Math.ceil((j.done + j.failed) / 500);
      if (j.done + j.failed >= j.total) (j.state = 'done'), (j.finished_at = now());
    }
    return send(res, 200, { jobs });
  }
  if (p === '/api/v1/bulk/jobs' && m === 'POST') {
    const b = await readBody(req);
    if (b.reason && b.reason.includes('bad')) return send(res, 400, { error: { code: 'invalid_request', message: 'invalid job', fields: { 'criteria.circuit': 'no such circuit at this relay', duration_seconds: 'at most 30 days' } } });
    const j = { id: 'b-' + String(jobs.length + 4).padStart(4, '0'), state: b.run_at ? 'scheduled' : 'running', action: b.action, duration_seconds: b.duration_seconds, criteria: b.criteria, reason: b.reason, created_by: user, created_at: now(), run_at: b.run_at || now(), started_at: b.run_at ? null : now(), finished_at: null, total: b.run_at ? null : 4213, done: 0, failed: 0, batches: 0, error: '' };
    jobs.unshift(j);
    return send(res, 201, j);
  }
  mm = /^\/api\/v1\/bulk\/jobs\/([^/]+)\/cancel$/.exec(p);
  if (mm) {
    const j = jobs.find((x) => x.id === mm[1]);
    j.state = 'cancelled';
    j.finished_at = now();
    return send(res, 200, j);
  }

  // captures
  if (p === '/api/v1/captures' && m === 'GET') {
    for (const c of captures) if (c.state === 'running') {
      const n = 20 + Math.floor(Math.random() * 40);
      c.packets += n;
      c.bytes += n * 350;
      c.file_bytes += n * 380;
      capCounters.offered += n * 300;
      capCounters.written += n;
      capCounters.filtered_out += n * 299;
      if (c.packets >= c.limits.max_packets) (c.state = 'stopped'), (c.stop_reason = 'max_packets'), (c.stopped_at = now());
    }
    const bytes = captures.reduce((s, c) => s + c.file_bytes, 0);
    return send(res, 200, { captures, counters: capCounters, storage: { bytes, max_bytes: 1073741824, max_age_hours: 72 } });
  }
  if (p === '/api/v1/captures' && m === 'POST') {
    const b = await readBody(req);
    if (b.max_bytes > 104857600) return send(res, 400, { error: { code: 'invalid_request', message: 'max_bytes is above the 100 MiB a capture may take', field: 'max_bytes' } });
    const c = { id: 'c-' + String(nextCap++).padStart(4, '0'), label: b.label, state: 'running', stop_reason: null, filter: b.filter, limits: { max_packets: b.max_packets, max_bytes: b.max_bytes, max_seconds: b.max_seconds }, packets: 0, bytes: 0, dropped: 0, started_at: now(), stopped_at: null, created_by: user, file_bytes: 0 };
    captures.unshift(c);
    return send(res, 201, c);
  }
  mm = /^\/api\/v1\/captures\/([^/]+)(\/stop|\/download)?$/.exec(p);
  if (mm) {
    const c = captures.find((x) => x.id === mm[1]);
    if (!c) return err(res, 404, 'not_found', 'no such capture');
    if (mm[2] === '/stop') {
      c.state = 'stopped';
      c.stop_reason = 'operator';
      c.stopped_at = now();
      return send(res, 200, c);
    }
    if (mm[2] === '/download') return send(res, 200, Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]), { 'Content-Type': 'application/x-pcapng', 'Content-Disposition': `attachment; filename="capture-${c.id}.pcapng"` });
    if (m === 'DELETE') {
      captures.splice(captures.indexOf(c), 1);
      return send(res, 204, null);
    }
    return send(res, 200, c);
  }
  return err(res, 404, 'not_found', 'no route ' + p);
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  try {
    if (url.pathname.startsWith('/api/')) return await apiRoute(req, res, url);
    let file = join(DIST, url.pathname);
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch (e) {
    send(res, 500, { error: { code: 'fixture', message: String(e.stack || e) } });
  }
}).listen(PORT, '127.0.0.1', () => console.log(`fixtures: http://127.0.0.1:${PORT} (dev only; any password, user "viewer" is a viewer)`));
