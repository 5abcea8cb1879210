import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sourceText, summaryText, formatBody, oneLine, parseBody, locateObjects, lineOf, objectKind, objectTitle, objectIndexOfField,
  editorProblems, placeProblems, validationSummary, diffRows, diffCounts, activeOrder, addEntry, removeEntry, moveEntry,
  setEntryVersion, sameOrder, versionChoices, applyBody, applyText, stageText, inEffect, parseBundle, exportFileName,
} from '../src/lib/firewall.js';

const T = { family: 'inet', table: 'dhcp_inspection' };
const body = {
  nftables: [
    { metainfo: { json_schema_version: 1 } },
    { table: { family: 'inet', name: 'dhcp_inspection' } },
    { set: { ...T, name: 'llm_blocked_marks', type: 'mark', flags: ['timeout'] } },
    { chain: { ...T, name: 'v4_discover_chain' } },
    { rule: { ...T, chain: 'v4_discover_chain', expr: [{ match: { op: '==', left: { meta: { key: 'mark' } }, right: '@llm_blocked_marks' } }, { drop: null }] } },
  ],
};

test('sources and summaries read in the operator\'s words', () => {
  assert.equal(sourceText('profile:medium'), 'profile medium');
  assert.equal(sourceText('kernel'), 'running kernel');
  assert.equal(sourceText('copy:base@2'), 'copy of base@2');
  assert.equal(sourceText('import'), 'import');
  assert.equal(sourceText(null), '—');
  assert.equal(summaryText({ chains: 29, rules: 209, sets: 7, counters: 1, queue: 'native-nft' }), '29 chains · 209 rules · 7 sets · 1 counter · native-nft');
  assert.equal(summaryText(null), '—');
});

test('the editor shows one nft object per line and its text parses back to the same ruleset', () => {
  const text = formatBody(body);
  const lines = text.split('\n');
  assert.equal(lines[0], '{"nftables": [');
  assert.equal(lines.length, body.nftables.length + 3);
  assert.equal(lines[2], '  {"table": {"family": "inet", "name": "dhcp_inspection"}},');
  assert.equal(lines[3], '  ' + oneLine(body.nftables[2]) + ',');
  assert.equal(oneLine({ a: [1, 'x, y: z', null, { b: true }] }), '{"a": [1, "x, y: z", null, {"b": true}]}');
  assert.deepEqual(parseBody(text).body, body);
  assert.deepEqual(JSON.parse(formatBody({ nftables: [], extra: 1 })), { nftables: [], extra: 1 });
});

test('text that is not a ruleset says what is wrong and, when JSON says where, the line', () => {
  const bad = '{"nftables": [\n  {"table": {}},\n  {"chain": }\n]}';
  const r = parseBody(bad);
  assert.equal(r.body, null);
  assert.equal(r.line, 3);
  assert.ok(r.error.length > 0);
  assert.equal(parseBody('{"nftables": [\n  {"a": 1}\n  {"b": 2}\n]}').line, 3, 'a missing comma');
  assert.match(parseBody('[1]').error, /JSON object/);
  assert.match(parseBody('{"rules": []}').error, /nftables/);
  assert.equal(lineOf('a\nb\nc', 4), 3);
});

test('each object of nftables is found in the text, whatever the layout, with its lines', () => {
  const text = formatBody(body);
  const at = locateObjects(text);
  assert.equal(at.length, 5);
  assert.deepEqual(at.map((o) => o.line), [2, 3, 4, 5, 6]);
  assert.deepEqual(JSON.parse(text.slice(at[4].start, at[4].end)), body.nftables[4]);
  // pretty-printed: an object spans lines; braces and brackets inside strings do not confuse it
  const pretty = JSON.stringify({ nftables: [{ rule: { comment: 'a } ] { "quoted"', expr: [1, [2]] } }, { chain: { name: 'x' } }] }, null, 2);
  const p = locateObjects(pretty);
  assert.equal(p.length, 2);
  assert.ok(p[0].endLine > p[0].line);
  assert.deepEqual(JSON.parse(pretty.slice(p[1].start, p[1].end)), { chain: { name: 'x' } });
  // other keys before nftables, scalars in it, and text that stops parsing halfway
  const odd = '{"comment": ["nftables"], "nftables": [7, "s", {"a": 1}, {"b": ';
  assert.deepEqual(locateObjects(odd).map((o) => odd.slice(o.start, o.end)), ['7', '"s"', '{"a": 1}']);
  assert.deepEqual(locateObjects('{"x": 1}'), []);
});

