/**
 * The live table's filter: the same criteria the stream server takes (docs/api.md, StreamFilter), turned into the
 * upgrade request's query, a {"type":"filter"} message, and a local match for rows already in the table.
 */
export const FILTER_FIELDS = ['mac', 'duid', 'msg_type', 'relay_ip', 'circuit_id', 'direction', 'errors_only', 'site'];

export const DIRECTIONS = ['client_to_server', 'server_to_client', 'other'];

/** A filter with every field trimmed, MAC and DUID lower case, empty fields dropped. */
export function normalizeFilter(f = {}) {
  const out = {};
  for (const k of FILTER_FIELDS) {
    let v = f[k];
    if (k === 'errors_only') {
      if (v === true || v === 'true') out.errors_only = true;
      continue;
    }
    if (v == null) continue;
    v = String(v).trim();
    if (!v) continue;
    if (k === 'mac') v = v.toLowerCase().replace(/-/g, ':');
    if (k === 'duid') v = v.toLowerCase();
    if (k === 'msg_type') v = v.toUpperCase();
    out[k] = v;
  }
  return out;
}

/** The stream's query string (without '?'), fields in a stable order. */
export function filterToQuery(f) {
  const n = normalizeFilter(f);
  const q = new URLSearchParams();
  for (const k of FILTER_FIELDS) if (n[k] !== undefined) q.set(k, String(n[k]));
  return q.toString();
}

/** The {"type":"filter"} message that replaces the server-side filter (empty strings clear a field). */
export function filterMessage(f) {
  const n = normalizeFilter(f);
  const msg = { type: 'filter' };
  for (const k of FILTER_FIELDS) {
    if (k === 'errors_only') msg.errors_only = !!n.errors_only;
    else msg[k] = n[k] ?? '';
  }
  return msg;
}

export function isEmptyFilter(f) {
  return Object.keys(normalizeFilter(f)).length === 0;
}

/** Whether an event (docs/events.md) passes the filter, with the server's rules: msg_type matches outer or inner. */
export function matchesFilter(ev, f) {
  const n = normalizeFilter(f);
  if (n.mac && (ev.client_mac || '').toLowerCase() !== n.mac) return false;
  if (n.duid && (ev.duid || '').toLowerCase() !== n.duid) return false;
  if (n.msg_type) {
    const outer = (ev.msg_type || '').toUpperCase();
    const inner = (ev.inner_msg_type || '').toUpperCase();
    if (outer !== n.msg_type && inner !== n.msg_type) return false;
  }
  if (n.relay_ip && ev.relay_ip !== n.relay_ip) return false;
  if (n.circuit_id && ev.circuit_id !== n.circuit_id) return false;
  if (n.direction && ev.direction !== n.direction) return false;
  if (n.errors_only && !(ev.errors && ev.errors.length)) return false;
  if (n.site && ev.site !== n.site) return false;
  return true;
}
