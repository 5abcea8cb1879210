import { useEffect, useState } from 'preact/hooks';
import { captures, startCapture, stopCapture, deleteCapture, downloadCapture } from '../../state/captures.js';
import { canAct, role } from '../../state/session.js';
import { Resource, ErrorBox, InlineError } from '../../components/States.jsx';
import { ConfirmButton } from '../../components/Confirm.jsx';
import { ToolTabs } from '../../components/ToolTabs.jsx';
import { usePoll } from '../../components/usePoll.js';
import { saveFile } from '../../components/saveFile.js';
import { TYPE_NAMES } from '../../lib/dhcp.js';
import { fmtTime, fmtCount, fmtBytes } from '../../lib/format.js';
import { newCaptureForm, captureBody, captureProblems, filterSummary, limitsText, stopReasonText, anyRunning, storageText, captureFileName, counterFacts } from '../../lib/captures.js';

function Field({ f, setF, problems, field, label, size = 14, placeholder, ...rest }) {
  const id = 'cp-' + field;
  const p = problems[field];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} size={size} spellcheck={false} placeholder={placeholder} value={f[field]} onInput={(e) => setF({ ...f, [field]: e.currentTarget.value })} aria-invalid={p ? 'true' : undefined} aria-describedby={p ? id + '-p' : undefined} {...rest} />
      {p ? (
        <span class="field-error" id={id + '-p'}>
          {p}
        </span>
      ) : null}
    </div>
  );
}

