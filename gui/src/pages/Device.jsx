import { useEffect, useState } from 'preact/hooks';
import { device, timeline } from '../state/device.js';
import { undoAction } from '../state/actions.js';
import { canAct } from '../state/session.js';
import { Resource, ErrorBox, Empty } from '../components/States.jsx';
import { ActionForm } from '../components/ActionForm.jsx';
import { Link, deviceHref } from '../components/Link.jsx';
import { DeviceSearch } from './WhoHad.jsx';
import { queueAnalysis } from '../state/analysis.js';
import { fmtTime, fmtCount, fmtExpiry, fmtType, fmtDirection, fmtClockUs } from '../lib/format.js';

const IDENTITY = [
  ['macs', 'MAC'],
  ['duids', 'DUID'],
  ['client_ids', 'Client id (opt 61)'],
  ['client_marks', 'Client mark'],
  ['mark_sources', 'Mark source'],
];

const FEW = 4;

function Seen({ list, label }) {
  const [all, setAll] = useState(false);
  if (!list || !list.length) return null;
  const shown = all ? list : list.slice(0, FEW);
  const rows = shown.map((x, i) => (
    <tr key={label + i}>
      <th scope="row">{label}</th>
      <td class="mono">{x.value}</td>
      <td class="num">{fmtCount(x.events)}</td>
      <td class="mono">{fmtTime(x.first_seen)}</td>
      <td class="mono">{fmtTime(x.last_seen)}</td>
    </tr>
  ));
  if (list.length > FEW)
    rows.push(
      <tr key={label + 'more'}>
        <td />
        <td colSpan={4}>
          <button type="button" class="link" aria-expanded={all ? 'true' : 'false'} onClick={() => setAll(!all)}>
            {all ? `Show the first ${FEW} ${label} values` : `Show all ${list.length} ${label} values`}
          </button>
        </td>
      </tr>,
    );
  return rows;
}

function Identity({ d }) {
  const id = d.identity || {};
  const fh = d.fingerprint_history || {};
  return (
    <section class="panel">
      <h2>Identity and fingerprint</h2>
      <table class="dense">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Value</th>
            <th scope="col" class="num">Events</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {IDENTITY.map(([k, label]) => (
            <Seen key={k} list={id[k]} label={label} />
          ))}
          <Seen list={fh.prl} label="PRL / ORO order" />
          <Seen list={fh.vendor_class} label="Vendor class" />
          <Seen list={fh.hostname} label="Hostname" />
        </tbody>
      </table>
      <p class="muted small">
        Current fingerprint: PRL <span class="mono">{d.fingerprint?.prl || '—'}</span> · vendor class{' '}
        <span class="mono">{d.fingerprint?.vendor_class || '—'}</span> · hostname <span class="mono">{d.fingerprint?.hostname || '—'}</span>
      </p>
    </section>
  );
}

