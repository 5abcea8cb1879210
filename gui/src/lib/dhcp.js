/** DHCP message types by family and code, with the direction they travel (in: client to server, out: back). */
const V4 = {
  '-1': ['BOOTP', 'in'],
  1: ['DISCOVER', 'in'],
  2: ['OFFER', 'out'],
  3: ['REQUEST', 'in'],
  4: ['DECLINE', 'in'],
  5: ['ACK', 'out'],
  6: ['NAK', 'out'],
  7: ['RELEASE', 'in'],
  8: ['INFORM', 'in'],
};
const V6 = {
  // The inner type of a relay message whose innermost message is missing or past the decoder's depth limit.
  '-1': ['RELAY without a readable message', 'in'],
  1: ['SOLICIT', 'in'],
  2: ['ADVERTISE', 'out'],
  3: ['REQUEST', 'in'],
  4: ['CONFIRM', 'in'],
  5: ['RENEW', 'in'],
  6: ['REBIND', 'in'],
  7: ['REPLY', 'out'],
  8: ['RELEASE', 'in'],
  9: ['DECLINE', 'in'],
  10: ['RECONFIGURE', 'out'],
  11: ['INFORMATION-REQUEST', 'in'],
  12: ['RELAY-FORW', 'in'],
  13: ['RELAY-REPL', 'out'],
};

export function messageType(family, code) {
  const t = (family === 6 ? V6 : V4)[code];
  if (!t) return { name: `v${family} type ${code}`, dir: 'in' };
  return { name: t[0], dir: t[1] };
}

/** "v4 DISCOVER"; an unnamed code is "v6 type 99" (not "v6 v6 type 99"). */
export function seriesLabel(family, code) {
  const t = (family === 6 ? V6 : V4)[code];
  return t ? `v${family} ${t[0]}` : messageType(family, code).name;
}

/** Every type name the filter offers (outer or inner), v4 then v6, without duplicates. */
export const TYPE_NAMES = [...new Set([...Object.values(V4), ...Object.values(V6)].map((t) => t[0]))];

export const ACTIONS = [
  { id: 'block', label: 'Block', takesDuration: true, hint: 'drop its DHCP packets in the kernel; events still recorded' },
  { id: 'deny', label: 'Deny', takesDuration: false, hint: 'permanent drop, events suppressed' },
  { id: 'throttle', label: 'Throttle', takesDuration: true, hint: 'rate-limit a noisy but valid client' },
  { id: 'monitor', label: 'Monitor', takesDuration: true, hint: 'extra logging, traffic untouched' },
  { id: 'allow', label: 'Allow', takesDuration: true, hint: 'trusted: bypasses enforcement' },
  { id: 'cleanup', label: 'Cleanup', takesDuration: false, hint: 'remove the client from every set' },
];

/** Duration presets; null seconds = the action's default (docs/enforcement: block 2 h, deny permanent, ...). */
export const DURATIONS = [
  { id: '15m', label: '15 min', secs: 900 },
  { id: '1h', label: '1 h', secs: 3600 },
  { id: '24h', label: '24 h', secs: 86400 },
  { id: 'default', label: 'default', secs: null },
  { id: 'custom', label: 'custom', secs: null },
];

/** Parse "90", "90s", "15m", "2h", "7d" into seconds; null when not a duration. */
export function parseDuration(text) {
  const m = /^\s*(\d+)\s*(s|m|min|h|d)?\s*$/i.exec(text || '');
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] || 's').toLowerCase();
  const mult = { s: 1, m: 60, min: 60, h: 3600, d: 86400 }[unit];
  const secs = n * mult;
  return secs >= 1 ? secs : null;
}

/** Whether text is a target the Action Manager takes: MAC, 0x client mark (24 bits) or DUID (colon hex). */
export function targetKind(text) {
  const t = (text || '').trim().toLowerCase();
  if (/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/.test(t)) return 'mac';
  if (/^0x[0-9a-f]{1,6}$/.test(t)) return 'mark';
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){2,129}$/.test(t)) return 'duid';
  return null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** An IPv4 or IPv6 address (the API parses it again; this catches typos before a query). */
export function isIp(text) {
  const t = (text || '').trim();
  if (IPV4.test(t)) return true;
  if (!/^[0-9a-f:.]+$/i.test(t) || !t.includes(':')) return false;
  const parts = t.split('::');
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p ? p.split(':') : []));
  const last = groups[groups.length - 1];
  const v4tail = last && last.includes('.') ? (IPV4.test(last) ? 2 : -1) : 0;
  if (v4tail < 0) return false;
  const hex = v4tail ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  const n = hex.length + v4tail;
  return parts.length === 2 ? n < 8 : n === 8;
}
