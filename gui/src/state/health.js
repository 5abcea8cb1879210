import { signal } from '@preact/signals';
import { api } from './session.js';

/**
 * /api/v1/ready, polled every 10 s (public; its 503 body still carries the facts), and again at once (at most every
 * 2 s) when any request finds the appliance or ClickHouse not ready, so the header never says "connected" for long
 * under a panel that says it is not.
 */
export const ready = signal(null); // {status, body} | {status: 0, error}
let timer = null;
let lastPoll = 0;
let pending = null;

export async function pollReady() {
  lastPoll = Date.now();
  try {
    ready.value = await api.public('/api/v1/ready');
  } catch (e) {
    ready.value = { status: 0, error: e.message };
  }
}

/** A poll now, or as soon as 2 s have passed since the last one; one at a time. */
export function pollSoon() {
  if (pending) return;
  const wait = Math.max(0, lastPoll + 2000 - Date.now());
  pending = setTimeout(() => {
    pending = null;
    pollReady();
  }, wait);
}

export function startHealth() {
  if (timer) return;
  pollReady();
  timer = setInterval(pollReady, 10000);
  api.onChange((kind) => {
    if (kind === 'unavailable') pollSoon();
  });
}
