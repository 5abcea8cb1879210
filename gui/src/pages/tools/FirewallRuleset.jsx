import { useEffect, useMemo, useState } from 'preact/hooks';
import { ruleset, getVersion, validate, createRuleset, diff, loadRulesets } from '../../state/firewall.js';
import { canAct, role } from '../../state/session.js';
import { navigate } from '../../state/router.js';
import { Resource, ErrorBox, Loading, Empty } from '../../components/States.jsx';
import { Link } from '../../components/Link.jsx';
import { ToolTabs } from '../../components/ToolTabs.jsx';
import { CodeEditor } from '../../components/CodeEditor.jsx';
import { DiffView } from '../../components/DiffView.jsx';
import { ExistsExplained, rulesetHref } from './Firewall.jsx';
import { fmtTime } from '../../lib/format.js';
import {
  MODES, sourceText, formatBody, parseBody, locateObjects, editorProblems, placeProblems, validationSummary, objectTitle,
} from '../../lib/firewall.js';

function Versions({ d, shown }) {
  return (
    <section class="panel" aria-labelledby="versions-h">
      <h2 id="versions-h">Versions</h2>
      <table class="dense versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Source</th>
            <th scope="col">By, at (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {d.versions.map((v) => (
            <tr key={v.version} class={(v.version === shown ? 'selected ' : '') + (v.deleted ? 'off' : '')}>
              <td>
                <Link href={rulesetHref(d.name, v.version)} aria-current={v.version === shown ? 'true' : undefined} title={v.comment || undefined}>
                  v{v.version}
                </Link>
                {v.active ? (
                  <div>
                    <span class="badge plain st-applied" title={`active, applied as number ${v.order}`}>
                      active #{v.order}
                    </span>
                  </div>
                ) : v.deleted ? (
                  <div>
                    <span class="badge">deleted</span>
                  </div>
                ) : null}
              </td>
              <td class="trunc" title={v.comment || sourceText(v.source)}>
                {sourceText(v.source)}
                {v.comment ? <div class="muted small trunc-block">{v.comment}</div> : null}
              </td>
              <td>
                {v.created_by}
                <div class="mono small muted">{fmtTime(v.created_at).slice(0, 16)}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The problems of the text in a list: the accessible version of the editor's marks, each a button that goes there. */
function ProblemList({ id, problems, onGo, stale }) {
  if (!problems.length) return null;
  return (
    <div class="state error problems" id={id} role="alert">
      <strong>{problems.length} problem{problems.length === 1 ? '' : 's'}</strong>
      {stale ? <span class="muted"> (the text changed since: places may have moved)</span> : null}
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.line != null ? (
              <button type="button" class="link" onClick={() => onGo(p)}>
                {p.index != null ? `object #${p.index}` : p.field}, line {p.line}
              </button>
            ) : (
              <span class="mono">{p.index != null ? `object #${p.index}` : p.field || 'the ruleset'}</span>
            )}
            {p.object ? <span class="muted"> ({objectTitle(p.object)})</span> : null}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Save: a new ruleset under a name, or (after the 409 is explained) a new version of the one that has it. */
function SaveForm({ d, version, text, parsed, dirty, onProblems, onSaved }) {
  const [name, setName] = useState(d.name);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [nameProblem, setNameProblem] = useState(null);
  const [exists, setExists] = useState(null);
  async function save(asName, force) {
    setBusy(true);
    setError(null);
    setNameProblem(null);
    try {
      const req = { name: asName.trim(), comment: comment.trim(), force: !!force };
      // unedited under another name: a copy, so its source says where it came from
      if (!dirty && asName.trim() !== d.name) req.copy_of = { name: d.name, version };
      else req.body = parsed.body;
      const r = await createRuleset(req);
      setExists(null);
      onProblems(null);
      await loadRulesets();
      await onSaved(r.name || req.name, r.version);
    } catch (e) {
      if (e.status === 409) setExists({ name: asName.trim(), message: e.message });
      else if (e.status === 400 && ((e.fields && Object.keys(e.fields).length) || (e.field && e.field.startsWith('body')))) {
        const fields = e.fields || { [e.field]: e.message };
        if (fields.name) setNameProblem(fields.name);
        onProblems({ fields: Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'name')), message: e.message });
      } else if (e.status === 400 && e.field === 'name') setNameProblem(e.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }
  const [other, setOther] = useState('');
  return (
    <form
      class="save-form"
      aria-label="Save the ruleset"
      onSubmit={(e) => {
        e.preventDefault();
        save(name, false);
      }}
    >
      <div class="row-fields">
        <div class="field">
          <label for="rs-name">Save as (name)</label>
          <input id="rs-name" size={18} value={name} spellcheck={false} onInput={(e) => { setName(e.currentTarget.value); setExists(null); }} aria-invalid={nameProblem ? 'true' : undefined} aria-describedby={nameProblem ? 'rs-name-p' : undefined} />
          {nameProblem ? (
            <span class="field-error" id="rs-name-p">
              {nameProblem}
            </span>
          ) : null}
        </div>
        <div class="field grow">
          <label for="rs-comment">Comment</label>
          <input id="rs-comment" value={comment} maxLength={500} placeholder="what changed and why" onInput={(e) => setComment(e.currentTarget.value)} />
        </div>
        <div class="field buttons">
          <button type="submit" class="primary" disabled={busy || !parsed.body || !name.trim()}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
      {exists ? (
        <ExistsExplained name={exists.name} message={exists.message} busy={busy} onForce={() => save(exists.name, true)}>
          <div class="row-fields">
            <div class="field">
              <label for="rs-other">New name</label>
              <input id="rs-other" size={18} value={other} spellcheck={false} onInput={(e) => setOther(e.currentTarget.value)} />
            </div>
            <div class="field buttons">
              <button type="button" disabled={busy || !other.trim()} onClick={() => { setName(other.trim()); save(other, false); }}>
                Save as new name
              </button>
            </div>
          </div>
        </ExistsExplained>
      ) : null}
      <ErrorBox error={error} title="Not saved" />
    </form>
  );
}

function Editor({ d, version, body }) {
  const original = useMemo(() => formatBody(body), [body]);
  const [text, setText] = useState(original);
  const [mode, setMode] = useState('swap');
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState(null); // {result, mode, text}
  const [refusal, setRefusal] = useState(null); // a save's 400: {fields, message, text}
  const [error, setError] = useState(null);
  const [jumpTo, setJumpTo] = useState(null);
  const parsed = useMemo(() => parseBody(text), [text]);
  const located = useMemo(() => locateObjects(text), [text]);
  const dirty = text !== original;
  const readOnly = !canAct.value;

  const problems = placeProblems(
    editorProblems({ errors: check && !check.result.ok ? check.result.errors : [], fields: refusal ? refusal.fields : null }),
    located,
  );
  if (parsed.error) problems.unshift({ index: null, field: 'JSON', message: parsed.error, line: parsed.line, endLine: parsed.line, object: null });
  const stale = (check && check.text !== text) || (refusal && refusal.text !== text);

  async function runValidate() {
    setBusy(true);
    setError(null);
    setCheck(null);
    setRefusal(null);
    try {
      const result = await validate(parsed.body, mode);
      setCheck({ result, mode, text });
      const first = !result.ok && (result.errors || []).find((e) => Number.isInteger(e.index) && located[e.index]);
      if (first) setJumpTo({ ...located[first.index], focus: false });
    } catch (e) {
      if (e.status === 400 && e.fields) setRefusal({ fields: e.fields, message: e.message, text });
      else setError(e);
    } finally {
      setBusy(false);
    }
  }
  const go = (p) => setJumpTo({ line: p.line, start: p.start, end: p.end, focus: true });
  const latest = d.versions.length ? d.versions[0].version : null;
  const v = d.versions.find((x) => x.version === version);

  return (
    <>
    <section class="panel editor-panel" aria-labelledby="editor-h">
      <div class="panel-head">
        <h2 id="editor-h">
          {d.name} v{version}
          {version === latest ? ' (latest)' : ''}
        </h2>
        {v ? (
          <span class="muted small">
            {sourceText(v.source)} · {v.created_by} · {fmtTime(v.created_at)} UTC{dirty ? ' · edited, not saved' : ''}
          </span>
        ) : null}
      </div>
      <p class="muted small">
        One nft object per line (JSON, table inet dhcp_inspection only). {readOnly ? `Your role (${role.value}) may read it; saving and validating take an operator.` : 'Edit, validate against the kernel, then save as a new ruleset or a new version: nothing is edited in place.'}
      </p>
      {!readOnly ? (
        <div class="toolbar">
          <label for="val-mode">Validate as</label>
          <select id="val-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
            {MODES.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
          <button type="button" class="primary" disabled={busy || !parsed.body} onClick={runValidate}>
            {busy ? 'Validating…' : 'Validate'}
          </button>
          {dirty ? (
            <button type="button" class="link" onClick={() => { setText(original); setCheck(null); setRefusal(null); }}>
              Discard edits
            </button>
          ) : null}
        </div>
      ) : null}
      {check && check.result.ok ? (
        <p class="state ok" role="status">
          {validationSummary(check.result, check.mode)}
          {check.text !== text ? ' (the text changed since)' : ''}
        </p>
      ) : null}
      {check && !check.result.ok ? (
        <div class="state error" role="alert">
          <strong>{validationSummary(check.result, check.mode)}</strong> Nothing was applied.
          {check.result.kernel_error ? <pre class="kernel-error">{check.result.kernel_error}</pre> : null}
        </div>
      ) : null}
      {refusal ? <p class="state error">The API refused the ruleset: {refusal.message}</p> : null}
      <ErrorBox error={error} title="Not validated" />
      <ProblemList id="editor-problems" problems={problems} onGo={go} stale={stale} />
      <CodeEditor
        id="rs-text"
        label={`Ruleset ${d.name} v${version} as nft JSON`}
        value={text}
        onInput={(t) => setText(t)}
        readOnly={readOnly}
        problems={problems}
        jumpTo={jumpTo}
        invalid={problems.length > 0}
        describedBy={problems.length ? 'editor-problems' : undefined}
      />
      {!readOnly ? (
        <SaveForm
          key={d.name + version}
          d={d}
          version={version}
          text={text}
          parsed={parsed}
          dirty={dirty}
          onProblems={(r) => setRefusal(r ? { ...r, text } : null)}
          onSaved={async (name, ver) => {
            // the new version must be in the list before the page shows it
            if (name === d.name) await ruleset.load(name);
            navigate(rulesetHref(name, ver), { replace: name === d.name });
          }}
        />
      ) : null}
    </section>
    <DiffPanel name={d.name} version={version} dirty={dirty} />
    </>
  );
}

function DiffPanel({ name, version, dirty }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    diff.reset();
    setShown(false);
  }, [name, version]);
  const open = () => {
    setShown(true);
    diff.load(name, version);
  };
  return (
    <section class="panel" aria-labelledby="diff-h">
      <div class="panel-head">
        <h2 id="diff-h">Diff against the running kernel</h2>
        <span class="muted small">
          of the saved {name}@{version}
          {dirty ? ', not your unsaved edits' : ''}
        </span>
        <div class="spacer" />
        <button type="button" onClick={open} disabled={diff.loading.value}>
          {shown ? 'Compare again' : 'Compare with the kernel'}
        </button>
      </div>
      {shown ? (
        <Resource r={diff} what="Comparing with the kernel">
          {(d) => <DiffView d={d} />}
        </Resource>
      ) : null}
    </section>
  );
}

/** One ruleset: its versions, the editor over the chosen version, validation, save, and the diff against the kernel. */
export function FirewallRuleset({ name, version: asked }) {
  const [body, setBody] = useState(null); // {version, body} of the version in the editor
  const [bodyError, setBodyError] = useState(null);
  useEffect(() => {
    ruleset.reset();
    ruleset.load(name);
  }, [name]);
  const d = ruleset.data.value && ruleset.data.value.name === name ? ruleset.data.value : null;
  const latest = d && d.versions.length ? d.versions[0].version : null;
  const version = asked != null && asked !== '' ? Number(asked) : latest;
  useEffect(() => {
    setBodyError(null);
    if (!d || version == null) return;
    if (version === latest) {
      setBody({ version, body: d.body });
      return;
    }
    setBody(null);
    getVersion(name, version).then(
      (v) => setBody({ version, body: v.body }),
      (e) => setBodyError(e),
    );
  }, [d, version]);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Ruleset {name}</h1>
        <ToolTabs current="/firewall/rulesets" />
        <div class="spacer" />
        <Link href="/firewall">All rulesets</Link>
      </div>
      <Resource r={ruleset} what="Loading the ruleset">
        {() =>
          d ? (
            <div class="fw-ruleset">
              <Versions d={d} shown={version} />
              <div>
                {bodyError ? <ErrorBox error={bodyError} title={`Version ${version}`} /> : null}
                {!d.versions.some((x) => x.version === version) ? (
                  <Empty>No version {version} of {name}.</Empty>
                ) : body && body.version === version ? (
                  <Editor key={name + '@' + version} d={d} version={version} body={body.body} />
                ) : bodyError ? null : (
                  <Loading what={`Loading version ${version}`} />
                )}
              </div>
            </div>
          ) : null
        }
      </Resource>
    </main>
  );
}
