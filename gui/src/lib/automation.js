/**
 * Automation rules as the operator reads them (docs/automation.md): what each source allows, one-line summaries of a
 * rule's source, metric and tiers, and the API's validation answer ("field: ...; field: ...") split back into
 * problems per field so the editor can show each next to its control.
 */

/** What each source has; anything else is a validation error on the server (this only guides the form). */
export const SOURCES = {
  client_minute_stats: {
    label: 'client stats',
    filters: ['message_type', 'family', 'site'],
    groupBy: ['client', 'site'],
    metrics: ['count', 'rate', 'distinct_macs', 'never_completed'],
    maxWindow: 10080,
  },
  relay_minute_stats: {
    label: 'relay stats',
    filters: ['message_type', 'family', 'site', 'relay', 'circuit', 'remote_id'],
    groupBy: ['relay', 'circuit', 'site'],
    metrics: ['count', 'rate', 'distinct_circuits'],
    maxWindow: 10080,
  },
  vendor_class_hour_stats: {
    label: 'vendor class stats (hourly)',
    filters: ['message_type', 'family', 'site', 'vendor_class'],
    groupBy: ['vendor_class', 'site'],
    metrics: ['count', 'rate'],
    maxWindow: 10080,
    hourly: true,
  },
  dhcp_events: {
    label: 'events',
    filters: ['message_type', 'family', 'direction', 'relay', 'circuit', 'remote_id', 'vendor_class', 'hostname', 'fingerprint', 'site'],
    groupBy: ['client', 'relay', 'circuit', 'site', 'vendor_class'],
    metrics: ['count', 'rate', 'distinct_macs', 'distinct_duids', 'distinct_circuits', 'never_completed'],
    maxWindow: 1440,
  },
};

export const GROUP_KEYS = ['client', 'relay', 'circuit', 'site', 'vendor_class'];
export const METRICS = ['count', 'rate', 'distinct_macs', 'distinct_duids', 'distinct_circuits', 'never_completed'];
export const OUTCOMES = ['block', 'deny', 'throttle', 'monitor', 'allow', 'analyze', 'alarm'];
/** The outcomes that take a duration_minutes (deny is permanent; analyze and alarm act on nothing in the kernel). */
export const TIMED = ['block', 'throttle', 'monitor', 'allow'];
export const SEVERITIES = ['info', 'warning', 'critical'];
export const MATCHES = ['exact', 'wildcard', 'regex'];

const METRIC_WORDS = {
  count: 'count',
  rate: 'rate',
  distinct_macs: 'distinct MACs',
  distinct_duids: 'distinct DUIDs',
  distinct_circuits: 'distinct circuits',
  never_completed: 'never completed',
};

/** "1 min", "10 min", "1 h", "1 h 30 min", "1 d", "7 d" from minutes. */
export function fmtMinutes(m) {
  if (m == null || Number.isNaN(Number(m))) return '—';
  m = Number(m);
  if (m < 60) return `${m} min`;
  if (m % 1440 === 0) return `${m / 1440} d`;
  if (m >= 1440) {
    const d = Math.floor(m / 1440);
    const h = Math.round((m % 1440) / 60);
    return h ? `${d} d ${h} h` : `${d} d`;
  }
  const h = Math.floor(m / 60);
  const r = m % 60;
  return r ? `${h} h ${r} min` : `${h} h`;
}

/** A metric value: whole numbers grouped, fractions to two places (rates). */
export function fmtValue(v) {
  if (v == null || Number.isNaN(Number(v))) return '—';
  const n = Number(v);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 0 });
}

/** One tier: "300 → throttle 1 h", "200/min → block 2 h", "5,000/min → alarm". */
export function fmtThreshold(t, metric) {
  if (!t) return '';
  const unit = metric === 'rate' ? '/min' : '';
  const d = t.duration_minutes != null ? ' ' + fmtMinutes(t.duration_minutes) : t.action === 'deny' ? ' permanent' : '';
  return `${fmtValue(t.value)}${unit} → ${t.action}${d}`;
}

export function thresholdsSummary(rule) {
  const list = (rule && rule.thresholds) || [];
  return list.map((t) => fmtThreshold(t, rule.metric)).join(' · ');
}

/** "client stats, 10 min" */
export function sourceSummary(rule) {
  if (!rule) return '';
  const s = SOURCES[rule.source];
  return `${s ? s.label : rule.source || '?'}, ${fmtMinutes(rule.window_minutes)}`;
}

/** "count per client", "distinct MACs per relay + circuit", "rate (per min) per client" */
export function metricSummary(rule) {
  if (!rule) return '';
  const m = METRIC_WORDS[rule.metric] || rule.metric || '?';
  const by = (rule.group_by || []).join(' + ');
  return `${m}${rule.metric === 'rate' ? ' (per min)' : ''}${by ? ' per ' + by : ''}`;
}

/** One filter: "message_type = DISCOVER", "message_type ~ ^(RELEASE|DECLINE)$", "hostname like android-*", "not ...". */
export function fmtFilter(f) {
  const op = f.match === 'regex' ? '~' : f.match === 'wildcard' ? 'like' : '=';
  return `${f.negate ? 'not ' : ''}${f.field} ${op} ${f.value}`;
}

export function filtersSummary(rule) {
  const list = (rule && rule.filters) || [];
  return list.length ? list.map(fmtFilter).join(' and ') : 'all traffic';
}

