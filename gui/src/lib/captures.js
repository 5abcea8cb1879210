/**
 * Packet captures (docs/gui.md "Captures"), without a browser: the start form → POST /captures (filter fields only
 * when given, limits in the API's units), the API's field problems back on the form, and a session's filter, limits,
 * stop reason and the storage in words.
 */
import { isIp, TYPE_NAMES } from './dhcp.js';
import { fmtCount, fmtBytes, fmtDuration } from './format.js';
import { problemsOnForm } from './problems.js';

export const FILTER_FIELDS = ['mac', 'duid', 'message_type', 'relay', 'circuit', 'direction', 'site'];
export const DIRECTIONS = ['inbound', 'outbound'];
const MIB = 1048576;

export function newCaptureForm() {
  return { label: '', mac: '', duid: '', message_type: '', relay: '', circuit: '', direction: '', site: '', max_packets: '1000', max_mib: '10', max_seconds: '300' };
}

/** "00-0C-01-02-03-04" → "00:0c:01:02:03:04", or null when not a MAC. */
export function normalizeMac(text) {
  const t = (text || '').trim().toLowerCase();
  if (/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/.test(t)) return t.replace(/-/g, ':');
  if (/^[0-9a-f]{12}$/.test(t)) return t.match(/../g).join(':');
  return null;
}

/** "00:01:00:01:..." or "000100..." → colon hex, or null (a DUID is 3 to 130 bytes). */
export function normalizeDuid(text) {
  const t = (text || '').trim().toLowerCase();
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){2,129}$/.test(t)) return t;
  if (/^([0-9a-f]{2}){3,130}$/.test(t)) return t.match(/../g).join(':');
  return null;
}

function positiveInt(v) {
  const t = (v ?? '').toString().trim();
  return /^\d+$/.test(t) && Number(t) >= 1 ? Number(t) : null;
}

/** The form as POST /captures takes it: {body, problems}, problems by form field. */
export function captureBody(f) {
  const problems = {};
  const filter = {};
  const given = (k) => (f[k] ?? '').toString().trim();
  if (given('mac')) {
    const m = normalizeMac(f.mac);
    if (m) filter.mac = m;
    else problems.mac = 'A MAC address, e.g. 00:0c:01:02:03:04.';
  }
  if (given('duid')) {
    const d = normalizeDuid(f.duid);
    if (d) filter.duid = d;
    else problems.duid = 'A DUID in hex, e.g. 00:01:00:01:2c:...';
  }
  if (given('message_type')) {
    if (TYPE_NAMES.includes(given('message_type').toUpperCase())) filter.message_type = given('message_type').toUpperCase();
    else problems.message_type = 'A DHCP message type.';
  }
  if (given('relay')) {
    if (isIp(f.relay)) filter.relay = given('relay');
    else problems.relay = 'An IPv4 or IPv6 address.';
  }
  if (given('circuit')) filter.circuit = given('circuit');
  if (given('direction')) {
    if (DIRECTIONS.includes(given('direction'))) filter.direction = given('direction');
    else problems.direction = 'inbound or outbound.';
  }
  if (given('site')) filter.site = given('site');
  const body = { label: given('label'), filter };
  if (body.label.length > 120) problems.label = 'At most 120 characters.';
  const packets = positiveInt(f.max_packets);
  if (packets == null) problems.max_packets = 'A whole number, 1 or more.';
  const mib = Number((f.max_mib ?? '').toString().trim());
  if (!(mib > 0) || !Number.isFinite(mib)) problems.max_mib = 'A size in MiB above 0, e.g. 10 or 0.5.';
  const secs = positiveInt(f.max_seconds);
  if (secs == null) problems.max_seconds = 'A whole number of seconds, 1 or more.';
  body.max_packets = packets;
  body.max_bytes = mib > 0 ? Math.max(1, Math.round(mib * MIB)) : null;
  body.max_seconds = secs;
  return { body, problems };
}

/** The form field an API field names: "filter.mac" → mac, "max_bytes" → max_mib. */
export function captureFormField(apiField) {
  const f = String(apiField || '').replace(/^(filter|limits)\./, '');
  if (f === 'max_bytes') return 'max_mib';
  return [...FILTER_FIELDS, 'label', 'max_packets', 'max_seconds'].includes(f) ? f : null;
}

/** A refusal's problems on the start form's fields (lib/problems.js). */
export const captureProblems = (e) => problemsOnForm(e, captureFormField);

/** "mac 00:0c:… · DISCOVER · inbound" or "all DHCP". */
export function filterSummary(filter) {
  const f = filter || {};
  const parts = [];
  if (f.mac) parts.push('mac ' + f.mac);
  if (f.duid) parts.push('duid ' + f.duid);
  if (f.message_type) parts.push(f.message_type);
  if (f.direction) parts.push(f.direction);
  if (f.relay) parts.push('relay ' + f.relay);
  if (f.circuit) parts.push('circuit ' + f.circuit);
  if (f.site) parts.push('site ' + f.site);
  return parts.join(' · ') || 'all DHCP';
}

/** "1,000 packets · 10.0 MiB · 5 min" */
export function limitsText(l) {
  if (!l) return '—';
  const parts = [];
  if (l.max_packets != null) parts.push(`${fmtCount(l.max_packets)} packets`);
  if (l.max_bytes != null) parts.push(fmtBytes(l.max_bytes));
  if (l.max_seconds != null) parts.push(fmtDuration(l.max_seconds));
  return parts.join(' · ') || '—';
}

const REASONS = {
  operator: 'stopped by an operator',
  max_packets: 'packet limit reached',
  max_bytes: 'size limit reached',
  max_seconds: 'time limit reached',
  shutdown: 'the appliance shut down',
};

export function stopReasonText(r) {
  return r ? REASONS[r] || r : '';
}

export const anyRunning = (list) => (list || []).some((p) => p.state === 'running');

/** "120.5 MiB of 1.00 GiB used (12 %); files are kept 72 h" */
export function storageText(s) {
  if (!s) return '';
  const pct = s.max_bytes ? ` (${Math.round((s.bytes / s.max_bytes) * 100)} %)` : '';
  const used = `${fmtBytes(s.bytes)}${s.max_bytes ? ' of ' + fmtBytes(s.max_bytes) : ''} used${pct}`;
  return s.max_age_hours != null ? `${used}; files are kept ${fmtCount(s.max_age_hours)} h` : used;
}

/** The download's name when the API gives none. */
export const captureFileName = (p) => `capture-${p.id}.pcapng`;

/**
 * The counters as facts to show: [{key, label, value, detail}]. A counter by reason ({"operator": 1, "max_packets": 2})
 * is one fact with its sum and the reasons as detail.
 */
export function counterFacts(counters) {
  const out = [];
  for (const [k, v] of Object.entries(counters || {})) {
    if (v && typeof v === 'object') {
      const parts = Object.entries(v);
      const sum = parts.reduce((a, [, n]) => a + (Number(n) || 0), 0);
      const detail = parts.filter(([, n]) => Number(n) > 0).map(([r, n]) => `${r.replace(/_/g, ' ')} ${n}`).join(', ');
      out.push({ key: k, label: k.replace(/_/g, ' '), value: sum, detail });
    } else {
      out.push({ key: k, label: k.replace(/_/g, ' '), value: Number(v) || 0, detail: '' });
    }
  }
  return out;
}
