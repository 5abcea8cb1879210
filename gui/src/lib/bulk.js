/**
 * Bulk Actions (docs/gui.md "Bulk actions"), without a browser: the criteria form → the API's criteria (window
 * presets, UTC times, checked before anything is sent), the action step → a job's body, the API's field problems back
 * onto the form's fields, and a job's progress and criteria in words.
 */
import { ACTIONS, parseDuration, isIp } from './dhcp.js';
import { fmtTime, fmtDuration, fmtCount } from './format.js';
import { problemsOnForm } from './problems.js';

export const WINDOWS = [
  { id: '1h', label: 'last 1 h', secs: 3600 },
  { id: '6h', label: 'last 6 h', secs: 6 * 3600 },
  { id: '24h', label: 'last 24 h', secs: 86400 },
  { id: '7d', label: 'last 7 days', secs: 7 * 86400 },
  { id: 'custom', label: 'from … to … (UTC)', secs: null },
];
export const PAST_ACTIONS = ['any', 'block', 'deny', 'throttle', 'monitor', 'allow'];
export const NO_DURATION = ['deny', 'cleanup'];
export const BULK_DURATIONS = [
  { id: '15m', label: '15 min', secs: 900 },
  { id: '1h', label: '1 h', secs: 3600 },
  { id: '24h', label: '24 h', secs: 86400 },
  { id: '7d', label: '7 days', secs: 7 * 86400 },
  { id: 'default', label: "the action's default", secs: null },
  { id: 'custom', label: 'custom', secs: null },
];
export const SAMPLE_SIZE = 20;
export const DEFAULT_BATCH = 500;
export const MAX_BATCH = 100000;
/** The form's criteria fields, in the order the form shows them (a problem on one sends the operator to step 1). */
export const CRITERIA_FIELDS = ['window', 'since', 'until', 'past_action', 'relay', 'circuit', 'vendor_class', 'fingerprint', 'message_type', 'min_requests', 'family', 'site'];
export const JOB_FIELDS = ['action', 'duration', 'reason', 'batch_size', 'run_at'];

export function newCriteriaForm() {
  return { window: '24h', since: '', until: '', past_action: '', relay: '', circuit: '', vendor_class: '', fingerprint: '', message_type: '', min_requests: '', family: '', site: '' };
}

export function newJobForm() {
  return { action: '', duration: '1h', custom: '', reason: '', batch_size: String(DEFAULT_BATCH), when: 'now', run_at: '' };
}

/** "2026-12-04T21:30" (a datetime-local field, read as UTC like every time on these pages) → ISO, or null. */
export function utcFromLocal(local) {
  if (!local) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(local.trim());
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}${m[3] || ':00'}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

const isoSecs = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const text = (v) => {
  const t = (v ?? '').toString().trim();
  return t ? t : null;
};

/**
 * The form's criteria as the API takes them: {criteria, problems} where problems maps a form field to what is wrong
 * (nothing is sent while there is one). A preset window becomes since/until ending now, so the job acts on the
 * window the operator previewed.
 */
export function criteriaFromForm(f, nowMs = Date.now()) {
  const problems = {};
  const c = {};
  const w = WINDOWS.find((x) => x.id === f.window) || WINDOWS[2];
  if (w.secs) {
    c.since = isoSecs(nowMs - w.secs * 1000);
    c.until = isoSecs(nowMs);
  } else {
    c.since = utcFromLocal(f.since);
    c.until = utcFromLocal(f.until);
    if (!c.since) problems.since = 'A start time (UTC).';
    if (!c.until) problems.until = 'An end time (UTC).';
    if (c.since && c.until && Date.parse(c.since) >= Date.parse(c.until)) problems.until = 'The end must be after the start.';
    if (c.since && Date.parse(c.since) > nowMs) problems.since = 'The start is in the future.';
  }
  c.past_action = f.past_action && PAST_ACTIONS.includes(f.past_action) ? f.past_action : null;
  c.relay = text(f.relay);
  if (c.relay && !isIp(c.relay)) problems.relay = 'An IPv4 or IPv6 address.';
  c.circuit = text(f.circuit);
  c.vendor_class = text(f.vendor_class);
  c.fingerprint = text(f.fingerprint);
  c.message_type = text(f.message_type);
  const min = text(f.min_requests);
  c.min_requests = null;
  if (min != null) {
    if (!/^\d+$/.test(min) || Number(min) < 1) problems.min_requests = 'A whole number, 1 or more.';
    else c.min_requests = Number(min);
  }
  c.family = f.family === '4' || f.family === 4 ? 4 : f.family === '6' || f.family === 6 ? 6 : null;
  c.site = text(f.site);
  return { criteria: c, problems };
}

