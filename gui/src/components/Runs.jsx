import { useState } from 'preact/hooks';
import { ruleRuns } from '../state/automation.js';
import { Resource, Empty } from './States.jsx';
import { Link, deviceHref } from './Link.jsx';
import { fmtTime } from '../lib/format.js';
import { fmtHitKey, fmtHitStatus, fmtMinutes, fmtValue } from '../lib/automation.js';

const FEW_CLIENTS = 4;
const MANY_HITS = 50;

function Clients({ list }) {
  const [all, setAll] = useState(false);
  if (!list || !list.length) return <span class="muted">none identifiable</span>;
  const shown = all ? list : list.slice(0, FEW_CLIENTS);
  return (
    <span class="clients">
      {shown.map((c, i) => (
        <span key={i} class="client">
          {c.target.kind === 'mark' ? (
            <span class="mono">{c.target.value}</span>
          ) : (
            <Link class="mono" href={deviceHref(c.target.value)}>
              {c.target.value}
            </Link>
          )}{' '}
          <span class="muted">({fmtValue(c.value)})</span>
        </span>
      ))}
      {list.length > FEW_CLIENTS ? (
        <button type="button" class="link" aria-expanded={all ? 'true' : 'false'} onClick={() => setAll(!all)}>
          {all ? 'fewer' : `all ${list.length}`}
        </button>
      ) : null}
    </span>
  );
}

/**
 * A RunReport (dry run or run now): the window, the run's counts, and each hit with its key, value, tier, the action
 * it would take (or took) and the clients it would hit with their own numbers.
 */
export function RunReport({ report, title, metric }) {
  const [all, setAll] = useState(false);
  const run = report.run;
  const unit = metric === 'rate' ? '/min' : '';
  const hits = report.hits || [];
  // grouped by client, a hit acts on that client: a clients column would only repeat the key
  const showClients = hits.some((h) => !h.key.client);
  const shown = all ? hits : hits.slice(0, MANY_HITS);
  return (
    <section class="panel report" aria-labelledby="report-h">
      <h2 id="report-h">{title}</h2>
      <p class="small">
        {report.window ? (
          <>
            Window <span class="mono">{fmtTime(report.window.from)}</span> – <span class="mono">{fmtTime(report.window.to)}</span> UTC ·{' '}
          </>
        ) : null}
        {run.duration_ms} ms · matched {run.matched} · acted {run.acted} · suppressed {run.suppressed} · superseded {run.superseded}
      </p>
      {run.error ? (
        <div class="state error" role="alert">
          <strong>The rule failed</strong> {run.error}
        </div>
      ) : null}
      {!hits.length ? (
        <Empty>No key reached a threshold in this window: the rule would act on nothing now.</Empty>
      ) : (
        <table class="dense hits">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col" class="num">Value</th>
              <th scope="col">Tier</th>
              <th scope="col">Action</th>
              <th scope="col">Status</th>
              {showClients ? <th scope="col">Clients (their value)</th> : null}
            </tr>
          </thead>
          <tbody>
            {shown.map((h, i) => (
              <tr key={i} title={h.detail || ''}>
                <td class="mono">
                  {h.key.client ? <Link href={deviceHref(h.key.client)}>{fmtHitKey(h.key)}</Link> : fmtHitKey(h.key)}
                </td>
                <td class="num">{fmtValue(h.value) + unit}</td>
                <td>
                  {h.tier + 1} <span class="muted">(≥ {fmtValue(h.threshold) + unit})</span>
                </td>
                <td>
                  <span class={'badge act-' + h.outcome}>{h.outcome}</span>
                  {h.duration_minutes != null ? ' ' + fmtMinutes(h.duration_minutes) : ''}
                </td>
                <td class={'status-' + h.status}>{fmtHitStatus(h.status)}</td>
                {showClients ? (
                  <td class="wrap">
                    <Clients list={h.clients} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hits.length > MANY_HITS ? (
        <button type="button" class="link" aria-expanded={all ? 'true' : 'false'} onClick={() => setAll(!all)}>
          {all ? `Show the first ${MANY_HITS} hits` : `Show all ${hits.length} hits`}
        </button>
      ) : null}
    </section>
  );
}

/** One rule's runs: time, trigger, duration, the counts, the error. */
export function RunHistory({ id }) {
  return (
    <section class="panel" aria-labelledby="runs-h">
      <div class="panel-head">
        <h2 id="runs-h">Run history (7 days)</h2>
        <button type="button" class="link" onClick={() => ruleRuns.load(id)}>
          Refresh
        </button>
      </div>
      <Resource r={ruleRuns} what="Loading runs" isEmpty={(d) => !d.runs || !d.runs.length} empty="No runs in the last 7 days.">
        {(d) => (
          <table class="dense runs">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Trigger</th>
                <th scope="col" class="num">ms</th>
                <th scope="col" class="num">Matched</th>
                <th scope="col" class="num">Acted</th>
                <th scope="col" class="num">Suppressed</th>
                <th scope="col" class="num">Superseded</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {d.runs.map((r, i) => (
                <tr key={i} class={r.error ? 'err' : ''}>
                  <td class="mono">{fmtTime(r.at)}</td>
                  <td>{r.trigger.replace('_', ' ')}</td>
                  <td class="num">{r.duration_ms}</td>
                  <td class="num">{r.matched}</td>
                  <td class="num">{r.acted}</td>
                  <td class="num">{r.suppressed}</td>
                  <td class="num">{r.superseded}</td>
                  <td class="wrap">{r.error || ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Resource>
    </section>
  );
}

