import { useState } from 'preact/hooks';
import { createRoute, updateRoute } from '../state/alarms.js';
import { ErrorBox } from './States.jsx';
import { Link } from './Link.jsx';
import { CHANNELS, CATEGORIES, SEVERITIES, newRouteForm, routeToForm, formToRoute, toggled, routeErrorField } from '../lib/alarms.js';

/** The API's message for one field, next to its control (the control points at it with aria-describedby). */
function FieldProblem({ problem, field, id }) {
  if (!problem || problem.field !== field) return null;
  return (
    <span class="field-error" id={id} role="alert">
      {problem.message}
    </span>
  );
}

function invalid(problem, field, id) {
  return problem && problem.field === field ? { 'aria-invalid': 'true', 'aria-describedby': id } : {};
}

/** A checkbox group over a list field of the route; `known` first, then any other value the route holds. */
function Checks({ legend, field, known, values, onChange, problem }) {
  const all = [...known, ...values.filter((v) => !known.includes(v))];
  const pid = 'rt-' + field + '-p';
  return (
    <fieldset class="group-by" {...invalid(problem, field, pid)}>
      <legend>{legend}</legend>
      {all.map((v) => (
        <label key={v} class="check">
          <input type="checkbox" name={field} value={v} checked={values.includes(v)} onChange={(e) => onChange(toggled(values, v, e.currentTarget.checked))} /> {v}
        </label>
      ))}
      <FieldProblem problem={problem} field={field} id={pid} />
    </fieldset>
  );
}

/**
 * Create or edit a notification route (operators; the routes table deletes). The form is the route; a 400 from the API is shown next to the
 * field it names (a bad source-key regex under the regex), anything else above the buttons.
 */
export function RouteEditor({ stored, sinkNames, onDone }) {
  const isNew = !stored;
  const [f, setF] = useState(() => (stored ? routeToForm(stored) : newRouteForm()));
  const [problem, setProblem] = useState(null); // {field, message} from a 400
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  const set = (k) => (v) => {
    setF({ ...f, [k]: v });
    if (problem && problem.field === k) setProblem(null);
  };

  async function save(e) {
    e.preventDefault();
    setBusy('save');
    setError(null);
    setProblem(null);
    try {
      const body = formToRoute(f, { sinks: sinkNames });
      const r = isNew ? await createRoute(body) : await updateRoute(stored.id, body);
      await onDone(isNew ? `Route "${(r && r.name) || body.name}" created.` : `Route "${body.name}" saved.`);
    } catch (x) {
      const field = x.status === 400 ? routeErrorField(x, f) : null;
      if (field) setProblem({ field, message: x.message });
      else setError(x);
    } finally {
      setBusy(null);
    }
  }
  const sinks = [...sinkNames, ...f.sinks.filter((s) => !sinkNames.includes(s))];
  return (
    <section class="panel editor route-editor" aria-labelledby="route-h">
      <h2 id="route-h">{isNew ? 'New route' : `Route ${stored.name}`}</h2>
      <form onSubmit={save} aria-label={isNew ? 'New route' : 'Edit route ' + stored.name}>
        <div class="row">
          <div class="field grow">
            <label for="rt-name">Name</label>
            <input id="rt-name" required maxLength={120} value={f.name} onInput={(e) => set('name')(e.currentTarget.value)} {...invalid(problem, 'name', 'rt-name-p')} />
            <FieldProblem problem={problem} field="name" id="rt-name-p" />
          </div>
          <div class="field check">
            <input id="rt-enabled" type="checkbox" checked={f.enabled} onChange={(e) => set('enabled')(e.currentTarget.checked)} />
            <label for="rt-enabled">Enabled</label>
          </div>
          <div class="field">
            <label for="rt-severity">Severity at least</label>
            <select id="rt-severity" value={f.min_severity} onChange={(e) => set('min_severity')(e.currentTarget.value)} {...invalid(problem, 'min_severity', 'rt-min_severity-p')}>
              {(SEVERITIES.includes(f.min_severity) ? SEVERITIES : [f.min_severity, ...SEVERITIES]).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <FieldProblem problem={problem} field="min_severity" id="rt-min_severity-p" />
          </div>
        </div>
        <div class="row">
          <Checks legend="Channels (none checked: every channel)" field="channels" known={CHANNELS} values={f.channels} onChange={set('channels')} problem={problem} />
          <Checks legend="Categories (none checked: every category)" field="categories" known={CATEGORIES} values={f.categories} onChange={set('categories')} problem={problem} />
        </div>
        <div class="row">
          <div class="field grow">
            <label for="rt-regex">Source key regex (empty: every source key)</label>
            <input
              id="rt-regex"
              class="mono"
              spellcheck={false}
              autocomplete="off"
              placeholder="^rogue_server/"
              value={f.source_key_regex}
              onInput={(e) => set('source_key_regex')(e.currentTarget.value)}
              {...invalid(problem, 'source_key_regex', 'rt-source_key_regex-p')}
            />
            <FieldProblem problem={problem} field="source_key_regex" id="rt-source_key_regex-p" />
          </div>
        </div>
        <div class="row">
          <Checks legend="Sinks" field="sinks" known={sinks} values={f.sinks} onChange={set('sinks')} problem={problem} />
        </div>
        <ErrorBox error={error} title="Not saved" />
        <div class="buttons">
          <button type="submit" class="primary" disabled={!!busy}>
            {busy === 'save' ? 'Saving…' : isNew ? 'Create' : 'Save'}
          </button>
          <Link href="/alarms/notifications">Cancel</Link>
        </div>
      </form>
    </section>
  );
}
