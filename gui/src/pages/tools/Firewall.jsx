import { useEffect, useState } from 'preact/hooks';
import {
  rulesets, loadRulesets, showDeleted, applies, reloadFirewall, createRuleset, deleteRuleset, undeleteRuleset, apply, rollback,
  exportRulesets, importBundle,
} from '../../state/firewall.js';
import { canAct, role } from '../../state/session.js';
import { navigate } from '../../state/router.js';
import { Resource, ErrorBox, InlineError, Empty } from '../../components/States.jsx';
import { Link } from '../../components/Link.jsx';
import { ConfirmButton } from '../../components/Confirm.jsx';
import { ToolTabs } from '../../components/ToolTabs.jsx';
import { saveFile } from '../../components/saveFile.js';
import { fmtTime } from '../../lib/format.js';
import {
  PROFILES, MODES, sourceText, summaryText, activeOrder, addEntry, removeEntry, moveEntry, setEntryVersion, sameOrder,
  versionChoices, applyBody, applyText, stageText, inEffect, parseBundle, exportFileName, objectTitle,
} from '../../lib/firewall.js';

export const rulesetHref = (name, version) =>
  '/firewall/rulesets/' + encodeURIComponent(name) + (version != null ? '?version=' + encodeURIComponent(version) : '');

/** What runs in the kernel: installed or not, drift, the last apply. */
export function KernelBanner({ kernel }) {
  if (!kernel) return null;
  const a = kernel.applied;
  return (
    <section class="panel kernel" aria-labelledby="kernel-h">
      <div class="panel-head">
        <h2 id="kernel-h">Kernel</h2>
        <span class={'fact ' + (kernel.installed ? 'ok' : 'bad')}>
          <span class="k">table inet dhcp_inspection</span> <span class="v">{kernel.installed ? 'installed' : 'NOT installed'}</span>
        </span>
        <span class={'fact ' + (kernel.drift ? 'warn' : 'ok')}>
          <span class="k">drift</span> <span class="v">{kernel.drift ? 'yes' : 'none'}</span>
        </span>
      </div>
      {kernel.drift ? (
        <p class="state paused" role="status">
          <strong>The running table differs from what was applied:</strong> {kernel.drift}
        </p>
      ) : null}
      <p class="small">
        {a ? (
          <>
            Last apply <span class="mono">#{a.id}</span> at <span class="mono">{fmtTime(a.at)}</span> UTC by {a.actor}: {a.mode} of{' '}
            <span class="mono">{(a.rulesets || []).join(', ')}</span>,{' '}
            {a.ok ? <span class="ok-text">ok{a.ms != null ? ` in ${a.ms} ms` : ''}</span> : <span class="bad">refused at {stageText(a.stage)} (the ruleset before it still runs)</span>}
            {a.rollback_of != null ? <span class="muted"> (a rollback to #{a.rollback_of})</span> : null}
          </>
        ) : (
          <span class="muted">Nothing applied through the Firewall Manager yet: the kernel runs the ruleset the appliance installed at start.</span>
        )}
      </p>
    </section>
  );
}

function ActiveBadge({ r }) {
  if (r.deleted) return <span class="badge">deleted</span>;
  if (!r.active) return <span class="muted">no</span>;
  return (
    <span class="badge plain st-applied" title={`applied ${r.order === 1 ? 'first' : 'as number ' + r.order}`}>
      #{r.order} · v{r.active_version ?? r.version}
    </span>
  );
}

function RowActions({ r }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function run(fn) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await loadRulesets();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  if (r.deleted)
    return (
      <>
        <button type="button" disabled={busy} onClick={() => run(() => undeleteRuleset(r.name))} aria-label={'Undelete ' + r.name}>
          {busy ? 'Undeleting…' : 'Undelete'}
        </button>
        <InlineError error={error} />
      </>
    );
  return (
    <>
      <ConfirmButton
        label="Delete"
        question={`Delete ${r.name}? It is hidden, not destroyed: Undelete brings it back.`}
        class="danger"
        busy={busy}
        disabled={r.active}
        onConfirm={() => run(() => deleteRuleset(r.name))}
      />
      {r.active ? <span class="sr-only"> (an active ruleset cannot be deleted)</span> : null}
      <InlineError error={error} />
    </>
  );
}

function RulesetsTable({ list, selected, setSelected }) {
  const sel = (name, on) => setSelected(on ? [...selected, name] : selected.filter((n) => n !== name));
  return (
    <table class="dense rulesets">
      <thead>
        <tr>
          <th scope="col">
            <span class="sr-only">Select for export</span>
          </th>
          <th scope="col">Name</th>
          <th scope="col" class="num">Latest</th>
          <th scope="col">Source</th>
          <th scope="col">Active</th>
          <th scope="col">Contents</th>
          <th scope="col">Created by</th>
          <th scope="col">Created (UTC)</th>
          {canAct.value ? (
            <th scope="col">
              <span class="sr-only">Delete</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {list.map((r) => (
          <tr key={r.name} class={(r.deleted ? 'off ' : '') + (r.active ? 'active' : '')}>
            <td>
              <input type="checkbox" checked={selected.includes(r.name)} onChange={(e) => sel(r.name, e.currentTarget.checked)} aria-label={'Select ' + r.name + ' for export'} />
            </td>
            <td class="trunc name" title={r.comment || r.name}>
              <Link href={rulesetHref(r.name)}>{r.name}</Link>
            </td>
            <td class="num" title={`${r.versions} version${r.versions === 1 ? '' : 's'}`}>
              v{r.version}
            </td>
            <td class="trunc">{sourceText(r.source)}</td>
            <td>
              <ActiveBadge r={r} />
            </td>
            <td class="summary-cell">{summaryText(r.summary)}</td>
            <td>{r.created_by}</td>
            <td class="mono">{fmtTime(r.created_at)}</td>
            {canAct.value ? (
              <td>
                <RowActions r={r} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The result of an apply or a rollback: ok, or the kernel's refusal with its stage (what runs is untouched). */
export function ApplyResult({ result }) {
  if (!result) return null;
  const a = result.apply;
  if (result.ok && a && a.ok)
    return (
      <p class="state ok" role="status">
        Apply <span class="mono">#{a.id}</span>: {applyText(a)}
      </p>
    );
  return (
    <div class="state error" role="alert">
      <strong>Not applied.</strong> {a ? applyText(a) : 'The running ruleset is untouched.'}
      {result.kernel_error || (a && a.error) ? <pre class="kernel-error">{result.kernel_error || a.error}</pre> : null}
      {(result.errors || []).length ? (
        <ul>
          {result.errors.map((e, i) => (
            <li key={i}>
              {e.index != null ? <span class="mono">object #{e.index} </span> : null}
              {e.object ? <span class="muted">({objectTitle(e.object)}) </span> : null}
              {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The active set: which rulesets to apply, at which version, in which order, and how (merge or swap). */
function ActiveSet({ list: all }) {
  const running = activeOrder(all);
  const [entries, setEntries] = useState(running);
  const [mode, setMode] = useState('swap');
  const [pick, setPick] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const runningKey = JSON.stringify(running);
  useEffect(() => setEntries(running), [runningKey]);
  const byName = new Map(all.map((r) => [r.name, r]));
  const candidates = all.filter((r) => !r.deleted && !entries.some((e) => e.name === r.name));
  const changed = !sameOrder(entries, running);
  const req = applyBody(mode, entries);

  if (!canAct.value) {
    return (
      <section class="panel" aria-labelledby="active-h">
        <h2 id="active-h">Active set</h2>
        {running.length ? (
          <ol class="active-list">
            {running.map((e) => (
              <li key={e.name}>
                <span class="mono">
                  {e.name}@{e.version}
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <Empty>No ruleset is active.</Empty>
        )}
        <p class="muted small">Your role ({role.value}) may look; applying takes an operator.</p>
      </section>
    );
  }

  async function doApply() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await apply(req.body));
      await reloadFirewall();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const names = entries.map((e) => `${e.name}@${e.version}`).join(', ');
  return (
    <section class="panel" aria-labelledby="active-h">
      <div class="panel-head">
        <h2 id="active-h">Active set</h2>
        <span class="muted small">applied in this order, first to last; applying makes this list the active set</span>
      </div>
      {entries.length ? (
        <ol class="active-list">
          {entries.map((e, i) => {
            const r = byName.get(e.name);
            const vid = 'as-v-' + i;
            return (
              <li key={e.name}>
                <span class="pos">{i + 1}.</span>
                <Link class="mono" href={rulesetHref(e.name, e.version)}>
                  {e.name}
                </Link>
                <label for={vid} class="sr-only">
                  Version of {e.name}
                </label>
                <select id={vid} value={String(e.version)} onChange={(ev) => setEntries(setEntryVersion(entries, i, Number(ev.currentTarget.value)))}>
                  {(r ? versionChoices(r) : [e.version]).map((v) => (
                    <option key={v} value={String(v)}>
                      v{v}
                      {r && v === r.version ? ' (latest)' : ''}
                    </option>
                  ))}
                </select>
                <button type="button" class="icon" disabled={i === 0} onClick={() => setEntries(moveEntry(entries, i, -1))} aria-label={`Move ${e.name} up`} title="Move up">
                  ↑
                </button>
                <button type="button" class="icon" disabled={i === entries.length - 1} onClick={() => setEntries(moveEntry(entries, i, 1))} aria-label={`Move ${e.name} down`} title="Move down">
                  ↓
                </button>
                <button type="button" class="link" onClick={() => setEntries(removeEntry(entries, i))} aria-label={`Remove ${e.name} from the set`}>
                  Remove
                </button>
              </li>
            );
          })}
        </ol>
      ) : (
        <Empty>No ruleset in the set: add one to apply it.</Empty>
      )}
      <div class="row-inline">
        <label for="as-add">Add</label>
        <select id="as-add" value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
          <option value="">a ruleset…</option>
          {candidates.map((r) => (
            <option key={r.name} value={r.name}>
              {r.name} (v{r.version})
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!pick}
          onClick={() => {
            setEntries(addEntry(entries, pick, byName.get(pick).version));
            setPick('');
          }}
        >
          Add
        </button>
        {changed ? (
          <button type="button" class="link" onClick={() => setEntries(running)}>
            Back to what is active
          </button>
        ) : null}
      </div>
      <fieldset class="modes">
        <legend>Mode</legend>
        {MODES.map((m) => (
          <label key={m.id} class="mode">
            <input type="radio" name="apply-mode" value={m.id} checked={mode === m.id} onChange={() => setMode(m.id)} /> <strong>{m.label}</strong>{' '}
            <span class="muted">{m.hint}</span>
          </label>
        ))}
      </fieldset>
      <div class="buttons">
        <ConfirmButton
          label="Apply…"
          confirmLabel={`Apply (${mode})`}
          question={`Apply ${names} to the kernel (${mode})? A refusal leaves the running ruleset untouched.`}
          busy={busy}
          disabled={!req.body}
          onConfirm={doApply}
        />
        {req.problem ? <span class="muted small">{req.problem}</span> : null}
      </div>
      <ErrorBox error={error} title="Not applied" />
      <ApplyResult result={result} />
    </section>
  );
}

function RollbackButton({ a, onResult }) {
  const [busy, setBusy] = useState(false);
  async function go() {
    setBusy(true);
    try {
      onResult(await rollback(a.id));
      await reloadFirewall();
    } catch (e) {
      onResult({ error: e });
    } finally {
      setBusy(false);
    }
  }
  return (
    <ConfirmButton
      label="Roll back to this"
      confirmLabel="Roll back"
      question={`Apply exactly what #${a.id} applied (swap: ${(a.rulesets || []).join(', ')})?`}
      busy={busy}
      onConfirm={go}
    />
  );
}

function Applies() {
  const [result, setResult] = useState(null);
  return (
    <section class="panel" aria-labelledby="applies-h">
      <div class="panel-head">
        <h2 id="applies-h">Applies</h2>
        <span class="muted small">newest first; a rollback applies exactly what an earlier apply did, as a swap</span>
      </div>
      {result && result.error ? <ErrorBox error={result.error} title="Not rolled back" /> : <ApplyResult result={result} />}
      <Resource r={applies} what="Loading applies" isEmpty={(d) => !d.applies || !d.applies.length} empty="Nothing applied yet.">
        {(d) => {
          const current = inEffect(d.applies);
          return (
            <table class="dense applies">
              <thead>
                <tr>
                  <th scope="col" class="num">#</th>
                  <th scope="col">At (UTC)</th>
                  <th scope="col">By</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Rulesets</th>
                  <th scope="col">Result</th>
                  <th scope="col" class="num">ms</th>
                  {canAct.value ? (
                    <th scope="col">
                      <span class="sr-only">Roll back</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {d.applies.map((a) => (
                  <tr key={a.id} class={a.ok ? '' : 'failed'}>
                    <td class="num mono">{a.id}</td>
                    <td class="mono">{fmtTime(a.at)}</td>
                    <td>{a.actor}</td>
                    <td>{a.mode}</td>
                    <td class="mono wrap">{(a.rulesets || []).join(', ')}</td>
                    <td class="wrap">
                      {a.ok ? <span class="ok-text">ok</span> : <span class="bad" title={a.error}>refused at {a.stage}</span>}
                      {a.rollback_of != null ? <span class="muted"> · rollback to #{a.rollback_of}</span> : null}
                      {!a.ok && a.error ? <div class="muted small trunc-block" title={a.error}>{a.error}</div> : null}
                    </td>
                    <td class="num">{a.ms ?? '—'}</td>
                    {canAct.value ? (
                      <td>
                        {current && current.id === a.id ? (
                          <span class="badge st-applied">in effect</span>
                        ) : a.ok ? (
                          <RollbackButton a={a} onResult={setResult} />
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Resource>
    </section>
  );
}

/** A new ruleset from a shipped profile or a snapshot of the running kernel; a name that exists is explained. */
function CreateRuleset() {
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [from, setFrom] = useState('profile:medium');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [exists, setExists] = useState(null);
  async function create(force) {
    setBusy(true);
    setError(null);
    try {
      const req = { name: name.trim(), comment: comment.trim(), force: !!force };
      if (from === 'kernel') req.from_kernel = true;
      else req.from_profile = from.slice(8);
      const r = await createRuleset(req);
      setExists(null);
      await loadRulesets();
      navigate(rulesetHref(r.name || req.name));
    } catch (e) {
      if (e.status === 409) setExists({ name: name.trim(), message: e.message });
      else setError(e);
    } finally {
      setBusy(false);
    }
  }
  const fieldError = error && error.status === 400 && (error.field === 'name' || (error.fields && error.fields.name));
  return (
    <section class="panel" aria-labelledby="create-h">
      <h2 id="create-h">New ruleset</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create(false);
        }}
        aria-label="New ruleset"
      >
        <div class="row-fields">
          <div class="field">
            <label for="nr-name">Name</label>
            <input id="nr-name" required size={18} value={name} spellcheck={false} onInput={(e) => { setName(e.currentTarget.value); setExists(null); }} aria-invalid={fieldError ? 'true' : undefined} aria-describedby={fieldError ? 'nr-name-p' : undefined} />
            {fieldError ? (
              <span class="field-error" id="nr-name-p">
                {(error.fields && error.fields.name) || error.message}
              </span>
            ) : null}
          </div>
          <div class="field grow">
            <label for="nr-comment">Comment</label>
            <input id="nr-comment" value={comment} maxLength={500} onInput={(e) => setComment(e.currentTarget.value)} />
          </div>
        </div>
        <fieldset class="modes">
          <legend>Start from</legend>
          {PROFILES.map((p) => (
            <label key={p} class="mode">
              <input type="radio" name="nr-from" checked={from === 'profile:' + p} onChange={() => setFrom('profile:' + p)} /> the shipped <strong>{p}</strong> profile
            </label>
          ))}
          <label class="mode">
            <input type="radio" name="nr-from" checked={from === 'kernel'} onChange={() => setFrom('kernel')} /> a snapshot of the <strong>running kernel</strong>
          </label>
        </fieldset>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
      {exists ? <ExistsExplained name={exists.name} message={exists.message} busy={busy} onForce={() => create(true)} /> : null}
      {fieldError ? null : <ErrorBox error={error} title="Not created" />}
    </section>
  );
}

/** 409 exists: rulesets are never edited in place; a new name, or (asked first) a new version of the existing one. */
export function ExistsExplained({ name, message, busy, onForce, children }) {
  return (
    <div class="state paused exists" role="alert">
      <p>
        <strong>A ruleset named {name} exists.</strong> Rulesets are never edited in place: every save makes a new ruleset, or a new version
        of one, and the kernel changes only when you apply. {message ? <span class="muted">({message})</span> : null}
      </p>
      <p>Choose another name{children ? ' below' : ' above'}, or add this as a new version of {name}; its earlier versions stay.</p>
      {children}
      <ConfirmButton
        label={`Force a new version of ${name}`}
        confirmLabel="Add the version"
        question={`Add a new version to ${name}? What runs does not change until you apply it.`}
        busy={busy}
        onConfirm={onForce}
      />
    </div>
  );
}

function ImportRulesets() {
  const [file, setFile] = useState(null); // {name, parsed}
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  async function read(e) {
    setResult(null);
    setError(null);
    const f = e.currentTarget.files && e.currentTarget.files[0];
    if (!f) return setFile(null);
    setFile({ name: f.name, parsed: parseBundle(await f.text()) });
  }
  async function send() {
    setBusy(true);
    setError(null);
    try {
      setResult(await importBundle(file.parsed.bundle, force));
      await loadRulesets();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const p = file && file.parsed;
  return (
    <section class="panel" aria-labelledby="import-h">
      <h2 id="import-h">Import</h2>
      <div class="field">
        <label for="imp-file">An export bundle (JSON, {`"format": "dhcp-shield-rulesets/1"`})</label>
        <input id="imp-file" type="file" accept="application/json,.json" onChange={read} aria-describedby={p && p.problem ? 'imp-p' : undefined} />
      </div>
      {p && p.problem ? (
        <p class="inline-error" id="imp-p" role="alert">
          {file.name}: {p.problem}
        </p>
      ) : null}
      {p && p.bundle ? (
        <>
          <p class="small">
            {file.name} holds {p.rulesets.length} ruleset{p.rulesets.length === 1 ? '' : 's'}:{' '}
            {p.rulesets.map((r, i) => (
              <span key={r.name} class="mono">
                {i ? ', ' : ''}
                {r.name}
                {r.version != null ? '@' + r.version : ''}
              </span>
            ))}
          </p>
          <label class="check">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} /> a name that exists gets a new version (otherwise it is skipped)
          </label>
          <div class="buttons">
            <button type="button" class="primary" disabled={busy} onClick={send}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
        </>
      ) : null}
      <ErrorBox error={error} title="Not imported" />
      {result ? (
        <div class="state ok" role="status">
          Imported: {(result.imported || []).map((r) => `${r.name}@${r.version}`).join(', ') || 'nothing'}.
          {(result.skipped || []).length ? (
            <ul>
              {result.skipped.map((s) => (
                <li key={s.name}>
                  skipped <span class="mono">{s.name}</span>: {s.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function Firewall() {
  const [selected, setSelected] = useState([]);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState(null);
  useEffect(() => {
    reloadFirewall();
  }, []);
  async function doExport(names) {
    setExporting(true);
    setExportError(null);
    try {
      const f = await exportRulesets(names);
      saveFile({ blob: f.blob, filename: f.filename || exportFileName() });
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  }
  const d = rulesets.data.value;
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Firewall</h1>
        <ToolTabs current="/firewall" />
      </div>
      {d ? <KernelBanner kernel={d.kernel} /> : null}
      <section class="panel" aria-labelledby="rulesets-h">
        <div class="panel-head">
          <h2 id="rulesets-h">Rulesets</h2>
          <span class="muted small">named, versioned nft rulesets for table inet dhcp_inspection</span>
          <div class="spacer" />
          <label class="check">
            <input
              type="checkbox"
              checked={showDeleted.value}
              onChange={(e) => {
                showDeleted.value = e.currentTarget.checked;
                loadRulesets();
              }}
            />{' '}
            Show deleted
          </label>
          <button type="button" disabled={exporting || !selected.length} onClick={() => doExport(selected)}>
            Export selected{selected.length ? ` (${selected.length})` : ''}
          </button>
          <button type="button" disabled={exporting} onClick={() => doExport(null)}>
            {exporting ? 'Exporting…' : 'Export all'}
          </button>
        </div>
        <ErrorBox error={exportError} title="Not exported" />
        <Resource r={rulesets} what="Loading rulesets" isEmpty={(x) => !x.rulesets || !x.rulesets.length} empty="No ruleset yet: create one from a profile or the running kernel.">
          {(x) => <RulesetsTable list={x.rulesets} selected={selected} setSelected={setSelected} />}
        </Resource>
      </section>
      {d && d.rulesets ? <ActiveSet list={d.rulesets} /> : null}
      <Applies />
      {canAct.value ? (
        <div class="grid2">
          <CreateRuleset />
          <ImportRulesets />
        </div>
      ) : null}
    </main>
  );
}
