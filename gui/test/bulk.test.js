import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newCriteriaForm, newJobForm, criteriaFromForm, jobFromForm, utcFromLocal, formField, serverProblems,
  touchesCriteria, criteriaSummary, jobSentence, jobProgress, isActive, jobActor, jobHistoryHref,
} from '../src/lib/bulk.js';
import { isIp } from '../src/lib/dhcp.js';

const NOW = Date.parse('2026-12-04T22:00:30.500Z');

test('a preset window ends now, to the second; empty fields are null', () => {
  const { criteria, problems } = criteriaFromForm(newCriteriaForm(), NOW);
  assert.deepEqual(problems, {});
  assert.deepEqual(criteria, {
    since: '2026-12-03T22:00:30Z', until: '2026-12-04T22:00:30Z', past_action: null, relay: null, circuit: null, vendor_class: null,
    fingerprint: null, message_type: null, min_requests: null, family: null, site: null,
  });
  assert.equal(criteriaFromForm({ ...newCriteriaForm(), window: '1h' }, NOW).criteria.since, '2026-12-04T21:00:30Z');
});

test('every criterion maps to its API field, trimmed and typed', () => {
  const f = {
    ...newCriteriaForm(), window: 'custom', since: '2026-12-04T20:00', until: '2026-12-04T21:30', past_action: 'throttle', relay: ' 10.0.0.1 ',
    circuit: 'eth0/1/3', vendor_class: 'MSFT', fingerprint: '1,3,6,15', message_type: 'DISCOVER', min_requests: '10', family: '4', site: 'lab',
  };
  const { criteria, problems } = criteriaFromForm(f, NOW);
  assert.deepEqual(problems, {});
  assert.deepEqual(criteria, {
    since: '2026-12-04T20:00:00Z', until: '2026-12-04T21:30:00Z', past_action: 'throttle', relay: '10.0.0.1', circuit: 'eth0/1/3',
    vendor_class: 'MSFT', fingerprint: '1,3,6,15', message_type: 'DISCOVER', min_requests: 10, family: 4, site: 'lab',
  });
});

test('bad criteria are named per field before anything is sent', () => {
  const { problems } = criteriaFromForm({ ...newCriteriaForm(), window: 'custom', since: '2026-12-04T21:00', until: '2026-12-04T20:00', relay: '10.0.0.300', min_requests: '0' }, NOW);
  assert.deepEqual(Object.keys(problems).sort(), ['min_requests', 'relay', 'until']);
  assert.deepEqual(Object.keys(criteriaFromForm({ ...newCriteriaForm(), window: 'custom' }, NOW).problems).sort(), ['since', 'until']);
  assert.match(criteriaFromForm({ ...newCriteriaForm(), window: 'custom', since: '2026-12-05T10:00', until: '2026-12-05T11:00' }, NOW).problems.since, /future/);
  assert.match(criteriaFromForm({ ...newCriteriaForm(), min_requests: '2.5' }, NOW).problems.min_requests, /whole number/);
});

