// The status bar under the top bar: a fixed-height line (nothing below it
// moves) with what is wrong right now — disconnected, sound locked or muted,
// printers down, platform calls failing — and the latest alert. The full
// list of recent alerts opens from its button.

import { h, $, timeHM } from './util.js';
import { state, on, markAlertsRead } from './store.js';
import * as sound from './sound.js';
import { printerState } from './printers.js';
import { platformTrouble } from './platform.js';
import { problemChips } from './problems.js';
import { openDetail } from './detail.js';

let connected = true;

export function initAlerts() {
  on('alerts', render);
  on('printers', render);
  on('platform', render);
  sound.onSoundState(render);
  $('alerts-btn').addEventListener('click', (ev) => {
    ev.stopPropagation();
    toggleList();
  });
  $('alerts-clear').addEventListener('click', () => { markAlertsRead(); $('alerts-pop').hidden = true; });
  document.addEventListener('click', (ev) => {
    const pop = $('alerts-pop');
    if (!pop.hidden && !pop.contains(ev.target)) pop.hidden = true;
  });
  render();
}

export function setConnected(up) {
  connected = up;
  render();
}

function go(view) { location.hash = '#' + view; }

function render() {
  const bar = $('statusbar');
  const warn = $('status-warnings');
  const latest = $('status-alert');
  bar.classList.toggle('offline', !connected);
  document.body.classList.toggle('offline', !connected);
  if (!connected) {
    warn.replaceChildren(h('span', { class: 'offline-banner', id: 'offline-banner' }, '与服务断开，正在重连… 新订单暂时不会显示，请勿关闭页面'));
    latest.replaceChildren();
    $('alerts-btn').hidden = true;
    return;
  }
  $('alerts-btn').hidden = false;
  const chips = problemChips();
  const snd = sound.state();
  if (!snd.unlocked) {
    chips.push(h('button', { type: 'button', class: 'chip chip-warn', id: 'sound-locked', onclick: () => sound.unlock() }, '提示音未开启，新订单不会响铃 — 点此开启'));
  } else if (snd.muted || snd.volume === 0) {
    chips.push(h('button', { type: 'button', class: 'chip chip-warn', id: 'sound-muted', onclick: () => { sound.setMuted(false); if (snd.volume === 0) sound.setVolume(60); } }, '提示音已静音 — 点此恢复'));
  }
  const bad = (state.printers || []).filter((p) => printerState(p).level === 'bad');
  for (const p of bad.slice(0, 2)) {
    chips.push(h('button', { type: 'button', class: 'chip chip-danger', dataset: { printer: p.name }, onclick: () => go('printers') }, '打印机 ' + p.name + ' ' + printerState(p).text));
  }
  if (bad.length > 2) chips.push(h('button', { type: 'button', class: 'chip chip-danger', onclick: () => go('printers') }, '另有 ' + (bad.length - 2) + ' 台打印机异常'));
  const held = (state.jobs || []).length;
  if (held && !bad.length) chips.push(h('button', { type: 'button', class: 'chip chip-warn', onclick: () => go('printers') }, held + ' 张单据待处理'));
  const pf = platformTrouble();
  if (pf.failing) chips.push(h('button', { type: 'button', class: 'chip chip-danger', onclick: () => go('platform') }, pf.text));
  warn.replaceChildren(...chips);

  const unread = state.alerts.filter((a) => !a.read);
  $('alerts-count').textContent = String(unread.length);
  const a = unread[0];
  if (a) {
    latest.replaceChildren(h('button', { type: 'button', class: 'lvl-' + a.level, title: a.message, onclick: () => open(a) }, timeHM(a.at) + '  ' + a.message));
  } else if (!chips.length) {
    latest.replaceChildren(h('span', { class: 'chip chip-ok' }, '一切正常'));
  } else {
    latest.replaceChildren();
  }
  renderList();
}

function open(a) {
  a.read = true;
  if (a.code) openDetail(a.code);
  else if (a.kind && a.kind.startsWith('job')) go('printers');
  render();
}

function toggleList() {
  const pop = $('alerts-pop');
  if (!pop.hidden) { pop.hidden = true; return; }
  renderList();
  const r = $('alerts-btn').getBoundingClientRect();
  pop.style.top = (r.bottom + 6) + 'px';
  pop.style.right = Math.max(8, window.innerWidth - r.right) + 'px';
  pop.hidden = false;
}

function renderList() {
  const list = $('alert-list');
  if (!state.alerts.length) {
    // Not in the time/message grid: a lone item there sat in the 50 px
    // time column and broke "暂无提醒" one character per line.
    list.replaceChildren(h('li', { class: 'alert-empty' }, '暂无提醒'));
    return;
  }
  list.replaceChildren(...state.alerts.map((a) => h('li', {
    class: 'lvl-' + a.level, dataset: a.code ? { code: a.code } : undefined,
    onclick: () => { $('alerts-pop').hidden = true; open(a); },
  }, h('time', null, timeHM(a.at)), h('span', null, a.message))));
}