function StartForm() {
  const [f, setF] = useState(newCaptureForm);
  const [problems, setProblems] = useState({});
  const [other, setOther] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState(null);
  async function start(e) {
    e.preventDefault();
    setError(null);
    setOther([]);
    setStarted(null);
    const { body, problems: local } = captureBody(f);
    setProblems(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const p = await startCapture(body);
      setStarted(p);
      await captures.load();
    } catch (x) {
      if (x.status === 400) {
        const sp = captureProblems(x);
        setProblems(sp.fields);
        setOther(sp.other);
      } else setError(x);
    } finally {
      setBusy(false);
    }
  }
  const set = (next) => {
    setF(next);
    setProblems({});
  };
  const common = { f, setF: set, problems };
  return (
    <section class="panel" aria-labelledby="start-h">
      <h2 id="start-h">Start a capture</h2>
      <form onSubmit={start} aria-label="Start a capture">
        <fieldset>
          <legend>Filter (every field given must match; none: all DHCP)</legend>
          <div class="row-fields">
            <Field {...common} field="mac" label="MAC" size={17} placeholder="00:0c:01:02:03:04" />
            <Field {...common} field="duid" label="DUID" size={20} />
            <div class="field">
              <label for="cp-message_type">Message type</label>
              <select id="cp-message_type" value={f.message_type} onChange={(e) => set({ ...f, message_type: e.currentTarget.value })} aria-invalid={problems.message_type ? 'true' : undefined}>
                <option value="">any</option>
                {TYPE_NAMES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="cp-direction">Direction</label>
              <select id="cp-direction" value={f.direction} onChange={(e) => set({ ...f, direction: e.currentTarget.value })}>
                <option value="">both</option>
                <option value="inbound">inbound</option>
                <option value="outbound">outbound</option>
              </select>
            </div>
            <Field {...common} field="relay" label="Relay (IP)" size={14} />
            <Field {...common} field="circuit" label="Circuit" size={12} />
            <Field {...common} field="site" label="Site" size={8} />
          </div>
        </fieldset>
        <div class="row-fields">
          <fieldset>
            <legend>Stop at whichever comes first</legend>
            <div class="row-fields">
              <Field {...common} field="max_packets" label="Packets" size={8} inputMode="numeric" />
              <Field {...common} field="max_mib" label="Size (MiB)" size={6} inputMode="decimal" />
              <Field {...common} field="max_seconds" label="Seconds" size={6} inputMode="numeric" />
            </div>
          </fieldset>
          <Field {...common} field="label" label="Label (shown in the list)" size={30} placeholder="what you are looking for" maxLength={120} />
        </div>
        {other.length ? (
          <div class="state error" role="alert">
            <strong>The API refused the capture:</strong>
            <ul>
              {other.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <ErrorBox error={error} title="Not started" />
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start capture'}
          </button>
          {started ? (
            <span class="state ok" role="status">
              Capture <span class="mono">{started.id}</span> started.
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function Totals({ d }) {
  const c = d.counters || {};
  const s = d.storage;
  return (
    <div class="totals">
      <ul class="facts" aria-label="Capture counters">
        {counterFacts(c).map((f) => (
          <li key={f.key} class={'fact ' + (f.key.startsWith('dropped') && f.value > 0 ? 'warn' : 'ok')} title={f.detail || undefined}>
            <span class="k">{f.label}</span> <span class="v">{fmtCount(f.value)}</span>
            {f.detail ? <span class="muted small"> ({f.detail})</span> : null}
          </li>
        ))}
      </ul>
      {s ? (
        <div class="storage">
          <div class="meter-bar" role="meter" aria-label="Capture storage used" aria-valuemin={0} aria-valuemax={s.max_bytes || 0} aria-valuenow={s.bytes} aria-valuetext={storageText(s)}>
            <span class="done" style={{ width: (s.max_bytes ? Math.min(100, (s.bytes / s.max_bytes) * 100) : 0) + '%' }} />
          </div>
          <span class="small">{storageText(s)}</span>
        </div>
      ) : null}
    </div>
  );
}

function RowActions({ p }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  async function run(kind, fn) {
    setBusy(kind);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  const download = () => run('download', async () => saveFile(await downloadCapture(p.id, captureFileName(p))));
  return (
    <span class="row-actions">
      <button type="button" disabled={!!busy || !p.file_bytes} onClick={download} aria-label={`Download capture ${p.id}`} title={p.file_bytes ? 'pcapng' : 'nothing written yet'}>
        {busy === 'download' ? 'Downloading…' : 'Download'}
      </button>
      {canAct.value && p.state === 'running' ? (
        <button type="button" disabled={!!busy} onClick={() => run('stop', async () => { await stopCapture(p.id); await captures.load(); })} aria-label={`Stop capture ${p.id}`}>
          {busy === 'stop' ? 'Stopping…' : 'Stop'}
        </button>
      ) : null}
      {canAct.value && p.state !== 'running' ? (
        <ConfirmButton
          label="Delete"
          question={`Delete capture ${p.id}${p.label ? ' (' + p.label + ')' : ''} and its file?`}
          class="danger"
          busy={busy === 'delete'}
          onConfirm={() => run('delete', async () => { await deleteCapture(p.id); await captures.load(); })}
        />
      ) : null}
      <InlineError error={error} />
    </span>
  );
}

function Sessions({ list }) {
  return (
    <table class="dense captures">
      <thead>
        <tr>
          <th scope="col">Capture</th>
          <th scope="col">State</th>
          <th scope="col">Filter</th>
          <th scope="col" class="limits">Limits</th>
          <th scope="col" class="num">Packets</th>
          <th scope="col" class="num bytes">Bytes</th>
          <th scope="col" class="num">Dropped</th>
          <th scope="col" class="num">File</th>
          <th scope="col">Started (UTC), by</th>
          <th scope="col">
            <span class="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {list.map((p) => (
          <tr key={p.id} class={p.state === 'running' ? 'running' : ''}>
            <td title={'limits: ' + limitsText(p.limits)}>
              <span class="mono">{p.id}</span>
              {p.label ? <div class="small trunc-block" title={p.label}>{p.label}</div> : null}
            </td>
            <td>
              <span class={'badge st-' + p.state}>{p.state}</span>
              {p.stop_reason ? <div class="muted small">{stopReasonText(p.stop_reason)}</div> : null}
            </td>
            <td class="wrap small">{filterSummary(p.filter)}</td>
            <td class="small limits">{limitsText(p.limits)}</td>
            <td class="num">{fmtCount(p.packets)}</td>
            <td class="num bytes">{fmtBytes(p.bytes)}</td>
            <td class={'num' + (p.dropped ? ' warn-text' : '')}>{fmtCount(p.dropped)}</td>
            <td class="num">{fmtBytes(p.file_bytes)}</td>
            <td class="mono">
              {fmtTime(p.started_at)}
              <div class="muted small">
                {p.created_by}
                {p.stopped_at ? ' · stopped ' + fmtTime(p.stopped_at).slice(11) : ''}
              </div>
            </td>
            <td>
              <RowActions p={p} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Captures() {
  useEffect(() => {
    captures.load();
  }, []);
  const d = captures.data.value;
  const running = d ? anyRunning(d.captures) : false;
  usePoll(() => captures.load(), running ? 2000 : 15000);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Captures</h1>
        <ToolTabs current="/captures" />
      </div>
      {canAct.value ? <StartForm /> : <p class="muted">Your role ({role.value}) may list and download captures; starting one takes an operator.</p>}
      <section class="panel" aria-labelledby="caps-h">
        <div class="panel-head">
          <h2 id="caps-h">Sessions</h2>
          <span class="muted small">{running ? 'updating every 2 s while one runs' : 'pcapng files, newest first'}</span>
        </div>
        <Resource r={captures} what="Loading captures">
          {(x) => (
            <>
              <Totals d={x} />
              {x.captures && x.captures.length ? <Sessions list={x.captures} /> : <p class="state empty">No capture yet.</p>}
            </>
          )}
        </Resource>
      </section>
    </main>
  );
}
