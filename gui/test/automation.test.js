import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fmtMinutes, fmtThreshold, thresholdsSummary, sourceSummary, metricSummary, filtersSummary, ruleSummary, fmtHitKey,
  splitProblems, problemsFor, otherProblems, lastRunByRule, parseDraft, numberOrText, withAction, fmtValue, fmtHitStatus,
} from '../src/lib/automation.js';

const discoverVolume = {
  id: 'discover-volume', name: 'DISCOVER volume per client', enabled: true, priority: 500, every_minutes: 1,
  source: 'client_minute_stats', window_minutes: 10,
  filters: [{ field: 'message_type', match: 'exact', value: 'DISCOVER' }],
  group_by: ['client'], metric: 'count',
  thresholds: [
    { value: 100, action: 'monitor', duration_minutes: 360 },
    { value: 300, action: 'throttle', duration_minutes: 60 },
    { value: 1000, action: 'block', duration_minutes: 120 },
  ],
  suppress_minutes: 10, severity: 'warning',
};

test('minutes read as the docs write them', () => {
  assert.equal(fmtMinutes(1), '1 min');
  assert.equal(fmtMinutes(60), '1 h');
  assert.equal(fmtMinutes(90), '1 h 30 min');
  assert.equal(fmtMinutes(360), '6 h');
  assert.equal(fmtMinutes(1440), '1 d');
  assert.equal(fmtMinutes(10080), '7 d');
  assert.equal(fmtMinutes(1500), '1 d 1 h');
  assert.equal(fmtMinutes(null), '—');
});

test('thresholds: value, unit for rates, action and its duration', () => {
  assert.equal(fmtThreshold({ value: 300, action: 'throttle', duration_minutes: 60 }, 'count'), '300 → throttle 1 h');
  assert.equal(fmtThreshold({ value: 200, action: 'block', duration_minutes: 120 }, 'rate'), '200/min → block 2 h');
  assert.equal(fmtThreshold({ value: 5000, action: 'alarm' }, 'rate'), '5,000/min → alarm');
  assert.equal(fmtThreshold({ value: 100000, action: 'alarm' }, 'count'), '100,000 → alarm');
  assert.equal(fmtThreshold({ value: 3, action: 'deny' }, 'count'), '3 → deny permanent');
  assert.equal(fmtThreshold({ value: 1.5, action: 'analyze' }, 'rate'), '1.5/min → analyze');
  assert.equal(thresholdsSummary(discoverVolume), '100 → monitor 6 h · 300 → throttle 1 h · 1,000 → block 2 h');
  assert.equal(fmtValue(904.0), '904');
  assert.equal(fmtValue(12.3456), '12.35');
});

test('a rule summarised: source and window, metric and keys, filters, the whole sentence', () => {
  assert.equal(sourceSummary(discoverVolume), 'client stats, 10 min');
  assert.equal(metricSummary(discoverVolume), 'count per client');
  assert.equal(metricSummary({ metric: 'distinct_macs', group_by: ['relay', 'circuit'] }), 'distinct MACs per relay + circuit');
  assert.equal(metricSummary({ metric: 'rate', group_by: ['relay'] }), 'rate (per min) per relay');
  assert.equal(
    filtersSummary({ filters: [{ field: 'message_type', match: 'regex', value: '^(RELEASE|DECLINE)$' }, { field: 'hostname', match: 'wildcard', value: 'android-*', negate: true }] }),
    'message_type ~ ^(RELEASE|DECLINE)$ and not hostname like android-*',
  );
  assert.equal(filtersSummary({ filters: [] }), 'all traffic');
  assert.equal(
    ruleSummary(discoverVolume),
    'Every 1 min: count per client of message_type = DISCOVER over 10 min of client stats; 100 → monitor 6 h · 300 → throttle 1 h · 1,000 → block 2 h',
  );
  assert.equal(sourceSummary({ source: 'odd', window_minutes: 5 }), 'odd, 5 min');
});

test('the API validation message splits into problems naming their fields, even with "; " inside one', () => {
  const msg =
    'group_by[1]: circuit is not available in source client_minute_stats (available: client, site); ' +
    'thresholds[1].value must be greater than thresholds[0].value (thresholds ascend), was 3 after 5; ' +
    'thresholds[1].duration_minutes does not apply to deny (deny is permanent; use block for a timed drop); ' +
    'metric: distinct_macs counts clients, so group_by must not contain client; ' +
    'every_minutes is required; bogus is not a rule field (allowed: description, enabled)';
  const p = splitProblems(msg);
  assert.deepEqual(
    p.map((x) => x.field),
    ['group_by[1]', 'thresholds[1].value', 'thresholds[1].duration_minutes', 'metric', 'every_minutes', 'bogus'],
  );
  assert.equal(p[2].message, 'thresholds[1].duration_minutes does not apply to deny (deny is permanent; use block for a timed drop)');
  assert.deepEqual(problemsFor(p, 'thresholds[1]').map((x) => x.field), ['thresholds[1].value', 'thresholds[1].duration_minutes']);
  assert.deepEqual(problemsFor(p, 'group_by').map((x) => x.field), ['group_by[1]']);
  assert.deepEqual(problemsFor(p, 'thresholds[10]'), []);
  assert.deepEqual(otherProblems(p, ['group_by', 'thresholds', 'metric', 'every_minutes']).map((x) => x.field), ['bogus']);
  assert.deepEqual(splitProblems('the rule must be a JSON object'), [{ field: null, message: 'the rule must be a JSON object' }]);
  assert.deepEqual(splitProblems(''), []);
});

test('the last run of each rule, whatever the order of the list', () => {
  const runs = [
    { rule_id: 'a', at: '2026-12-04T20:00:00Z', trigger: 'scheduled' },
    { rule_id: 'b', at: '2026-12-04T19:00:00Z' },
    { rule_id: 'a', at: '2026-12-04T20:05:00Z', trigger: 'dry_run' },
  ];
  const m = lastRunByRule(runs);
  assert.equal(m.get('a').trigger, 'dry_run');
  assert.equal(m.get('b').at, '2026-12-04T19:00:00Z');
  assert.equal(m.get('c'), undefined);
});

test('the editor draft: JSON parse errors, numbers typed as text, durations follow the action', () => {
  assert.deepEqual(parseDraft('{"id":"x"}'), { rule: { id: 'x' } });
  assert.ok(parseDraft('{"id":').error);
  assert.equal(parseDraft('[1]').error, 'the rule must be a JSON object');
  assert.equal(numberOrText('10'), 10);
  assert.equal(numberOrText(' 2.5 '), 2.5);
  assert.equal(numberOrText('ten'), 'ten');
  assert.equal(numberOrText(''), null);
  assert.deepEqual(withAction({ value: 5, action: 'block', duration_minutes: 30 }, 'deny'), { value: 5, action: 'deny' });
  assert.deepEqual(withAction({ value: 5, action: 'alarm' }, 'throttle'), { value: 5, action: 'throttle', duration_minutes: 60 });
  assert.deepEqual(withAction({ value: 5, action: 'block', duration_minutes: 30 }, 'monitor'), { value: 5, action: 'monitor', duration_minutes: 30 });
  assert.equal(fmtHitKey({ relay: '10.0.0.1', circuit: 'eth0/1' }), 'relay=10.0.0.1 circuit=eth0/1');
  assert.equal(fmtHitStatus('would_be_suppressed'), 'would be suppressed');
});
