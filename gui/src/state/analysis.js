import { api } from './session.js';
import { resource } from './resource.js';

const BASE = '/api/v1/analysis';
const enc = encodeURIComponent;

/** Recent results (requested in the last 7 days, newest first). */
export const results = resource(() => api.get(BASE, { limit: 100 }));
/** Queued and running now. */
export const active = resource(() => api.get(BASE + '/active'));
/** Held recommendations waiting for an operator, oldest first. */
export const pending = resource(() => api.get(BASE + '/pending'));
/** {prompts: [...], placeholders: [...]} */
export const prompts = resource(() => api.get(BASE + '/prompts'));

export function reloadAnalysis() {
  return Promise.all([results.load(), active.load(), pending.load()]);
}

/** Queue a device (MAC, 0x mark or DUID): {status: queued|duplicate, id}. */
export const queueAnalysis = (target) => api.post(BASE, { target });
export const approve = (id) => api.post(BASE + '/' + enc(id) + '/approve');
export const reject = (id) => api.post(BASE + '/' + enc(id) + '/reject');
export const savePrompt = (id, name, text) => api.put(BASE + '/prompts/' + enc(id), { name, text });