test('IP addresses: v4, v6 with :: and a v4 tail; not typos', () => {
  for (const ok of ['10.0.0.1', '2001:db8::1', '::1', 'fe80::a:b:c:d', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8']) assert.ok(isIp(ok), ok);
  for (const bad of ['10.0.0', '10.0.0.256', '2001:db8:::1', '1:2:3:4:5:6:7:8:9', 'gggg::1', 'host', '', '1::2::3']) assert.ok(!isIp(bad), bad);
});

test('times in the form are read as UTC', () => {
  assert.equal(utcFromLocal('2026-12-04T21:30'), '2026-12-04T21:30:00Z');
  assert.equal(utcFromLocal('2026-12-04T21:30:15'), '2026-12-04T21:30:15Z');
  assert.equal(utcFromLocal('yesterday'), null);
});

test('the job: a duration for timed actions only, a reason, a batch size, now or later', () => {
  const c = criteriaFromForm(newCriteriaForm(), NOW).criteria;
  const block = jobFromForm({ ...newJobForm(), action: 'block', reason: ' flood from relay 7 ' }, c, NOW);
  assert.deepEqual(block.problems, {});
  assert.deepEqual(block.body, { criteria: c, action: 'block', duration_seconds: 3600, reason: 'flood from relay 7', batch_size: 500, run_at: null });
  const deny = jobFromForm({ ...newJobForm(), action: 'deny', duration: 'custom', custom: 'nonsense', reason: 'x' }, c, NOW);
  assert.deepEqual(deny.problems, {}, 'deny takes no duration, so a bad custom one does not matter');
  assert.equal(deny.body.duration_seconds, null);
  const custom = jobFromForm({ ...newJobForm(), action: 'throttle', duration: 'custom', custom: '90m', reason: 'x', batch_size: '50', when: 'at', run_at: '2026-12-05T03:00' }, c, NOW);
  assert.deepEqual(custom.problems, {});
  assert.deepEqual([custom.body.duration_seconds, custom.body.batch_size, custom.body.run_at], [5400, 50, '2026-12-05T03:00:00Z']);
  assert.equal(jobFromForm({ ...newJobForm(), action: 'monitor', duration: 'default', reason: 'x' }, c, NOW).body.duration_seconds, null);
  const bad = jobFromForm({ ...newJobForm(), duration: 'custom', custom: '', reason: ' ', batch_size: '0', when: 'at', run_at: '2026-12-04T21:00' }, c, NOW);
  assert.deepEqual(Object.keys(bad.problems).sort(), ['action', 'batch_size', 'reason', 'run_at']);
  assert.match(bad.problems.run_at, /passed/);
  assert.match(jobFromForm({ ...newJobForm(), action: 'block', duration: 'custom', custom: '', reason: 'x' }, c, NOW).problems.duration, /90m/);
});

test('the API\'s field problems land on the form\'s fields; the rest is listed', () => {
  assert.equal(formField('criteria.relay'), 'relay');
  assert.equal(formField('duration_seconds'), 'duration');
  assert.equal(formField('run_at'), 'run_at');
  assert.equal(formField('nonsense'), null);
  const several = serverProblems({ message: 'invalid', fields: { 'criteria.relay': 'not an address', 'criteria.min_requests': 'too large', sample: 'at most 100' } });
  assert.deepEqual(several.fields, { relay: 'not an address', min_requests: 'too large' });
  assert.deepEqual(several.other, ['sample: at most 100']);
  assert.ok(touchesCriteria(several.fields));
  assert.deepEqual(serverProblems({ field: 'duration_seconds', message: 'deny takes no duration' }).fields, { duration: 'deny takes no duration' });
  assert.ok(!touchesCriteria({ duration: 'x' }));
  assert.deepEqual(serverProblems({ status: 503, message: 'ClickHouse unreachable' }), { fields: {}, other: ['ClickHouse unreachable'] });
});

test('criteria, the confirm\'s sentence and a job\'s progress in words', () => {
  const c = { since: '2026-12-04T21:00:00Z', until: '2026-12-04T22:00:00Z', message_type: 'DISCOVER', relay: '10.0.0.1', min_requests: 1000, family: 4, past_action: 'any' };
  assert.equal(criteriaSummary(c), 'DISCOVER · had any action · relay 10.0.0.1 · ≥ 1,000 requests · v4 · 2026-12-04 21:00:00 – 2026-12-04 22:00:00');
  assert.equal(criteriaSummary({}), 'every client');
  assert.equal(jobSentence({ action: 'block', duration_seconds: 3600, batch_size: 500, run_at: null }, 1234), 'Block 1,234 clients for 1 h, 500 per batch, now');
  assert.equal(jobSentence({ action: 'deny', duration_seconds: null, batch_size: 50, run_at: '2026-12-05T03:00:00Z' }, 1), 'Deny 1 client, 50 per batch, at 2026-12-05 03:00:00 UTC');
  assert.equal(jobSentence({ action: 'monitor', duration_seconds: null, batch_size: 500 }, null), "Monitor the matching clients for the action's default time, 500 per batch, now");
  assert.deepEqual(jobProgress({ done: 450, failed: 50, total: 1000 }), { done: 450, failed: 50, total: 1000, pct: 50 });
  assert.deepEqual(jobProgress({ state: 'scheduled', done: 0, failed: 0, total: null }).pct, null);
  assert.equal(jobProgress({ done: 0, failed: 0, total: 0 }).pct, 100);
  assert.ok(isActive({ state: 'running' }) && isActive({ state: 'scheduled' }) && !isActive({ state: 'interrupted' }));
  assert.equal(jobActor({ id: 'j7' }), 'bulk_job:j7');
  assert.equal(jobHistoryHref({ id: 'j7' }), '/actions?actor=bulk_job%3Aj7');
});
