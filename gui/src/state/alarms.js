import { signal, computed } from '@preact/signals';
import { api, me } from './session.js';
import { resource } from './resource.js';
import { applyToSummary, normalizeSummary, mergeChange, unreadCount, seenMark, seenKey, highestSeverity, alarmApiQuery } from '../lib/alarms.js';

/**
 * Alarms and notifications: the bell's summary (read from `GET /api/v1/alarms/summary`, then kept current by the
 * stream's `alarm` messages, read again after a reconnect), the Alarms page's list and detail (stream changes merged
 * in), and the notification settings. The stream itself is state/live.js's one connection; it hands `alarm`
 * messages and its reconnects to this module.
 */
const BASE = '/api/v1/alarms';
const enc = encodeURIComponent;

// ---- the bell ----

/** The bell's summary: {raised, acknowledged, by_severity, latest} (lib/alarms.js normalizeSummary). */
export const summary = signal(null);
export const summaryError = signal(null);
/** The newest news the drop-down showed when last opened (epoch ms in the appliance's clock), per user. */
export const seen = signal(0);

export const unread = computed(() => unreadCount(summary.value, seen.value));
export const highest = computed(() => (summary.value ? highestSeverity(summary.value.by_severity) : null));

/**
 * Each alarm as the summary's counts know it (from the summary, the stream, our own POST's answer, which a summary
 * read follows): a repeated or late message then counts nothing. Not from the page's list or detail, which may
 * answer after a change whose stream message has not arrived yet.
 */
const known = new Map();
const KNOWN_MAX = 2000;
function remember(a) {
  if (!a || !a.id) return;
  known.delete(a.id);
  known.set(a.id, a);
  if (known.size > KNOWN_MAX) known.delete(known.keys().next().value);
}

let summaryGeneration = 0;
let messages = 0; // alarm messages seen so far
export async function loadSummary() {
  const g = ++summaryGeneration;
  const before = messages;
  try {
    const s = await api.get(BASE + '/summary');
    if (g !== summaryGeneration) return;
    for (const a of s.latest || []) remember(a);
    summary.value = normalizeSummary(s, summary.value);
    summaryError.value = null;
    // a change that arrived while the summary was on its way may be missing from it: read it once more
    if (messages !== before) reloadSummarySoon();
  } catch (e) {
    if (g === summaryGeneration) summaryError.value = e;
  }
}

let refetch = null;
/** A summary read soon, once for a burst of changes that left it inexact. */
function reloadSummarySoon() {
  if (refetch) return;
  refetch = setTimeout(() => {
    refetch = null;
    loadSummary();
  }, 1000);
}

function storage() {
  try {
    return globalThis.localStorage || null;
  } catch {
    return null; // storage disabled: the mark lives as long as the page
  }
}

/** The user's mark from localStorage (called when the header mounts for a signed-in user). */
export function loadSeen() {
  const u = me.value && me.value.username;
  const v = u && storage() ? Number(storage().getItem(seenKey(u))) : 0;
  seen.value = Number.isFinite(v) ? v : 0;
}

/** The drop-down opened: what it lists is read. */
export function markSeen() {
  const m = seenMark(summary.value, seen.value);
  seen.value = m;
  const u = me.value && me.value.username;
  if (u && storage()) storage().setItem(seenKey(u), String(m));
}

// ---- the Alarms page ----

/** The list for the filter in the page's URL: {alarms, open}. */
export const list = resource((q) => api.get(BASE, q));
export const listFilter = signal({});
const LIST_LIMIT = 500;
let listShown = false;

export function loadList(f) {
  listShown = true;
  listFilter.value = f;
  return list.load(alarmApiQuery(f, { limit: LIST_LIMIT }));
}
/** The page left: its list is kept for coming back, but a reconnect no longer reads it again. */
export function leaveList() {
  listShown = false;
}

/** One alarm with its history. */
export const detail = resource((id) => api.get(BASE + '/' + enc(id)));
let detailId = null;
export function loadDetail(id) {
  detailId = id;
  return detail.load(id);
}
export function leaveDetail() {
  detailId = null;
}

let detailRefetch = null;
function reloadDetailSoon() {
  if (detailRefetch) return;
  detailRefetch = setTimeout(() => {
    detailRefetch = null;
    if (detailId) detail.load(detailId);
  }, 500);
}

/** An alarm as it is now (a stream change or our own POST's answer) into every view that shows it. */
function show(msg) {
  const a = msg.alarm;
  const d = list.data.value;
  if (d && d.alarms) {
    const next = mergeChange(d.alarms, msg, listFilter.value, { limit: LIST_LIMIT });
    if (next !== d.alarms) list.data.value = { ...d, alarms: next };
  }
  const cur = detail.data.value;
  if (cur && cur.id === a.id) {
    // occurrences and last seen in place; a transition also adds a history row, so read the alarm again
    detail.data.value = { ...cur, ...a, history: cur.history };
    if (cur.state !== a.state || cur.severity !== a.severity) reloadDetailSoon();
  }
}

// ---- from the stream (state/live.js) ----

/** `{"type":"alarm","change":...,"alarm":{...}}` */
export function alarmMessage(msg) {
  const a = msg && msg.alarm;
  if (!a || !a.id) return;
  messages++;
  if (summary.value) {
    const r = applyToSummary(summary.value, msg, known.get(a.id) || null);
    summary.value = r.summary;
    if (r.stale) reloadSummarySoon();
  }
  remember(a);
  show(msg);
}

let lost = false;
/** The stream's state: after it was lost and opens again, what it missed is read again. */
export function streamState(state) {
  if (state === 'reconnecting') lost = true;
  if (state === 'open' && lost) {
    lost = false;
    loadSummary();
    if (listShown) list.load(alarmApiQuery(listFilter.value, { limit: LIST_LIMIT }));
    if (detailId) detail.load(detailId);
  }
}

// ---- acknowledge, clear ----

async function transition(id, verb, note) {
  const body = note && note.trim() ? { note: note.trim() } : {};
  const r = await api.post(BASE + '/' + enc(id) + '/' + verb, body);
  if (r && r.id && r.state) {
    remember(r);
    show({ change: verb === 'clear' ? 'cleared' : 'acknowledged', alarm: r });
  }
  // the summary's truth (the stream's own message for this change then counts nothing: `known` has it)
  loadSummary();
  if (detailId === id) reloadDetailSoon();
  return r;
}

export const acknowledge = (id, note) => transition(id, 'acknowledge', note);
export const clear = (id, note) => transition(id, 'clear', note);

/** After a 409 (cleared meanwhile) the views show what the alarm is now. */
export function refreshAfterConflict(id) {
  loadSummary();
  if (detailId === id) detail.load(id);
  if (listShown) list.load(alarmApiQuery(listFilter.value, { limit: LIST_LIMIT }));
}

// ---- notifications ----

const NOTIF = '/api/v1/notifications';

/** {routes, sinks, limits} */
export const notifications = resource(() => api.get(NOTIF));
export const createRoute = (route) => api.post(NOTIF + '/routes', route);
export const updateRoute = (id, route) => api.put(NOTIF + '/routes/' + enc(id), { id, ...route });
export const deleteRoute = (id) => api.del(NOTIF + '/routes/' + enc(id));
export const sendTest = (sink) => api.post(NOTIF + '/test', { sink });
