import { useState } from 'preact/hooks';
import { isAdmin } from '../state/session.js';
import { navigate } from '../state/router.js';
import { createRule, updateRule, deleteRule, dryRunDraft, runNow, reloadRules, ruleRuns } from '../state/automation.js';
import { ErrorBox } from './States.jsx';
import { ConfirmButton } from './Confirm.jsx';
import { RunReport, RunHistory } from './Runs.jsx';
import { fmtTime } from '../lib/format.js';
import {
  SOURCES, GROUP_KEYS, METRICS, OUTCOMES, TIMED, SEVERITIES, MATCHES, newRule, parseDraft, draftText, numberOrText,
  withAction, splitProblems, problemsFor, ruleSummary,
} from '../lib/automation.js';

const ALL_FILTER_FIELDS = SOURCES.dhcp_events.filters;

/** The problems the API named for one control, under it; `id` is what the control's aria-describedby points at. */
function FieldProblems({ list, id }) {
  if (!list.length) return null;
  return (
    <span class="field-error" id={id}>
      {list.map((p) => p.message).join('; ')}
    </span>
  );
}

/** aria props for a control with problems. */
function invalid(list, id) {
  return list.length ? { 'aria-invalid': 'true', 'aria-describedby': id } : {};
}

function Num({ id, label, value, onInput, problems, size = 6 }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} inputMode="decimal" size={size} value={value ?? ''} onInput={(e) => onInput(numberOrText(e.currentTarget.value))} {...invalid(problems, id + '-p')} />
      <FieldProblems list={problems} id={id + '-p'} />
    </div>
  );
}

function Choice({ id, label, value, options, onChange, problems }) {
  const opts = options.includes(value) || value == null ? options : [value, ...options];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)} {...invalid(problems, id + '-p')}>
        {opts.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <FieldProblems list={problems} id={id + '-p'} />
    </div>
  );
}

