import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sumOf, rate, nftTypeTable } from '../src/lib/counters.js';

const snap = (time, d, a) => ({
  time,
  metrics: {
    packets_received: { type: 'counter', series: [{ labels: { queue: '1' }, value: a }, { labels: { queue: '2' }, value: 0 }] },
    nft_counter_packets: {
      type: 'counter',
      series: [
        { labels: { counter: 'v4_discover_total' }, value: a },
        { labels: { counter: 'v4_discover_a' }, value: a - d },
        { labels: { counter: 'v4_discover_d' }, value: d },
        { labels: { counter: 'all_dhcp_packets' }, value: a },
      ],
    },
  },
});

test('rates are deltas over the snapshots\' own times', () => {
  const p = snap('2026-12-04T18:00:00.000Z', 0, 100);
  const c = snap('2026-12-04T18:00:10.000Z', 20, 300);
  assert.equal(sumOf(c, 'packets_received'), 300);
  assert.equal(rate(p, c, 'packets_received'), 20);
  assert.equal(rate(p, c, 'nft_counter_packets', (l) => /_d$/.test(l.counter)), 2);
  assert.equal(rate(null, c, 'packets_received'), null);
});

test('a counter that went back (restart) has no rate rather than a negative one', () => {
  const p = snap('2026-12-04T18:00:00.000Z', 0, 500);
  const c = snap('2026-12-04T18:00:10.000Z', 0, 10);
  assert.equal(rate(p, c, 'packets_received'), null);
});

test('the nft per-type table joins total, accepted and dropped', () => {
  const p = snap('2026-12-04T18:00:00.000Z', 0, 100);
  const c = snap('2026-12-04T18:00:10.000Z', 20, 300);
  assert.deepEqual(nftTypeTable(p, c), [{ type: 'v4_discover', total: 300, a: 280, d: 20, dRate: 2 }]);
});

test('a metric that is absent sums to null', () => {
  assert.equal(sumOf({ metrics: {} }, 'packets_by_error'), null);
});