test('objects are named by their kind', () => {
  assert.equal(objectKind(body.nftables[4]), 'rule');
  assert.equal(objectTitle(body.nftables[4]), 'rule in chain v4_discover_chain');
  assert.equal(objectTitle(body.nftables[2]), 'set llm_blocked_marks');
  assert.equal(objectTitle(body.nftables[1]), 'table inet dhcp_inspection');
  assert.equal(objectTitle({ rule: { chain: 'c', handle: 4 } }), 'rule in chain c (handle 4)');
  assert.equal(objectTitle(7), 'number');
});

test('the kernel\'s errors and the API\'s field problems point at objects, in object order', () => {
  assert.equal(objectIndexOfField('body.nftables[12]'), 12);
  assert.equal(objectIndexOfField('body.nftables[3].rule.expr[0]'), 3);
  assert.equal(objectIndexOfField('name'), null);
  const problems = editorProblems({
    errors: [{ index: 4, object: body.nftables[4], message: 'Could not process rule: No such file or directory' }],
    fields: { 'body.nftables[1]': 'only table inet dhcp_inspection may be touched', name: 'too long' },
  });
  assert.deepEqual(problems.map((p) => [p.index, p.field]), [[1, 'body.nftables[1]'], [4, null], [null, 'name']]);
  const placed = placeProblems(problems, locateObjects(formatBody(body)));
  assert.deepEqual(placed.map((p) => p.line), [3, 6, null]);
  // an index the text no longer has (edited since) is shown without a place
  assert.equal(placeProblems([{ index: 40, message: 'x' }], locateObjects(formatBody(body)))[0].line, null);
});

test('a validation reads as one sentence', () => {
  assert.equal(validationSummary({ ok: true, commands: 317 }, 'swap'), 'Valid: the kernel would take it (317 commands, swap).');
  assert.equal(validationSummary({ ok: false, stage: 'kernel', errors: [{ index: 1 }] }, 'merge'), 'The kernel refuses it (1 object).');
  assert.equal(validationSummary({ ok: false, stage: 'structure', errors: [] }, 'merge'), "The ruleset's structure is refused.");
});

test('the diff: line numbers per side, long unchanged runs folded around the changes', () => {
  const lines = [
    ...Array.from({ length: 10 }, (_, i) => ({ op: ' ', text: 'same ' + i })),
    { op: '-', text: 'chain x only in the snapshot' },
    { op: '+', text: 'chain y only in the kernel' },
    ...Array.from({ length: 10 }, (_, i) => ({ op: ' ', text: 'after ' + i })),
  ];
  const all = diffRows(lines, { expanded: true });
  assert.equal(all.length, 22);
  assert.deepEqual([all[10].op, all[10].left, all[10].right], ['del', 11, null]);
  assert.deepEqual([all[11].op, all[11].left, all[11].right], ['add', null, 11]);
  assert.deepEqual([all[21].left, all[21].right], [21, 21]);
  const folded = diffRows(lines, { context: 2 });
  assert.deepEqual(folded.map((r) => r.op), ['fold', 'same', 'same', 'del', 'add', 'same', 'same', 'fold']);
  assert.deepEqual([folded[0].count, folded[0].from, folded[0].to], [8, 0, 8]);
  assert.equal(folded[7].count, 8);
  // a single unchanged line between two contexts is shown, not folded
  const near = diffRows([{ op: '+', text: 'a' }, ...Array.from({ length: 7 }, () => ({ op: ' ', text: 's' })), { op: '-', text: 'b' }], { context: 3 });
  assert.ok(!near.some((r) => r.op === 'fold'));
  assert.deepEqual(diffCounts(lines), { added: 1, removed: 1 });
  assert.deepEqual(diffRows([]), []);
});

