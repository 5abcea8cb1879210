import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  severityRank, highestSeverity, bySeverityThenNewest, normalizeAlarmFilter, alarmFilterFromQuery, alarmsHref, alarmApiQuery,
  matchesAlarmFilter, mergeChange, normalizeSummary, applyToSummary, unreadCount, seenMark, seenKey, newsTime, fmtAge,
  sinkStateText, sinkStateLevel, newRouteForm, routeToForm, formToRoute, toggled, fmtAllOr, routeErrorField,
} from '../src/lib/alarms.js';

const T0 = Date.parse('2026-12-04T22:00:00Z');
const at = (secs) => new Date(T0 + secs * 1000).toISOString();

function alarm(id, over = {}) {
  return {
    id, source_key: 'rogue_server/198.18.0.' + id, channel: 'dhcp', category: 'security', kind: 'rogue_server',
    severity: 'warning', state: 'raised', title: 'Rogue DHCP server 198.18.0.' + id, raised_at: at(0), last_seen: at(0),
    occurrences: 1, context: [{ role: 'client', id: '02:00:00:00:00:0' + id, count: 1 }], facts: {}, ...over,
  };
}

test('severities are ordered info < warning < critical, and the highest open one colours the bell', () => {
  assert.ok(severityRank('info') < severityRank('warning') && severityRank('warning') < severityRank('critical'));
  assert.equal(severityRank('bogus'), -1);
  assert.equal(highestSeverity({ critical: 0, warning: 2, info: 5 }), 'warning');
  assert.equal(highestSeverity({ critical: 1, warning: 0, info: 0 }), 'critical');
  assert.equal(highestSeverity({ critical: 0, warning: 0, info: 0 }), null);
  assert.equal(highestSeverity(null), null);
  const list = [alarm('1', { severity: 'info', raised_at: at(30) }), alarm('2', { severity: 'critical', raised_at: at(0) }), alarm('3', { severity: 'critical', raised_at: at(10) })];
  assert.deepEqual(list.sort(bySeverityThenNewest).map((a) => a.id), ['3', '2', '1']);
});

test('the page filter: defaults left out of the URL, unknown values dropped, the range becomes from', () => {
  assert.deepEqual(normalizeAlarmFilter({ state: 'open', severity: 'info', channel: ' DHCP ', q: ' 02:00 ', range: 'bogus' }), { channel: 'dhcp', q: '02:00' });
  assert.equal(alarmsHref({ state: 'all', severity: 'critical', q: 'rogue', range: '24h' }), '/alarms?state=all&severity=critical&q=rogue&range=24h');
  assert.equal(alarmsHref({ state: 'open' }), '/alarms');
  assert.deepEqual(alarmFilterFromQuery(new URLSearchParams('state=cleared&category=health&x=1')), { state: 'cleared', category: 'health' });
  assert.deepEqual(alarmApiQuery({}, { limit: 50 }), { state: 'open', limit: 50 });
  assert.deepEqual(alarmApiQuery({ state: 'all', severity: 'warning', kind: 'rogue_server', range: '1h' }, { nowMs: T0 + 30e3 }), {
    state: 'all', limit: 500, severity: 'warning', kind: 'rogue_server', from: '2026-12-04T21:00:30Z',
  });
});

test('a stream change matches a filter by the server\'s rules: state, minimum severity, channel, text in a party id', () => {
  const a = alarm('1');
  assert.ok(matchesAlarmFilter(a, {}));
  assert.ok(!matchesAlarmFilter({ ...a, state: 'cleared' }, {}));
  assert.ok(matchesAlarmFilter({ ...a, state: 'cleared' }, { state: 'all' }));
  assert.ok(matchesAlarmFilter({ ...a, state: 'acknowledged' }, { state: 'open' }));
  assert.ok(!matchesAlarmFilter({ ...a, state: 'acknowledged' }, { state: 'raised' }));
  assert.ok(!matchesAlarmFilter(a, { severity: 'critical' }));
  assert.ok(matchesAlarmFilter({ ...a, severity: 'critical' }, { severity: 'warning' }));
  assert.ok(!matchesAlarmFilter(a, { channel: 'system' }));
  assert.ok(matchesAlarmFilter(a, { q: '02:00:00:00:00:01' }), 'a party id');
  assert.ok(matchesAlarmFilter(a, { q: 'ROGUE DHCP' }), 'the title, any case');
  assert.ok(!matchesAlarmFilter(a, { q: '10.0.0.1' }));
  assert.ok(matchesAlarmFilter(a, { range: '15m' }, { nowMs: T0 + 60e3 }));
  assert.ok(!matchesAlarmFilter(a, { range: '15m' }, { nowMs: T0 + 3600e3 }));
  // all of the last 24 h, not rounded to the dashboard's 15-minute buckets
  assert.ok(matchesAlarmFilter({ ...a, raised_at: at(-300) }, { range: '24h' }, { nowMs: T0 + 86400e3 - 600e3 }));
});

