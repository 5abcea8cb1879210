import { me, logout } from '../state/session.js';
import { ready } from '../state/health.js';
import { path } from '../state/router.js';
import { Link } from './Link.jsx';
import { Bell } from './Bell.jsx';
import { healthFacts } from '../lib/health.js';

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