test('the active set: from the API by order, add once, move, remove, change a version', () => {
  const rulesets = [
    { name: 'extra', version: 2, active: true, order: 2, active_version: 1 },
    { name: 'medium', version: 3, active: true, order: 1, active_version: 3 },
    { name: 'old', version: 1, active: false, order: null },
    { name: 'gone', version: 1, active: true, order: 3, deleted: true },
  ];
  let list = activeOrder(rulesets);
  assert.deepEqual(list, [{ name: 'medium', version: 3 }, { name: 'extra', version: 1 }]);
  list = addEntry(list, 'old', 1);
  assert.deepEqual(list.map((e) => e.name), ['medium', 'extra', 'old']);
  assert.deepEqual(addEntry(list, 'old', 1), list, 'at most once');
  assert.equal(addEntry(list, 'extra', 2)[1].version, 2, 'a second add changes the version');
  list = moveEntry(list, 2, -1);
  assert.deepEqual(list.map((e) => e.name), ['medium', 'old', 'extra']);
  assert.equal(moveEntry(list, 0, -1), list, 'the first cannot move up');
  assert.equal(moveEntry(list, 2, 1), list, 'the last cannot move down');
  list = removeEntry(setEntryVersion(list, 0, 2), 1);
  assert.deepEqual(list, [{ name: 'medium', version: 2 }, { name: 'extra', version: 1 }]);
  assert.ok(sameOrder(list, [{ name: 'medium', version: 2 }, { name: 'extra', version: 1 }]));
  assert.ok(!sameOrder(list, [{ name: 'extra', version: 1 }, { name: 'medium', version: 2 }]));
  assert.deepEqual(versionChoices({ version: 3 }), [3, 2, 1]);
});

test('the apply body is the ordered list and the mode; nothing is sent without both', () => {
  assert.deepEqual(applyBody('swap', [{ name: 'medium', version: 3 }, { name: 'extra', version: 1 }]).body, {
    mode: 'swap', rulesets: [{ name: 'medium', version: 3 }, { name: 'extra', version: 1 }],
  });
  assert.match(applyBody('', [{ name: 'a', version: 1 }]).problem, /merge or swap/);
  assert.match(applyBody('merge', []).problem, /at least one/);
  assert.match(applyBody('merge', [{ name: 'a', version: null }]).problem, /version of a/);
});

test('applies read plainly; the one in effect is the newest that went through', () => {
  const ok = { id: 9, mode: 'swap', rulesets: ['medium@3'], ok: true, stage: 'done', ms: 120 };
  const bad = { id: 10, mode: 'merge', rulesets: ['extra@2'], ok: false, stage: 'dry-run', error: 'Error: ...' };
  assert.equal(applyText(ok), 'Applied: swap of medium@3 in 120 ms.');
  assert.equal(applyText(bad), "Refused at the kernel's dry run: merge of extra@2. The running ruleset is untouched.");
  assert.equal(stageText('xt-queue'), 'the xt queue set-up');
  assert.equal(inEffect([bad, ok]).id, 9);
  assert.equal(inEffect([bad]), null);
});

test('an export bundle is read and checked before it is sent', () => {
  const bundle = { format: 'dhcp-shield-rulesets/1', exported_at: '2026-12-04T22:00:00Z', rulesets: [{ name: 'medium', version: 3, source: 'profile:medium', body }] };
  const r = parseBundle(JSON.stringify(bundle));
  assert.equal(r.problem, null);
  assert.deepEqual(r.rulesets, [{ name: 'medium', version: 3, source: 'profile:medium', objects: 5 }]);
  assert.match(parseBundle('{').problem, /^Not JSON/);
  assert.match(parseBundle('{"nftables": []}').problem, /format is null/);
  assert.match(parseBundle(JSON.stringify({ ...bundle, rulesets: [] })).problem, /no ruleset/);
  assert.match(parseBundle(JSON.stringify({ ...bundle, rulesets: [{ name: 'x', body: {} }] })).problem, /x has no nftables/);
  assert.match(parseBundle(JSON.stringify({ ...bundle, rulesets: [bundle.rulesets[0], bundle.rulesets[0]] })).problem, /twice/);
  assert.equal(exportFileName(Date.parse('2026-12-04T22:07:31.5Z')), 'dhcp-shield-rulesets-20261204T2207Z.json');
});