function Enforcement({ d, reload }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  const list = d.enforcement || [];
  async function undo(id) {
    setBusy(id);
    setError(null);
    try {
      await undoAction(id);
      await reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section class="panel enforcement" aria-labelledby="enf-h">
      <h2 id="enf-h">Enforcement in force</h2>
      {list.length === 0 ? (
        <Empty>None: this client's packets are not blocked, denied, throttled, monitored or allowed.</Empty>
      ) : (
        <table class="dense">
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Since</th>
              <th scope="col">Expires</th>
              <th scope="col">By</th>
              <th scope="col">Reason</th>
              {canAct.value ? <th scope="col"><span class="sr-only">Undo</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} class={'in-force act-' + a.action}>
                <td>
                  <span class={'badge act-' + a.action}>{a.action}</span>
                </td>
                <td class="mono">{fmtTime(a.at)}</td>
                <td class="mono expiry">
                  {a.expires_at ? `${fmtTime(a.expires_at)} (${fmtExpiry(a.expires_at)})` : 'permanent'}
                </td>
                <td>{a.actor}</td>
                <td>{a.reason || ''}</td>
                {canAct.value ? (
                  <td>
                    <button type="button" class="undo" disabled={busy === a.id} onClick={() => undo(a.id)}>
                      {busy === a.id ? 'Undoing…' : 'Undo'}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorBox error={error} title="Undo failed" />
    </section>
  );
}

export function ActionTable({ list, empty }) {
  if (!list || !list.length) return <Empty>{empty || 'No actions.'}</Empty>;
  return (
    <table class="dense">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">State</th>
          <th scope="col">Actor</th>
          <th scope="col">Duration</th>
          <th scope="col">Expires / ended</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {list.map((a) => (
          <tr key={a.id + (a.state || '')}>
            <td class="mono">{fmtTime(a.at)}</td>
            <td>
              <span class={'badge act-' + a.action}>{a.action}</span>
            </td>
            <td class="mono">{targetText(a.target)}</td>
            <td>{a.state}</td>
            <td>{a.actor}</td>
            <td>{a.duration_secs ? `${Math.round(a.duration_secs / 60)} min` : '—'}</td>
            <td class="mono">{a.ended_at ? `ended ${fmtTime(a.ended_at)}${a.ended_by ? ' by ' + a.ended_by : ''}` : a.expires_at ? fmtTime(a.expires_at) : '—'}</td>
            <td>{a.reason || ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function targetText(t) {
  if (!t) return '—';
  if (typeof t === 'string') return t;
  return t.value || t.mac || t.duid || t.client_mark || JSON.stringify(t);
}

function Relays({ d }) {
  const list = d.relays || [];
  return (
    <section class="panel">
      <h2>Relays and circuits seen</h2>
      {list.length === 0 ? (
        <Empty>Not relayed.</Empty>
      ) : (
        <table class="dense">
          <thead>
            <tr>
              <th scope="col">Relay</th>
              <th scope="col">Circuit</th>
              <th scope="col">Remote id</th>
              <th scope="col" class="num">Events</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r, i) => (
              <tr key={i}>
                <td class="mono">{r.relay_ip}</td>
                <td class="mono">{r.circuit_id || '—'}</td>
                <td class="mono">{r.remote_id || '—'}</td>
                <td class="num">{fmtCount(r.events)}</td>
                <td class="mono">{fmtTime(r.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Bindings({ list: all, showClient, cap = 10 }) {
  const [more, setMore] = useState(false);
  if (!all || !all.length) return <Empty>No bindings.</Empty>;
  const list = more ? all : all.slice(0, cap);
  return (
    <>
    <table class="dense">
      <thead>
        <tr>
          <th scope="col">Address / prefix</th>
          {showClient ? <th scope="col">Client</th> : null}
          <th scope="col">Lease start</th>
          <th scope="col">Lease end</th>
          <th scope="col">Hostname</th>
          <th scope="col">Relay / circuit</th>
          <th scope="col">Server</th>
        </tr>
      </thead>
      <tbody>
        {list.map((b, i) => {
          const key = b.client_mac || b.duid;
          return (
            <tr key={i}>
              <td class="mono">{b.ip || b.prefix}</td>
              {showClient ? <td class="mono">{key ? <Link href={deviceHref(key)}>{key}</Link> : '—'}</td> : null}
              <td class="mono">{fmtTime(b.lease_start)}</td>
              <td class="mono">{fmtTime(b.lease_end)}</td>
              <td>{b.hostname || ''}</td>
              <td class="mono">
                {b.relay_ip || ''}
                {b.circuit_id ? ' / ' + b.circuit_id : ''}
              </td>
              <td class="mono">{b.server_id || ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
    {all.length > cap ? (
      <button type="button" class="link" aria-expanded={more ? 'true' : 'false'} onClick={() => setMore(!more)}>
        {more ? `Show the newest ${cap}` : `Show all ${all.length} bindings`}
      </button>
    ) : null}
    </>
  );
}

function Timeline({ client }) {
  const page = timeline.data.value;
  return (
    <section class="panel">
      <h2>Event timeline</h2>
      <Resource r={timeline} what="Loading events" isEmpty={(p) => !p.events || !p.events.length} empty="No stored events for this client in the default window.">
        {(p) => (
          <>
            <table class="dense">
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Dir</th>
                  <th scope="col">Type</th>
                  <th scope="col">xid</th>
                  <th scope="col">IP</th>
                  <th scope="col">Relay / circuit</th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {p.events.map((ev, i) => (
                  <tr key={i} class={ev.errors ? 'err' : ''}>
                    <td class="mono">
                      {fmtTime(ev.time).slice(0, 10)} {fmtClockUs(ev.time_us)}
                    </td>
                    <td>{fmtDirection(ev.direction)}</td>
                    <td>{fmtType(ev)}</td>
                    <td class="mono">{ev.xid}</td>
                    <td class="mono">{ev.assigned_ip || ev.requested_ip || ev.prefix || ''}</td>
                    <td class="mono">
                      {ev.relay_ip || ''}
                      {ev.circuit_id ? ' / ' + ev.circuit_id : ''}
                    </td>
                    <td>{ev.errors ? ev.errors.map((x) => x.error).join(', ') : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page && page.next ? (
              <button type="button" onClick={() => timeline.load(client, page.next)}>
                Older events
              </button>
            ) : null}
          </>
        )}
      </Resource>
    </section>
  );
}

/** Queue this client for analysis (operators); the result shows on the automation page's Analysis view. */
function AnalyzeButton({ client }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  async function analyze() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await queueAnalysis(client));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="analyze">
      <button type="button" class="analyze-button" disabled={busy} onClick={analyze} title="Ask the analysis backend for a recommendation">
        {busy ? 'Analyze…' : 'Analyze'}
      </button>{' '}
      {done ? (
        <span class="state ok" role="status">
          {done.status === 'duplicate' ? 'Already queued or running' : 'Queued for analysis'} ({done.id}):{' '}
          <Link href="/automation/analysis">see Analysis</Link>
        </span>
      ) : (
        <span class="muted small">queue this client for analysis (the result is on Automation › Analysis)</span>
      )}
      <ErrorBox error={error} title="Not queued" />
    </div>
  );
}

export function Device({ client }) {
  const reload = () => device.load(client);
  useEffect(() => {
    device.reset();
    timeline.reset();
    reload();
    timeline.load(client);
    const t = setInterval(reload, 15000);
    return () => clearInterval(t);
  }, [client]);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>
          Device <span class="mono">{client}</span>
        </h1>
        <div class="spacer" />
        <DeviceSearch compact />
      </div>
      <Resource r={device} what="Loading device">
        {(d) => (
          <>
            <p class="muted">
              {d.kind ? d.kind.toUpperCase() + ' · ' : ''}
              {fmtCount(d.events)} events{d.client_messages != null ? ` (${fmtCount(d.client_messages)} from the client)` : ''} · first seen {fmtTime(d.first_seen)} · last seen {fmtTime(d.last_seen)} UTC
            </p>
            <div class={canAct.value ? 'grid2' : ''}>
              <Enforcement d={d} reload={reload} />
              {canAct.value ? (
                <section class="panel">
                  <h2>Take an action on this client</h2>
                  <ActionForm target={client} onDone={reload} />
                  <AnalyzeButton client={client} />
                </section>
              ) : null}
            </div>
            <Identity d={d} />
            <div class="grid2">
              <Relays d={d} />
              <section class="panel">
                <h2>Bindings</h2>
                <Bindings list={d.bindings} />
              </section>
            </div>
            <Timeline client={client} />
            <section class="panel">
              <h2>Action history</h2>
              <ActionTable list={d.actions} empty="No action was ever taken on this client." />
            </section>
          </>
        )}
      </Resource>
    </main>
  );
}
