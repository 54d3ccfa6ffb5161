// The decision queue: big cards for new orders waiting to be accepted and
// refund requests waiting for a decision. Cards are updated in place and new
// ones join at the bottom, so nothing jumps under a finger in a rush.

import { h, $, yuan, clock, when, serverNow, ms, optionsOf, pickupOf, isDelivery } from './util.js';
import { decisions, on } from './store.js';
import * as actions from './actions.js';
import { openDetail } from './detail.js';
import { confirmDialog } from './dialogs.js';
import { toast } from './toast.js';

const cards = new Map(); // code → {el, key, acting}
const MAX_LINES = 7;
// From this many waiting cards on, the queue turns compact (one short row
// each): at 1366×768 full cards showed only 2 of 20.
const COMPACT_FROM = 3;

export function initQueue() {
  on('orders', render);
  $('accept-all').addEventListener('click', () => acceptAll());
  setInterval(tick, 1000);
  render();
}

function render() {
  const list = decisions();
  const keep = new Set(list.map((o) => o.code));
  for (const [code, c] of cards) {
    if (!keep.has(code)) remove(code, c);
  }
  const box = $('queue-list');
  let prev = null;
  for (const o of list) {
    let c = cards.get(o.code);
    const key = cardKey(o);
    if (!c) {
      c = { el: build(o), key, order: o };
      // Only a card that just arrived slides in; rebuilt or re-shown ones do not.
      c.el.classList.add('fresh');
      setTimeout(() => c.el.classList.remove('fresh'), 400);
      cards.set(o.code, c);
      box.insertBefore(c.el, prev ? prev.nextSibling : box.firstChild);
    } else if (c.key !== key && !c.acting) {
      const fresh = build(o);
      c.el.replaceWith(fresh);
      c.el = fresh;
      c.key = key;
    }
    c.order = o;
    prev = c.el;
  }
  const n = list.length;
  const accepts = list.filter((o) => o.decision === 'accept').length;
  box.classList.toggle('compact', n >= COMPACT_FROM);
  $('accept-all').hidden = accepts < 2;
  $('accept-all').textContent = '全部接单 (' + accepts + ')';
  $('queue-keys').hidden = n === 0;
  $('queue-count').textContent = String(n);
  $('queue-count').classList.toggle('hot', n > 0);
  $('queue-empty').hidden = n > 0 || box.children.length > 0;
  tick();
}

// cardKey changes when something shown on the card changes.
function cardKey(o) {
  return [o.status, o.decision, o.decision_deadline, o.detail_known, (o.items || []).length, o.note, o.decision_note, o.alert_level, o.pickup_no].join('|');
}

// remove takes a card away; one this page just acted on first shows its
// outcome briefly. The list ignores taps for a moment after, so a second tap
// meant for the card that left does not land on the next one.
function remove(code, c) {
  cards.delete(code);
  const go = () => {
    c.el.remove();
    const box = $('queue-list');
    box.classList.add('settling');
    setTimeout(() => box.classList.remove('settling'), 450);
    $('queue-empty').hidden = box.children.length > 0 || cards.size > 0;
  };
  if (c.acting) setTimeout(go, 700);
  else go();
}

function build(o) {
  const refund = o.decision === 'refund';
  const el = h('article', { class: 'dcard' + (refund ? ' dcard-refund' : '') + ' ringing', dataset: { code: o.code, decision: o.decision }, 'aria-label': (refund ? '退款申请 ' : '新订单 ') + pickupOf(o) });
  const meta = [o.type_label, o.channel_label].filter(Boolean).join(' · ');
  const head = h('header', { class: 'dcard-head' },
    h('span', { class: 'dcard-kind' }, refund ? '退款申请' : '新订单'),
    h('span', { class: 'dcard-meta' }, meta),
    h('span', { class: 'dcard-wait', dataset: { since: o.decision_since || o.first_seen_at } }, ''));
  const sub = [];
  if (o.table) sub.push('桌号 ' + o.table);
  if (o.created_at) sub.push(when(o.created_at) + ' 下单');
  if (o.expect_at) sub.push('预约 ' + when(o.expect_at));
  if (o.store_name) sub.push(o.store_name);
  const body = h('div', { class: 'dcard-body' },
    h('div', { class: 'dcard-top', 'data-meta': [refund ? '退款申请' : '', meta, o.store_name].filter(Boolean).join(' · '), onclick: () => openDetail(o.code) },
      h('span', { class: 'pickup-label' }, o.pickup_no ? '取餐号' : '订单'),
      h('span', { class: 'pickup' }, pickupOf(o)),
      h('span', { class: 'dcard-amount' }, o.detail_known ? yuan(o.actual_pay) : '')),
    h('div', { class: 'dcard-sub' }, sub.map((s) => h('span', null, s))),
    isDelivery(o) && o.address ? h('div', { class: 'dcard-sub' }, '送至 ' + o.address) : null,
    itemList(o),
    o.note ? h('div', { class: 'note' }, o.note) : null,
    refund && o.decision_note ? h('div', { class: 'reason-box' }, o.decision_note) : null,
    !refund && o.decision_note && o.decision_note !== '手动接单' ? h('div', { class: 'dcard-sub wait-why' }, o.decision_note) : null,
    actionsFor(o),
    !refund && o.decision_deadline ? countdown() : null,
    h('div', { class: 'dcard-state', 'aria-live': 'polite' }));
  el.append(head, body);
  head.addEventListener('click', () => openDetail(o.code));
  return el;
}

