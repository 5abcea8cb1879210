import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtCount, fmtRate, fmtTime, fmtClockUs, fmtDuration, fmtExpiry, fmtType, fmtDirection, deviceKey, fmtBytes } from '../src/lib/format.js';
import { parseDuration, targetKind, messageType, seriesLabel } from '../src/lib/dhcp.js';

test('counts are grouped and rates keep sensible precision', () => {
  assert.equal(fmtCount(1234567), '1,234,567');
  assert.equal(fmtCount(null), '—');
  assert.equal(fmtRate(0), '0/s');
  assert.equal(fmtRate(0.05), '0.050/s');
  assert.equal(fmtRate(3.456), '3.46/s');
  assert.equal(fmtRate(2000.4), '2,000/s');
  assert.equal(fmtRate(null), '—');
});

test('times are UTC like the API', () => {
  assert.equal(fmtTime('2026-12-04T18:49:53.466352Z'), '2026-12-04 18:49:53');
  assert.equal(fmtClockUs(1796410193466352), '18:49:53.466');
  assert.equal(fmtTime(null), '—');
});

test('durations and expiry read short', () => {
  assert.equal(fmtDuration(45), '45 s');
  assert.equal(fmtDuration(900), '15 min');
  assert.equal(fmtDuration(5400), '1 h 30 min');
  assert.equal(fmtDuration(2 * 86400 + 3 * 3600 + 60), '2 d 3 h');
  const now = Date.parse('2026-12-04T18:00:00Z');
  assert.equal(fmtExpiry('2026-12-04T18:15:00Z', now), 'in 15 min');
  assert.equal(fmtExpiry(null, now), 'permanent');
  assert.equal(fmtExpiry('2026-12-04T17:00:00Z', now), 'expired');
});

test('relayed DHCPv6 shows the wrapper and the inner type; direction reads in/out', () => {
  assert.equal(fmtType({ msg_type: 'RELAY-FORW', inner_msg_type: 'SOLICIT' }), 'RELAY-FORW › SOLICIT');
  assert.equal(fmtType({ msg_type: 'ACK' }), 'ACK');
  assert.equal(fmtDirection('client_to_server'), 'in');
  assert.equal(fmtDirection('server_to_client'), 'out');
});

test('a device opens by MAC, else DUID, else mark', () => {
  assert.equal(deviceKey({ client_mac: 'aa', duid: 'bb' }), 'aa');
  assert.equal(deviceKey({ duid: 'bb', client_mark: '0x1' }), 'bb');
  assert.equal(deviceKey({}), null);
});

test('custom durations parse with units', () => {
  assert.equal(parseDuration('90m'), 5400);
  assert.equal(parseDuration('2h'), 7200);
  assert.equal(parseDuration('3d'), 259200);
  assert.equal(parseDuration('45'), 45);
  assert.equal(parseDuration('0'), null);
  assert.equal(parseDuration('soon'), null);
});

test('targets are MACs, 0x marks or DUIDs', () => {
  assert.equal(targetKind('00:0C:01:02:03:04'), 'mac');
  assert.equal(targetKind('00-0c-01-02-03-04'), 'mac');
  assert.equal(targetKind('0x020304'), 'mark');
  assert.equal(targetKind('0x1020304'), null);
  assert.equal(targetKind('00:01:00:01:32:a5:c7:cd:00:0c:01:02:03:57'), 'duid');
  assert.equal(targetKind('hello'), null);
});

test('message types carry their direction', () => {
  assert.deepEqual(messageType(4, 1), { name: 'DISCOVER', dir: 'in' });
  assert.deepEqual(messageType(4, 5), { name: 'ACK', dir: 'out' });
  assert.deepEqual(messageType(6, 13), { name: 'RELAY-REPL', dir: 'out' });
  assert.equal(messageType(6, 99).name, 'v6 type 99');
  assert.equal(seriesLabel(4, 1), 'v4 DISCOVER');
  assert.equal(seriesLabel(6, 99), 'v6 type 99');
  assert.equal(seriesLabel(6, -1), 'v6 RELAY without a readable message');
});

test('sizes in B, KiB, MiB and GiB', () => {
  assert.equal(fmtBytes(512), '512 B');
  assert.equal(fmtBytes(1536), '1.5 KiB');
  assert.equal(fmtBytes(10485760), '10.0 MiB');
  assert.equal(fmtBytes(1.2 * 1024 ** 3), '1.20 GiB');
  assert.equal(fmtBytes(null), '—');
});
