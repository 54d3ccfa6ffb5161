// The kitchen display of one station (/kitchen?station=hot): the orders its
// printer would print, oldest first, each with its items and specs and an
// age timer that turns amber and red. A tap on an item bumps it (again:
// takes it back); 完成 bumps the whole order; when the last item is bumped
// the order is made, exactly as the first scan of its ticket makes it.
// 召回 brings a finished order back. Everything is a tap: kitchen tablets
// have no keyboard.

import { h, $, clock, serverNow, ms, timeHM, optionsOf } from '../util.js';
import * as sound from '../sound.js';
import { session, call, live } from './screen-api.js';

const params = new URLSearchParams(location.search);
const station = params.get('station') || '';
// Minutes after which a ticket's timer turns amber and red.
const WARN_MIN = Number(params.get('warn')) || 5;
const LATE_MIN = Number(params.get('late')) || 10;

const cards = new Map(); // code → { el, key, ticket }
let seen = null; // codes on screen after the first load
let shown = new Map(); // code → ticket as last shown
const busy = new Set(); // codes with a tap on its way

function ageClass(ticket) {
  const min = (serverNow() - ms(ticket.since)) / 60000;
  return min >= LATE_MIN ? 'age-late' : min >= WARN_MIN ? 'age-warn' : 'age-ok';
}

async function load() {
  if (!station) return chooseStation();
  let board;
  try {
    board = await call('GET', '/api/kitchen?station=' + encodeURIComponent(station));
  } catch (err) {
    if (err.status === 404 && err.body) return chooseStation(err.body);
    banner(err.message);
    return;
  }
  banner('');
  $('kds-station').textContent = '后厨 · ' + board.station + (board.printer ? '' : '（无打印机）');
  document.title = board.station + ' · 后厨屏';
  render(board);
}

function banner(text) {
  $('kds-banner').hidden = !text;
  $('kds-banner').textContent = text;
}

function chooseStation(body) {
  const names = (body && body.stations) || [];
  banner(station ? '没有工位「' + station + '」。' : '请选择工位：');
  $('kds-tickets').replaceChildren(h('div', { class: 'kds-choose' }, names.map((n) =>
    h('a', { class: 'kds-btn kds-btn-lg', href: '/kitchen?station=' + encodeURIComponent(n) }, n))));
}

function render(board) {
  const box = $('kds-tickets');
  const keep = new Set(board.tickets.map((t) => t.code));
  for (const [code, c] of cards) if (!keep.has(code)) { c.el.remove(); cards.delete(code); }
  let prev = null;
  const fresh = [];
  for (const t of board.tickets) {
    let c = cards.get(t.code);
    const key = JSON.stringify([t.status, t.paused, t.recalled, t.items.map((i) => i.bumped)]);
    if (!c || c.key !== key) {
      const el = ticketEl(t);
      if (c) c.el.replaceWith(el);
      c = { el, key, ticket: t };
      cards.set(t.code, c);
    }
    c.ticket = t;
    if (prev ? prev.nextSibling !== c.el : box.firstChild !== c.el) box.insertBefore(c.el, prev ? prev.nextSibling : box.firstChild);
    prev = c.el;
    if (seen && !seen.has(t.code)) fresh.push(t);
  }
  // A ticket that left without being done here or anywhere (it is not in
  // the recent list) was cancelled or refunded: the kitchen must stop.
  const recent = new Set(board.recent.map((t) => t.code));
  for (const [code, t] of shown) {
    if (!keep.has(code) && !recent.has(code) && !busy.has(code)) sound.announce('cancel', t.pickup_no || '');
  }
  for (const t of board.tickets) {
    const before = shown.get(t.code);
    if (before && !before.paused && t.paused) sound.announce('refund_request', t.pickup_no || '');
  }
  shown = new Map(board.tickets.map((t) => [t.code, t]));
  seen = keep;
  for (const t of fresh) {
    if (t.recalled) continue;
    sound.announce('new_order', t.pickup_no || '');
  }
  $('kds-empty').hidden = board.tickets.length > 0;
  $('kds-count').textContent = board.tickets.length + ' 单';
  renderRecent(board.recent);
  tick();
}

function ticketEl(t) {
  const items = t.items.map((it) => itemEl(t, it));
  const where = [t.type_label, t.table ? '桌号 ' + t.table : '', t.store_name].filter(Boolean).join(' · ');
  const done = h('button', { type: 'button', class: 'kds-done', dataset: { act: 'bump-order' }, disabled: t.paused,
    onclick: () => bump(t, null) }, '完成');
  return h('article', { class: 'kds-ticket' + (t.paused ? ' paused' : '') + (t.recalled ? ' recalled' : ''), dataset: { code: t.code } },
    h('header', { class: 'kds-ticket-head' },
      h('span', { class: 'kds-pickup' }, t.pickup_no || '#' + t.code.slice(-4)),
      h('span', { class: 'kds-where' }, where),
      h('span', { class: 'kds-age', dataset: { since: t.since } }, '')),
    t.recalled ? h('div', { class: 'kds-tag' }, '召回') : null,
    t.paused ? h('div', { class: 'kds-tag kds-tag-stop' }, '顾客申请退款，暂停制作') : null,
    t.expect_at ? h('div', { class: 'kds-tag kds-tag-info' }, '预约 ' + timeHM(t.expect_at)) : null,
    h('ul', { class: 'kds-items' }, items),
    t.note ? h('div', { class: 'kds-note' }, '备注：' + t.note) : null,
    done);
}