test('merging a change into the open list: a new alarm comes in at the top, an update replaces, a clear leaves', () => {
  const older = alarm('1', { raised_at: at(-60) });
  let list = [older];
  list = mergeChange(list, { change: 'raised', alarm: alarm('2') }, {});
  assert.deepEqual(list.map((a) => a.id), ['2', '1']);
  list = mergeChange(list, { change: 'updated', alarm: { ...older, occurrences: 5 } }, {});
  assert.deepEqual(list.map((a) => [a.id, a.occurrences]), [['2', 1], ['1', 5]]);
  list = mergeChange(list, { change: 'cleared', alarm: { ...older, state: 'cleared' } }, {});
  assert.deepEqual(list.map((a) => a.id), ['2']);
  // a cleared alarm stays, cleared, in a list of all states
  const all = mergeChange([older], { change: 'cleared', alarm: { ...older, state: 'cleared' } }, { state: 'all' });
  assert.equal(all[0].state, 'cleared');
  // a change that does not match a list without the alarm leaves the same array (nothing re-renders)
  const crit = [alarm('9', { severity: 'critical' })];
  assert.equal(mergeChange(crit, { change: 'raised', alarm: alarm('3') }, { severity: 'critical' }), crit);
  assert.equal(mergeChange(crit, { change: 'raised' }, {}), crit);
  // an escalation brings an alarm into a critical-only list, at its place by raised_at
  const esc = mergeChange(crit, { change: 'escalated', alarm: alarm('4', { severity: 'critical', raised_at: at(-600) }) }, { severity: 'critical' });
  assert.deepEqual(esc.map((a) => a.id), ['9', '4']);
  // at most `limit` rows, the newest
  assert.deepEqual(mergeChange([older], { change: 'raised', alarm: alarm('5') }, {}, { limit: 1 }).map((a) => a.id), ['5']);
});

function summaryOf(list) {
  const by = { critical: 0, warning: 0, info: 0 };
  for (const a of list) by[a.severity]++;
  return normalizeSummary({
    raised: list.filter((a) => a.state === 'raised').length, acknowledged: list.filter((a) => a.state === 'acknowledged').length,
    by_severity: by, latest: list,
  });
}

test('the bell\'s summary follows raised, acknowledged and cleared, and a repeated message counts nothing', () => {
  const a1 = alarm('1', { raised_at: at(-60) });
  let s = summaryOf([a1]);
  const raised = { change: 'raised', alarm: alarm('2', { severity: 'critical' }) };
  let r = applyToSummary(s, raised, null);
  s = r.summary;
  assert.equal(r.stale, false);
  assert.deepEqual([s.raised, s.acknowledged, s.by_severity.critical, s.by_severity.warning], [2, 0, 1, 1]);
  assert.deepEqual(s.latest.map((a) => a.id), ['2', '1']);
  assert.equal(applyToSummary(s, raised, raised.alarm).summary.raised, 2, 'the same raise again');

  const ack = { change: 'acknowledged', alarm: { ...a1, state: 'acknowledged', acknowledged_at: at(5), acknowledged_by: 'admin' } };
  s = applyToSummary(s, ack, a1).summary;
  assert.deepEqual([s.raised, s.acknowledged], [1, 1]);
  assert.deepEqual(applyToSummary(s, ack, ack.alarm).summary, s, 'acknowledged twice');
  assert.equal(s.latest.find((a) => a.id === '1').state, 'acknowledged');

  const cleared = { change: 'cleared', alarm: { ...ack.alarm, state: 'cleared', cleared_at: at(9), cleared_by: 'auto' } };
  r = applyToSummary(s, cleared, ack.alarm);
  s = r.summary;
  assert.deepEqual([s.raised, s.acknowledged, s.by_severity.warning, s.by_severity.critical], [1, 0, 0, 1]);
  assert.deepEqual(s.latest.map((a) => a.id), ['2']);
  assert.equal(r.stale, false);
  assert.deepEqual(applyToSummary(s, cleared, cleared.alarm).summary, s, 'cleared twice');
});

