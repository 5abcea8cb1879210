/**
 * Alarms and notifications as the GUI keeps them (docs/alarms.md), without a browser: severity order, the Alarms
 * page's filter (URL ⇄ API query ⇄ local match for stream changes), a stream change merged into a list and into the
 * bell's summary, the bell's unread count, sink states in plain words, and a notification route as a form and back.
 */
import { RANGES, rangeById } from './timerange.js';

export const SEVERITIES = ['info', 'warning', 'critical'];
export const CHANNELS = ['dhcp', 'detector', 'automation', 'system'];
export const CATEGORIES = ['security', 'traffic', 'client', 'health'];
export const STATE_FILTERS = ['open', 'raised', 'acknowledged', 'cleared', 'all'];
/** How many open alarms the summary lists (`latest`, ≤ 10). */
export const LATEST_MAX = 10;

/** 0 info, 1 warning, 2 critical; -1 for anything else (an unknown severity never outranks a known one). */
export function severityRank(s) {
  return SEVERITIES.indexOf(s);
}

/** The highest severity with a non-zero count in `by_severity`, or null when nothing is open. */
export function highestSeverity(bySeverity) {
  if (!bySeverity) return null;
  for (let i = SEVERITIES.length - 1; i >= 0; i--) if (bySeverity[SEVERITIES[i]] > 0) return SEVERITIES[i];
  return null;
}

/** Alarms highest severity first, then newest raised first. */
export function bySeverityThenNewest(a, b) {
  return severityRank(b.severity) - severityRank(a.severity) || ms(b.raised_at) - ms(a.raised_at);
}

export const isOpen = (a) => !!a && a.state !== 'cleared';

function ms(t) {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? 0 : v;
}

// ---- the Alarms page's filter ----

export const FILTER_FIELDS = ['state', 'severity', 'channel', 'category', 'kind', 'q', 'range'];
/** The time ranges a history search may take: any time, or one of the dashboard's windows ending now. */
export const ALARM_RANGES = [{ id: '', label: 'any time' }, ...RANGES.map((r) => ({ id: r.id, label: 'last ' + r.label }))];

/** A filter with fields trimmed, unknown values dropped and the defaults (state open) left implicit. */
export function normalizeAlarmFilter(f = {}) {
  const out = {};
  for (const k of FILTER_FIELDS) {
    const v = f[k] == null ? '' : String(f[k]).trim();
    if (!v) continue;
    if (k === 'state' && (!STATE_FILTERS.includes(v) || v === 'open')) continue;
    if (k === 'severity' && (!SEVERITIES.includes(v) || v === 'info')) continue;
    if (k === 'range' && !RANGES.some((r) => r.id === v)) continue;
    out[k] = k === 'q' ? v : v.toLowerCase();
  }
  return out;
}

export function alarmFilterFromQuery(q) {
  const f = {};
  for (const k of FILTER_FIELDS) if (q.get(k) != null) f[k] = q.get(k);
  return normalizeAlarmFilter(f);
}

/** The page's URL for a filter: `/alarms` with only what differs from the defaults. */
export function alarmsHref(f) {
  const n = normalizeAlarmFilter(f);
  const q = new URLSearchParams();
  for (const k of FILTER_FIELDS) if (n[k]) q.set(k, n[k]);
  const s = q.toString();
  return '/alarms' + (s ? '?' + s : '');
}

