/**
 * The Flow Visualizer's model (GET /api/v1/firewall/flow), without a browser: the steps a message type takes through
 * the ruleset, grouped by base chain (hook and priority), nested by jump depth into a tree that renders as nested
 * lists (what a screen reader reads is the same ladder as what the eye sees), each step's verdict as a colour class,
 * set sizes and counters from the answer, and the packets counted since the previous read.
 */
import { fmtCount } from './format.js';

/** accept (green), drop (red), jump (blue), continue / return (grey), or null when the step decides nothing. */
export function verdictClass(v) {
  if (!v) return null;
  const w = String(v).split(' ')[0];
  if (w === 'accept') return 'accept';
  if (w === 'drop' || w === 'reject') return 'drop';
  if (w === 'jump' || w === 'goto') return 'jump';
  if (w === 'queue') return 'queue';
  return 'continue';
}

/** The packets a step's counter has seen: the step's own live value, else the named counter's. */
export function stepPackets(step, flow) {
  if (step.packets != null) return step.packets;
  const c = step.counter && flow && flow.counters ? flow.counters[step.counter] : null;
  return c && c.packets != null ? c.packets : null;
}

/** {elements, size} of the set a step checks, or null. */
export function stepSet(step, flow) {
  if (!step.set) return null;
  const s = flow && flow.sets ? flow.sets[step.set] : null;
  const elements = step.set_elements ?? (s ? s.elements : null);
  return { name: step.set, elements: elements ?? null, size: s && s.size != null ? s.size : null };
}

/**
 * The ladder: [{chain, hook, priority, head, nodes}] — one group per base chain in traversal order (`head` the
 * chain's own step when the API sends one), `nodes` a tree by depth ({step, children}): the steps after a jump,
 * one level deeper, are the jump's children.
 */
export function buildLadder(flow) {
  const groups = [];
  let g = null;
  let stack = [];
  for (const step of (flow && flow.steps) || []) {
    const depth = Number(step.depth) || 0;
    const startsGroup = depth === 0 && step.base && (!g || step.kind === 'chain' || step.chain !== g.chain);
    if (startsGroup || !g) {
      g = { chain: step.chain, hook: step.hook ?? null, priority: step.priority ?? null, head: null, nodes: [] };
      groups.push(g);
      stack = [];
      if (step.kind === 'chain' && depth === 0) {
        g.head = step;
        continue;
      }
    }
    const node = { step, depth, children: [] };
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop();
    (stack.length ? stack[stack.length - 1].children : g.nodes).push(node);
    stack.push(node);
  }
  return groups;
}

/** "prerouting · priority -100" */
export function hookText(g) {
  const parts = [];
  if (g.hook) parts.push(g.hook);
  if (g.priority != null) parts.push('priority ' + g.priority);
  return parts.join(' · ');
}

/** A step as one sentence: what a screen reader says, and the step's tooltip. */
export function stepText(step, flow, delta) {
  const parts = [];
  const where = step.kind === 'chain' ? `chain ${step.chain}` : step.rule != null ? `${step.chain} rule ${step.rule}` : step.chain;
  parts.push(`${where}: ${step.label || step.kind}.`);
  const set = stepSet(step, flow);
  if (set) parts.push(`Set ${set.name} holds ${set.elements == null ? 'an unknown number of' : fmtCount(set.elements)} element${set.elements === 1 ? '' : 's'}${set.size != null ? ` of ${fmtCount(set.size)}` : ''}.`);
  const p = stepPackets(step, flow);
  if (step.counter || p != null) parts.push(`Counter${step.counter ? ' ' + step.counter : ''}: ${p == null ? 'unknown' : fmtCount(p)} packets${delta ? `, ${fmtCount(delta)} since the last read` : ''}.`);
  if (step.taken === 'no') parts.push('This message type never matches it.');
  if (step.verdict) parts.push(step.taken === 'if' ? `When it matches the client: ${step.verdict}.` : `Verdict: ${step.verdict}.`);
  return parts.join(' ');
}

/** Packets counted by each step since the previous answer: {stepId: n}; a counter that went back (reset) is left out. */
export function counterDeltas(prev, next) {
  const out = {};
  if (!prev || !next || prev.type !== next.type || prev.direction !== next.direction) return out;
  const before = new Map((prev.steps || []).map((s) => [s.id, stepPackets(s, prev)]));
  for (const s of next.steps || []) {
    const a = before.get(s.id);
    const b = stepPackets(s, next);
    if (a != null && b != null && b >= a && b - a > 0) out[s.id] = b - a;
  }
  return out;
}

/** "DISCOVER inbound (0x01000000): 3 base chains, 41 steps, from the running kernel" */
export function flowSummary(flow, groups) {
  if (!flow) return '';
  const n = (flow.steps || []).length;
  const src = !flow.source || flow.source === 'kernel' ? 'the running kernel' : flow.source;
  const bits = flow.type_bits ? ` (${flow.type_bits})` : '';
  return `${flow.type} ${flow.direction}${bits}: ${groups.length} base chain${groups.length === 1 ? '' : 's'}, ${n} step${n === 1 ? '' : 's'}, from ${src}.`;
}

/** The message types for the chooser, by family: [{family, label, types: [{name, direction, type_bits}]}]. */
export function typeGroups(types) {
  const by = new Map();
  for (const t of types || []) {
    const f = Number(t.family) === 6 ? 6 : 4;
    if (!by.has(f)) by.set(f, []);
    by.get(f).push(t);
  }
  return [...by.keys()].sort().map((f) => ({ family: f, label: 'DHCPv' + f, types: by.get(f) }));
}

/** The direction a type travels (requests in, answers out), for the chooser's default. */
export function typeDirection(types, name) {
  const t = (types || []).find((x) => x.name === name);
  return t && t.direction ? t.direction : 'inbound';
}
