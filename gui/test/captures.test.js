import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newCaptureForm, normalizeMac, normalizeDuid, captureBody, captureFormField, captureProblems, filterSummary, limitsText,
  stopReasonText, anyRunning, storageText, captureFileName, counterFacts,
} from '../src/lib/captures.js';

test('a form with no filter captures all DHCP within the default limits', () => {
  const { body, problems } = captureBody(newCaptureForm());
  assert.deepEqual(problems, {});
  assert.deepEqual(body, { label: '', filter: {}, max_packets: 1000, max_bytes: 10485760, max_seconds: 300 });
});

test('filter fields are sent only when given, normalized', () => {
  const { body, problems } = captureBody({
    ...newCaptureForm(), label: ' relay 7 storm ', mac: '00-0C-01-02-03-04', duid: '000100012c', message_type: 'discover', relay: '10.0.0.1',
    circuit: ' eth0/1/3 ', direction: 'inbound', site: 'lab', max_packets: '50', max_mib: '0.5', max_seconds: '60',
  });
  assert.deepEqual(problems, {});
  assert.deepEqual(body, {
    label: 'relay 7 storm',
    filter: { mac: '00:0c:01:02:03:04', duid: '00:01:00:01:2c', message_type: 'DISCOVER', relay: '10.0.0.1', circuit: 'eth0/1/3', direction: 'inbound', site: 'lab' },
    max_packets: 50, max_bytes: 524288, max_seconds: 60,
  });
});

test('bad fields are named before anything is sent', () => {
  const { problems } = captureBody({ ...newCaptureForm(), mac: '00:0c:01', duid: 'xyz', message_type: 'HELLO', relay: 'router', direction: 'sideways', max_packets: '0', max_mib: '-1', max_seconds: '1.5' });
  assert.deepEqual(Object.keys(problems).sort(), ['direction', 'duid', 'mac', 'max_mib', 'max_packets', 'max_seconds', 'message_type', 'relay']);
  assert.equal(normalizeMac('000c01020304'), '00:0c:01:02:03:04');
  assert.equal(normalizeMac('00:0c:01:02:03'), null);
  assert.equal(normalizeDuid('00:01'), null, 'too short');
});

test('the API\'s field problems land on the form', () => {
  assert.equal(captureFormField('filter.mac'), 'mac');
  assert.equal(captureFormField('max_bytes'), 'max_mib');
  assert.equal(captureFormField('limits.max_seconds'), 'max_seconds');
  assert.deepEqual(captureProblems({ fields: { 'filter.relay': 'not an address', max_bytes: 'above the storage limit', x: 'y' } }), {
    fields: { relay: 'not an address', max_mib: 'above the storage limit' }, other: ['x: y'],
  });
  assert.deepEqual(captureProblems({ message: 'too many captures running' }), { fields: {}, other: ['too many captures running'] });
});

test('sessions in words: filter, limits, stop reason, storage', () => {
  assert.equal(filterSummary({ mac: '00:0c:01:02:03:04', message_type: 'DISCOVER', direction: 'inbound' }), 'mac 00:0c:01:02:03:04 · DISCOVER · inbound');
  assert.equal(filterSummary({}), 'all DHCP');
  assert.equal(limitsText({ max_packets: 1000, max_bytes: 10485760, max_seconds: 300 }), '1,000 packets · 10.0 MiB · 5 min');
  assert.equal(stopReasonText('max_packets'), 'packet limit reached');
  assert.equal(stopReasonText('operator'), 'stopped by an operator');
  assert.equal(stopReasonText(null), '');
  assert.ok(anyRunning([{ state: 'stopped' }, { state: 'running' }]));
  assert.ok(!anyRunning([{ state: 'stopped' }]));
  assert.equal(storageText({ bytes: 126353408, max_bytes: 1073741824, max_age_hours: 72 }), '120.5 MiB of 1.00 GiB used (12 %); files are kept 72 h');
  assert.equal(captureFileName({ id: 'c7' }), 'capture-c7.pcapng');
});

test('counters by reason are one fact with their sum and the reasons that counted', () => {
  const facts = counterFacts({ offered: 104, sessions_stopped: { operator: 1, max_packets: 2, shutdown: 0 }, retention_removed: { size: 0, age: 0 } });
  assert.deepEqual(facts, [
    { key: 'offered', label: 'offered', value: 104, detail: '' },
    { key: 'sessions_stopped', label: 'sessions stopped', value: 3, detail: 'operator 1, max packets 2' },
    { key: 'retention_removed', label: 'retention removed', value: 0, detail: '' },
  ]);
});
