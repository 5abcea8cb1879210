import { useEffect, useState } from 'preact/hooks';
import { results, active, pending, prompts, reloadAnalysis, queueAnalysis, approve, reject, savePrompt } from '../state/analysis.js';
import { canAct, isAdmin } from '../state/session.js';
import { Resource, ErrorBox } from '../components/States.jsx';
import { Link, deviceHref } from '../components/Link.jsx';
import { targetKind } from '../lib/dhcp.js';
import { fmtTime } from '../lib/format.js';
import { fmtTarget } from '../lib/automation.js';

function Target({ t }) {
  const v = fmtTarget(t);
  if (t && t.kind !== 'mark' && v !== '—') return <Link class="mono" href={deviceHref(v)}>{v}</Link>;
  return <span class="mono">{v}</span>;
}

/** Queue a device by MAC, 0x mark or DUID (operators). */
function QueueForm() {
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  async function submit(e) {
    e.preventDefault();
    const t = target.trim().toLowerCase();
    setError(null);
    setDone(null);
    if (!targetKind(t)) return setError({ message: `"${t}" is not a MAC, 0x client mark or DUID.` });
    setBusy(true);
    try {
      const r = await queueAnalysis(t);
      setDone(r.status === 'duplicate' ? `Already queued or running (${r.id}).` : `Queued (${r.id}).`);
      await reloadAnalysis();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="filters" onSubmit={submit} aria-label="Queue a device for analysis">
      <div class="field">
        <label for="an-target">Device (MAC, 0x mark or DUID)</label>
        <input id="an-target" size={24} value={target} spellcheck={false} autocomplete="off" placeholder="00:0c:01:02:03:04" onInput={(e) => setTarget(e.currentTarget.value)} />
      </div>
      <div class="field buttons">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Queueing…' : 'Analyze'}
        </button>
      </div>
      <ErrorBox error={error} title="Not queued" />
      {done ? (
        <p class="state ok" role="status">
          {done}
        </p>
      ) : null}
    </form>
  );
}

function ResultTable({ list, decide }) {
  return (
    <table class="dense analysis">
      <thead>
        <tr>
          <th scope="col">Requested (UTC)</th>
          <th scope="col">Device</th>
          <th scope="col">By</th>
          <th scope="col">State</th>
          <th scope="col">Recommends</th>
          <th scope="col">Reason / error</th>
          <th scope="col">Model</th>
          <th scope="col" class="num">ms</th>
          {decide ? <th scope="col"><span class="sr-only">Decision</span></th> : null}
        </tr>
      </thead>
      <tbody>
        {list.map((r) => (
          <tr key={r.id} class={'state-' + r.state}>
            <td class="mono" title={r.id}>{fmtTime(r.requested_at)}</td>
            <td>
              <Target t={r.target} />
            </td>
            <td>{r.requested_by}</td>
            <td>
              <span class={'badge st-' + r.state}>{r.state}</span>
            </td>
            <td>{r.recommendation ? <span class={'badge act-' + r.recommendation}>{r.recommendation}</span> : '—'}</td>
            <td class="wrap">{r.error ? <span class="bad">{r.error}</span> : r.reason || ''}</td>
            <td>{r.model || ''}</td>
            <td class="num">{r.latency_ms || ''}</td>
            {decide ? <td class="buttons">{decide(r)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Held() {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  async function decide(id, fn) {
    setBusy(id);
    setError(null);
    try {
      await fn(id);
      await reloadAnalysis();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  const controls = canAct.value
    ? (r) => (
        <>
          <button type="button" class="act-allow" disabled={busy === r.id} onClick={() => decide(r.id, approve)} aria-label={`Approve ${r.recommendation} for ${fmtTarget(r.target)}`}>
            Approve
          </button>{' '}
          <button type="button" disabled={busy === r.id} onClick={() => decide(r.id, reject)} aria-label={`Reject ${r.recommendation} for ${fmtTarget(r.target)}`}>
            Reject
          </button>
        </>
      )
    : null;
  return (
    <section class="panel" aria-labelledby="held-h">
      <h2 id="held-h">Held for approval</h2>
      <ErrorBox error={error} title="Not done" />
      <Resource r={pending} what="Loading" isEmpty={(d) => !d.pending || !d.pending.length} empty="Nothing waits for approval (with approval: auto, recommendations are applied at once).">
        {(d) => <ResultTable list={d.pending} decide={controls} />}
      </Resource>
    </section>
  );
}

function Prompt({ p }) {
  const [name, setName] = useState(p.name);
  const [text, setText] = useState(p.text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const id = 'pr-' + p.id;
  const dirty = name !== p.name || text !== p.text;
  async function save(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await savePrompt(p.id, name, text);
      await prompts.load();
      setSaved(true);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }
  const head = (
    <p class="muted small">
      <span class="mono">{p.id}</span> · version {p.version} by {p.updated_by || '—'} at {fmtTime(p.updated_at)} UTC
    </p>
  );
  if (!isAdmin.value)
    return (
      <div class="prompt">
        <h3>{p.name}</h3>
        {head}
        <pre class="json" tabIndex={0} aria-label={'Prompt ' + p.name}>
          {p.text}
        </pre>
      </div>
    );
  return (
    <form class="prompt" onSubmit={save} aria-label={'Edit prompt ' + p.id}>
      {head}
      <div class="field wide">
        <label for={id + '-n'}>Name</label>
        <input id={id + '-n'} value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field wide">
        <label for={id + '-t'}>Prompt text ({'{{summary}}'} is required; at most 16,384 characters)</label>
        <textarea id={id + '-t'} class="json" rows={14} value={text} spellcheck={false} onInput={(e) => setText(e.currentTarget.value)} aria-invalid={error && error.status === 400 ? 'true' : undefined} />
      </div>
      <ErrorBox error={error} title="Not saved" />
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : 'Save prompt'}
        </button>
        {dirty ? (
          <button type="button" class="link" onClick={() => { setName(p.name); setText(p.text); setError(null); }}>
            Discard changes
          </button>
        ) : null}
        {saved && !dirty ? (
          <span class="state ok" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}

function Prompts() {
  return (
    <section class="panel" aria-labelledby="prompts-h">
      <h2 id="prompts-h">Prompts</h2>
      <Resource r={prompts} what="Loading prompts" isEmpty={(d) => !d.prompts || !d.prompts.length} empty="No prompt is stored (the built-in default is used).">
        {(d) => (
          <>
            <p class="small">
              Placeholders:{' '}
              {(d.placeholders || []).map((x) => (
                <code key={x} class="ph">{`{{${x}}}`}</code>
              ))}{' '}
              <span class="muted">(values are substituted once; the fixed system message states the answer format)</span>
            </p>
            {d.prompts.map((p) => (
              <Prompt key={p.id + ':' + p.version} p={p} />
            ))}
          </>
        )}
      </Resource>
    </section>
  );
}

/**
 * The analysis queue: queue a device, what is queued or running, what waits for approval, the recent results and
 * the prompt. Polls every 5 s while shown (results change as the worker moves them).
 */
export function AnalysisView() {
  useEffect(() => {
    reloadAnalysis();
    prompts.load();
    const t = setInterval(reloadAnalysis, 5000);
    return () => clearInterval(t);
  }, []);
  const running = active.data.value ? active.data.value.active || [] : [];
  return (
    <>
      <div class="grid2">
        <section class="panel" aria-labelledby="queue-h">
          <h2 id="queue-h">Queue a device</h2>
          {canAct.value ? <QueueForm /> : <p class="muted">Operators and admins can queue a device.</p>}
          <h2>Queued and running</h2>
          <Resource r={active} what="Loading" isEmpty={(d) => !d.active || !d.active.length} empty="Nothing queued or running.">
            {() => <ResultTable list={running} />}
          </Resource>
        </section>
        <Held />
      </div>
      <section class="panel" aria-labelledby="results-h">
        <h2 id="results-h">Recent results (7 days)</h2>
        <Resource r={results} what="Loading results" isEmpty={(d) => !d.results || !d.results.length} empty="No analysis in the last 7 days.">
          {(d) => <ResultTable list={d.results} />}
        </Resource>
      </section>
      <Prompts />
    </>
  );
}

