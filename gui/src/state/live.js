import { signal } from '@preact/signals';
import { LiveRows } from '../lib/live.js';
import { createStream } from '../stream/stream.js';
import { normalizeFilter, matchesFilter } from '../lib/filter.js';
import { api } from './session.js';
import { alarmMessage, streamState } from './alarms.js';

/**
 * The app's one stream connection: the live table's events and the bell's alarm messages. It is open while someone
 * uses it (the header's bell for as long as a user is signed in, the live events page), so the table's rows keep
 * arriving while the operator is on another page and coming back shows the recent past.
 */
export const CAPACITY = 10000;
export const rows = new LiveRows(CAPACITY);
/** Bumped (at most once per frame) when rows change; the table re-renders on it. */
export const version = signal(0);
export const connection = signal({ state: 'closed' });
export const filter = signal({});
export const paused = signal(false);
export const hello = signal(null);
export const lastError = signal(null);

// At most ~10 table updates a second: nobody reads faster, and at thousands of events/s redrawing every frame
// would keep the main thread busy for nothing (gui/bench/live-table.mjs measures it).
const MIN_UPDATE_MS = 100;
let scheduled = false;
let lastUpdate = 0;
function bump() {
  if (scheduled) return;
  scheduled = true;
  const wait = Math.max(0, lastUpdate + MIN_UPDATE_MS - performance.now());
  setTimeout(() => {
    requestAnimationFrame(() => {
      scheduled = false;
      lastUpdate = performance.now();
      version.value++;
    });
  }, wait);
}

const stream = createStream({
  client: api,
  handlers: {
    state: (state, detail) => {
      connection.value = { state, ...detail };
      streamState(state);
    },
    hello: (m) => (hello.value = m),
    event: (m) => {
      // events already in flight when the filter changed: the table applies the filter too
      if (!matchesFilter(m.event, filter.value)) return;
      rows.addEvent(m.event);
      bump();
    },
    skipped: (m) => {
      rows.addSkipped(m.count, m.reason);
      bump();
    },
    error: (m) => (lastError.value = m.error || m),
    filter: () => (lastError.value = null),
    alarm: alarmMessage,
  },
});

let users = 0;
export function attach() {
  if (users++ === 0) stream.start(filter.value);
}
export function detach() {
  if (--users === 0) stream.stop();
}

export function applyFilter(f) {
  const n = normalizeFilter(f);
  filter.value = n;
  rows.clear();
  bump();
  stream.setFilter(n);
}

export function setPaused(p) {
  paused.value = p;
  if (p) rows.pause();
  else rows.resume();
  bump();
}

export function clearRows() {
  rows.clear();
  bump();
}
