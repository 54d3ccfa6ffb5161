// The order board: tabs by stage, search by order code, pickup number or the
// phone's last four digits, one fixed-height row per order.

import { h, $, yuan, when, serverNow, ms, pickupOf, itemsLine, statusChip, isDelivery, debounce } from './util.js';
import { state, on, runSearch } from './store.js';
import * as actions from './actions.js';
import { openDetail } from './detail.js';
import { toast } from './toast.js';

export const TABS = [
  { id: 'new', label: '待接单', active: ['new'] },
  { id: 'making', label: '制作中', active: ['accepted'] },
  { id: 'ready', label: '待取餐/配送', active: ['made', 'delivering'] },
  { id: 'done', label: '已完成', finished: 'done' },
  { id: 'cancelled', label: '已取消', finished: 'cancelled' },
  { id: 'refund', label: '退款', active: ['refund_requested', 'refund_processing'], finished: 'refund' },
];

const EMPTY = {
  new: '没有待接单的订单', making: '没有制作中的订单', ready: '没有待取餐或待配送的订单',
  done: '今天还没有完成的订单', cancelled: '今天没有取消或拒单', refund: '今天没有退款',
};

let current = localStorage.getItem('posbridge.tab') || 'making';
if (!TABS.some((t) => t.id === current)) current = 'making';

export function initBoard() {
  const tabs = $('board-tabs');
  for (const t of TABS) {
    tabs.appendChild(h('button', { type: 'button', class: 'tab', role: 'tab', dataset: { tab: t.id }, onclick: () => selectTab(t.id) },
      t.label, h('span', { class: 'n' }, '0')));
  }
  const search = $('search-input');
  const go = debounce(() => runSearch(search.value.trim()).catch((err) => toast(err.message, 'err')), 250);
  search.addEventListener('input', go);
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { search.value = ''; go(); search.blur(); }
  });
  on('orders', render);
  setInterval(tickTimes, 15000);
  render();
}

export function selectTab(id) {
  current = id;
  localStorage.setItem('posbridge.tab', id);
  const search = $('search-input');
  if (search.value) { search.value = ''; runSearch(''); }
  render();
  $('board-list').scrollTop = 0;
}

function ordersOf(tab) {
  const out = [];
  if (tab.active) {
    for (const o of state.active.values()) if (tab.active.includes(o.status)) out.push(o);
    // Work in arrival order: the oldest order is the next one to make.
    out.sort((a, b) => ms(a.first_seen_at) - ms(b.first_seen_at));
  }
  if (tab.finished) out.push(...state.finished[tab.finished].orders);
  return out;
}

function countOf(tab) {
  let n = 0;
  if (tab.active) for (const o of state.active.values()) if (tab.active.includes(o.status)) n++;
  if (tab.finished) n += state.finished[tab.finished].total;
  return n;
}

function render() {
  const searching = state.search.orders !== null;
  for (const btn of $('board-tabs').children) {
    const tab = TABS.find((t) => t.id === btn.dataset.tab);
    const n = countOf(tab);
    btn.classList.toggle('active', !searching && tab.id === current);
    btn.setAttribute('aria-selected', String(!searching && tab.id === current));
    const badge = btn.querySelector('.n');
    badge.textContent = String(n);
    badge.classList.toggle('hot', (tab.id === 'new' || tab.id === 'refund') && tab.active && [...state.active.values()].some((o) => tab.active.includes(o.status)));
  }
  const list = $('board-list');
  const rows = [];
  let orders;
  if (searching) {
    orders = state.search.orders;
    rows.push(h('div', { class: 'board-note' }, '搜索“' + state.search.q + '”：找到 ' + state.search.total + ' 个订单（含往日）'));
  } else {
    const tab = TABS.find((t) => t.id === current);
    orders = ordersOf(tab);
    if (tab.finished && state.finished[tab.finished].total > state.finished[tab.finished].orders.length) {
      rows.push(h('div', { class: 'board-note' }, '显示今天最近的 ' + state.finished[tab.finished].orders.length + ' 个，更早的请搜索'));
    }
  }
  if (!orders.length) rows.push(h('div', { class: 'board-empty' }, searching ? '没有找到订单' : EMPTY[current] || '暂无订单'));
  const seen = new Set();
  for (const o of orders) {
    rows.push(rowFor(o));
    seen.add(o.code);
  }
  for (const code of rowCache.keys()) if (!seen.has(code)) rowCache.delete(code);
  place(list, rows);
}

// Rows are kept and only rebuilt when their order changed: a button being
// pressed is not swapped out from under the finger by an unrelated update.
const rowCache = new Map();
function rowFor(o) {
  const x = o.extras || {};
  const key = [o.status, o.updated_at, o.detail_known, (o.items || []).length, o.note, o.pickup_no, o.cancel_requested,
    x.delivery ? x.delivery.text + x.delivery.rider_name : '', x.partly_refunded, (x.reminders || []).length].join('|');
  let c = rowCache.get(o.code);
  if (!c || c.key !== key) {
    c = { el: row(o), key };
    rowCache.set(o.code, c);
  }
  return c.el;
}

