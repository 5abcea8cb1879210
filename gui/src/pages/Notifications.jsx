import { useEffect, useState } from 'preact/hooks';
import { signal } from '@preact/signals';
import { notifications, sendTest, deleteRoute } from '../state/alarms.js';
import { canAct, role } from '../state/session.js';
import { navigate } from '../state/router.js';
import { Resource, Empty, Loading, InlineError } from '../components/States.jsx';
import { Link } from '../components/Link.jsx';
import { ConfirmButton } from '../components/Confirm.jsx';
import { RouteEditor } from '../components/RouteEditor.jsx';
import { AlarmTabs, OpenCounts } from './Alarms.jsx';
import { fmtCount } from '../lib/format.js';
import { sinkStateText, sinkStateLevel, fmtAllOr } from '../lib/alarms.js';

/** What the last save or delete did, shown once the editor has closed. */
const notice = signal(null);
const COUNTERS = ['offered', 'sent', 'retried', 'dropped', 'pending'];

function routeHref(r) {
  return '/alarms/notifications?route=' + encodeURIComponent(r.id);
}

function TestButton({ sink }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  async function test() {
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      await sendTest(sink.name);
      setResult('sent: watch its counters');
      notifications.load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" disabled={busy} onClick={test} aria-label={`Send test: ${sink.name}`}>
        {busy ? 'Sending…' : 'Send test'}
      </button>
      {result ? (
        <span class="muted small" role="status">
          {' '}
          {result}
        </span>
      ) : null}
      <InlineError error={error} />
    </>
  );
}

function Sinks({ sinks }) {
  if (!sinks.length) return <Empty>No sink.</Empty>;
  return (
    <table class="dense sinks">
      <thead>
        <tr>
          <th scope="col">Sink</th>
          <th scope="col">Type</th>
          <th scope="col">Target</th>
          <th scope="col">State</th>
          {COUNTERS.map((c) => (
            <th scope="col" class="num" key={c}>
              {c[0].toUpperCase() + c.slice(1)}
            </th>
          ))}
          {canAct.value ? (
            <th scope="col">
              <span class="sr-only">Test</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {sinks.map((s) => (
          <tr key={s.name}>
            <td class="mono">{s.name}</td>
            <td>{s.type}</td>
            <td class="mono trunc" title={s.target || ''}>
              {s.target || (s.type === 'bell' ? 'the live stream' : '—')}
            </td>
            <td>
              <span class={'fact ' + sinkStateLevel(s)} title={`circuit ${s.state}`}>
                {sinkStateText(s)}
              </span>
            </td>
            {COUNTERS.map((c) => (
              <td class="num" key={c}>
                {s.counters && s.counters[c] != null ? fmtCount(s.counters[c]) : '—'}
              </td>
            ))}
            {canAct.value ? (
              <td>
                <TestButton sink={s} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Limits({ limits }) {
  if (!limits) return null;
  const { per_route_per_minute: perMin, dedupe_seconds: dedupe, ...other } = limits;
  return (
    <p class="muted limits">
      Limits: {perMin != null ? `at most ${fmtCount(perMin)} notifications per route per minute` : 'no per-route rate'}
      {dedupe != null ? `; the same change of the same alarm is sent once within ${fmtCount(dedupe)} s` : ''}
      {Object.entries(other).map(([k, v]) => `; ${k.replace(/_/g, ' ')} ${v}`)}.
    </p>
  );
}

function DeleteRoute({ r, onDone }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await deleteRoute(r.id);
      await onDone(`Route "${r.name}" deleted.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <ConfirmButton label="Delete" question={`Delete route ${r.name}?`} class="danger" busy={busy} onConfirm={remove} />
      <InlineError error={error} />
    </>
  );
}

function Routes({ routes, selected, onDone }) {
  if (!routes.length) return <Empty>No route: alarm changes go to no sink.</Empty>;
  return (
    <table class="dense routes">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Enabled</th>
          <th scope="col">Channels</th>
          <th scope="col">Categories</th>
          <th scope="col">Severity at least</th>
          <th scope="col">Source key regex</th>
          <th scope="col">Sinks</th>
          {canAct.value ? (
            <th scope="col">
              <span class="sr-only">Delete</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {routes.map((r) => (
          <tr key={r.id} class={(r.id === selected ? 'selected ' : '') + (r.enabled === false ? 'off' : '')}>
            <td>
              {canAct.value ? (
                <Link href={routeHref(r)} aria-current={r.id === selected ? 'true' : undefined} title={'Edit ' + r.id}>
                  {r.name}
                </Link>
              ) : (
                r.name
              )}
            </td>
            <td>{r.enabled === false ? 'no' : 'yes'}</td>
            <td>{fmtAllOr(r.channels)}</td>
            <td>{fmtAllOr(r.categories)}</td>
            <td>{r.min_severity}</td>
            <td class="mono trunc" title={r.source_key_regex || ''}>
              {r.source_key_regex || <span class="muted">any</span>}
            </td>
            <td>{(r.sinks || []).join(', ') || <span class="muted">none</span>}</td>
            {canAct.value ? (
              <td>
                <DeleteRoute r={r} onDone={onDone} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Notifications({ q }) {
  const routeId = q.get('route');
  const isNew = q.has('new');
  useEffect(() => {
    notifications.load();
    const t = setInterval(() => notifications.load(), 10000); // the sinks' counters
    return () => {
      clearInterval(t);
      notice.value = null;
    };
  }, []);
  useEffect(() => {
    if (routeId || isNew) notice.value = null; // an editor opened: the last save's message is old news
  }, [routeId, isNew]);
  const d = notifications.data.value;
  const sinkNames = d ? (d.sinks || []).map((s) => s.name) : [];
  const done = async (message) => {
    await notifications.load();
    notice.value = message;
    navigate('/alarms/notifications', { replace: true });
  };

  let editor = null;
  if ((routeId || isNew) && canAct.value) {
    if (!d) editor = notifications.error.value ? null : <Loading what="Loading the route" />;
    else if (isNew) editor = <RouteEditor key="new" sinkNames={sinkNames} onDone={done} />;
    else {
      const r = (d.routes || []).find((x) => x.id === routeId);
      editor = r ? <RouteEditor key={r.id} stored={r} sinkNames={sinkNames} onDone={done} /> : <Empty>No route {routeId}.</Empty>;
    }
  }

  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Notification settings</h1>
        <AlarmTabs view="notifications" />
        <OpenCounts />
      </div>
      <Resource r={notifications} what="Loading notification settings">
        {(d) => (
          <>
            <section class="panel" aria-labelledby="sinks-h">
              <h2 id="sinks-h">Sinks</h2>
              <Sinks sinks={d.sinks || []} />
              <Limits limits={d.limits} />
            </section>
            <section class="panel" aria-labelledby="routes-h">
              <div class="panel-head">
                <h2 id="routes-h">Routes</h2>
                <span class="muted small">every route an alarm change matches sends it to that route's sinks</span>
                <div class="spacer" />
                {canAct.value ? (
                  <button type="button" onClick={() => navigate('/alarms/notifications?new=1')}>
                    New route
                  </button>
                ) : null}
              </div>
              {notice.value ? (
                <p class="state ok" role="status">
                  {notice.value}
                </p>
              ) : null}
              <Routes routes={d.routes || []} selected={routeId} onDone={done} />
              {!canAct.value ? (
                <p class="muted small">Your role ({role.value}) may look at the routes; changing them takes an operator.</p>
              ) : null}
            </section>
          </>
        )}
      </Resource>
      {editor}
    </main>
  );
}
