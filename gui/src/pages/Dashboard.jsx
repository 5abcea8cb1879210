import { useEffect, useMemo } from 'preact/hooks';
import { rangeId, messageTypes, topClients, relays, counters, loadStats, loadCounters } from '../state/dashboard.js';
import { RANGES, rangeQuery, bucketStarts } from '../lib/timerange.js';
import { messageType, seriesLabel } from '../lib/dhcp.js';
import { sumOf, rate, byLabel, nftTypeTable, nftCounterRows } from '../lib/counters.js';
import { fmtCount, fmtRate, fmtTime } from '../lib/format.js';
import { Chart } from '../components/Chart.jsx';
import { Resource, ErrorBox, Loading, Empty } from '../components/States.jsx';
import { Link, deviceHref } from '../components/Link.jsx';

const PALETTE = ['#4e9af1', '#e8a23a', '#5cc98a', '#e25c5c', '#b07ee8', '#46c6c6', '#d6d65a', '#e87eb4', '#8fa3b8', '#f08c5a', '#7ad0f0', '#c0e070', '#a0a0ff'];

/** Stats rows → one chart's data: x = bucket starts, a series per (family, type) travelling in `dir`, in packets/s. */
export function typeSeries(stats, dir) {
  if (!stats || !stats.series) return { x: [], series: [] };
  const q = { from: stats.from, to: stats.to, bucketSecs: stats.bucket_secs };
  const x = bucketStarts(q);
  const index = new Map(x.map((t, i) => [t, i]));
  const by = new Map();
  for (const r of stats.series) {
    if (messageType(r.family, r.msg_type_code).dir !== dir) continue;
    const k = r.family * 1000 + r.msg_type_code;
    if (!by.has(k)) by.set(k, { family: r.family, code: r.msg_type_code, data: new Array(x.length).fill(0) });
    const i = index.get(Date.parse(r.bucket) / 1000);
    if (i !== undefined) by.get(k).data[i] += r.events / stats.bucket_secs;
  }
  const series = [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, s], n) => ({ label: seriesLabel(s.family, s.code), color: PALETTE[n % PALETTE.length], data: s.data, dash: s.family === 6 ? [6, 3] : undefined }));
  return { x, series };
}

function RangePicker() {
  return (
    <div class="range" role="radiogroup" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r.id} type="button" role="radio" aria-checked={rangeId.value === r.id ? 'true' : 'false'} class={rangeId.value === r.id ? 'on' : ''} onClick={() => {
          rangeId.value = r.id;
          loadStats();
        }}>
          {r.label}
        </button>
      ))}
    </div>
  );
}

function TypeCharts() {
  const data = messageTypes.data.value;
  const inS = useMemo(() => typeSeries(data, 'in'), [data]);
  const outS = useMemo(() => typeSeries(data, 'out'), [data]);
  return (
    <Resource r={messageTypes} what="Loading message types" isEmpty={(d) => !d.series || d.series.length === 0} empty="No DHCP packets in this range.">
      {() => (
        <div class="charts">
          <section class="panel">
            <h2>In: client → server, packets/s</h2>
            <Chart x={inS.x} series={inS.series} label="Packets per second by message type, client to server" />
          </section>
          <section class="panel">
            <h2>Out: server → client, packets/s</h2>
            <Chart x={outS.x} series={outS.series} label="Packets per second by message type, server to client" />
          </section>
        </div>
      )}
    </Resource>
  );
}

