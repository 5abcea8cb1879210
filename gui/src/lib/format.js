/** Display formatting shared by every page: times in UTC like the API, counts grouped, durations short. */

export function fmtCount(n) {
  if (n == null || Number.isNaN(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

export function fmtRate(perSec) {
  if (perSec == null || Number.isNaN(perSec)) return '—';
  if (perSec === 0) return '0/s';
  if (perSec < 0.1) return perSec.toFixed(3) + '/s';
  if (perSec < 10) return perSec.toFixed(2) + '/s';
  return fmtCount(perSec) + '/s';
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

/** "2026-12-04 18:49:53" (UTC) from an ISO string, epoch ms or Date. */
export function fmtTime(t) {
  if (t == null || t === '') return '—';
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
}

/** "18:49:53.466" (UTC) from microseconds since the epoch: the live table's time column. */
export function fmtClockUs(us) {
  if (us == null) return '—';
  const d = new Date(Math.floor(us / 1000));
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** "1 h 30 min", "15 min", "45 s", "2 d 3 h" */
export function fmtDuration(secs) {
  if (secs == null) return '—';
  secs = Math.max(0, Math.round(secs));
  if (secs < 60) return `${secs} s`;
  const d = Math.floor(secs / 86400);
  const h = Math.floor((secs % 86400) / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const parts = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m && !d) parts.push(`${m} min`);
  if (!parts.length) parts.push(`${secs % 60} s`);
  return parts.join(' ');
}

/** "expires in 14 min" / "permanent" / "expired" for an action's expires_at. */
export function fmtExpiry(expiresAt, nowMs = Date.now()) {
  if (!expiresAt) return 'permanent';
  const left = (Date.parse(expiresAt) - nowMs) / 1000;
  if (Number.isNaN(left)) return String(expiresAt);
  if (left <= 0) return 'expired';
  return `in ${fmtDuration(left)}`;
}

/** The message type an operator reads: DHCPv6 relayed shows the inner type after the relay wrapper. */
export function fmtType(ev) {
  if (ev.inner_msg_type) return `${ev.msg_type} › ${ev.inner_msg_type}`;
  return ev.msg_type || '—';
}

export function fmtDirection(d) {
  return d === 'client_to_server' ? 'in' : d === 'server_to_client' ? 'out' : d || '—';
}

/** The identifier a device page is opened with: MAC, else DUID, else the client mark. */
export function deviceKey(ev) {
  return ev.client_mac || ev.duid || ev.client_mark || null;
}

/** "512 B", "1.5 KiB", "10.0 MiB", "1.20 GiB" */
export function fmtBytes(n) {
  if (n == null || Number.isNaN(Number(n))) return '—';
  n = Number(n);
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
