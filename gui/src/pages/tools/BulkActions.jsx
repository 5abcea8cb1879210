import { useEffect, useState } from 'preact/hooks';
import { wizard, resetWizard, jobs, preview, createJob, cancelJob } from '../../state/bulk.js';
import { canAct, role } from '../../state/session.js';
import { Resource, ErrorBox, InlineError } from '../../components/States.jsx';
import { Link, deviceHref } from '../../components/Link.jsx';
import { ConfirmButton } from '../../components/Confirm.jsx';
import { ToolTabs } from '../../components/ToolTabs.jsx';
import { usePoll } from '../../components/usePoll.js';
import { ACTIONS, TYPE_NAMES } from '../../lib/dhcp.js';
import { fmtTime, fmtCount, fmtDuration } from '../../lib/format.js';
import {
  WINDOWS, PAST_ACTIONS, NO_DURATION, BULK_DURATIONS, SAMPLE_SIZE, criteriaFromForm, jobFromForm, serverProblems, touchesCriteria,
  criteriaSummary, jobSentence, jobProgress, isActive, jobHistoryHref,
} from '../../lib/bulk.js';

const STEPS = ['Criteria', 'Preview', 'Action'];

const set = (patch) => (wizard.value = { ...wizard.value, ...patch });

function Problem({ id, text }) {
  return text ? (
    <span class="field-error" id={id}>
      {text}
    </span>
  ) : null;
}
const invalid = (text, id) => (text ? { 'aria-invalid': 'true', 'aria-describedby': id } : {});

/** A labelled text input bound to one field of the wizard's criteria or job form. */
function Text({ form, field, label, size = 14, placeholder, problems, type = 'text', hint }) {
  const w = wizard.value;
  const id = 'bk-' + field;
  const p = problems[field];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type={type}
        size={size}
        spellcheck={false}
        placeholder={placeholder}
        title={hint}
        value={w[form][field]}
        onInput={(e) => set({ [form]: { ...w[form], [field]: e.currentTarget.value }, problems: { ...w.problems, [field]: null } })}
        {...invalid(p, id + '-p')}
      />
      <Problem id={id + '-p'} text={p} />
    </div>
  );
}

function Choice({ form, field, label, options, problems }) {
  const w = wizard.value;
  const id = 'bk-' + field;
  const p = problems[field];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={w[form][field]} onChange={(e) => set({ [form]: { ...w[form], [field]: e.currentTarget.value }, problems: { ...w.problems, [field]: null } })} {...invalid(p, id + '-p')}>
        {options.map(([v, t]) => (
          <option key={v} value={v}>
            {t}
          </option>
        ))}
      </select>
      <Problem id={id + '-p'} text={p} />
    </div>
  );
}

function StepIndicator({ step }) {
  return (
    <ol class="wizard-steps" aria-label="Steps">
      {STEPS.map((s, i) => (
        <li key={s} class={i + 1 === step ? 'current' : i + 1 < step ? 'done' : ''} aria-current={i + 1 === step ? 'step' : undefined}>
          <span class="n">{i + 1}</span> {s}
        </li>
      ))}
    </ol>
  );
}