function TopClients() {
  return (
    <section class="panel">
      <h2>Top clients</h2>
      <Resource r={topClients} what="Loading" isEmpty={(d) => !d.clients || !d.clients.length} empty="No clients in this range.">
        {(d) => (
          <table class="dense">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Mark</th>
                <th scope="col" class="num">Events</th>
              </tr>
            </thead>
            <tbody>
              {d.clients.map((c) => {
                const key = c.client_mac || c.duid || c.client_mark;
                return (
                  <tr key={key}>
                    <td class="mono">{key ? <Link href={deviceHref(key)}>{c.client_mac || c.duid || c.client_mark}</Link> : '—'}</td>
                    <td class="mono">{c.client_mark || ''}</td>
                    <td class="num">{fmtCount(c.events)}</td>
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

function Relays() {
  return (
    <section class="panel">
      <h2>Relays and circuits</h2>
      <Resource r={relays} what="Loading" isEmpty={(d) => !d.series || !d.series.length} empty="No relayed traffic in this range.">
        {(d) => {
          const sums = new Map();
          for (const r of d.series) {
            const k = (r.relay_ip || '') + '|' + (r.circuit_id || '');
            const s = sums.get(k) || { relay_ip: r.relay_ip, circuit_id: r.circuit_id, events: 0, last: r.bucket };
            s.events += r.events;
            if (r.bucket > s.last) s.last = r.bucket;
            sums.set(k, s);
          }
          const list = [...sums.values()].sort((a, b) => b.events - a.events).slice(0, 15);
          return (
            <table class="dense">
              <thead>
                <tr>
                  <th scope="col">Relay</th>
                  <th scope="col">Circuit</th>
                  <th scope="col" class="num">Events</th>
                  <th scope="col">Last bucket</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.relay_ip + r.circuit_id}>
                    <td class="mono">{r.relay_ip || '—'}</td>
                    <td class="mono">{r.circuit_id || '—'}</td>
                    <td class="num">{fmtCount(r.events)}</td>
                    <td class="mono">{fmtTime(r.last)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Resource>
    </section>
  );
}

function Counters() {
  const { prev, cur, error } = counters.value;
  if (!cur) return error ? <ErrorBox error={error} /> : <Loading what="Loading counters" />;
  const r = (name, where) => rate(prev, cur, name, where);
  const sets = byLabel(cur, 'nft_set_elements', 'set');
  const caps = new Map(byLabel(cur, 'nft_set_size', 'set'));
  const types = nftTypeTable(prev, cur).filter((t) => t.total > 0 || t.d > 0);
  const system = nftCounterRows(prev, cur).filter((c) => !/^v[46]_/.test(c.name));
  const malformed = (l) => l.category === 'malformed';
  const notDhcp = (l) => l.category === 'not-dhcp';
  return (
    <>
      <ErrorBox error={error} title="Counters not refreshed" />
      <div class="kpis">
        <div class="kpi">
          <span class="k">Packets in</span>
          <span class="v">{fmtRate(r('packets_received'))}</span>
          <span class="s">{fmtCount(sumOf(cur, 'packets_received'))} total</span>
        </div>
        <div class="kpi">
          <span class="k">Malformed</span>
          <span class="v">{fmtRate(r('packets_by_error', malformed) ?? (sumOf(cur, 'packets_by_error') == null ? 0 : null))}</span>
          <span class="s">{fmtCount(sumOf(cur, 'packets_by_error', malformed) ?? 0)} total</span>
        </div>
        <div class="kpi">
          <span class="k">Non-DHCP</span>
          <span class="v">{fmtRate(r('packets_non_dhcp'))}</span>
          <span class="s">{fmtCount(sumOf(cur, 'packets_non_dhcp'))} total · {fmtCount(sumOf(cur, 'packets_by_error', notDhcp) ?? 0)} decode errors</span>
        </div>
        <div class="kpi">
          <span class="k">Dropped by nft</span>
          <span class="v">{fmtRate(r('nft_counter_packets', (l) => /_d$/.test(l.counter || '')))}</span>
          <span class="s">{fmtCount(sumOf(cur, 'nft_counter_packets', (l) => /_d$/.test(l.counter || '')))} total</span>
        </div>
        <div class="kpi">
          <span class="k">Stream clients</span>
          <span class="v">{fmtCount(sumOf(cur, 'stream_clients'))}</span>
          <span class="s">{fmtCount(sumOf(cur, 'stream_events_skipped'))} skipped</span>
        </div>
      </div>
      <div class="grid3">
        <section class="panel">
          <h2>Enforcement sets</h2>
          <table class="dense">
            <thead>
              <tr>
                <th scope="col">Set</th>
                <th scope="col" class="num">Elements</th>
                <th scope="col" class="num">Capacity</th>
              </tr>
            </thead>
            <tbody>
              {sets.map(([name, n]) => (
                <tr key={name}>
                  <td class="mono">{name}</td>
                  <td class="num">{fmtCount(n)}</td>
                  <td class="num muted">{fmtCount(caps.get(name))}</td>
                </tr>
              ))}
              <tr>
                <td class="mono">deny set (userspace)</td>
                <td class="num">{fmtCount(sumOf(cur, 'deny_set_size'))}</td>
                <td />
              </tr>
            </tbody>
          </table>
        </section>
        <section class="panel">
          <h2>nft counters by message type</h2>
          {types.length ? (
            <table class="dense">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col" class="num">Total</th>
                  <th scope="col" class="num">Accepted</th>
                  <th scope="col" class="num">Dropped</th>
                  <th scope="col" class="num">Drop rate</th>
                </tr>
              </thead>
              <tbody>
                {types.map((t) => (
                  <tr key={t.type} class={t.d ? 'warn' : ''}>
                    <td class="mono">{t.type}</td>
                    <td class="num">{fmtCount(t.total)}</td>
                    <td class="num">{fmtCount(t.a)}</td>
                    <td class="num">{fmtCount(t.d)}</td>
                    <td class="num">{fmtRate(t.dRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>No packets counted yet.</Empty>
          )}
        </section>
        <section class="panel">
          <h2>nft system counters</h2>
          <table class="dense">
            <thead>
              <tr>
                <th scope="col">Counter</th>
                <th scope="col" class="num">Packets</th>
                <th scope="col" class="num">Rate</th>
              </tr>
            </thead>
            <tbody>
              {system.map((c) => (
                <tr key={c.name}>
                  <td class="mono">{c.name}</td>
                  <td class="num">{fmtCount(c.packets)}</td>
                  <td class="num">{fmtRate(c.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <p class="muted small">Counters as of {fmtTime(cur.time)} UTC, refreshed every 10 s; rates are the change since the previous read.</p>
    </>
  );
}

export function Dashboard() {
  useEffect(() => {
    loadStats();
    loadCounters();
    // a second read soon after the first gives rates without waiting a whole period
    const first = setTimeout(loadCounters, 2000);
    const a = setInterval(loadCounters, 10000);
    const b = setInterval(loadStats, 30000);
    return () => {
      clearTimeout(first);
      clearInterval(a);
      clearInterval(b);
    };
  }, []);
  const q = rangeQuery(rangeId.value);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Dashboard</h1>
        <RangePicker />
        <span class="muted">
          {fmtTime(q.from)} – {fmtTime(q.to)} UTC, {q.bucket} buckets
        </span>
      </div>
      <Counters />
      <TypeCharts />
      <div class="grid2">
        <TopClients />
        <Relays />
      </div>
    </main>
  );
}