/** The structured form over the draft: every change rewrites the JSON, which stays the one source of truth. */
function RuleForm({ rule, set, problems, isNew }) {
  const P = (path) => problemsFor(problems, path);
  const exact = (path) => problems.filter((p) => p.field === path);
  const src = SOURCES[rule.source] || SOURCES.dhcp_events;
  const filters = Array.isArray(rule.filters) ? rule.filters : [];
  const thresholds = Array.isArray(rule.thresholds) ? rule.thresholds : [];
  const groupBy = Array.isArray(rule.group_by) ? rule.group_by : [];
  const setFilter = (i, f) => set('filters', filters.map((x, j) => (j === i ? f : x)));
  const setTier = (i, t) => set('thresholds', thresholds.map((x, j) => (j === i ? t : x)));
  return (
    <div class="rule-form">
      <div class="row">
        {isNew ? (
          <div class="field">
            <label for="re-id">Id</label>
            <input id="re-id" size={20} value={rule.id ?? ''} spellcheck={false} placeholder="a-z 0-9 -" onInput={(e) => set('id', e.currentTarget.value)} {...invalid(P('id'), 're-id-p')} />
            <FieldProblems list={P('id')} id="re-id-p" />
          </div>
        ) : null}
        <div class="field grow">
          <label for="re-name">Name</label>
          <input id="re-name" value={rule.name ?? ''} maxLength={120} onInput={(e) => set('name', e.currentTarget.value)} {...invalid(P('name'), 're-name-p')} />
          <FieldProblems list={P('name')} id="re-name-p" />
        </div>
        <div class="field check">
          <input id="re-enabled" type="checkbox" checked={rule.enabled !== false} onChange={(e) => set('enabled', e.currentTarget.checked)} />
          <label for="re-enabled">Enabled</label>
        </div>
      </div>
      <div class="row">
        <Num id="re-priority" label="Priority (0-1000)" value={rule.priority} onInput={(v) => set('priority', v)} problems={P('priority')} size={5} />
        <Num id="re-every" label="Every (min)" value={rule.every_minutes} onInput={(v) => set('every_minutes', v)} problems={P('every_minutes')} size={5} />
        <Choice id="re-source" label="Source" value={rule.source} options={Object.keys(SOURCES)} onChange={(v) => set('source', v)} problems={P('source')} />
        <Num id="re-window" label={`Window (min, ≤ ${src.maxWindow})`} value={rule.window_minutes} onInput={(v) => set('window_minutes', v)} problems={P('window_minutes')} />
        <Num id="re-suppress" label="Suppress (min)" value={rule.suppress_minutes} onInput={(v) => set('suppress_minutes', v)} problems={P('suppress_minutes')} />
        <Choice id="re-severity" label="Severity" value={rule.severity} options={SEVERITIES} onChange={(v) => set('severity', v)} problems={P('severity')} />
      </div>
      <div class="row">
        <Choice id="re-metric" label="Metric" value={rule.metric} options={METRICS} onChange={(v) => set('metric', v)} problems={P('metric')} />
        <fieldset class="group-by" {...invalid(P('group_by'), 're-gb-p')}>
          <legend>Group by (1-3; {rule.source} has {src.groupBy.join(', ')})</legend>
          {GROUP_KEYS.map((k) => (
            <label key={k} class="check">
              <input
                type="checkbox"
                checked={groupBy.includes(k)}
                onChange={(e) => set('group_by', e.currentTarget.checked ? [...groupBy, k] : groupBy.filter((g) => g !== k))}
              />{' '}
              {k}
            </label>
          ))}
          <FieldProblems list={P('group_by')} id="re-gb-p" />
        </fieldset>
      </div>
      <fieldset class="list">
        <legend>Filters (all must hold; {rule.source} has {src.filters.join(', ')})</legend>
        <FieldProblems list={exact('filters')} id="re-f-p" />
        {filters.map((f, i) => {
          const p = P(`filters[${i}]`);
          const id = `re-f${i}`;
          return (
            <div class="row item" key={i}>
              <Choice id={id + '-field'} label={`Filter ${i + 1} field`} value={f.field} options={ALL_FILTER_FIELDS} onChange={(v) => setFilter(i, { ...f, field: v })} problems={[]} />
              <Choice id={id + '-match'} label="Match" value={f.match || 'exact'} options={MATCHES} onChange={(v) => setFilter(i, { ...f, match: v })} problems={[]} />
              <div class="field grow">
                <label for={id + '-value'}>Value</label>
                <input id={id + '-value'} value={f.value ?? ''} spellcheck={false} onInput={(e) => setFilter(i, { ...f, value: e.currentTarget.value })} {...invalid(p, id + '-p')} />
              </div>
              <div class="field check">
                <input id={id + '-neg'} type="checkbox" checked={!!f.negate} onChange={(e) => setFilter(i, { ...f, negate: e.currentTarget.checked })} />
                <label for={id + '-neg'}>not</label>
              </div>
              <button type="button" class="link" onClick={() => set('filters', filters.filter((_, j) => j !== i))} aria-label={`Remove filter ${i + 1}`}>
                Remove
              </button>
              <FieldProblems list={p} id={id + '-p'} />
            </div>
          );
        })}
        {filters.length < 10 ? (
          <button type="button" class="link" onClick={() => set('filters', [...filters, { field: src.filters[0], match: 'exact', value: '' }])}>
            Add a filter
          </button>
        ) : null}
      </fieldset>
      <fieldset class="list">
        <legend>Thresholds (1-5, ascending; the highest reached acts)</legend>
        <FieldProblems list={exact('thresholds')} id="re-t-p" />
        {thresholds.map((t, i) => {
          const p = P(`thresholds[${i}]`);
          const id = `re-t${i}`;
          return (
            <div class="row item" key={i}>
              <div class="field">
                <label for={id + '-v'}>{`Tier ${i + 1} value`}</label>
                <input id={id + '-v'} inputMode="decimal" size={8} value={t.value ?? ''} onInput={(e) => setTier(i, { ...t, value: numberOrText(e.currentTarget.value) })} {...invalid(problemsFor(p, `thresholds[${i}].value`), id + '-p')} />
              </div>
              <Choice id={id + '-a'} label="Action" value={t.action} options={OUTCOMES} onChange={(v) => setTier(i, withAction(t, v))} problems={[]} />
              {TIMED.includes(t.action) || t.duration_minutes != null ? (
                <div class="field">
                  <label for={id + '-d'}>Duration (min)</label>
                  <input id={id + '-d'} inputMode="numeric" size={7} value={t.duration_minutes ?? ''} onInput={(e) => {
                    const v = numberOrText(e.currentTarget.value);
                    const n = { ...t, duration_minutes: v };
                    if (v == null) delete n.duration_minutes;
                    setTier(i, n);
                  }} {...invalid(problemsFor(p, `thresholds[${i}].duration_minutes`), id + '-p')} />
                </div>
              ) : null}
              <button type="button" class="link" onClick={() => set('thresholds', thresholds.filter((_, j) => j !== i))} aria-label={`Remove tier ${i + 1}`}>
                Remove
              </button>
              <FieldProblems list={p} id={id + '-p'} />
            </div>
          );
        })}
        {thresholds.length < 5 ? (
          <button
            type="button"
            class="link"
            onClick={() => {
              const last = thresholds[thresholds.length - 1];
              const v = last && typeof last.value === 'number' ? last.value * 2 : 100;
              set('thresholds', [...thresholds, { value: v, action: 'alarm' }]);
            }}
          >
            Add a tier
          </button>
        ) : null}
      </fieldset>
      <div class="field wide">
        <label for="re-desc">Description</label>
        <input id="re-desc" value={rule.description ?? ''} maxLength={2000} onInput={(e) => set('description', e.currentTarget.value)} {...invalid(P('description'), 're-desc-p')} />
        <FieldProblems list={P('description')} id="re-desc-p" />
      </div>
    </div>
  );
}