function CriteriaStep({ busy, onPreview }) {
  const w = wizard.value;
  const pr = w.problems;
  const c = w.criteria;
  return (
    <form
      aria-label="Criteria"
      onSubmit={(e) => {
        e.preventDefault();
        onPreview();
      }}
    >
      <p class="muted small">Which clients: every criterion given must hold. Times are UTC. Nothing acts until step 3.</p>
      <div class="row-fields">
        <Choice form="criteria" field="window" label="Seen in" options={WINDOWS.map((x) => [x.id, x.label])} problems={pr} />
        {c.window === 'custom' ? (
          <>
            <Text form="criteria" field="since" label="From (UTC)" type="datetime-local" problems={pr} />
            <Text form="criteria" field="until" label="To (UTC)" type="datetime-local" problems={pr} />
          </>
        ) : null}
        <Choice form="criteria" field="past_action" label="Past action" options={[['', 'not a criterion'], ...PAST_ACTIONS.map((a) => [a, a === 'any' ? 'had any action' : 'had ' + a])]} problems={pr} />
        <Choice form="criteria" field="message_type" label="Message type" options={[['', 'any'], ...TYPE_NAMES.map((t) => [t, t])]} problems={pr} />
        <Choice form="criteria" field="family" label="Family" options={[['', 'v4 and v6'], ['4', 'DHCPv4'], ['6', 'DHCPv6']]} problems={pr} />
        <Text form="criteria" field="min_requests" label="Requests at least" size={7} placeholder="e.g. 100" problems={pr} />
      </div>
      <div class="row-fields">
        <Text form="criteria" field="relay" label="Relay (IP)" placeholder="10.0.0.1" problems={pr} />
        <Text form="criteria" field="circuit" label="Circuit" problems={pr} />
        <Text form="criteria" field="vendor_class" label="Vendor class contains" problems={pr} />
        <Text form="criteria" field="fingerprint" label="Fingerprint (PRL, exact)" size={18} placeholder="1,3,6,15,119,252" hint="the parameter request list in order, as the device page shows it" problems={pr} />
        <Text form="criteria" field="site" label="Site" size={10} problems={pr} />
      </div>
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Counting…' : 'Preview the clients →'}
        </button>
        <button type="button" class="link" onClick={resetWizard}>
          Start over
        </button>
      </div>
    </form>
  );
}

