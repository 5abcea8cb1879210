import { signal, computed } from '@preact/signals';
import { createClient } from '../api/client.js';
import { navigate, path } from './router.js';

export const api = createClient();

/** Who is logged in ({username, role, expires_at}) or null. */
export const me = signal(null);
export const role = computed(() => (me.value ? me.value.role : null));
/** operator and admin may take actions; the API enforces it anyway, the GUI just hides the buttons. */
export const canAct = computed(() => role.value === 'operator' || role.value === 'admin');
export const isAdmin = computed(() => role.value === 'admin');

function toLogin() {
  me.value = null;
  const here = path.value;
  if (!here.startsWith('/login')) navigate('/login?next=' + encodeURIComponent(here), { replace: true });
}

api.onChange((kind) => {
  if (kind === 'expired') toLogin();
});

export async function loadMe() {
  if (!api.hasSession()) {
    toLogin();
    return;
  }
  try {
    me.value = await api.get('/api/v1/auth/me');
  } catch (e) {
    if (e.status === 401) toLogin();
    else throw e;
  }
}

export async function login(username, password, next) {
  await api.login(username, password);
  me.value = await api.get('/api/v1/auth/me');
  navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
}

export async function logout() {
  await api.logout();
  me.value = null;
  navigate('/login', { replace: true });
}