function itemEl(t, it) {
  const i = it.item;
  const opts = optionsOf(i);
  const parts = [];
  for (const [mark, list] of [['· ', i.children], ['+ ', i.materials]]) {
    for (const c of list || []) {
      const co = optionsOf(c);
      parts.push(h('div', { class: 'kds-part' }, mark + c.name + (c.quantity > 1 ? ' ×' + c.quantity : '') + (co ? '（' + co + '）' : '')));
    }
  }
  return h('li', {
    class: 'kds-item' + (it.bumped ? ' bumped' : ''), dataset: { index: String(it.index) }, role: 'button', tabindex: '0',
    'aria-pressed': String(it.bumped), onclick: () => { if (!t.paused || it.bumped) bump(t, it.index, it.bumped); },
  },
  h('span', { class: 'kds-qty' }, '×' + i.quantity),
  h('div', { class: 'kds-name' }, i.name, opts ? h('div', { class: 'kds-opts' }, opts) : null, parts));
}

async function bump(t, index, undo = false) {
  if (busy.has(t.code)) return;
  busy.add(t.code);
  const c = cards.get(t.code);
  if (c) c.el.classList.add('sending');
  try {
    const body = index === null ? {} : { item: index, undo };
    const res = await call('POST', '/api/kitchen/' + encodeURIComponent(t.code) + '/bump?station=' + encodeURIComponent(station), body);
    if (res && res.made) toastMsg((t.pickup_no || '#' + t.code.slice(-4)) + ' 已完成，已通知顾客取餐');
  } catch (err) {
    toastMsg(err.message, true);
  } finally {
    busy.delete(t.code);
    if (c) c.el.classList.remove('sending');
    load();
  }
}

async function recall(code) {
  try {
    await call('POST', '/api/kitchen/' + encodeURIComponent(code) + '/recall?station=' + encodeURIComponent(station), {});
    $('kds-recall').hidden = true;
  } catch (err) {
    toastMsg(err.message, true);
  }
  load();
}

function renderRecent(list) {
  $('kds-recent').replaceChildren(...(list.length ? list.map((t) => h('li', null,
    h('button', { type: 'button', class: 'kds-btn kds-btn-lg', dataset: { code: t.code }, onclick: () => recall(t.code) },
      h('b', null, t.pickup_no || '#' + t.code.slice(-4)), ' ', t.items.map((i) => i.item.name).join('、'), h('small', null, timeHM(t.done_at) + ' 完成'))))
    : [h('li', { class: 'kds-muted' }, '最近没有完成的订单')]));
}

let toastTimer = 0;
function toastMsg(text, bad) {
  let el = $('kds-toast');
  if (!el) { el = h('div', { id: 'kds-toast', class: 'kds-toast' }); document.body.appendChild(el); }
  el.textContent = text;
  el.className = 'kds-toast' + (bad ? ' bad' : '');
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, bad ? 6000 : 3000);
}

function tick() {
  const now = serverNow();
  $('kds-clock').textContent = timeHM(now);
  for (const c of cards.values()) {
    const age = c.el.querySelector('.kds-age');
    if (age) age.textContent = clock(now - ms(c.ticket.since));
    c.el.classList.remove('age-ok', 'age-warn', 'age-late');
    c.el.classList.add(ageClass(c.ticket));
  }
}

function initStart() {
  const start = $('screen-start');
  const go = async () => { await sound.unlock(); start.hidden = sound.unlocked(); };
  $('screen-start-btn').addEventListener('click', go);
  // Any tap anywhere unlocks sound too: the button is only the hint.
  document.addEventListener('pointerdown', () => { if (!sound.unlocked()) go(); }, { once: false });
}

function legend() {
  const m = (v) => (v < 1 ? Math.round(v * 60) + ' 秒' : (Math.round(v * 10) / 10) + ' 分钟');
  $('kds-legend').replaceChildren(h('i', { class: 'age-ok' }), m(WARN_MIN) + '内 ', h('i', { class: 'age-warn' }),
    m(WARN_MIN) + '–' + m(LATE_MIN) + ' ', h('i', { class: 'age-late' }), '超过 ' + m(LATE_MIN));
}

async function boot() {
  initStart();
  legend();
  $('kds-recall-btn').addEventListener('click', () => { $('kds-recall').hidden = !$('kds-recall').hidden; });
  $('kds-recall-close').addEventListener('click', () => { $('kds-recall').hidden = true; });
  try { await session(); } catch (err) { banner(err.message); }
  await load();
  live({
    onChange: () => load(),
    onState: (up) => {
      $('kds-conn').className = 'kds-conn ' + (up ? 'up' : 'down');
      $('kds-conn').querySelector('span').textContent = up ? '实时' : '已断开';
    },
  });
  setInterval(tick, 1000);
}

boot();
