import { useEffect } from 'preact/hooks';
import { detail, loadDetail, leaveDetail } from '../state/alarms.js';
import { Resource, Empty } from '../components/States.jsx';
import { Link, deviceHref } from '../components/Link.jsx';
import { SeverityBadge, StateText, AlarmActions, roleReason } from '../components/Alarm.jsx';
import { AlarmTabs } from './Alarms.jsx';
import { fmtTime, fmtCount } from '../lib/format.js';

function Row({ k, children }) {
  return (
    <tr>
      <th scope="row">{k}</th>
      <td>{children}</td>
    </tr>
  );
}

function When({ at, by }) {
  if (!at) return <span class="muted">—</span>;
  return (
    <>
      <span class="mono">{fmtTime(at)}</span>
      {by ? ' by ' + by : ''}
    </>
  );
}

function About({ a }) {
  const who = roleReason();
  return (
    <div class="grid2 alarm-about">
      <section class="panel" aria-labelledby="al-what-h">
        <h2 id="al-what-h">What</h2>
        {a.message ? <p class="alarm-message">{a.message}</p> : null}
        <table class="dense kv">
          <tbody>
            <Row k="Severity">
              <SeverityBadge s={a.severity} />
            </Row>
            <Row k="State">
              <StateText a={a} />
            </Row>
            <Row k="Source key">
              <span class="mono">{a.source_key}</span>
            </Row>
            <Row k="Channel · category · kind">
              {a.channel} · {a.category} · <span class="mono">{a.kind}</span>
            </Row>
            <Row k="Raised (UTC)">
              <When at={a.raised_at} />
            </Row>
            <Row k="Last seen (UTC)">
              <When at={a.last_seen} />
            </Row>
            <Row k="Occurrences">{fmtCount(a.occurrences)}</Row>
            <Row k="Acknowledged">
              <When at={a.acknowledged_at} by={a.acknowledged_by} />
            </Row>
            <Row k="Cleared">
              <When at={a.cleared_at} by={a.cleared_by} />
            </Row>
          </tbody>
        </table>
      </section>
      <div>
        <section class="panel" aria-labelledby="al-act-h">
          <h2 id="al-act-h">Acknowledge or clear</h2>
          <p class="muted small">
            Acknowledge says someone is on it (the alarm stays open and still clears by itself once its condition is gone);
            Clear closes it now. The note goes into the alarm's history.
          </p>
          <AlarmActions alarm={a} withNote idPrefix="ad" />
          {who ? <p class="muted small">{who}</p> : null}
        </section>
        <Facts facts={a.facts} />
      </div>
    </div>
  );
}

/** The offending parties; a client opens its device page. */
function Context({ list }) {
  return (
    <section class="panel" aria-labelledby="al-ctx-h">
      <h2 id="al-ctx-h">Context</h2>
      {!list || !list.length ? (
        <Empty>No party recorded.</Empty>
      ) : (
        <table class="dense context">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Id</th>
              <th scope="col">MAC</th>
              <th scope="col" class="num">Count</th>
              <th scope="col">First seen (UTC)</th>
              <th scope="col">Last seen (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.role + '|' + p.id} class={'party-' + p.role}>
                <td class="role-cell">{p.role}</td>
                <td class="mono">{p.role === 'client' ? <Link href={deviceHref(p.id)}>{p.id}</Link> : p.id}</td>
                <td class="mono">{p.mac || ''}</td>
                <td class="num">{fmtCount(p.count)}</td>
                <td class="mono">{fmtTime(p.first_seen)}</td>
                <td class="mono">{fmtTime(p.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Facts({ facts }) {
  const entries = Object.entries(facts || {});
  return (
    <section class="panel" aria-labelledby="al-facts-h">
      <h2 id="al-facts-h">Facts</h2>
      {!entries.length ? (
        <Empty>None.</Empty>
      ) : (
        <table class="dense kv">
          <tbody>
            {entries.map(([k, v]) => (
              <Row key={k} k={k}>
                <span class="mono">{v}</span>
              </Row>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function History({ list }) {
  return (
    <section class="panel" aria-labelledby="al-hist-h">
      <h2 id="al-hist-h">History</h2>
      {!list || !list.length ? (
        <Empty>No transition recorded yet.</Empty>
      ) : (
        <table class="dense history">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">State</th>
              <th scope="col">Actor</th>
              <th scope="col">Severity</th>
              <th scope="col">Note or message</th>
            </tr>
          </thead>
          <tbody>
            {list.map((h, i) => (
              <tr key={i}>
                <td class="mono">{fmtTime(h.time)}</td>
                <td>{h.state}</td>
                <td>{h.actor || ''}</td>
                <td>{h.severity ? <SeverityBadge s={h.severity} /> : ''}</td>
                <td class="wrap">{h.note ? <strong>{h.note}</strong> : h.message || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function AlarmDetail({ id }) {
  useEffect(() => {
    detail.reset();
    loadDetail(id);
    return leaveDetail;
  }, [id]);
  const a = detail.data.value;
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>{a && a.id === id ? a.title : 'Alarm'}</h1>
        <AlarmTabs view="alarm" />
        <div class="spacer" />
        <span class="muted small mono">{id}</span>
      </div>
      <Resource r={detail} what="Loading the alarm">
        {(a) => (
          <>
            <About a={a} />
            <Context list={a.context} />
            <History list={a.history} />
          </>
        )}
      </Resource>
    </main>
  );
}