function SampleTable({ sample }) {
  return (
    <table class="dense sample">
      <thead>
        <tr>
          <th scope="col">Mark</th>
          <th scope="col">MAC</th>
          <th scope="col">DUID</th>
          <th scope="col">Family</th>
          <th scope="col" class="num">Requests</th>
          <th scope="col">Last seen (UTC)</th>
          <th scope="col">Relay</th>
          <th scope="col">Circuit</th>
          <th scope="col">Vendor class</th>
        </tr>
      </thead>
      <tbody>
        {sample.map((s, i) => {
          const key = s.mac || s.duid || s.mark;
          return (
            <tr key={(s.mark || '') + i}>
              <td class="mono">{s.mark}</td>
              <td class="mono">{s.mac ? <Link href={deviceHref(s.mac)}>{s.mac}</Link> : '—'}</td>
              <td class="mono trunc" title={s.duid || ''}>
                {s.duid ? s.mac ? s.duid : <Link href={deviceHref(key)}>{s.duid}</Link> : '—'}
              </td>
              <td>v{s.family}</td>
              <td class="num">{fmtCount(s.requests)}</td>
              <td class="mono">{fmtTime(s.last_seen)}</td>
              <td class="mono">{s.relay || '—'}</td>
              <td class="trunc" title={s.circuit || ''}>
                {s.circuit || '—'}
              </td>
              <td class="trunc" title={s.vendor_class || ''}>
                {s.vendor_class || '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PreviewStep({ busy, onResample }) {
  const w = wizard.value;
  const p = w.preview;
  return (
    <div>
      <p class="small">
        <span class="muted">Criteria:</span> {criteriaSummary(w.sent)}
      </p>
      <p class="preview-count" role="status">
        <strong>{fmtCount(p.count)}</strong> client{p.count === 1 ? '' : 's'} match
        {p.count ? `; a random sample of ${fmtCount(p.sample.length)}` : ''}
        <span class="muted small"> ({p.query_ms} ms)</span>
      </p>
      {p.sample && p.sample.length ? <SampleTable sample={p.sample} /> : <p class="state empty">No client matches: go back and widen the criteria.</p>}
      <div class="buttons">
        <button type="button" onClick={() => set({ step: 1 })}>
          ← Criteria
        </button>
        <button type="button" disabled={busy} onClick={onResample}>
          {busy ? 'Sampling…' : 'Re-sample'}
        </button>
        <button type="button" class="primary" disabled={!p.count} onClick={() => set({ step: 3 })}>
          Choose the action →
        </button>
      </div>
    </div>
  );
}

function ActionStep({ busy, other, onSubmit }) {
  const w = wizard.value;
  const j = w.job;
  const pr = w.problems;
  const action = ACTIONS.find((a) => a.id === j.action);
  const timed = action && !NO_DURATION.includes(action.id);
  const draft = jobFromForm(j, w.sent);
  const ok = !Object.keys(draft.problems).length;
  const setJob = (patch) => set({ job: { ...j, ...patch }, problems: { ...pr, ...Object.fromEntries(Object.keys(patch).map((k) => [k, null])) } });
  return (
    <form aria-label="Action" onSubmit={(e) => e.preventDefault()}>
      <p class="small">
        <span class="muted">Clients:</span> {fmtCount(w.preview.count)} matching {criteriaSummary(w.sent)}
      </p>
      <fieldset class="modes" {...invalid(pr.action, 'bk-action-p')}>
        <legend>Action</legend>
        {ACTIONS.map((a) => (
          <label key={a.id} class="mode">
            <input type="radio" name="bk-action" value={a.id} checked={j.action === a.id} onChange={() => setJob({ action: a.id })} /> <span class={'badge act-' + a.id}>{a.id}</span>{' '}
            <span class="muted">{a.hint}</span>
          </label>
        ))}
        <Problem id="bk-action-p" text={pr.action} />
      </fieldset>
      <div class="row-fields">
        <div class="field">
          <label for="bk-duration">Duration</label>
          <select id="bk-duration" value={j.duration} disabled={!timed} onChange={(e) => setJob({ duration: e.currentTarget.value })} {...invalid(pr.duration, 'bk-duration-p')} title={timed ? undefined : `${action ? action.id : 'this action'} takes no duration`}>
            {BULK_DURATIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
          {!timed && action ? <span class="muted small">{action.id} takes none</span> : null}
          <Problem id="bk-duration-p" text={pr.duration} />
        </div>
        {timed && j.duration === 'custom' ? (
          <div class="field">
            <label for="bk-custom">Custom (e.g. 90m, 3d)</label>
            <input id="bk-custom" size={8} value={j.custom} onInput={(e) => setJob({ custom: e.currentTarget.value, duration: 'custom' })} {...invalid(pr.duration, 'bk-duration-p')} />
          </div>
        ) : null}
        <div class="field grow">
          <label for="bk-reason">Reason</label>
          <input id="bk-reason" value={j.reason} maxLength={500} placeholder="why (goes into every client's history)" onInput={(e) => setJob({ reason: e.currentTarget.value })} {...invalid(pr.reason, 'bk-reason-p')} />
          <Problem id="bk-reason-p" text={pr.reason} />
        </div>
        <div class="field">
          <label for="bk-batch">Batch size</label>
          <input id="bk-batch" size={6} inputMode="numeric" value={j.batch_size} onInput={(e) => setJob({ batch_size: e.currentTarget.value })} {...invalid(pr.batch_size, 'bk-batch-p')} />
          <Problem id="bk-batch-p" text={pr.batch_size} />
        </div>
      </div>
      <fieldset class="modes inline" {...invalid(pr.run_at, 'bk-run_at-p')}>
        <legend>When</legend>
        <label class="mode">
          <input type="radio" name="bk-when" checked={j.when === 'now'} onChange={() => setJob({ when: 'now' })} /> now
        </label>
        <label class="mode">
          <input type="radio" name="bk-when" checked={j.when === 'at'} onChange={() => setJob({ when: 'at' })} /> at
        </label>
        <label for="bk-run_at" class="sr-only">
          Run at (UTC)
        </label>
        <input id="bk-run_at" type="datetime-local" value={j.run_at} disabled={j.when !== 'at'} onInput={(e) => setJob({ run_at: e.currentTarget.value, when: 'at' })} />
        <span class="muted small">UTC</span>
        <Problem id="bk-run_at-p" text={pr.run_at} />
      </fieldset>
      {other.length ? (
        <div class="state error" role="alert">
          <strong>The API refused the job:</strong>
          <ul>
            {other.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {ok ? (
        <p class="job-summary">
          <strong>{jobSentence(draft.body, w.preview.count)}.</strong> <span class="muted">Each client's action is in its history with the actor bulk_job:&lt;id&gt;.</span>
        </p>
      ) : null}
      <div class="buttons">
        <button type="button" onClick={() => set({ step: 2 })}>
          ← Preview
        </button>
        <ConfirmButton
          label={j.when === 'at' ? 'Schedule…' : 'Run…'}
          confirmLabel={j.when === 'at' ? 'Schedule the job' : 'Run the job'}
          question={ok ? `${j.when === 'at' ? 'Schedule' : 'Start'} this job? It acts on ${fmtCount(w.preview.count)} client${w.preview.count === 1 ? '' : 's'}.` : 'Check the fields first.'}
          busy={busy}
          disabled={!j.action}
          onConfirm={onSubmit}
        />
      </div>
    </form>
  );
}

function Wizard() {
  const w = wizard.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [other, setOther] = useState([]);
  const [created, setCreated] = useState(null);

  async function runPreview(criteria) {
    setBusy(true);
    setError(null);
    try {
      const p = await preview(criteria, SAMPLE_SIZE);
      set({ step: 2, preview: p, sent: criteria, problems: {} });
    } catch (e) {
      const sp = serverProblems(e);
      if (e.status === 400 && Object.keys(sp.fields).length) set({ step: 1, problems: sp.fields });
      else setError(e);
    } finally {
      setBusy(false);
    }
  }
  function toPreview() {
    setCreated(null);
    const { criteria, problems } = criteriaFromForm(w.criteria);
    if (Object.keys(problems).length) return set({ problems });
    runPreview(criteria);
  }
  async function submit() {
    const { body, problems } = jobFromForm(w.job, w.sent);
    setOther([]);
    if (Object.keys(problems).length) return set({ problems });
    setBusy(true);
    setError(null);
    try {
      const job = await createJob(body);
      setCreated(job);
      resetWizard();
      jobs.load();
    } catch (e) {
      const sp = serverProblems(e);
      if (e.status === 400) {
        set({ problems: sp.fields, step: touchesCriteria(sp.fields) ? 1 : 3 });
        setOther(sp.other);
      } else setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="panel wizard" aria-labelledby="wizard-h">
      <div class="panel-head">
        <h2 id="wizard-h">New bulk action</h2>
        <StepIndicator step={w.step} />
      </div>
      {created ? (
        <p class="state ok" role="status">
          Job <span class="mono">{created.id}</span> {created.state === 'scheduled' ? `scheduled for ${fmtTime(created.run_at)} UTC` : created.state}: {created.action}{' '}
          {created.total != null ? fmtCount(created.total) + ' clients' : ''} — follow it in the jobs below; its actions are in the{' '}
          <Link href={jobHistoryHref(created)}>action history</Link>.
        </p>
      ) : null}
      <ErrorBox error={error} title={w.step === 1 ? 'Not counted' : w.step === 2 ? 'Not sampled' : 'Not submitted'} />
      {w.step === 1 || !w.preview ? <CriteriaStep busy={busy} onPreview={toPreview} /> : null}
      {w.step === 2 && w.preview ? <PreviewStep busy={busy} onResample={() => runPreview(w.sent)} /> : null}
      {w.step === 3 && w.preview ? <ActionStep busy={busy} other={other} onSubmit={submit} /> : null}
    </section>
  );
}

function CancelJob({ j }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function go() {
    setBusy(true);
    setError(null);
    try {
      await cancelJob(j.id);
      await jobs.load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <ConfirmButton
        label="Cancel"
        confirmLabel="Cancel the job"
        question={j.state === 'running' ? `Stop job ${j.id}? What it did stays done.` : `Cancel job ${j.id} before it runs?`}
        busy={busy}
        onConfirm={go}
      />
      <InlineError error={error} />
    </>
  );
}

function Progress({ j }) {
  const p = jobProgress(j);
  const label = p.total == null ? 'not counted yet' : `${fmtCount(p.done)} of ${fmtCount(p.total)} done${p.failed ? `, ${fmtCount(p.failed)} failed` : ''}`;
  const okPct = p.total ? (p.done / p.total) * 100 : 0;
  const badPct = p.total ? (p.failed / p.total) * 100 : 0;
  return (
    <div class="progress-cell">
      <div class="meter-bar" role="progressbar" aria-label={`Job ${j.id} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={p.pct ?? undefined} aria-valuetext={label}>
        <span class="done" style={{ width: okPct + '%' }} />
        <span class="failed" style={{ width: badPct + '%' }} />
      </div>
      <span class="small">{label}</span>
    </div>
  );
}

function Jobs() {
  const list = jobs.data.value ? jobs.data.value.jobs || [] : [];
  const live = list.some(isActive);
  usePoll(() => jobs.load(), live ? 3000 : 30000);
  return (
    <section class="panel" aria-labelledby="jobs-h">
      <div class="panel-head">
        <h2 id="jobs-h">Jobs</h2>
        <span class="muted small">{live ? 'updating every 3 s while a job runs or waits' : 'newest first'}</span>
      </div>
      <Resource r={jobs} what="Loading jobs" isEmpty={(d) => !d.jobs || !d.jobs.length} empty="No bulk job yet.">
        {(d) => (
          <table class="dense jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Action</th>
                <th scope="col">Criteria</th>
                <th scope="col">Progress</th>
                <th scope="col" class="by">By</th>
                <th scope="col">Run at (UTC)</th>
                <th scope="col">Clients</th>
                {canAct.value ? (
                  <th scope="col">
                    <span class="sr-only">Cancel</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {d.jobs.map((j) => (
                <tr key={j.id}>
                  <td class="mono" title={`created ${fmtTime(j.created_at)} UTC by ${j.created_by}`}>
                    {j.id}
                  </td>
                  <td>
                    <span class={'badge st-' + j.state}>{j.state}</span>
                    {j.error ? <div class="bad small trunc-block" title={j.error}>{j.error}</div> : null}
                  </td>
                  <td>
                    <span class={'badge act-' + j.action}>{j.action}</span>
                    {j.duration_seconds ? <span class="muted"> {fmtDuration(j.duration_seconds)}</span> : null}
                  </td>
                  <td class="wrap small" title={j.reason ? 'reason: ' + j.reason : undefined}>
                    {criteriaSummary(j.criteria)}
                  </td>
                  <td>
                    <Progress j={j} />
                  </td>
                  <td class="by">{j.created_by}</td>
                  <td class="mono">
                    {fmtTime(j.run_at || j.started_at)}
                    {j.finished_at ? <div class="muted small">ended {fmtTime(j.finished_at)}</div> : null}
                  </td>
                  <td>
                    <Link href={jobHistoryHref(j)} title={`the actions of bulk_job:${j.id}`}>
                      history
                    </Link>
                  </td>
                  {canAct.value ? <td>{isActive(j) ? <CancelJob j={j} /> : null}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
    </section>
  );
}

export function BulkActions() {
  useEffect(() => {
    jobs.load();
  }, []);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Bulk actions</h1>
        <ToolTabs current="/bulk" />
      </div>
      {canAct.value ? <Wizard /> : <p class="muted">Your role ({role.value}) may follow the jobs; starting one takes an operator.</p>}
      <Jobs />
    </main>
  );
}
