import { signal } from '@preact/signals';

/** History-API routes: the server answers index.html for any non-API path, so every page has a real URL. */
export const path = signal(location.pathname + location.search);

export function navigate(to, { replace = false } = {}) {
  if (to === path.value) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  path.value = to;
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  path.value = location.pathname + location.search;
});

/** The page for a path: {page, params}. */
export function match(p) {
  const [pathname, search = ''] = p.split('?');
  const q = new URLSearchParams(search);
  if (pathname === '/login') return { page: 'login', q };
  if (pathname === '/' || pathname === '') return { page: 'dashboard', q };
  if (pathname === '/events') return { page: 'events', q };
  if (pathname === '/actions') return { page: 'actions', q };
  if (pathname === '/who-had') return { page: 'whohad', q };
  if (pathname === '/automation') return { page: 'automation', view: 'rules', q };
  if (pathname === '/automation/analysis') return { page: 'automation', view: 'analysis', q };
  if (pathname === '/alarms') return { page: 'alarms', q };
  if (pathname === '/alarms/notifications') return { page: 'notifications', q };
  if (pathname === '/firewall') return { page: 'firewall', q };
  if (pathname === '/firewall/flow') return { page: 'flow', q };
  if (pathname === '/bulk') return { page: 'bulk', q };
  if (pathname === '/captures') return { page: 'captures', q };
  const m = /^\/devices\/([^/]+)$/.exec(pathname);
  if (m) return { page: 'device', client: decodeURIComponent(m[1]), q };
  const a = /^\/alarms\/([^/]+)$/.exec(pathname);
  if (a) return { page: 'alarm', alarm: decodeURIComponent(a[1]), q };
  const r = /^\/firewall\/rulesets\/([^/]+)$/.exec(pathname);
  if (r) return { page: 'ruleset', ruleset: decodeURIComponent(r[1]), q };
  return { page: 'notfound', q };
}
