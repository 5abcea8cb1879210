import { signal } from '@preact/signals';
import { api } from './session.js';

/** /api/v1/ready, polled every 10 s (public; its 503 body still carries the facts). */
export const ready = signal(null); // {status, body} | {status: 0, error}
let timer = null;

export async function pollReady() {
  try {
    ready.value = await api.public('/api/v1/ready');
  } catch (e) {
    ready.value = { status: 0, error: e.message };
  }
}

export function startHealth() {
  if (timer) return;
  pollReady();
  timer = setInterval(pollReady, 10000);
}