function itemList(o) {
  const items = o.items || [];
  if (!items.length) return h('ul', { class: 'items' }, h('li', { class: 'more' }, o.detail_known ? '（无商品信息）' : '正在获取订单详情…'));
  const lines = [];
  for (const it of items) {
    const opts = optionsOf(it);
    lines.push(h('li', null, h('span', { class: 'qty' }, '×' + it.quantity), h('span', { class: 'name' }, it.name), opts ? h('span', { class: 'opts' }, opts) : null));
    for (const [mark, list] of [['· ', it.children], ['+ ', it.materials]]) {
      for (const ch of list || []) {
        const co = optionsOf(ch);
        lines.push(h('li', { class: 'child' }, mark + ch.name + (ch.quantity > 1 ? ' ×' + ch.quantity : '') + (co ? '（' + co + '）' : '')));
      }
    }
  }
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(h('li', { class: 'more' }, '…还有 ' + (lines.length - MAX_LINES) + ' 行，点标题看全部'));
  return h('ul', { class: 'items' }, shown);
}

function actionsFor(o) {
  const card = () => cards.get(o.code);
  const act = (fn, okText) => async (ev) => {
    const c = card();
    if (!c || c.acting) return;
    const btns = ev.currentTarget.parentElement.querySelectorAll('button');
    btns.forEach((b) => { b.disabled = true; });
    c.acting = true;
    const ok = await fn(c.order);
    if (ok) {
      c.el.classList.remove('ringing');
      c.el.classList.add('done');
      setState(c.el, okText, 'ok');
    } else {
      c.acting = false;
      btns.forEach((b) => { b.disabled = false; });
    }
  };
  if (o.decision === 'refund') {
    return h('div', { class: 'dcard-actions' },
      h('button', { type: 'button', class: 'btn btn-lg', dataset: { act: 'refuse-refund' }, onclick: act(actions.refuseRefund, '已拒绝退款 ✓') }, '拒绝'),
      h('button', { type: 'button', class: 'btn btn-lg btn-danger', dataset: { act: 'approve-refund' }, onclick: act(actions.approveRefund, '已同意退款 ✓') }, '同意退款'));
  }
  return h('div', { class: 'dcard-actions' },
    h('button', { type: 'button', class: 'btn btn-lg btn-outline-danger', dataset: { act: 'reject' }, onclick: act(actions.reject, '已拒单 ✓') }, '拒单'),
    h('button', { type: 'button', class: 'btn btn-lg btn-primary', dataset: { act: 'accept' }, onclick: act(actions.accept, '已接单 ✓') }, '接单'));
}

function setState(el, text, kind) {
  const s = el.querySelector('.dcard-state');
  if (s) { s.textContent = text; s.className = 'dcard-state ' + kind; }
}

function countdown() {
  return h('div', { class: 'countdown' },
    h('div', { class: 'countdown-text' }, h('span', null, '超时自动接单'), h('span', { class: 'countdown-left' }, '')),
    h('div', { class: 'countdown-bar' }, h('i')));
}

// tick refreshes waits and countdowns every second, in place.
function tick() {
  const now = serverNow().getTime();
  for (const c of cards.values()) {
    const o = c.order;
    const since = ms(o.decision_since) || ms(o.first_seen_at);
    const wait = c.el.querySelector('.dcard-wait');
    if (wait && since) wait.textContent = '已等待 ' + clock(now - since);
    c.el.classList.toggle('escalated', (o.alert_level || 0) > 0 || (since && now - since > 3 * 60000 && !o.decision_deadline));
    const cd = c.el.querySelector('.countdown');
    if (cd && o.decision_deadline) {
      const end = ms(o.decision_deadline);
      const total = Math.max(1, end - since);
      const left = end - now;
      cd.querySelector('.countdown-left').textContent = left > 0 ? clock(left) + ' 后' : '正在自动接单…';
      cd.querySelector('.countdown-bar i').style.transform = 'scaleX(' + Math.max(0, Math.min(1, left / total)).toFixed(3) + ')';
      cd.classList.toggle('late', left < 30000);
    }
  }
}

// firstWaiting is the oldest card waiting for a decision of kind.
export function firstWaiting(kind = 'accept') {
  return decisions().find((o) => o.decision === kind && !(cards.get(o.code) || {}).acting);
}

// act presses a card's button as a tap would (keyboard shortcuts).
export function pressOn(o, act) {
  const c = o && cards.get(o.code);
  const btn = c && c.el.querySelector('[data-act="' + act + '"]');
  if (btn && !btn.disabled) btn.click();
}

// acceptAll accepts every order waiting to be accepted, after one confirm.
export async function acceptAll() {
  const list = decisions().filter((o) => o.decision === 'accept' && !(cards.get(o.code) || {}).acting);
  if (!list.length) return;
  const ok = await confirmDialog({
    title: '全部接单', sub: '接下 ' + list.length + ' 个等待中的订单：' + list.map(pickupOf).join('、'), confirmText: '全部接单（' + list.length + '）',
    submit: async () => {
      for (const o of list) {
        const c = cards.get(o.code);
        if (c) { c.acting = true; c.el.querySelectorAll('button').forEach((b) => { b.disabled = true; }); }
      }
      const results = await Promise.all(list.map((o) => actions.acceptQuiet(o)));
      const failed = results.filter((r) => r !== true);
      for (const o of list) { const c = cards.get(o.code); if (c) c.acting = false; }
      if (failed.length) throw new Error(failed.length + ' 个订单接单失败：' + failed[0]);
    },
  });
  if (ok) toast('已接单 ' + list.length + ' 个', 'ok');
}