test('a change to an alarm the bell never saw: cleared counts from what it carries, an escalation asks for a fresh summary', () => {
  // 11 open alarms, the summary lists 10: the 11th (oldest) was never seen
  const list = Array.from({ length: 11 }, (_, i) => alarm(String(i), { raised_at: at(-i * 60) }));
  let s = normalizeSummary({ raised: 10, acknowledged: 1, by_severity: { warning: 11 }, latest: list.slice(0, 10) });
  assert.equal(s.latest.length, 10);
  const old = { ...list[10], state: 'cleared', acknowledged_at: at(-30) };
  let r = applyToSummary(s, { change: 'cleared', alarm: old }, null);
  assert.deepEqual([r.summary.raised, r.summary.acknowledged, r.summary.by_severity.warning], [10, 0, 10]);
  assert.equal(r.stale, false, 'latest still holds the 10 newest');

  const esc = { change: 'escalated', alarm: { ...list[10], severity: 'critical', last_seen: at(120) } };
  r = applyToSummary(s, esc, null);
  assert.equal(r.stale, true);
  assert.equal(r.summary.by_severity.critical, 1, 'the colour does not wait for the fresh summary');
  assert.equal(r.summary.latest[0].id, '10', 'news first');
  assert.equal(r.summary.latest.length, 10);

  // clearing one of the listed alarms leaves latest short of what is open: read the summary again
  s = normalizeSummary({ raised: 11, acknowledged: 0, by_severity: { warning: 11 }, latest: list.slice(0, 10) });
  r = applyToSummary(s, { change: 'cleared', alarm: { ...list[0], state: 'cleared' } }, list[0]);
  assert.equal(r.summary.latest.length, 9);
  assert.equal(r.stale, true);
});

test('an escalation moves severity counts and is news again', () => {
  const a = alarm('1', { raised_at: at(-600) });
  const b = alarm('2', { raised_at: at(-60) });
  let s = summaryOf([b, a]);
  const esc = { change: 'escalated', alarm: { ...a, severity: 'critical', last_seen: at(0) } };
  s = applyToSummary(s, esc, a).summary;
  assert.deepEqual([s.by_severity.warning, s.by_severity.critical, s.raised], [1, 1, 2]);
  assert.deepEqual(s.latest.map((x) => x.id), ['1', '2']);
  assert.equal(newsTime(s.latest[0]), T0);
  // an update afterwards keeps the news time; a fresh summary does too
  s = applyToSummary(s, { change: 'updated', alarm: { ...esc.alarm, occurrences: 3 } }, esc.alarm).summary;
  assert.equal(s.latest[0].news_at, at(0));
  const again = normalizeSummary({ raised: 2, acknowledged: 0, by_severity: { warning: 1, critical: 1 }, latest: [b, { ...esc.alarm }] }, s);
  assert.deepEqual(again.latest.map((x) => x.id), ['1', '2']);
});

test('unread: raised or escalated after the mark the drop-down last showed, "10+" when every listed one is new', () => {
  const a = alarm('1', { raised_at: at(-600) });
  const b = alarm('2', { raised_at: at(-60), state: 'acknowledged' });
  let s = summaryOf([b, a]);
  assert.deepEqual(unreadCount(s, 0), { n: 2, more: false }, 'never opened: everything open is unread');
  const mark = seenMark(s, 0);
  assert.equal(mark, T0 - 60e3);
  assert.deepEqual(unreadCount(s, mark), { n: 0, more: false });
  assert.equal(seenMark(summaryOf([]), mark), mark, 'the mark never goes back');
  s = applyToSummary(s, { change: 'escalated', alarm: { ...a, severity: 'critical', last_seen: at(5) } }, a).summary;
  assert.equal(unreadCount(s, mark).n, 1);
  s = applyToSummary(s, { change: 'raised', alarm: alarm('3', { raised_at: at(10) }) }, null).summary;
  assert.equal(unreadCount(s, mark).n, 2);
  s = applyToSummary(s, { change: 'updated', alarm: { ...b, occurrences: 9, last_seen: at(20) } }, b).summary;
  assert.equal(unreadCount(s, mark).n, 2, 'an update is not news');
  const many = normalizeSummary({ raised: 12, acknowledged: 0, by_severity: { warning: 12 }, latest: Array.from({ length: 10 }, (_, i) => alarm(String(i))) });
  assert.deepEqual(unreadCount(many, T0 - 1), { n: 10, more: true });
  assert.equal(unreadCount(null, 0).n, 0);
  assert.equal(seenKey('alice'), 'dhcp-shield.alarms.seen.alice');
});

