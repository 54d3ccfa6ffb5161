// What the page knows, loaded from the API and kept fresh by live events.
// Views subscribe to topics and re-render from here.

import * as api from './api.js';
import { debounce, pickupOf, serverNow, ms } from './util.js';

export const ACTIVE = ['new', 'accepted', 'made', 'delivering', 'refund_requested', 'refund_processing'];

// Finished orders are loaded per group (today's), with their totals.
export const FINISHED = {
  done: ['completed'],
  cancelled: ['cancelled', 'rejected'],
  refund: ['refunded'],
};

export const state = {
  session: null,
  active: new Map(), // code → order view
  finished: { done: { orders: [], total: 0 }, cancelled: { orders: [], total: 0 }, refund: { orders: [], total: 0 } },
  search: { q: '', orders: null, total: 0 },
  printers: null,
  jobs: [],
  platform: null,
  stats: null,
  alerts: [], // newest first: {id, at, level, message, code, kind, read}
};

const subs = new Map();
export function on(topic, fn) {
  if (!subs.has(topic)) subs.set(topic, new Set());
  subs.get(topic).add(fn);
}
export function emit(topic, arg) {
  for (const fn of subs.get(topic) || []) {
    try { fn(arg); } catch (err) { console.error(topic, err); }
  }
}

// Codes this page acted on lately: their cancel/refund needs no notice.
const ownActions = new Map();
export function markOwnAction(code) { ownActions.set(code, Date.now()); }
function actedRecently(code) { const t = ownActions.get(code); return t && Date.now() - t < 15000; }

export async function loadActive() {
  const data = await api.get('/api/orders?status=' + ACTIVE.join(',') + '&date=all&limit=500');
  const next = new Map();
  for (const o of data.orders || []) next.set(o.code, o);
  state.active = next;
  emit('orders');
}

export async function loadFinished() {
  await Promise.all(Object.entries(FINISHED).map(async ([group, statuses]) => {
    const data = await api.get('/api/orders?status=' + statuses.join(',') + '&limit=100');
    state.finished[group] = { orders: data.orders || [], total: data.total || 0 };
  }));
  emit('orders');
}
const loadFinishedSoon = debounce(() => loadFinished().catch(() => {}), 700);

export async function runSearch(q) {
  state.search.q = q;
  if (!q) {
    state.search.orders = null;
    emit('orders');
    return;
  }
  const data = await api.get('/api/orders?q=' + encodeURIComponent(q) + '&date=all&limit=50');
  if (state.search.q !== q) return; // typed on meanwhile
  state.search.orders = data.orders || [];
  state.search.total = data.total || 0;
  emit('orders');
}

// refreshOrder re-reads one order (after an event) and files it.
export async function refreshOrder(code) {
  let o;
  try {
    o = await api.get('/api/orders/' + encodeURIComponent(code));
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
  upsert(o);
  return o;
}

export function upsert(o) {
  const old = state.active.get(o.code);
  if (ACTIVE.includes(o.status)) {
    state.active.set(o.code, o);
  } else {
    state.active.delete(o.code);
    if (old) noticeIfGone(old, o);
    loadFinishedSoon();
  }
  if (state.search.orders) {
    const i = state.search.orders.findIndex((x) => x.code === o.code);
    if (i >= 0) state.search.orders[i] = o;
  }
  emit('orders');
  emit('order', o);
}

// noticeIfGone tells staff when an order they were working on was cancelled
// or refunded by the customer or the platform (seed 000: 告知门店).
function noticeIfGone(old, now) {
  if (actedRecently(old.code)) return;
  const status = now ? now.status : '';
  let msg = '';
  if (status === 'cancelled') msg = '订单 ' + pickupOf(old) + ' 已取消' + (now.reason ? '：' + now.reason : '') + '，请停止制作';
  else if (status === 'refunded') msg = '订单 ' + pickupOf(old) + ' 已退款，请停止制作';
  if (msg) addAlert({ level: 'critical', kind: 'cancel_notice', code: old.code, message: msg, sound: 'cancel', pickup: old.pickup_no || '' });
}

// Decisions waiting for staff, oldest first (new cards go to the bottom so
// nothing moves under a finger).
export function decisions() {
  const out = [];
  for (const o of state.active.values()) {
    if ((o.decision === 'accept' && o.status === 'new') || (o.decision === 'refund' && o.status === 'refund_requested')) out.push(o);
  }
  out.sort((a, b) => (ms(a.decision_since) || ms(a.first_seen_at)) - (ms(b.decision_since) || ms(b.first_seen_at)) || (a.code < b.code ? -1 : 1));
  return out;
}

let alertSeq = 0;
export function addAlert(a) {
  const alert = { id: ++alertSeq, at: a.at || serverNow().toISOString(), level: a.level || 'info', kind: a.kind || '', code: a.code || '', message: a.message || '', read: false, sound: a.sound, pickup: a.pickup };
  // The same message again (an escalation repeats) replaces the older line.
  state.alerts = [alert, ...state.alerts.filter((x) => !(x.message === alert.message && x.code === alert.code))].slice(0, 60);
  emit('alerts', alert);
}
export function markAlertsRead() {
  for (const a of state.alerts) a.read = true;
  emit('alerts');
}

export async function loadPrinters() {
  const [p, j] = await Promise.all([api.get('/api/printers'), api.get('/api/jobs?state=held,failed')]);
  state.printers = p.printers || [];
  state.jobs = j.jobs || [];
  emit('printers');
}
export const loadPrintersSoon = debounce(() => loadPrinters().catch(() => {}), 400);

export async function loadPlatform() {
  state.platform = await api.get('/api/platform');
  emit('platform');
}
export const loadPlatformSoon = debounce(() => loadPlatform().catch(() => {}), 400);

export async function loadStats() {
  state.stats = await api.get('/api/stats/today');
  emit('stats');
}
