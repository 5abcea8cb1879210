import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ring } from '../src/lib/ring.js';

test('a ring keeps the newest rows up to its capacity, oldest overwritten', () => {
  const r = new Ring(3);
  for (let i = 1; i <= 5; i++) r.push(i);
  assert.equal(r.size, 3);
  assert.equal(r.total, 5);
  assert.deepEqual(r.toArray(), [3, 4, 5]);
  assert.equal(r.newest(0), 5);
  assert.equal(r.newest(2), 3);
  assert.equal(r.newest(3), undefined);
  assert.equal(r.oldest(0), 3);
});

test('a ring does not copy on push: its storage is the same array after wrapping many times', () => {
  const r = new Ring(10000);
  const slots = r.slots;
  for (let i = 0; i < 25000; i++) r.push(i);
  assert.equal(r.slots, slots);
  assert.equal(r.size, 10000);
  assert.equal(r.newest(0), 24999);
  assert.equal(r.oldest(0), 15000);
});

test('a partly filled ring reads in order and clears', () => {
  const r = new Ring(4);
  r.push('a');
  r.push('b');
  assert.deepEqual(r.toArray(), ['a', 'b']);
  assert.equal(r.newest(1), 'a');
  r.clear();
  assert.equal(r.size, 0);
  assert.equal(r.newest(0), undefined);
});

test('a ring refuses a capacity of zero', () => {
  assert.throws(() => new Ring(0), RangeError);
});
