import { me, logout } from '../state/session.js';
import { ready } from '../state/health.js';
import { path } from '../state/router.js';
import { Link } from './Link.jsx';
import { Bell } from './Bell.jsx';

const NAV = [
  { href: '/', label: 'Dashboard' },
  { href: '/events', label: 'Live events' },
  { href: '/who-had', label: 'Devices' },
  { href: '/actions', label: 'Actions' },
  { href: '/automation', label: 'Automation' },
  { href: '/alarms', label: 'Alarms' },
  { href: '/firewall', label: 'Tools', title: 'Firewall, flow visualizer, bulk actions, captures' },
];

function section(p) {
  const base = p.split('?')[0];
  if (base.startsWith('/devices/')) return '/who-had';
  if (base.startsWith('/automation')) return '/automation';
  if (base.startsWith('/alarms')) return '/alarms';
  if (base.startsWith('/firewall') || base === '/bulk' || base === '/captures') return '/firewall';
  return base;
}

/** Health facts from /api/v1/ready: each fact is ok, warn or bad. */
export function healthFacts(r) {
  if (!r) return [{ k: 'API', v: 'checking…', level: 'warn' }];
  if (r.status === 0 || !r.body) return [{ k: 'API', v: 'unreachable', level: 'bad' }];
  const b = r.body;
  const facts = [
    { k: 'status', v: b.ready ? 'ready' : 'not ready', level: b.ready ? 'ok' : 'bad' },
    {
      k: 'queues',
      v: `${b.queues_bound ?? '?'}/${b.queues ?? '?'} bound`,
      level: b.queues && b.queues_bound === b.queues ? 'ok' : 'bad',
    },
    { k: 'transport', v: b.transport || '—', level: 'ok' },
    { k: 'queue mode', v: b.queue_mode || '—', level: 'ok' },
    { k: 'ClickHouse', v: b.clickhouse || '—', level: b.clickhouse === 'connected' ? 'ok' : 'bad' },
    { k: 'ruleset', v: b.ruleset || '—', level: b.ruleset === 'installed' ? 'ok' : 'bad' },
    {
      k: 'fail-open',
      v: b.fail_open_in_effect ? 'IN EFFECT' : 'standby',
      level: b.fail_open_in_effect ? 'bad' : 'ok',
    },
  ];
  return facts;
}

export function Header() {
  const current = section(path.value);
  const notReady = ready.value && ready.value.body && ready.value.body.services
    ? ready.value.body.services.filter((s) => !s.ready)
    : [];
  const facts = [...healthFacts(ready.value), ...notReady.map((s) => ({ k: s.name, v: s.reason || s.state || 'not ready', level: 'bad' }))];
  return (
    <header class="top">
      <div class="bar">
      <div class="brand">
        <Link href="/">DHCP Shield</Link>
      </div>
      <nav aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.href}>
              <Link href={n.href} title={n.title} aria-current={current === n.href ? 'page' : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div class="user">
        <Bell />
        {me.value ? (
          <>
            <span class="who">
              {me.value.username} <span class="role">{me.value.role}</span>
            </span>
            <button type="button" class="link" onClick={() => logout()}>
              Log out
            </button>
          </>
        ) : null}
      </div>
      </div>
      <ul class="health" aria-label="Appliance health">
        {facts.map((f) => (
          <li key={f.k} class={'fact ' + f.level}>
            <span class="k">{f.k}</span> <span class="v">{f.v}</span>
          </li>
        ))}
      </ul>
    </header>
  );
}