test('ages are short', () => {
  assert.equal(fmtAge(at(0), T0 + 12e3), '12 s');
  assert.equal(fmtAge(at(0), T0 + 4 * 60e3 + 5e3), '4 min');
  assert.equal(fmtAge(at(0), T0 + 3 * 3600e3), '3 h');
  assert.equal(fmtAge(at(0), T0 + 2 * 86400e3), '2 d');
  assert.equal(fmtAge(undefined, T0), '—');
});

test('sink states read plainly', () => {
  assert.equal(sinkStateText({ state: 'closed', enabled: true }), 'delivering');
  assert.equal(sinkStateText({ state: 'open', enabled: true }), 'paused: endpoint failing');
  assert.equal(sinkStateText({ state: 'half_open', enabled: true }), 'trying again');
  assert.equal(sinkStateText({ state: 'closed', enabled: false }), 'disabled');
  assert.deepEqual(['closed', 'open', 'half_open'].map((state) => sinkStateLevel({ state, enabled: true })), ['ok', 'bad', 'warn']);
});

test('a route as a form and back: the same JSON, lists in a stable order, text trimmed', () => {
  const route = {
    id: 'r-1', name: 'critical to vector', enabled: true, channels: ['dhcp', 'system'], categories: ['security'],
    min_severity: 'warning', source_key_regex: '^rogue_server/', sinks: ['bell', 'vector'],
  };
  const f = routeToForm(route);
  assert.deepEqual(f, { name: 'critical to vector', enabled: true, channels: ['dhcp', 'system'], categories: ['security'], min_severity: 'warning', source_key_regex: '^rogue_server/', sinks: ['bell', 'vector'] });
  const { id, ...body } = route;
  assert.equal(id, 'r-1');
  assert.deepEqual(formToRoute(f, { sinks: ['bell', 'vector'] }), body);
  // ticked in any order, the JSON lists follow the known order; values the GUI does not know are kept
  const edited = { ...f, name: '  rogue only ', channels: toggled(toggled(f.channels, 'dhcp', false), 'dhcp', true), sinks: ['vector', 'bell', 'pager'], source_key_regex: ' ^x ' };
  assert.deepEqual(formToRoute(edited, { sinks: ['bell', 'vector'] }), { ...body, name: 'rogue only', sinks: ['bell', 'vector', 'pager'], source_key_regex: '^x' });
  assert.deepEqual(formToRoute(routeToForm({ name: 'x', channels: ['future', 'dhcp'] })).channels, ['dhcp', 'future']);
  assert.deepEqual(toggled(['a'], 'a', true), ['a']);
  assert.deepEqual(formToRoute({ ...newRouteForm(), name: 'new' }, { sinks: ['bell', 'vector'] }), {
    name: 'new', enabled: true, channels: [], categories: [], min_severity: 'warning', source_key_regex: '', sinks: ['bell'],
  });
  assert.equal(routeToForm({ name: 'off', enabled: false }).enabled, false);
  assert.equal(fmtAllOr([]), 'all');
  assert.equal(fmtAllOr(['dhcp', 'system']), 'dhcp, system');
});

test('a 400 on a route lands on the field it names: the error\'s field, a field in the message, else the regex', () => {
  assert.equal(routeErrorField({ status: 400, field: 'source_key_regex', message: 'Unclosed group near index 1' }), 'source_key_regex');
  assert.equal(routeErrorField({ status: 400, message: 'source_key_regex: Unclosed group near index 1 (' }), 'source_key_regex');
  assert.equal(routeErrorField({ status: 400, message: 'min_severity must be one of info, warning, critical, was loud' }), 'min_severity');
  assert.equal(routeErrorField({ status: 400, message: 'sinks: no sink named pager' }), 'sinks');
  assert.equal(routeErrorField({ status: 400, message: 'bad regex ^(rogue: Unclosed group' }), 'source_key_regex');
  assert.equal(routeErrorField({ status: 400, field: 'body', message: 'not JSON' }), null);
  assert.equal(routeErrorField({ status: 400, message: 'Unclosed group near index 15' }, { source_key_regex: '^rogue_server/(' }), 'source_key_regex');
  assert.equal(routeErrorField({ status: 400, message: 'Unclosed group near index 15' }, { source_key_regex: '^ok$' }), null);
  assert.equal(routeErrorField(null), null);
});
