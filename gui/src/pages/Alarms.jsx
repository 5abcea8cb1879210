import { useEffect, useState } from 'preact/hooks';
import { list, listFilter, loadList, leaveList, summary } from '../state/alarms.js';
import { navigate } from '../state/router.js';
import { Resource } from '../components/States.jsx';
import { Link } from '../components/Link.jsx';
import { ConnectionState } from '../components/ConnectionState.jsx';
import { SeverityBadge, StateText } from '../components/Alarm.jsx';
import { fmtTime, fmtCount } from '../lib/format.js';
import { SEVERITIES, CHANNELS, CATEGORIES, STATE_FILTERS, ALARM_RANGES, alarmFilterFromQuery, alarmsHref, normalizeAlarmFilter } from '../lib/alarms.js';

/** Alarms | Notification settings, like Automation's Rules | Analysis. */
export function AlarmTabs({ view }) {
  return (
    <nav aria-label="Alarm views" class="tabs">
      <Link href="/alarms" aria-current={view === 'alarms' ? 'page' : undefined}>
        Alarms
      </Link>
      <Link href="/alarms/notifications" aria-current={view === 'notifications' ? 'page' : undefined}>
        Notification settings
      </Link>
    </nav>
  );
}

export function OpenCounts() {
  const s = summary.value;
  if (!s) return null;
  return (
    <span class="muted">
      {s.raised} raised · {s.acknowledged} acknowledged
    </span>
  );
}

function Select({ id, label, value, options, onChange }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

const any = (list) => [['', 'any'], ...list.map((v) => [v, v])];

/** The search: what the URL says, applied by navigating (so a search is a link, and Back goes to the last one). */
function Filters({ f }) {
  const [d, setD] = useState({ state: 'open', severity: '', channel: '', category: '', q: '', range: '', kind: '', ...f });
  const set = (k) => (v) => setD({ ...d, [k]: v });
  const submit = (e) => {
    e.preventDefault();
    navigate(alarmsHref(d));
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Search alarms">
      <Select id="af-state" label="State" value={d.state} options={STATE_FILTERS.map((s) => [s, s])} onChange={set('state')} />
      <Select id="af-severity" label="Severity at least" value={d.severity} options={[['', 'any'], ...SEVERITIES.slice(1).map((s) => [s, s])]} onChange={set('severity')} />
      <Select id="af-channel" label="Channel" value={d.channel} options={any(CHANNELS)} onChange={set('channel')} />
      <Select id="af-category" label="Category" value={d.category} options={any(CATEGORIES)} onChange={set('category')} />
      <div class="field">
        <label for="af-q">Search</label>
        <input id="af-q" size={26} value={d.q} spellcheck={false} placeholder="source key, title, MAC or IP" onInput={(e) => set('q')(e.currentTarget.value)} />
      </div>
      <Select id="af-range" label="Raised" value={d.range} options={ALARM_RANGES.map((r) => [r.id, r.label])} onChange={set('range')} />
      <div class="field buttons">
        <button type="submit" class="primary">
          Search
        </button>
        <button type="button" onClick={() => navigate('/alarms')}>
          Reset
        </button>
      </div>
    </form>
  );
}

export function alarmHref(a) {
  return '/alarms/' + encodeURIComponent(a.id);
}

function AlarmTable({ alarms }) {
  return (
    <table class="dense alarms">
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Title</th>
          <th scope="col">Source key</th>
          <th scope="col">State</th>
          <th scope="col">Raised (UTC)</th>
          <th scope="col" class="seen">Last seen (UTC)</th>
          <th scope="col" class="num">Occurrences</th>
        </tr>
      </thead>
      <tbody>
        {alarms.map((a) => (
          <tr key={a.id} class={'st-' + a.state}>
            <td>
              <SeverityBadge s={a.severity} />
            </td>
            <td class="trunc title" title={a.title}>
              <Link href={alarmHref(a)}>{a.title}</Link>
            </td>
            <td class="mono trunc key" title={a.source_key}>
              {a.source_key}
            </td>
            <td>
              <StateText a={a} />
            </td>
            <td class="mono">{fmtTime(a.raised_at)}</td>
            <td class="mono seen">{fmtTime(a.last_seen)}</td>
            <td class="num">{fmtCount(a.occurrences)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Alarms({ q }) {
  const f = alarmFilterFromQuery(q);
  const href = alarmsHref(f);
  useEffect(() => {
    if (alarmsHref(listFilter.value) !== href) list.reset(); // another search's rows would mislead while loading
    loadList(f);
  }, [href]);
  useEffect(() => leaveList, []);
  const searching = Object.keys(normalizeAlarmFilter(f)).length > 0;
  const state = f.state || 'open';
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Alarms</h1>
        <AlarmTabs view="alarms" />
        <OpenCounts />
        <div class="spacer" />
        <ConnectionState />
      </div>
      <section class="panel" aria-labelledby="alarms-h">
        <h2 id="alarms-h">{searching ? 'Alarms found' : 'Open alarms'}</h2>
        <Filters key={href} f={f} />
        <Resource
          r={list}
          what="Loading alarms"
          isEmpty={(d) => !d.alarms || !d.alarms.length}
          empty={searching ? 'No alarm matches the search.' : 'No open alarm.'}
        >
          {(d) => (
            <>
              <AlarmTable alarms={d.alarms} />
              <p class="muted small">
                Newest first{state === 'cleared' ? '' : '; open alarms change here as they happen'}.
                {d.alarms.length >= 500 ? ' The newest 500 are shown: narrow the search to see older ones.' : ''}
              </p>
            </>
          )}
        </Resource>
      </section>
    </main>
  );
}