/** The rule in one sentence, for the editor's head and screen readers. */
export function ruleSummary(rule) {
  if (!rule) return '';
  return (
    `Every ${fmtMinutes(rule.every_minutes)}: ${metricSummary(rule)} of ${filtersSummary(rule)} ` +
    `over ${fmtMinutes(rule.window_minutes)} of ${SOURCES[rule.source] ? SOURCES[rule.source].label : rule.source}; ` +
    `${thresholdsSummary(rule) || 'no thresholds'}`
  );
}

/** A hit's key as text: "client=02:00:5e:00:99:01 circuit=eth0/1". */
export function fmtHitKey(key) {
  if (!key) return '—';
  return Object.entries(key)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export const HIT_STATUS = {
  would_act: 'would act',
  would_alarm: 'would alarm',
  would_be_suppressed: 'would be suppressed',
  acted: 'acted',
  alarmed: 'alarmed',
  suppressed: 'suppressed',
  superseded: 'superseded',
  failed: 'failed',
};

export function fmtHitStatus(s) {
  return HIT_STATUS[s] || String(s || '').replace(/_/g, ' ');
}

/** The newest run of each rule from a newest-first list of runs (the rules table's "last run"). */
export function lastRunByRule(runs) {
  const m = new Map();
  for (const r of runs || []) {
    const prev = m.get(r.rule_id);
    if (!prev || Date.parse(r.at) > Date.parse(prev.at)) m.set(r.rule_id, r);
  }
  return m;
}

// ---- validation messages ----

const ROOT_FIELDS = [
  'id', 'name', 'description', 'enabled', 'priority', 'every_minutes', 'source', 'window_minutes', 'filters', 'group_by',
  'metric', 'thresholds', 'suppress_minutes', 'severity',
];
const FIELD_PATH = /^([a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*)*)(?::|\s|$)/;
// a problem starts with a rule field's path; "; " inside a problem ("deny is permanent; use block") does not split
const NEXT_PROBLEM = new RegExp(`; (?=(?:${ROOT_FIELDS.join('|')})(?:\\[\\d+\\])?(?:\\.[a-z_]+)*(?::|\\s|$)|[a-z_][a-z0-9_.\\[\\]]* is not a rule field)`);

/**
 * The API's 400 message for a rule ("field: ...; field ...") as problems [{field, message}]: field is the path the
 * problem names ("thresholds[1].value", "group_by[1]", "metric") or null when it names none.
 */
export function splitProblems(message) {
  if (!message) return [];
  return String(message)
    .split(NEXT_PROBLEM)
    .map((m) => m.trim())
    .filter(Boolean)
    .map((m) => {
      const f = FIELD_PATH.exec(m);
      const field = f && (ROOT_FIELDS.includes(f[1].split(/[.[]/)[0]) || / is not a rule field/.test(m)) ? f[1] : null;
      return { field, message: m };
    });
}

/** The problems for one control: its own path and everything under it ("thresholds[1]" gets "thresholds[1].value"). */
export function problemsFor(problems, path) {
  return (problems || []).filter(
    (p) => p.field && (p.field === path || p.field.startsWith(path + '.') || p.field.startsWith(path + '[')),
  );
}

/** Problems no control shows: with no field, or naming a field the form has no control for. */
export function otherProblems(problems, paths) {
  return (problems || []).filter((p) => !p.field || !paths.some((path) => problemsFor([p], path).length));
}

// ---- the editor's draft ----

/** A new rule to start from: the shape of the seed rules, with nothing that acts. */
export function newRule() {
  return {
    id: '',
    name: '',
    description: '',
    enabled: false,
    priority: 100,
    every_minutes: 5,
    source: 'client_minute_stats',
    window_minutes: 10,
    filters: [{ field: 'message_type', match: 'exact', value: 'DISCOVER' }],
    group_by: ['client'],
    metric: 'count',
    thresholds: [{ value: 100, action: 'monitor', duration_minutes: 60 }],
    suppress_minutes: 10,
    severity: 'warning',
  };
}

/** The draft's text parsed: {rule} or {error} (the JSON parser's message), so the form shows why it cannot follow. */
export function parseDraft(text) {
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: 'the rule must be a JSON object' };
    return { rule: v };
  } catch (e) {
    return { error: e.message };
  }
}

export function draftText(rule) {
  return JSON.stringify(rule, null, 2);
}

/** A number input's text as the rule's value: a number when it is one, else the text (the server names the problem). */
export function numberOrText(s) {
  const t = String(s).trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** A threshold whose action changed: keeps duration_minutes only where it applies. */
export function withAction(t, action) {
  const out = { ...t, action };
  if (!TIMED.includes(action)) delete out.duration_minutes;
  else if (out.duration_minutes == null) out.duration_minutes = 60;
  return out;
}

// ---- analysis ----

export const ANALYSIS_STATES = ['queued', 'running', 'held', 'applied', 'approved', 'rejected', 'invalid', 'failed', 'skipped'];

/** Whether an analysis is still moving (the page polls while one is). */
export function analysisOpen(state) {
  return state === 'queued' || state === 'running';
}

/** What an analysis target reads as: its value, and the mark when the value is not the mark. */
export function fmtTarget(t) {
  if (!t) return '—';
  if (typeof t === 'string') return t;
  return t.value || t.client_mark || '—';
}
