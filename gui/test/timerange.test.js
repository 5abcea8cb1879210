import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rangeQuery, bucketStarts, RANGES } from '../src/lib/timerange.js';

const now = Date.parse('2026-12-04T18:49:53.466Z');

test('15 minutes asks for 1-minute buckets ending at the next minute edge', () => {
  assert.deepEqual(rangeQuery('15m', now), { from: '2026-12-04T18:35:00Z', to: '2026-12-04T18:50:00Z', bucket: '1m', bucketSecs: 60 });
});

test('each range maps to a bucket the stats routes accept and a whole number of buckets', () => {
  for (const r of RANGES) {
    const q = rangeQuery(r.id, now);
    assert.ok(['1m', '5m', '15m', '1h', '1d'].includes(q.bucket));
    const span = (Date.parse(q.to) - Date.parse(q.from)) / 1000;
    assert.equal(span, r.secs);
    assert.equal(span % q.bucketSecs, 0);
    assert.ok(span / q.bucketSecs <= 1000, `${r.id}: ${span / q.bucketSecs} buckets`);
  }
  assert.equal(rangeQuery('7d', now).bucket, '1h');
  assert.equal(rangeQuery('7d', now).to, '2026-12-04T19:00:00Z');
});

test('an unknown range falls back to 1 hour', () => {
  assert.equal(rangeQuery('nope', now).bucketSecs, 60);
  assert.equal(Date.parse(rangeQuery('nope', now).to) - Date.parse(rangeQuery('nope', now).from), 3600_000);
});

test('bucket starts cover [from, to) step by bucket', () => {
  const q = rangeQuery('15m', now);
  const b = bucketStarts(q);
  assert.equal(b.length, 15);
  assert.equal(b[0], Date.parse(q.from) / 1000);
  assert.equal(b[14] + 60, Date.parse(q.to) / 1000);
});
