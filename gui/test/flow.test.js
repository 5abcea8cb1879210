import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdictClass, stepPackets, stepSet, buildLadder, hookText, stepText, counterDeltas, flowSummary, typeGroups, typeDirection } from '../src/lib/flow.js';

const step = (id, over) => ({ id, depth: 0, chain: 'dhcp_inspect', hook: 'prerouting', priority: -100, base: true, rule: null, kind: 'match', label: '', set: null, counter: null, verdict: null, packets: null, set_elements: null, ...over });

/** DISCOVER inbound, shortened: two base chains, a vmap jump into the type's chain. */
function discover(packets = 100) {
  return {
    type: 'DISCOVER', direction: 'inbound', type_bits: '0x01000000', source: 'kernel',
    steps: [
      step('c0', { kind: 'chain', label: 'chain dhcp_inspect (filter, policy accept)' }),
      step('c0r0', { rule: 0, kind: 'queue', label: 'udp dport 67 → queue 1-4', counter: 'inbound_to_nf', verdict: 'continue' }),
      step('c1', { chain: 'route_by_type', priority: -98, kind: 'chain', label: 'chain route_by_type' }),
      step('c1r0', { chain: 'route_by_type', priority: -98, rule: 0, kind: 'vmap', label: 'type bits → jump v4_discover_chain', verdict: 'jump v4_discover_chain' }),
      step('c2', { chain: 'v4_discover_chain', depth: 1, base: false, hook: null, priority: null, kind: 'chain', label: 'chain v4_discover_chain' }),
      step('c2r0', { chain: 'v4_discover_chain', depth: 1, base: false, rule: 0, kind: 'counter', label: 'count v4_discover_total', counter: 'v4_discover_total' }),
      step('c2r2', { chain: 'v4_discover_chain', depth: 1, base: false, rule: 2, kind: 'set', label: "mark in @llm_blocked_marks → drop", set: 'llm_blocked_marks', counter: 'v4_discover_d', verdict: 'drop', packets }),
      step('c2r9', { chain: 'v4_discover_chain', depth: 1, base: false, rule: 9, kind: 'verdict', label: 'return', verdict: 'return' }),
      step('c1p', { chain: 'route_by_type', priority: -98, kind: 'policy', label: 'policy accept', verdict: 'accept' }),
    ],
    sets: { llm_blocked_marks: { size: 1000000, elements: 12 } },
    counters: { inbound_to_nf: { packets: 5000, bytes: 1 }, v4_discover_total: { packets: 900, bytes: 1 }, v4_discover_d: { packets: 99, bytes: 1 } },
  };
}

test('verdicts colour as accept, drop, jump, queue or continue', () => {
  assert.deepEqual(['accept', 'drop', 'jump v4_discover_chain', 'goto x', 'continue', 'return', 'queue', null].map(verdictClass), ['accept', 'drop', 'jump', 'jump', 'continue', 'continue', 'queue', null]);
});

test('the ladder groups steps by base chain with hook and priority, and nests a jump\'s chain under it', () => {
  const g = buildLadder(discover());
  assert.deepEqual(g.map((x) => [x.chain, hookText(x)]), [['dhcp_inspect', 'prerouting · priority -100'], ['route_by_type', 'prerouting · priority -98']]);
  assert.equal(g[0].head.id, 'c0');
  assert.deepEqual(g[0].nodes.map((n) => n.step.id), ['c0r0']);
  assert.deepEqual(g[1].nodes.map((n) => n.step.id), ['c1r0', 'c1p'], 'the policy comes back to depth 0');
  const jump = g[1].nodes[0];
  assert.deepEqual(jump.children.map((n) => n.step.id), ['c2', 'c2r0', 'c2r2', 'c2r9'], 'the jumped-to chain and its rules, one level in');
  assert.ok(jump.children.every((n) => n.children.length === 0));
});

test('a flow without base chain heads, or with a depth that skips a level, still makes a ladder', () => {
  const g = buildLadder({ steps: [step('a', { kind: 'match', base: false }), step('b', { depth: 2, base: false }), step('c', { depth: 1, base: false })] });
  assert.equal(g.length, 1);
  assert.equal(g[0].head, null);
  assert.deepEqual(g[0].nodes[0].children.map((n) => n.step.id), ['b', 'c']);
  assert.deepEqual(buildLadder(null), []);
});

test('counters and set sizes come from the step or from the answer\'s tables', () => {
  const f = discover(100);
  const byId = Object.fromEntries(f.steps.map((s) => [s.id, s]));
  assert.equal(stepPackets(byId.c2r2, f), 100, 'the step\'s own live value first');
  assert.equal(stepPackets(byId.c2r0, f), 900);
  assert.equal(stepPackets(byId.c1r0, f), null);
  assert.deepEqual(stepSet(byId.c2r2, f), { name: 'llm_blocked_marks', elements: 12, size: 1000000 });
  assert.equal(stepSet(byId.c2r0, f), null);
});

test('a step reads as a sentence with its set, counter and verdict', () => {
  const f = discover(1234);
  const s = f.steps.find((x) => x.id === 'c2r2');
  assert.equal(
    stepText(s, f, 5),
    'v4_discover_chain rule 2: mark in @llm_blocked_marks → drop. Set llm_blocked_marks holds 12 elements of 1,000,000. Counter v4_discover_d: 1,234 packets, 5 since the last read. Verdict: drop.',
  );
  assert.equal(stepText(f.steps[0], f), 'chain dhcp_inspect: chain dhcp_inspect (filter, policy accept).');
});

test('packets since the last read, per step; a reset counter or another type counts nothing', () => {
  const a = discover(100);
  const b = discover(130);
  b.counters.v4_discover_total.packets = 950;
  b.counters.inbound_to_nf.packets = 10; // reset (ruleset swapped)
  assert.deepEqual(counterDeltas(a, b), { c2r2: 30, c2r0: 50 });
  assert.deepEqual(counterDeltas(a, { ...b, type: 'REQUEST' }), {});
  assert.deepEqual(counterDeltas(null, b), {});
});

test('summary and the type chooser', () => {
  const f = discover();
  assert.equal(flowSummary(f, buildLadder(f)), 'DISCOVER inbound (0x01000000): 2 base chains, 9 steps, from the running kernel.');
  assert.match(flowSummary({ ...f, source: 'medium@3' }, buildLadder(f)), /from medium@3\.$/);
  const types = [
    { name: 'SOLICIT', family: 6, direction: 'inbound', type_bits: '0x11000000' },
    { name: 'DISCOVER', family: 4, direction: 'inbound', type_bits: '0x01000000' },
    { name: 'OFFER', family: 4, direction: 'outbound', type_bits: '0x02000000' },
  ];
  assert.deepEqual(typeGroups(types).map((g) => [g.label, g.types.map((t) => t.name)]), [['DHCPv4', ['DISCOVER', 'OFFER']], ['DHCPv6', ['SOLICIT']]]);
  assert.equal(typeDirection(types, 'OFFER'), 'outbound');
  assert.equal(typeDirection(types, 'NOPE'), 'inbound');
});
