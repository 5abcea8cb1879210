import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterToQuery, filterMessage, matchesFilter, normalizeFilter, isEmptyFilter } from '../src/lib/filter.js';
import { streamUrl, backoffDelay } from '../src/stream/stream.js';

test('the stream query carries only the fields given, normalised, in a stable order', () => {
  assert.equal(filterToQuery({ msg_type: 'discover', mac: ' 00-0C-01-02-03-04 ', site: '' }), 'mac=00%3A0c%3A01%3A02%3A03%3A04&msg_type=DISCOVER');
  assert.equal(filterToQuery({ errors_only: true, direction: 'client_to_server' }), 'direction=client_to_server&errors_only=true');
  assert.equal(filterToQuery({ errors_only: false }), '');
  assert.equal(filterToQuery({}), '');
});

test('the filter message sets every field so a cleared field clears on the server', () => {
  assert.deepEqual(filterMessage({ duid: '00:01:AA' }), {
    type: 'filter', mac: '', duid: '00:01:aa', msg_type: '', relay_ip: '', circuit_id: '', direction: '', errors_only: false, site: '',
  });
});

test('the URL never carries a token and picks ws or wss from the page', () => {
  assert.equal(streamUrl({ protocol: 'http:', host: '10.254.0.2:8080' }, {}), 'ws://10.254.0.2:8080/api/v1/stream');
  assert.equal(streamUrl({ protocol: 'https:', host: 'shield' }, { mac: 'AA:BB:CC:DD:EE:FF' }), 'wss://shield/api/v1/stream?mac=aa%3Abb%3Acc%3Add%3Aee%3Aff');
});

const v6 = { family: 6, msg_type: 'RELAY-FORW', inner_msg_type: 'SOLICIT', client_mac: '00:0c:01:02:03:04', duid: '00:01:00:01:aa', direction: 'client_to_server', relay_ip: '2001:db8:1::2', site: 'demo' };
const v4 = { family: 4, msg_type: 'ACK', client_mac: '00:0c:01:02:03:05', direction: 'server_to_client', relay_ip: '198.18.0.2', circuit_id: 'ge0001', site: 'demo', errors: [{ error: 'truncated', category: 'malformed' }] };

test('the local match follows the server: message type matches the outer or the inner type', () => {
  assert.ok(matchesFilter(v6, { msg_type: 'solicit' }));
  assert.ok(matchesFilter(v6, { msg_type: 'RELAY-FORW' }));
  assert.ok(!matchesFilter(v6, { msg_type: 'REQUEST' }));
});

test('every criterion given must match', () => {
  assert.ok(matchesFilter(v4, { mac: '00:0C:01:02:03:05', circuit_id: 'ge0001', relay_ip: '198.18.0.2', direction: 'server_to_client', site: 'demo' }));
  assert.ok(!matchesFilter(v4, { mac: '00:0c:01:02:03:05', circuit_id: 'ge0002' }));
  assert.ok(matchesFilter(v4, { errors_only: true }));
  assert.ok(!matchesFilter(v6, { errors_only: true }));
  assert.ok(matchesFilter(v6, { duid: '00:01:00:01:AA' }));
  assert.ok(!matchesFilter(v4, { duid: '00:01:00:01:aa' }));
  assert.ok(matchesFilter(v4, {}));
});

test('an all-blank filter is empty', () => {
  assert.ok(isEmptyFilter({ mac: ' ', errors_only: false }));
  assert.ok(!isEmptyFilter({ errors_only: true }));
  assert.deepEqual(normalizeFilter({ bogus: 'x', mac: '' }), {});
});

test('reconnect backoff doubles from 0.5 s up to 30 s, jittered into the upper half', () => {
  assert.equal(backoffDelay(0, () => 0), 250);
  assert.equal(backoffDelay(0, () => 1), 500);
  assert.equal(backoffDelay(3, () => 1), 4000);
  assert.equal(backoffDelay(20, () => 1), 30000);
  assert.equal(backoffDelay(20, () => 0), 15000);
});
