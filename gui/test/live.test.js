import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveRows } from '../src/lib/live.js';

const ev = (n) => ({ client_mac: '00:0c:01:02:03:' + String(n).padStart(2, '0'), msg_type: 'DISCOVER' });

test('skipped notices become one marker row between the events around them', () => {
  const l = new LiveRows(100);
  l.addEvent(ev(1));
  l.addSkipped(5, 'rate_limit');
  l.addSkipped(7, 'rate_limit');
  l.addEvent(ev(2));
  l.addSkipped(1, 'rate_limit');
  const rows = l.rows.toArray();
  assert.deepEqual(rows.map((r) => r.kind), ['event', 'skipped', 'event', 'skipped']);
  assert.equal(rows[1].count, 12);
  assert.equal(rows[3].count, 1);
  assert.equal(l.skippedTotal, 13);
});

test('skips of different reasons stay separate markers', () => {
  const l = new LiveRows(10);
  l.addSkipped(3, 'rate_limit');
  l.addSkipped(4, 'slow_client');
  assert.deepEqual(l.rows.toArray().map((r) => [r.reason, r.count]), [['rate_limit', 3], ['slow_client', 4]]);
});

test('a zero or negative skip count adds nothing', () => {
  const l = new LiveRows(10);
  l.addSkipped(0, 'rate_limit');
  l.addSkipped(-2, 'rate_limit');
  assert.equal(l.rows.size, 0);
});

test('merging a marker replaces the row object so a rendered view sees the change', () => {
  const l = new LiveRows(10);
  l.addSkipped(1, 'rate_limit');
  const before = l.rows.newest(0);
  l.addSkipped(1, 'rate_limit');
  assert.notEqual(l.rows.newest(0), before);
  assert.equal(l.rows.newest(0).count, 2);
  assert.equal(before.count, 1);
});

test('while paused the table holds still, arrivals are counted, and resume adds them in order', () => {
  const l = new LiveRows(100);
  l.addEvent(ev(1));
  l.pause();
  l.addEvent(ev(2));
  l.addSkipped(3, 'rate_limit');
  l.addEvent(ev(3));
  assert.equal(l.rows.size, 1);
  assert.equal(l.arrivedWhilePaused, 5);
  l.resume();
  assert.deepEqual(l.rows.toArray().map((r) => (r.kind === 'event' ? r.ev.client_mac.slice(-2) : 's' + r.count)), ['01', '02', 's3', '03']);
  assert.equal(l.arrivedWhilePaused, 0);
  assert.equal(l.paused, false);
});

test('a pause longer than the held ring says how many rows it lost', () => {
  const l = new LiveRows(5);
  l.pause();
  for (let i = 0; i < 8; i++) l.addEvent(ev(i));
  assert.equal(l.arrivedWhilePaused, 8);
  l.resume();
  const rows = l.rows.toArray();
  assert.equal(rows.length, 5);
  assert.equal(rows[4].kind, 'skipped');
  assert.equal(rows[4].reason, 'paused_overflow');
  assert.equal(rows[4].count, 3);
});

test('a marker right after resume merges with a held marker of the same reason', () => {
  const l = new LiveRows(10);
  l.addSkipped(2, 'rate_limit');
  l.pause();
  l.addSkipped(3, 'rate_limit');
  l.resume();
  assert.equal(l.rows.size, 1);
  assert.equal(l.rows.newest(0).count, 5);
});
