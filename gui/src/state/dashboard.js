import { signal } from '@preact/signals';
import { api } from './session.js';
import { resource } from './resource.js';
import { rangeQuery } from '../lib/timerange.js';

export const rangeId = signal('1h');

export const messageTypes = resource((q) => api.get('/api/v1/stats/message-types', q));
export const topClients = resource((q) => api.get('/api/v1/stats/top-clients', { from: q.from, to: q.to, limit: 10 }));
export const relays = resource((q) => api.get('/api/v1/stats/relays', q));

/** The last two /api/v1/counters snapshots: rates are their deltas. */
export const counters = signal({ prev: null, cur: null, error: null });

export async function loadStats() {
  const q = rangeQuery(rangeId.value);
  const query = { from: q.from, to: q.to, bucket: q.bucket };
  await Promise.all([messageTypes.load(query), topClients.load(q), relays.load(query)]);
}

export async function loadCounters() {
  try {
    const snap = await api.get('/api/v1/counters');
    counters.value = { prev: counters.value.cur, cur: snap, error: null };
  } catch (e) {
    counters.value = { ...counters.value, error: e };
  }
}
