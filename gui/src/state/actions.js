import { signal } from '@preact/signals';
import { api } from './session.js';
import { resource } from './resource.js';

export const active = resource(() => api.get('/api/v1/actions/active'));
export const history = resource((q) => api.get('/api/v1/actions', q));
export const historyQuery = signal({ actor: '', target: '', action: '', from: '', to: '' });

/** Apply an action; the answer's records say per target what happened. */
export function applyAction({ action, targets, duration_secs, reason }) {
  const body = { action, targets };
  if (duration_secs != null) body.duration_secs = duration_secs;
  if (reason) body.reason = reason;
  return api.post('/api/v1/actions', body);
}

export function undoAction(id) {
  return api.post('/api/v1/actions/' + encodeURIComponent(id) + '/undo');
}