/** A viewer's view of a rule: the summary and its JSON, no control. */
export function RuleReadOnly({ stored }) {
  return (
    <section class="panel" aria-labelledby="rule-h">
      <h2 id="rule-h">Rule {stored.rule.id}</h2>
      <p>{ruleSummary(stored.rule)}</p>
      <p class="muted small">
        {stored.rule.description} Version {stored.version} by {stored.updated_by} at {fmtTime(stored.updated_at)} UTC.
      </p>
      <pre class="json" tabIndex={0} aria-label="The rule as JSON">
        {draftText(stored.rule)}
      </pre>
    </section>
  );
}

/**
 * Edit a rule (or a new one): the form and the whole rule as JSON, both over one draft. Preview dry-runs the draft
 * as it is (unsaved; operators), Save stores it (admins), Run now acts (operators, stored rules), Delete asks first.
 * A 400 from the API is split into problems: all of them in a list, and each next to its control.
 */
export function RuleEditor({ stored }) {
  const isNew = !stored;
  const [text, setText] = useState(() => draftText(stored ? stored.rule : newRule()));
  const [problems, setProblems] = useState([]);
  const [error, setError] = useState(null);
  const [report, setReport] = useState(null);
  const [busy, setBusy] = useState(null);
  const [saved, setSaved] = useState(null);
  const draft = parseDraft(text);
  const rule = draft.rule;
  const dirty = !stored || text !== draftText(stored.rule);

  const set = (k, v) => {
    const next = { ...rule };
    if (v == null || v === '') delete next[k];
    else next[k] = v;
    setText(draftText(next));
    setSaved(null);
  };

  async function act(kind, fn) {
    setBusy(kind);
    setError(null);
    setSaved(null);
    try {
      await fn();
      setProblems([]);
    } catch (e) {
      if (e.status === 400) {
        const list = splitProblems(e.message);
        setProblems(list.length ? list : [{ field: e.field, message: e.message }]);
      } else setError(e);
    } finally {
      setBusy(null);
    }
  }

  const preview = () =>
    act('preview', async () => {
      setReport(null);
      const r = await dryRunDraft(rule);
      setReport({ title: 'Preview (dry run of the draft; acts on nothing)', report: r, metric: rule.metric });
      if (stored) ruleRuns.load(stored.rule.id);
    });
  const save = () =>
    act('save', async () => {
      if (isNew) {
        const s = await createRule(rule);
        await reloadRules();
        navigate('/automation?rule=' + encodeURIComponent(s.rule.id), { replace: true });
      } else {
        await updateRule(stored.rule.id, rule);
        setSaved('Saved.');
        await reloadRules();
      }
    });
  const remove = () =>
    act('delete', async () => {
      await deleteRule(stored.rule.id);
      await reloadRules();
      navigate('/automation', { replace: true });
    });
  const run = () =>
    act('run', async () => {
      setReport(null);
      const r = await runNow(stored.rule.id);
      setReport({ title: 'Run now (acted)', report: r, metric: stored.rule.metric });
      ruleRuns.load(stored.rule.id);
      reloadRules();
    });

  return (
    <div class="grid2 rule-detail" id="rule-detail">
      <section class="panel editor" aria-labelledby="rule-h">
        <h2 id="rule-h">{isNew ? 'New rule' : `Rule ${stored.rule.id}`}</h2>
        {stored ? (
          <p class="muted small">
            Version {stored.version} by {stored.updated_by} at {fmtTime(stored.updated_at)} UTC{dirty ? ' · edited, not saved' : ''}
          </p>
        ) : null}
        {rule ? <p class="summary">{ruleSummary(rule)}</p> : null}
        {problems.length ? (
          <div class="state error problems" role="alert">
            <strong>The API refused the rule ({problems.length} problem{problems.length === 1 ? '' : 's'}):</strong>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <ErrorBox error={error} title="Not done" />
        <form onSubmit={(e) => e.preventDefault()} aria-label={isNew ? 'New rule' : 'Edit rule ' + stored.rule.id}>
          {rule ? (
            <RuleForm rule={rule} set={set} problems={problems} isNew={isNew} />
          ) : (
            <p class="inline-error" role="alert">
              The JSON below does not parse ({draft.error}); the form follows once it does.
            </p>
          )}
          <div class="buttons">
            <button type="button" class="primary" disabled={!rule || !!busy} onClick={preview}>
              {busy === 'preview' ? 'Previewing…' : 'Preview'}
            </button>
            {isAdmin.value ? (
              <button type="button" disabled={!rule || !!busy || !dirty} onClick={save}>
                {busy === 'save' ? 'Saving…' : isNew ? 'Create' : 'Save'}
              </button>
            ) : null}
            {stored && dirty ? (
              <button type="button" class="link" onClick={() => { setText(draftText(stored.rule)); setProblems([]); }}>
                Discard changes
              </button>
            ) : null}
            <span class="spacer" />
            {stored ? (
              <ConfirmButton
                label="Run now"
                question={`Run ${stored.rule.id} now (as saved)? It acts on the clients it hits.`}
                busy={busy === 'run'}
                disabled={!!busy}
                onConfirm={run}
              />
            ) : null}
            {stored && isAdmin.value ? (
              <ConfirmButton label="Delete" question={`Delete rule ${stored.rule.id}?`} class="danger" busy={busy === 'delete'} disabled={!!busy} onConfirm={remove} />
            ) : null}
          </div>
          {saved ? (
            <p class="state ok" role="status">
              {saved}
            </p>
          ) : null}
          <details class="json-box" open={!!draft.error}>
            <summary>The whole rule as JSON (the form and this are one draft)</summary>
            <label for="re-json" class="sr-only">The rule as JSON</label>
            <textarea id="re-json" class="json" rows={16} spellcheck={false} value={text} onInput={(e) => { setText(e.currentTarget.value); setSaved(null); }} aria-invalid={draft.error ? 'true' : undefined} />
          </details>
        </form>
      </section>
      <div>
        {busy === 'preview' || busy === 'run' ? (
          <p class="state loading" role="status">
            {busy === 'run' ? 'Running' : 'Running the dry run'}…
          </p>
        ) : null}
        {report ? <RunReport {...report} /> : null}
        {stored ? <RunHistory id={stored.rule.id} /> : null}
      </div>
    </div>
  );
}
