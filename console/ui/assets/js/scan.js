// The scan box. Keyboard-wedge scanners type the code and press Enter into
// whatever has focus, so the box takes the focus back after every click,
// unless the person is typing in another field. The result is shown large,
// with a sound, so the cashier does not need to read the screen closely.

import { h, $, pickupOf, isDelivery } from './util.js';
import * as api from './api.js';
import * as sound from './sound.js';
import { refreshOrder, markOwnAction, state } from './store.js';
import { isOpen as modalOpen } from './dialogs.js';

let hideTimer = 0;
let kbd = false;

export function initScan() {
  const form = $('scan-form');
  const input = $('scan-input');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = input.value.trim();
    input.value = '';
    if (code) submit(code);
  });
  // Tablets: no on-screen keyboard for a scanner, unless asked for.
  $('scan-kbd').addEventListener('click', () => {
    kbd = !kbd;
    input.setAttribute('inputmode', kbd ? 'text' : 'none');
    $('scan-kbd').classList.toggle('on', kbd);
    input.blur();
    input.focus();
  });
  document.addEventListener('click', () => setTimeout(refocus, 0));
  document.addEventListener('keydown', redirectTyping, true);
  window.addEventListener('focus', () => setTimeout(refocus, 0));
  setInterval(refocus, 2000);
  refocus();
}

// typing is true while the person is using another field or a dialog.
function typing() {
  const a = document.activeElement;
  if (modalOpen()) return true;
  if (!a || a === document.body) return false;
  if (a.id === 'scan-input') return false;
  if (a.isContentEditable) return true;
  const tag = a.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['button', 'submit', 'checkbox', 'radio', 'range'].includes(a.type);
  return false;
}

function refocus() {
  if (!$('start-overlay').hidden) return;
  const input = $('scan-input');
  if (document.activeElement !== input && !typing() && !window.getSelection().toString()) input.focus({ preventScroll: true });
}

// A scanner firing while focus sits on a button still lands in the box.
function redirectTyping(ev) {
  if (typing() || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const input = $('scan-input');
  if (document.activeElement === input || !$('start-overlay').hidden) return;
  if (ev.key.length === 1 && /[0-9A-Za-z\]]/.test(ev.key)) input.focus({ preventScroll: true });
}

async function submit(code) {
  let res;
  try {
    res = await api.post('/api/scan?source=console', { code });
    markOwnAction(res.code || code);
  } catch (err) {
    if (err.status === 300 && err.body && err.body.candidates) {
      pick(err.body);
      return;
    }
    if (err.status === 0) {
      show('err', '✕', '扫码未送达', err.message);
      sound.scanError();
      return;
    }
    res = Object.assign({ code, error: err.message, __status: err.status }, err.body || {});
  }
  showResult(res);
  if (res.code) refreshOrder(res.code).catch(() => {});
}

// showResult turns a scan answer (ours or the serial scanner's event) into
// the large banner and a sound.
export function showResult(res) {
  if (res.candidates && res.candidates.length) { pick(res); return; }
  const o = (res.code && state.active.get(res.code)) || {};
  const who = res.pickup_no || (o.code ? pickupOf(o) : '') || (res.code ? '#' + String(res.code).slice(-4) : '');
  if (res.error) {
    show('err', '✕', res.error, o.code ? '订单 ' + who : '扫到的号码：' + (res.code || ''));
    sound.scanError();
    return;
  }
  switch (res.action) {
    case 'made':
      show('ok', '✓', who + (isDelivery(o) ? ' 制作完成，等待配送' : ' 制作完成'), isDelivery(o) ? '请填写骑手信息后配送' : '已通知顾客取餐，再扫一次即完成');
      sound.scanOK();
      break;
    case 'completed':
      show('ok', '✓', who + ' 已取餐', '订单已完成');
      sound.scanOK();
      break;
    case 'duplicate_read':
      show('dup', '↺', who + ' 刚刚已扫过', '重复读取，未再次处理');
      break;
    default:
      show('ok', '✓', who, res.message || '');
      sound.scanOK();
  }
}

function show(kind, mark, main, sub) {
  const box = $('scan-result');
  box.className = 'scan-result ' + kind;
  box.replaceChildren(h('span', { class: 'sr-mark' }, mark), h('div', null, h('div', { class: 'sr-main' }, main), sub ? h('div', { class: 'sr-sub' }, sub) : null));
  box.hidden = false;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => { box.hidden = true; }, kind === 'err' ? 6000 : 3500);
  box.onclick = () => { box.hidden = true; };
}

// pick: a typed pickup number that several orders of the day share (a
// scan-to-order take code and a 开个店 pickup number, two stores): staff
// choose, and the choice is scanned by its order code.
function pick(res) {
  const box = $('scan-result');
  box.className = 'scan-result dup';
  const list = res.candidates.map((c) => h('button', { type: 'button', class: 'btn btn-sm scan-pick', dataset: { code: c.code },
    onclick: (ev) => { ev.stopPropagation(); box.hidden = true; submit(c.code); } },
    [c.source_label, c.store_name].filter(Boolean).join(' ') + ' ' + c.pickup_no + (c.table ? ' · ' + c.table : '') + ' · #' + String(c.code).slice(-4)));
  box.replaceChildren(h('span', { class: 'sr-mark' }, '?'),
    h('div', null, h('div', { class: 'sr-main' }, res.error || '请选择订单'), h('div', { class: 'sr-sub' }, list)));
  box.hidden = false;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => { box.hidden = true; }, 15000);
  box.onclick = () => { box.hidden = true; };
  sound.scanError();
}
