/** The dashboard's ranges: each maps to a window and a bucket the stats routes accept (1m, 5m, 15m, 1h, 1d). */
export const RANGES = [
  { id: '15m', label: '15 min', secs: 15 * 60, bucket: '1m' },
  { id: '1h', label: '1 h', secs: 3600, bucket: '1m' },
  { id: '6h', label: '6 h', secs: 6 * 3600, bucket: '5m' },
  { id: '24h', label: '24 h', secs: 24 * 3600, bucket: '15m' },
  { id: '7d', label: '7 days', secs: 7 * 86400, bucket: '1h' },
];

export const BUCKET_SECS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '1d': 86400 };

export function rangeById(id) {
  return RANGES.find((r) => r.id === id) || RANGES[1];
}

/**
 * from/to (ISO-8601, whole seconds) and bucket for a range ending now. `to` is rounded up to the next bucket edge
 * so the newest (partial) bucket is included and repeated polls within a bucket ask the same question.
 */
export function rangeQuery(id, nowMs = Date.now()) {
  const r = rangeById(id);
  const b = BUCKET_SECS[r.bucket];
  const toSecs = Math.ceil(nowMs / 1000 / b) * b;
  const fromSecs = toSecs - r.secs;
  return {
    from: new Date(fromSecs * 1000).toISOString().replace('.000Z', 'Z'),
    to: new Date(toSecs * 1000).toISOString().replace('.000Z', 'Z'),
    bucket: r.bucket,
    bucketSecs: b,
  };
}

/** Epoch seconds of every bucket start in [from, to). */
export function bucketStarts(q) {
  const out = [];
  const from = Date.parse(q.from) / 1000;
  const to = Date.parse(q.to) / 1000;
  for (let t = from; t < to; t += q.bucketSecs) out.push(t);
  return out;
}
