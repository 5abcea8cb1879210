/**
 * The Firewall Manager as the GUI keeps it (docs/gui.md "Firewall"), without a browser: a ruleset's text in the
 * editor (one nft object per line) and where each object of `nftables` sits in it, the kernel's and the API's
 * problems tied to those objects, the diff against the running kernel as rows, the ordered active set, and an export
 * bundle read from a file.
 */

export const PROFILES = ['low', 'medium', 'strict'];
export const MODES = [
  { id: 'merge', label: 'Merge', hint: 'adds the rulesets to the running table; nothing that runs is removed (non-disruptive)' },
  { id: 'swap', label: 'Swap', hint: 'replaces the whole table with exactly these rulesets in one transaction (a clean swap)' },
];
export const BUNDLE_FORMAT = 'dhcp-shield-rulesets/1';

/** "profile medium", "running kernel", "copy of base@2", "import", "edit". */
export function sourceText(src) {
  if (!src) return '—';
  if (src.startsWith('profile:')) return 'profile ' + src.slice(8);
  if (src === 'kernel') return 'running kernel';
  if (src.startsWith('copy:')) return 'copy of ' + src.slice(5);
  return src;
}

/** "29 chains · 212 rules · 7 sets · 70 counters · native-nft" */
export function summaryText(s) {
  if (!s) return '—';
  const n = (v, one, many) => `${v ?? '?'} ${v === 1 ? one : many}`;
  const parts = [n(s.chains, 'chain', 'chains'), n(s.rules, 'rule', 'rules'), n(s.sets, 'set', 'sets'), n(s.counters, 'counter', 'counters')];
  if (s.queue) parts.push(s.queue);
  return parts.join(' · ');
}

// ---- the editor's text ----

/**
 * A ruleset as the editor shows it: `{"nftables": [` then one object per line, so a line is an object and the
 * kernel's "object 12" is a line the operator can find. Other top-level keys (none expected) follow on their own
 * lines.
 */
