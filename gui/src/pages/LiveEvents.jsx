import { useEffect, useState } from 'preact/hooks';
import { rows, version, connection, filter, paused, attach, detach, applyFilter, setPaused, clearRows, lastError, hello, CAPACITY } from '../state/live.js';
import { VirtualRows } from '../components/VirtualRows.jsx';
import { ConnectionState } from '../components/ConnectionState.jsx';
import { Link, deviceHref } from '../components/Link.jsx';
import { navigate } from '../state/router.js';
import { fmtClockUs, fmtType, fmtDirection, fmtCount, deviceKey } from '../lib/format.js';
import { TYPE_NAMES } from '../lib/dhcp.js';
import { DIRECTIONS } from '../lib/filter.js';

// fixed column widths: the table's layout does not depend on its content, so a new batch of rows costs no re-measure
const WIDTHS = ['104px', '34px', '24px', '150px', '140px', '', '70px', '110px', '100px', '72px', '100px', '86px', '100px'];
const HEADER = ['Time (UTC)', 'Dir', 'v', 'Type', 'Client MAC', 'DUID / client id', 'Mark', 'IP', 'Relay', 'Circuit', 'Hostname', 'xid', 'Errors'];

function EventRow({ row }) {
  // rows are keyed by position (see LiveEvents), so this renders into the DOM row that was there
  if (!row) return null;
  if (row.kind === 'skipped') {
    const why = row.reason === 'rate_limit' ? 'rate limit' : row.reason === 'slow_client' ? 'browser too slow' : row.reason === 'paused_overflow' ? 'held buffer full while paused' : row.reason;
    return (
      <tr class="skipped">
        <td colSpan={HEADER.length}>
          … {fmtCount(row.count)} event{row.count === 1 ? '' : 's'} skipped ({why})
        </td>
      </tr>
    );
  }
  const ev = row.ev;
  const key = deviceKey(ev);
  const err = ev.errors && ev.errors.length;
  return (
    <tr class={(err ? 'err ' : '') + (ev.direction === 'server_to_client' ? 'out' : 'in')} onClick={(e) => key && !e.target.closest('a') && navigate(deviceHref(key))}>
      <td class="mono">{fmtClockUs(ev.time_us)}</td>
      <td>{fmtDirection(ev.direction)}</td>
      <td>{ev.family}</td>
      <td class="type">{fmtType(ev)}</td>
      <td class="mono">{key ? <Link href={deviceHref(key)}>{ev.client_mac || '—'}</Link> : '—'}</td>
      <td class="mono trunc" title={ev.duid || ev.client_id || ''}>{ev.duid || ev.client_id || ''}</td>
      <td class="mono">{ev.client_mark || ''}</td>
      <td class="mono">{ev.assigned_ip || ev.requested_ip || ev.prefix || ''}</td>
      <td class="mono">{ev.relay_ip || ''}</td>
      <td class="mono trunc" title={ev.circuit_id || ''}>{ev.circuit_id || ''}</td>
      <td class="trunc" title={ev.hostname || ''}>{ev.hostname || ''}</td>
      <td class="mono">{ev.xid || ''}</td>
      <td class="trunc">{err ? ev.errors.map((x) => x.error).join(', ') : ''}</td>
    </tr>
  );
}

function FilterBar() {
  const [f, setF] = useState(() => ({ ...filter.value }));
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const submit = (e) => {
    e.preventDefault();
    applyFilter(f);
  };
  const reset = () => {
    setF({});
    applyFilter({});
  };
  const text = (k, label, ph, size = 14) => (
    <div class="field">
      <label for={'lf-' + k}>{label}</label>
      <input id={'lf-' + k} size={size} value={f[k] || ''} onInput={set(k)} placeholder={ph} spellcheck={false} autocomplete="off" />
    </div>
  );
  return (
    <form class="filters" onSubmit={submit} aria-label="Stream filter">
      {text('mac', 'MAC', 'aa:bb:cc:dd:ee:ff', 17)}
      {text('duid', 'DUID', '00:01:…', 16)}
      <div class="field">
        <label for="lf-type">Type</label>
        <select id="lf-type" value={f.msg_type || ''} onChange={set('msg_type')}>
          <option value="">any</option>
          {TYPE_NAMES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      {text('relay_ip', 'Relay', '198.18.0.2', 12)}
      {text('circuit_id', 'Circuit', 'ge0001', 10)}
      <div class="field">
        <label for="lf-dir">Direction</label>
        <select id="lf-dir" value={f.direction || ''} onChange={set('direction')}>
          <option value="">any</option>
          {DIRECTIONS.map((d) => (
            <option key={d} value={d}>
              {d.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
      {text('site', 'Site', 'site id', 8)}
      <div class="field check">
        <input id="lf-err" type="checkbox" checked={!!f.errors_only} onChange={set('errors_only')} />
        <label for="lf-err">Errors only</label>
      </div>
      <div class="field buttons">
        <button type="submit" class="primary">
          Apply
        </button>
        <button type="button" onClick={reset}>
          Clear
        </button>
      </div>
    </form>
  );
}

export function LiveEvents() {
  useEffect(() => {
    attach();
    return detach;
  }, []);
  version.value; // re-render when the ring changes
  const ring = rows.rows;
  const count = ring.size;
  const h = hello.value;
  return (
    <main id="main" class="page live-page">
      <div class="page-head">
        <h1>Live events</h1>
        <ConnectionState />
        <span class="muted">
          {fmtCount(rows.eventsTotal)} received · {fmtCount(count)} / {fmtCount(CAPACITY)} kept
          {rows.skippedTotal ? ` · ${fmtCount(rows.skippedTotal)} skipped` : ''}
          {h && h.rate ? ` · server rate limit ${h.rate.max_messages_per_second ?? h.rate.per_second ?? ''}/s` : ''}
        </span>
        <div class="spacer" />
        <button type="button" onClick={() => setPaused(!paused.value)} aria-pressed={paused.value ? 'true' : 'false'}>
          {paused.value ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={clearRows}>
          Clear
        </button>
      </div>
      <FilterBar />
      {lastError.value ? (
        <div class="state error" role="alert">
          Stream refused the filter: {lastError.value.message || JSON.stringify(lastError.value)}
        </div>
      ) : null}
      {paused.value ? (
        <div class="state paused" role="status">
          Paused — {fmtCount(rows.arrivedWhilePaused)} arrived since; Resume to add them.
        </div>
      ) : null}
      {count === 0 ? (
        <p class="state empty">{connection.value.state === 'open' ? 'Waiting for events that match the filter…' : 'Connecting to the live stream…'}</p>
      ) : null}
      <VirtualRows
        count={count}
        version={version.value}
        rowAt={(i) => ring.newest(i)}
        header={HEADER}
        label="Live events, newest first"
        caption="Live DHCP events, newest first"
        total={ring.total}
        widths={WIDTHS}
        renderRow={(row, i) => <EventRow key={i} row={row} />}
      />
    </main>
  );
}