/** The body of POST /bulk/jobs: {body, problems}, problems by form field. */
export function jobFromForm(j, criteria, nowMs = Date.now()) {
  const problems = {};
  const action = ACTIONS.find((a) => a.id === j.action);
  if (!action) problems.action = 'Choose an action.';
  let duration = null;
  if (action && !NO_DURATION.includes(action.id)) {
    if (j.duration === 'custom') {
      duration = parseDuration(j.custom);
      if (!duration) problems.duration = 'A number with s, m, h or d, e.g. 90m or 3d.';
    } else {
      const d = BULK_DURATIONS.find((x) => x.id === j.duration);
      duration = d ? d.secs : null;
    }
  }
  const reason = (j.reason || '').trim();
  if (!reason) problems.reason = "Say why: it goes into every client's action history.";
  else if (reason.length > 500) problems.reason = 'At most 500 characters.';
  const bs = (j.batch_size ?? '').toString().trim();
  let batch = DEFAULT_BATCH;
  if (bs) {
    if (!/^\d+$/.test(bs) || Number(bs) < 1 || Number(bs) > MAX_BATCH) problems.batch_size = `A whole number from 1 to ${fmtCount(MAX_BATCH)}.`;
    else batch = Number(bs);
  }
  let runAt = null;
  if (j.when === 'at') {
    runAt = utcFromLocal(j.run_at);
    if (!runAt) problems.run_at = 'A date and time (UTC).';
    else if (Date.parse(runAt) <= nowMs) problems.run_at = 'That time has passed: choose a later one, or run now.';
  }
  return {
    body: { criteria, action: action ? action.id : j.action, duration_seconds: duration, reason, batch_size: batch, run_at: runAt },
    problems,
  };
}

/** The form field an API field names: "criteria.relay" → relay, "duration_seconds" → duration. */
export function formField(apiField) {
  const f = String(apiField || '').replace(/^criteria\./, '');
  if (f === 'duration_seconds') return 'duration';
  if (f === 'sample') return null;
  return [...CRITERIA_FIELDS, ...JOB_FIELDS].includes(f) ? f : null;
}

/** A refusal's problems on the wizard's fields (lib/problems.js). */
export const serverProblems = (e) => problemsOnForm(e, formField);

/** Does a set of problems touch step 1 (the criteria)? */
export function touchesCriteria(fields) {
  return Object.keys(fields || {}).some((f) => CRITERIA_FIELDS.includes(f));
}

/** The criteria in one line: "DISCOVER · relay 10.0.0.1 · ≥ 10 requests · v4 · 2026-12-04 21:00:00 – 22:00:00". */
export function criteriaSummary(c) {
  if (!c) return '—';
  const parts = [];
  if (c.message_type) parts.push(c.message_type);
  if (c.past_action) parts.push(c.past_action === 'any' ? 'had any action' : `had ${c.past_action}`);
  if (c.relay) parts.push('relay ' + c.relay);
  if (c.circuit) parts.push('circuit ' + c.circuit);
  if (c.vendor_class) parts.push(`vendor class ~ "${c.vendor_class}"`);
  if (c.fingerprint) parts.push('fingerprint ' + c.fingerprint);
  if (c.min_requests != null) parts.push(`≥ ${fmtCount(c.min_requests)} requests`);
  if (c.family) parts.push('v' + c.family);
  if (c.site) parts.push('site ' + c.site);
  if (c.since || c.until) parts.push(`${c.since ? fmtTime(c.since) : '…'} – ${c.until ? fmtTime(c.until) : 'now'}`);
  return parts.join(' · ') || 'every client';
}

/** "Block 1,234 clients for 1 h, 500 per batch, now" — the sentence the confirm asks about. */
export function jobSentence(body, count) {
  const a = ACTIONS.find((x) => x.id === body.action);
  const verb = a ? a.label : body.action;
  const n = count == null ? 'the matching clients' : `${fmtCount(count)} client${count === 1 ? '' : 's'}`;
  const dur = NO_DURATION.includes(body.action) ? '' : body.duration_seconds ? ` for ${fmtDuration(body.duration_seconds)}` : " for the action's default time";
  const when = body.run_at ? `at ${fmtTime(body.run_at)} UTC` : 'now';
  return `${verb} ${n}${dur}, ${fmtCount(body.batch_size)} per batch, ${when}`;
}

export const ACTIVE_STATES = ['scheduled', 'running'];
export const isActive = (j) => !!j && ACTIVE_STATES.includes(j.state);

/** {done, failed, total, pct}: pct of total handled (done + failed), null while the total is not known. */
export function jobProgress(j) {
  const done = Number(j && j.done) || 0;
  const failed = Number(j && j.failed) || 0;
  const total = j && j.total != null ? Number(j.total) : null;
  const pct = total ? Math.min(100, Math.round(((done + failed) / total) * 100)) : total === 0 ? 100 : null;
  return { done, failed, total, pct };
}

/** The actor of the actions a job took, and where the Actions page lists them. */
export const jobActor = (j) => 'bulk_job:' + j.id;
export const jobHistoryHref = (j) => '/actions?actor=' + encodeURIComponent(jobActor(j));