/** The start of a range ending now, to the second (no bucket rounding: "last 24 h" means all of it). */
function rangeFrom(id, nowMs) {
  return new Date(Math.floor((nowMs - rangeById(id).secs * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The `GET /api/v1/alarms` query for a filter: the range becomes `from` (no `to`, so alarms raised after the search
 * still belong to it and the stream's changes can be merged in).
 */
export function alarmApiQuery(f, { limit = 500, nowMs = Date.now() } = {}) {
  const n = normalizeAlarmFilter(f);
  const q = { state: n.state || 'open', limit };
  for (const k of ['severity', 'channel', 'category', 'kind', 'q']) if (n[k]) q[k] = n[k];
  if (n.range) q.from = rangeFrom(n.range, nowMs);
  return q;
}

/** Whether an alarm belongs to the list the API gave for `f` (the server's rules, `q` case-insensitive). */
export function matchesAlarmFilter(a, f, { nowMs = Date.now() } = {}) {
  const n = normalizeAlarmFilter(f);
  const state = n.state || 'open';
  if (state === 'open' ? !isOpen(a) : state !== 'all' && a.state !== state) return false;
  if (n.severity && severityRank(a.severity) < severityRank(n.severity)) return false;
  if (n.channel && a.channel !== n.channel) return false;
  if (n.category && a.category !== n.category) return false;
  if (n.kind && a.kind !== n.kind) return false;
  if (n.q) {
    const q = n.q.toLowerCase();
    const hit = (s) => typeof s === 'string' && s.toLowerCase().includes(q);
    if (!hit(a.source_key) && !hit(a.title) && !(a.context || []).some((p) => hit(p.id))) return false;
  }
  if (n.range && ms(a.raised_at) < Date.parse(rangeFrom(n.range, nowMs))) return false;
  return true;
}

const newestFirst = (a, b) => ms(b.raised_at) - ms(a.raised_at);

/**
 * A stream message `{change, alarm}` merged into a newest-first list shown for filter `f`: the alarm replaces its
 * older self, comes in at its place when it now matches, leaves when it no longer does (an open list loses a
 * cleared alarm). At most `limit` rows. Returns the same array when nothing changed.
 */
export function mergeChange(list, msg, f, { limit = 500, nowMs = Date.now() } = {}) {
  const a = msg && msg.alarm;
  if (!a || !a.id) return list;
  const i = list.findIndex((x) => x.id === a.id);
  if (!matchesAlarmFilter(a, f, { nowMs })) return i < 0 ? list : list.filter((_, j) => j !== i);
  const next = i < 0 ? [a, ...list] : list.map((x, j) => (j === i ? a : x));
  next.sort(newestFirst);
  return next.length > limit ? next.slice(0, limit) : next;
}

// ---- the bell ----

/** When an alarm was last news to the bell: its escalation if the bell saw one, else when it was raised. */
export function newsTime(a) {
  return Math.max(ms(a.raised_at), ms(a.news_at));
}

function count(n) {
  return Math.max(0, Number(n) || 0);
}

/** The summary as the bell keeps it: counts, and `latest` sorted by news (an escalation brings an alarm up). */
export function normalizeSummary(s, previous) {
  const prev = new Map(((previous && previous.latest) || []).map((a) => [a.id, a]));
  const latest = ((s && s.latest) || []).map((a) => {
    const p = prev.get(a.id);
    return p && p.news_at && ms(p.news_at) > ms(a.raised_at) ? { ...a, news_at: p.news_at } : a;
  });
  latest.sort((a, b) => newsTime(b) - newsTime(a));
  const bs = (s && s.by_severity) || {};
  return {
    raised: count(s && s.raised),
    acknowledged: count(s && s.acknowledged),
    by_severity: { critical: count(bs.critical), warning: count(bs.warning), info: count(bs.info) },
    latest: latest.slice(0, LATEST_MAX),
  };
}

/**
 * The summary after a stream message. `prev` is the alarm as last known (from the summary, a list, a detail or an
 * earlier message; null when never seen), which makes repeated messages harmless: a change to the state the alarm is
 * already known in counts nothing. Returns {summary, stale}: stale when the counts or `latest` could not be kept
 * exact (an escalation of an alarm never seen, `latest` short of open alarms it does not hold), so the caller
 * fetches the summary again.
 */
export function applyToSummary(summary, msg, prev) {
  const a = msg && msg.alarm;
  if (!a || !a.id) return { summary, stale: false };
  const change = msg.change;
  const s = { ...summary, by_severity: { ...summary.by_severity } };
  const sev = (k, d) => {
    if (SEVERITIES.includes(k)) s.by_severity[k] = count(s.by_severity[k] + d);
  };
  const st = (k, d) => {
    if (k === 'raised' || k === 'acknowledged') s[k] = count(s[k] + d);
  };
  let stale = false;

  if (change === 'cleared') {
    if (!prev || isOpen(prev)) {
      // never seen: it was acknowledged before it cleared if it carries acknowledged_at
      st(prev ? prev.state : a.acknowledged_at ? 'acknowledged' : 'raised', -1);
      sev(prev ? prev.severity : a.severity, -1);
    }
  } else if (isOpen(a)) {
    if (prev && isOpen(prev)) {
      if (prev.state !== a.state) {
        st(prev.state, -1);
        st(a.state, +1);
      }
      if (prev.severity !== a.severity) {
        sev(prev.severity, -1);
        sev(a.severity, +1);
      }
    } else if (!prev && change === 'raised') {
      st(a.state, +1);
      sev(a.severity, +1);
    } else if (!prev) {
      // never seen but not new: raised before the summary was read, so counted in it already
      if (a.state === 'acknowledged' && change === 'acknowledged') {
        st('raised', -1);
        st('acknowledged', +1);
      }
      if (change === 'escalated') {
        // the severity it left is unknown: count the new one now (the colour must not wait), then fetch again
        sev(a.severity, +1);
        stale = true;
      }
    }
    // a cleared alarm never opens again (a recurrence is a new alarm): a late message about it counts nothing
  }

  // latest: the open alarms with the newest news
  const old = summary.latest.find((x) => x.id === a.id);
  let latest = summary.latest.filter((x) => x.id !== a.id);
  if (isOpen(a)) {
    const news = change === 'escalated' ? a.last_seen || new Date().toISOString() : old && old.news_at;
    const entry = news && ms(news) > ms(a.raised_at) ? { ...a, news_at: news } : a;
    if (old || change === 'raised' || change === 'escalated' || latest.length < LATEST_MAX) {
      latest.push(entry);
      latest.sort((x, y) => newsTime(y) - newsTime(x));
      latest = latest.slice(0, LATEST_MAX);
    }
  }
  s.latest = latest;
  if (latest.length < Math.min(LATEST_MAX, s.raised + s.acknowledged)) stale = true;
  return { summary: s, stale };
}

/**
 * The bell's unread count: open alarms in `latest` that were raised or escalated after `seenMs` (the news time last
 * seen in the drop-down, in the appliance's clock). `more` when every listed alarm is unread and more are open than
 * are listed: the count is then a lower bound ("10+").
 */
export function unreadCount(summary, seenMs) {
  const latest = (summary && summary.latest) || [];
  const n = latest.filter((a) => isOpen(a) && newsTime(a) > (seenMs || 0)).length;
  const open = summary ? summary.raised + summary.acknowledged : 0;
  return { n, more: n > 0 && n === latest.length && open > latest.length };
}

/** What the drop-down has shown once opened: the newest news in it, never going back. */
export function seenMark(summary, previousMs) {
  let m = previousMs || 0;
  for (const a of (summary && summary.latest) || []) m = Math.max(m, newsTime(a));
  return m;
}

/** The localStorage key for a user's last-seen mark (per username: several operators share a browser). */
export function seenKey(username) {
  return 'dhcp-shield.alarms.seen.' + username;
}

/** "12 s", "4 min", "3 h", "2 d" since an ISO time. */
export function fmtAge(t, nowMs = Date.now()) {
  const v = ms(t);
  if (!v) return '—';
  const s = Math.max(0, Math.round((nowMs - v) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

// ---- notifications ----

/** A sink's circuit-breaker state as the operator reads it. */
export function sinkStateText(sink) {
  if (!sink) return '';
  if (sink.enabled === false) return 'disabled';
  return { closed: 'delivering', open: 'paused: endpoint failing', half_open: 'trying again' }[sink.state] || sink.state || 'unknown';
}

/** ok / bad / warn, for the state's colour. */
export function sinkStateLevel(sink) {
  if (!sink || sink.enabled === false) return 'warn';
  return { closed: 'ok', open: 'bad', half_open: 'warn' }[sink.state] || 'warn';
}

export const ROUTE_FIELDS = ['name', 'enabled', 'channels', 'categories', 'min_severity', 'source_key_regex', 'sinks'];

/** A new route's form: enabled, every channel and category, warning and above, to the bell. */
export function newRouteForm() {
  return { name: '', enabled: true, channels: [], categories: [], min_severity: 'warning', source_key_regex: '', sinks: ['bell'] };
}

/** A route (API JSON) as the editor's form. */
export function routeToForm(r) {
  const arr = (v) => (Array.isArray(v) ? [...v] : []);
  return {
    name: r.name || '',
    enabled: r.enabled !== false,
    channels: arr(r.channels),
    categories: arr(r.categories),
    min_severity: SEVERITIES.includes(r.min_severity) ? r.min_severity : r.min_severity || 'info',
    source_key_regex: r.source_key_regex || '',
    sinks: arr(r.sinks),
  };
}

/** Values in the order of `known`, then any others in their own order, without duplicates. */
function ordered(values, known) {
  const set = new Set(values);
  return [...known.filter((k) => set.has(k)), ...[...set].filter((v) => !known.includes(v))];
}

/** The form as the route's JSON (no `id`: POST takes none; the caller adds it for PUT). */
export function formToRoute(f, { sinks = [] } = {}) {
  return {
    name: f.name.trim(),
    enabled: !!f.enabled,
    channels: ordered(f.channels, CHANNELS),
    categories: ordered(f.categories, CATEGORIES),
    min_severity: f.min_severity,
    source_key_regex: f.source_key_regex.trim(),
    sinks: ordered(f.sinks, sinks),
  };
}

/** A checkbox group's values after one box changed. */
export function toggled(values, value, on) {
  return on ? (values.includes(value) ? values : [...values, value]) : values.filter((v) => v !== value);
}

/** "all" for an empty list (an empty list matches everything), else the values. */
export function fmtAllOr(list) {
  return list && list.length ? list.join(', ') : 'all';
}

/**
 * The route field a 400 is about: the error's `field` when it names one, else the first field named in the message,
 * else the regex when the message speaks of a pattern or the form's regex does not even compile here (Java's and
 * JavaScript's syntaxes differ, but one both refuse is the likely refusal); null for the whole form.
 */
export function routeErrorField(e, form) {
  if (!e) return null;
  if (e.field && ROUTE_FIELDS.includes(e.field)) return e.field;
  const m = new RegExp(`\\b(${ROUTE_FIELDS.join('|')})\\b`).exec(e.message || '');
  if (m) return m[1];
  if (/regex|pattern|syntax/i.test(e.message || '')) return 'source_key_regex';
  if (form && form.source_key_regex && !compiles(form.source_key_regex)) return 'source_key_regex';
  return null;
}

function compiles(re) {
  try {
    new RegExp(re);
    return true;
  } catch {
    return false;
  }
}
