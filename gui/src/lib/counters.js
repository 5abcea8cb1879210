/**
 * /api/v1/counters snapshots → what the dashboard shows: values by label, and per-second rates from the delta of
 * two snapshots (counters only go up; a restart makes the delta negative, shown as no rate).
 */

/** Sum of a metric's series whose labels pass `where`. */
export function sumOf(snapshot, name, where = () => true) {
  const m = snapshot?.metrics?.[name];
  if (!m) return null;
  let s = 0;
  for (const x of m.series || []) if (where(x.labels || {})) s += x.value || 0;
  return s;
}

/** Series of a metric as [label value, value] by one label. */
export function byLabel(snapshot, name, label) {
  const m = snapshot?.metrics?.[name];
  if (!m) return [];
  const out = new Map();
  for (const x of m.series || []) {
    const k = x.labels?.[label] ?? '';
    out.set(k, (out.get(k) || 0) + (x.value || 0));
  }
  return [...out.entries()];
}

/** Per-second rate between two snapshots, or null when there is no earlier one or the counter went back. */
export function rate(prev, cur, name, where) {
  if (!prev || !cur) return null;
  const dt = (Date.parse(cur.time) - Date.parse(prev.time)) / 1000;
  if (!(dt > 0)) return null;
  const a = sumOf(prev, name, where);
  const b = sumOf(cur, name, where);
  if (a == null || b == null || b < a) return null;
  return (b - a) / dt;
}

/** The nft counters as rows {name, packets, rate}, grouped: per-type counters (total/accepted/dropped) and others. */
export function nftCounterRows(prev, cur) {
  const rows = [];
  for (const [name, packets] of byLabel(cur, 'nft_counter_packets', 'counter')) {
    rows.push({ name, packets, rate: rate(prev, cur, 'nft_counter_packets', (l) => l.counter === name) });
  }
  return rows;
}

/** Per message type nft counters: [{type, total, a, d, dRate}] from names like v4_discover_total/_a/_d. */
export function nftTypeTable(prev, cur) {
  const types = new Map();
  for (const [name, packets] of byLabel(cur, 'nft_counter_packets', 'counter')) {
    const m = /^(v[46]_.+)_(total|a|d)$/.exec(name);
    if (!m) continue;
    const t = types.get(m[1]) || { type: m[1] };
    t[m[2]] = packets;
    if (m[2] === 'd') t.dRate = rate(prev, cur, 'nft_counter_packets', (l) => l.counter === name);
    types.set(m[1], t);
  }
  return [...types.values()];
}