export function formatBody(body) {
  if (!body || !Array.isArray(body.nftables)) return JSON.stringify(body ?? {}, null, 2);
  const { nftables, ...rest } = body;
  const lines = ['{"nftables": ['];
  nftables.forEach((o, i) => lines.push('  ' + oneLine(o) + (i < nftables.length - 1 ? ',' : '')));
  const extra = Object.entries(rest).map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`);
  lines.push(extra.length ? '],' : ']');
  extra.forEach((e, i) => lines.push(e + (i < extra.length - 1 ? ',' : '')));
  lines.push('}');
  return lines.join('\n');
}

/** JSON on one line with a space after each colon and comma, as people write it (JSON.stringify leaves none). */
export function oneLine(v) {
  if (Array.isArray(v)) return '[' + v.map(oneLine).join(', ') + ']';
  if (v && typeof v === 'object') return '{' + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ': ' + oneLine(x)).join(', ') + '}';
  return JSON.stringify(v) ?? 'null';
}

/** 1-based line of a character offset. */
export function lineOf(text, offset) {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The editor's text as a ruleset: {body} or {error, line} (the line where JSON.parse stopped, when it says where).
 * A body must be an object with an `nftables` array; what is in it is the API's and the kernel's business.
 */
export function parseBody(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    const msg = String(e.message || e);
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const line = lc ? Number(lc[1]) : pos ? lineOf(text, Number(pos[1])) : firstBadLine(text);
    return { body: null, error: msg.replace(/^JSON\.parse: /, ''), line };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { body: null, error: 'a ruleset is a JSON object {"nftables": [...]}', line: 1 };
  if (!Array.isArray(body.nftables)) return { body: null, error: 'the object has no "nftables" array', line: 1 };
  return { body, error: null, line: null };
}

/**
 * Where each element of the top-level `nftables` array sits in `text`: [{index, start, end, line, endLine}] (offsets
 * of the element's first and past-last character, 1-based lines). Read with a small JSON scanner, so it works on any
 * layout and on text that no longer parses further down (what it reached is returned).
 */
export function locateObjects(text) {
  const out = [];
  let depth = 0;
  let inString = false;
  let line = 1;
  let lastKey = null; // the last string read at depth 1 (a key of the top object)
  let strStart = -1;
  let arrayDepth = -1; // depth inside the nftables array (2) once found
  let cur = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 1 && arrayDepth < 0) lastKey = text.slice(strStart + 1, i);
        if (cur === null && arrayDepth > 0 && depth === arrayDepth) out.push({ index: out.length, start: strStart, end: i + 1, line, endLine: line });
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      strStart = i;
      continue;
    }
    if (c === '{' || c === '[') {
      if (arrayDepth > 0 && depth === arrayDepth && cur === null) cur = { index: out.length, start: i, line };
      depth++;
      if (c === '[' && depth === 2 && arrayDepth < 0 && lastKey === 'nftables') arrayDepth = 2;
      continue;
    }
    if (c === '}' || c === ']') {
      depth--;
      if (arrayDepth > 0 && depth === arrayDepth && cur) {
        out.push({ ...cur, end: i + 1, endLine: line });
        cur = null;
      } else if (arrayDepth > 0 && depth < arrayDepth) {
        break; // the array closed
      }
      continue;
    }
    if (arrayDepth > 0 && depth === arrayDepth && cur === null && /[-0-9a-z]/.test(c)) {
      // a scalar element (not an nft object, but an element the kernel may point at all the same)
      let j = i;
      while (j < text.length && !/[,\]\s]/.test(text[j])) j++;
      out.push({ index: out.length, start: i, end: j, line, endLine: line });
      i = j - 1;
    }
  }
  return out;
}

/**
 * Where text that does not parse goes wrong, when the engine's message does not say (V8's does not): the first
 * object of nftables that does not parse alone, or the first gap between two objects that is not a comma.
 */
function firstBadLine(text) {
  const at = locateObjects(text);
  for (let i = 0; i < at.length; i++) {
    try {
      JSON.parse(text.slice(at[i].start, at[i].end));
    } catch {
      return at[i].line;
    }
    if (i > 0 && !/^\s*,\s*$/.test(text.slice(at[i - 1].end, at[i].start))) return at[i].line;
  }
  // past the last object found: an object the scanner could not close, or what follows the array
  return at.length ? at[at.length - 1].endLine + (/^\s*,?\s*$/.test(text.slice(at[at.length - 1].end)) ? 0 : 1) : null;
}

/** The kind of an nft object: its only key ("rule", "chain", "set", ...). */
export function objectKind(o) {
  if (!o || typeof o !== 'object') return typeof o;
  const k = Object.keys(o);
  return k.length === 1 ? k[0] : k.join('+');
}

/** "rule in chain v4_discover_chain", "set llm_blocked_marks", "table inet dhcp_inspection". */
export function objectTitle(o) {
  const kind = objectKind(o);
  const v = o && typeof o === 'object' ? o[kind] : null;
  if (!v || typeof v !== 'object') return kind;
  if (kind === 'rule') return `rule in chain ${v.chain ?? '?'}${v.handle != null ? ' (handle ' + v.handle + ')' : ''}`;
  if (kind === 'table') return `table ${v.family ?? ''} ${v.name ?? ''}`.trim();
  if (v.name != null) return `${kind} ${v.name}`;
  return kind;
}

const FIELD_INDEX = /^body\.nftables\[(\d+)\]/;

/** 12 for "body.nftables[12]" or "body.nftables[12].rule.expr"; null for any other field. */
export function objectIndexOfField(field) {
  const m = FIELD_INDEX.exec(field || '');
  return m ? Number(m[1]) : null;
}

/**
 * The problems to show in the editor, from a validation answer (`errors`) or a refusal's fields
 * ({"body.nftables[12]": "..."}), or both: [{index|null, message, object|null, field|null}], in object order, the
 * ones about no object last.
 */
export function editorProblems({ errors, fields } = {}) {
  const out = [];
  for (const e of errors || []) {
    out.push({ index: Number.isInteger(e.index) ? e.index : null, message: e.message || 'refused', object: e.object ?? null, field: null });
  }
  for (const [field, message] of Object.entries(fields || {})) {
    out.push({ index: objectIndexOfField(field), message: String(message), object: null, field });
  }
  return out.sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity));
}

/**
 * The problems laid over the text: each with its object's lines, or none when the text has no such object (edited
 * since, or an index past the end). [{...problem, line, endLine}]
 */
export function placeProblems(problems, located) {
  return (problems || []).map((p) => {
    const at = p.index != null ? located[p.index] : null;
    return { ...p, line: at ? at.line : null, endLine: at ? at.endLine : null, start: at ? at.start : null, end: at ? at.end : null };
  });
}

/** What a validation said, in one sentence. */
export function validationSummary(r, mode) {
  if (!r) return '';
  if (r.ok) return `Valid: the kernel would take it (${r.commands ?? '?'} command${r.commands === 1 ? '' : 's'}, ${mode}).`;
  const n = (r.errors || []).length;
  const where = r.stage === 'structure' ? 'The ruleset\'s structure is refused' : 'The kernel refuses it';
  return `${where}${n ? ` (${n} object${n === 1 ? '' : 's'})` : ''}.`;
}

// ---- the diff against the running kernel ----

const OP_CLASS = { '+': 'add', '-': 'del', ' ': 'same' };

/**
 * The diff's lines as rows: {op: add|del|same, sign, text, left, right} with line numbers on each side (left: the
 * snapshot, right: the kernel). Long unchanged runs fold to `context` lines around each change:
 * {op: 'fold', count, from, to} stands for lines[from..to) when not expanded.
 */
export function diffRows(lines, { context = 3, expanded = false } = {}) {
  const rows = [];
  let left = 0;
  let right = 0;
  for (const l of lines || []) {
    const op = OP_CLASS[l.op] || 'same';
    if (op !== 'add') left++;
    if (op !== 'del') right++;
    rows.push({ op, sign: op === 'add' ? '+' : op === 'del' ? '-' : ' ', text: l.text ?? '', left: op === 'add' ? null : left, right: op === 'del' ? null : right });
  }
  if (expanded) return rows;
  const keep = new Array(rows.length).fill(false);
  rows.forEach((r, i) => {
    if (r.op === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) keep[j] = true;
  });
  const out = [];
  for (let i = 0; i < rows.length; ) {
    if (keep[i]) {
      out.push(rows[i]);
      i++;
      continue;
    }
    let j = i;
    while (j < rows.length && !keep[j]) j++;
    if (j - i <= 1) out.push(...rows.slice(i, j));
    else out.push({ op: 'fold', count: j - i, from: i, to: j });
    i = j;
  }
  return out;
}

/** {added, removed} lines of a diff. */
export function diffCounts(lines) {
  let added = 0;
  let removed = 0;
  for (const l of lines || []) {
    if (l.op === '+') added++;
    else if (l.op === '-') removed++;
  }
  return { added, removed };
}

// ---- the active set: which rulesets are applied, in which order ----

/** The active set as the API has it: the active rulesets by their order, each at its active version. */
export function activeOrder(rulesets) {
  return (rulesets || [])
    .filter((r) => r.active && !r.deleted)
    .sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.name.localeCompare(b.name))
    .map((r) => ({ name: r.name, version: r.active_version ?? r.version }));
}

/** The list with a ruleset added at the end (at most once; a second add changes its version). */
export function addEntry(list, name, version) {
  if (!name) return list;
  if (list.some((e) => e.name === name)) return list.map((e) => (e.name === name ? { ...e, version } : e));
  return [...list, { name, version }];
}

export function removeEntry(list, i) {
  return list.filter((_, j) => j !== i);
}

/** Entry i moved by `by` places (-1 up, +1 down); the same list when it cannot move. */
export function moveEntry(list, i, by) {
  const j = i + by;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return list;
  const next = [...list];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

export function setEntryVersion(list, i, version) {
  return list.map((e, j) => (j === i ? { ...e, version } : e));
}

export function sameOrder(a, b) {
  return a.length === b.length && a.every((e, i) => e.name === b[i].name && e.version === b[i].version);
}

/** Version numbers offered for a ruleset, newest first: its latest down to 1. */
export function versionChoices(r) {
  const latest = Number(r && r.version) || 0;
  return Array.from({ length: latest }, (_, i) => latest - i);
}

/** The body of POST /apply, or {problem} when it cannot be sent. */
export function applyBody(mode, list) {
  if (!MODES.some((m) => m.id === mode)) return { problem: 'Choose merge or swap.' };
  if (!list.length) return { problem: 'Add at least one ruleset to apply.' };
  const bad = list.find((e) => !e.name || !Number.isInteger(e.version) || e.version < 1);
  if (bad) return { problem: `Choose a version of ${bad.name || 'every ruleset'}.` };
  return { body: { mode, rulesets: list.map((e) => ({ name: e.name, version: e.version })) } };
}

// ---- applies ----

const STAGES = {
  done: 'done',
  structure: 'the ruleset\'s structure',
  'dry-run': 'the kernel\'s dry run',
  commit: 'the kernel commit',
  'xt-queue': 'the xt queue set-up',
};

export function stageText(stage) {
  return STAGES[stage] || stage || '—';
}

/** One line for an apply: "ok: swap of medium@3, extra@1 in 120 ms" / "refused at the kernel's dry run: ...". */
export function applyText(a) {
  if (!a) return '';
  const what = `${a.mode} of ${(a.rulesets || []).join(', ') || 'nothing'}`;
  if (a.ok) return `Applied: ${what}${a.ms != null ? ` in ${a.ms} ms` : ''}.`;
  return `Refused at ${stageText(a.stage)}: ${what}. The running ruleset is untouched.`;
}

/** The apply whose rulesets run now: the newest that went through. */
export function inEffect(applies) {
  return (applies || []).find((a) => a.ok) || null;
}

// ---- export bundles ----

/**
 * A bundle file's text as the import will send it: {bundle, rulesets: [{name, version, source}], problem}. The
 * API checks each ruleset; here only the shape that makes it a bundle of ours.
 */
export function parseBundle(text) {
  let b;
  try {
    b = JSON.parse(text);
  } catch (e) {
    return { bundle: null, rulesets: [], problem: 'Not JSON: ' + (e.message || e) };
  }
  if (!b || typeof b !== 'object' || Array.isArray(b)) return { bundle: null, rulesets: [], problem: 'Not an export bundle: expected a JSON object.' };
  if (b.format !== BUNDLE_FORMAT) return { bundle: null, rulesets: [], problem: `Not an export bundle: format is ${JSON.stringify(b.format ?? null)}, expected "${BUNDLE_FORMAT}".` };
  if (!Array.isArray(b.rulesets) || !b.rulesets.length) return { bundle: null, rulesets: [], problem: 'The bundle holds no ruleset.' };
  const names = new Set();
  for (const [i, r] of b.rulesets.entries()) {
    if (!r || typeof r.name !== 'string' || !r.name.trim()) return { bundle: null, rulesets: [], problem: `Ruleset ${i + 1} has no name.` };
    if (!r.body || !Array.isArray(r.body.nftables)) return { bundle: null, rulesets: [], problem: `Ruleset ${r.name} has no nftables body.` };
    if (names.has(r.name)) return { bundle: null, rulesets: [], problem: `Ruleset ${r.name} is in the bundle twice.` };
    names.add(r.name);
  }
  return {
    bundle: b,
    rulesets: b.rulesets.map((r) => ({ name: r.name, version: r.version ?? null, source: r.source ?? null, objects: r.body.nftables.length })),
    problem: null,
  };
}

/** The export's download name when the API gives none: dhcp-shield-rulesets-20261204T2200Z.json */
export function exportFileName(nowMs = Date.now()) {
  const t = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace(/(\d{4})\d{2}Z$/, '$1Z');
  return `dhcp-shield-rulesets-${t}.json`;
}
