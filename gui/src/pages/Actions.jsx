import { useEffect, useState } from 'preact/hooks';
import { active, history, undoAction } from '../state/actions.js';
import { canAct } from '../state/session.js';
import { Resource, ErrorBox } from '../components/States.jsx';
import { ActionForm } from '../components/ActionForm.jsx';
import { ActionTable, targetText } from './Device.jsx';
import { Link, deviceHref } from '../components/Link.jsx';
import { ACTIONS } from '../lib/dhcp.js';
import { fmtTime, fmtExpiry } from '../lib/format.js';

function toIso(local) {
  if (!local) return undefined;
  return local.length === 16 ? local + ':00Z' : local + 'Z';
}

function InForce() {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  async function undo(id) {
    setBusy(id);
    setError(null);
    try {
      await undoAction(id);
      await Promise.all([active.load(), history.load({ limit: 100 })]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section class="panel">
      <h2>In force</h2>
      <ErrorBox error={error} title="Undo failed" />
      <Resource r={active} what="Loading" isEmpty={(d) => !d.actions || !d.actions.length} empty="No action is in force.">
        {(d) => (
          <table class="dense">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Since</th>
                <th scope="col">Expires</th>
                <th scope="col">Actor</th>
                <th scope="col">Reason</th>
                {canAct.value ? <th scope="col"><span class="sr-only">Undo</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {d.actions.map((a) => {
                const t = targetText(a.target);
                return (
                  <tr key={a.id}>
                    <td>
                      <span class={'badge act-' + a.action}>{a.action}</span>
                    </td>
                    <td class="mono">{t && t !== '—' ? <Link href={deviceHref(t)}>{t}</Link> : t}</td>
                    <td class="mono">{fmtTime(a.at)}</td>
                    <td class="mono">{a.expires_at ? `${fmtTime(a.expires_at)} (${fmtExpiry(a.expires_at)})` : 'permanent'}</td>
                    <td>{a.actor}</td>
                    <td>{a.reason || ''}</td>
                    {canAct.value ? (
                      <td>
                        <button type="button" disabled={busy === a.id} onClick={() => undo(a.id)}>
                          {busy === a.id ? 'Undoing…' : 'Undo'}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Resource>
    </section>
  );
}

/** The history, filtered; `actor` (from the URL: `/actions?actor=bulk_job:<id>`) starts it filtered by that actor. */
function History({ actor }) {
  const [f, setF] = useState({ actor: actor || '', target: '', action: '', from: '', to: '' });
  const [pages, setPages] = useState([]);
  const query = (cursor) => ({
    actor: f.actor.trim() || undefined,
    target: f.target.trim().toLowerCase() || undefined,
    action: f.action || undefined,
    from: toIso(f.from),
    to: toIso(f.to),
    limit: 100,
    cursor,
  });
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = (e) => {
    e.preventDefault();
    setPages([]);
    history.load(query());
  };
  const data = history.data.value;
  const more = () => {
    setPages([...pages, ...(data.actions || [])]);
    history.load(query(data.next));
  };
  return (
    <section class="panel">
      <h2>History</h2>
      <form class="filters" onSubmit={submit} aria-label="Filter the action history">
        <div class="field">
          <label for="ah-actor">Actor</label>
          <input id="ah-actor" size={14} value={f.actor} onInput={set('actor')} placeholder="user:alice" />
        </div>
        <div class="field">
          <label for="ah-target">Target</label>
          <input id="ah-target" size={20} value={f.target} onInput={set('target')} placeholder="MAC, 0x mark or DUID" spellcheck={false} />
        </div>
        <div class="field">
          <label for="ah-action">Action</label>
          <select id="ah-action" value={f.action} onChange={set('action')}>
            <option value="">any</option>
            {ACTIONS.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ah-from">From (UTC)</label>
          <input id="ah-from" type="datetime-local" value={f.from} onInput={set('from')} />
        </div>
        <div class="field">
          <label for="ah-to">To (UTC)</label>
          <input id="ah-to" type="datetime-local" value={f.to} onInput={set('to')} />
        </div>
        <div class="field buttons">
          <button type="submit" class="primary">
            Search
          </button>
        </div>
      </form>
      <Resource r={history} what="Loading history" isEmpty={(d) => !pages.length && (!d.actions || !d.actions.length)} empty="No action matches.">
        {(d) => (
          <>
            <ActionTable list={[...pages, ...(d.actions || [])]} />
            {d.next ? (
              <button type="button" onClick={more}>
                More
              </button>
            ) : null}
          </>
        )}
      </Resource>
    </section>
  );
}

export function Actions({ actor }) {
  useEffect(() => {
    active.load();
    history.load({ actor: actor || undefined, limit: 100 });
    const t = setInterval(() => active.load(), 15000);
    return () => clearInterval(t);
  }, []);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Actions</h1>
      </div>
      {canAct.value ? (
        <section class="panel">
          <h2>Apply an action</h2>
          <ActionForm onDone={() => Promise.all([active.load(), history.load({ actor: actor || undefined, limit: 100 })])} />
        </section>
      ) : null}
      <InForce />
      <History actor={actor} />
    </main>
  );
}