// place makes list's children equal to els, moving as few nodes as it can.
function place(list, els) {
  let ref = list.firstChild;
  for (const el of els) {
    if (el === ref) ref = ref.nextSibling;
    else list.insertBefore(el, ref);
  }
  while (ref) {
    const next = ref.nextSibling;
    ref.remove();
    ref = next;
  }
}

function row(o) {
  const x = o.extras || {};
  const cls = 'orow' + (o.status === 'new' ? ' is-new' : '') + (o.status === 'refund_requested' ? ' is-refund' : '') +
    (x.delivery && x.delivery.alert ? ' is-delivery-alert' : '');
  const sub = [];
  // Two stores each have a 1003: the row says whose it is.
  if (manyStores()) sub.push(storeLabel(o));
  if (o.table) sub.push('桌号 ' + o.table);
  if (isDelivery(o) && o.address) sub.push(o.address);
  if (o.mobile) sub.push(o.mobile);
  const marks = extraMarks(o);
  const active = !['completed', 'cancelled', 'rejected', 'refunded'].includes(o.status);
  return h('div', { class: cls, role: 'listitem', dataset: { code: o.code, status: o.status }, onclick: () => openDetail(o.code) },
    h('div', { class: 'orow-pickup' }, pickupOf(o), h('small', null, o.pickup_no ? '取餐号' : '订单尾号')),
    h('div', { class: 'orow-main' },
      h('div', { class: 'orow-items' }, h('span', { class: 'type-chip' + (isDelivery(o) ? ' delivery' : '') }, o.type_label || '订单'), marks, itemsLine(o)),
      h('div', { class: 'orow-sub' }, o.note ? h('span', { class: 'orow-note' }, '备注：' + o.note + '　') : null, sub.join(' · ')),
      courierLine(x.delivery)),
    h('div', { class: 'orow-time' }, h('b', null, o.detail_known ? yuan(o.actual_pay) : ''),
      h('span', { class: 'orow-when', dataset: { since: active ? o.first_seen_at : '' } }, timeText(o, active))),
    h('div', { class: 'orow-status' }, statusChip(o.status, o.status_label)),
    h('div', { class: 'orow-act' }, quickAction(o)));
}

function manyStores() {
  return ((state.session && state.session.stores) || []).length > 1;
}

function storeLabel(o) {
  if (o.store_name) return o.store_name;
  const st = ((state.session && state.session.stores) || []).find((x) => x.id === o.store_id);
  return st && st.name ? st.name : '门店 ' + o.store_id;
}

function timeText(o, active) {
  if (!active) return when(o.completed_at || o.updated_at || o.first_seen_at);
  const waited = serverNow() - ms(o.first_seen_at);
  return when(o.first_seen_at) + ' · ' + Math.max(0, Math.floor(waited / 60000)) + '分钟';
}

function tickTimes() {
  for (const el of document.querySelectorAll('.orow-when[data-since]')) {
    const since = el.dataset.since;
    if (!since) continue;
    const m = Math.max(0, Math.floor((serverNow() - ms(since)) / 60000));
    el.textContent = when(since) + ' · ' + m + '分钟';
  }
}

// quickAction is the one step a row offers without opening the order.
function quickAction(o) {
  const btn = (label, cls, fn, act) => h('button', {
    type: 'button', class: 'btn ' + cls, dataset: { act },
    onclick: async (ev) => { ev.stopPropagation(); const b = ev.currentTarget; b.disabled = true; await fn(o); b.disabled = false; },
  }, label);
  const allowed = actions.allowed(o);
  if (o.status === 'new') return btn('处理', 'btn-brand', () => openDetail(o.code), 'open');
  if (o.status === 'refund_requested') return btn('处理退款', 'btn-danger', () => openDetail(o.code), 'open');
  if (allowed.includes('made')) return btn('制作完成', 'btn-brand', actions.made, 'made');
  if (allowed.includes('deliver')) return btn('配送', 'btn-brand', actions.deliver, 'deliver');
  if (allowed.includes('complete')) return btn(isDelivery(o) ? '送达' : '已取餐', 'btn-primary', actions.complete, 'complete');
  return null;
}


// extraMarks are the chips of the rest of the 开个店 store: 部分退款, 发票,
// 备餐提醒, 加菜.
export function extraMarks(o) {
  const x = o.extras || {};
  const marks = [];
  if (x.partly_refunded) marks.push(h('span', { class: 'mark mark-refund' }, '部分退款'));
  if (x.need_invoice) marks.push(h('span', { class: 'mark' }, '需发票'));
  if ((x.reminders || []).length) marks.push(h('span', { class: 'mark mark-remind' }, '备餐提醒'));
  if ((x.additions || []).length) marks.push(h('span', { class: 'mark' }, '加菜'));
  return marks;
}

// courierLine is the waybill on a board row: who carries it and where it stands.
function courierLine(d) {
  if (!d) return null;
  const who = [d.channel_name, d.rider_name ? '骑手 ' + d.rider_name : '', d.rider_phone].filter(Boolean).join(' ');
  return h('div', { class: 'orow-courier' + (d.alert ? ' alert' : '') }, (who ? who + ' · ' : '') + d.text);
}
