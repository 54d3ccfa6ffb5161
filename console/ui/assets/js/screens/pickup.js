// The pickup screen for a TV (/pickup): pickup numbers being made and those
// ready to collect, in type large enough to read across the shop. When a
// number becomes ready it is called: a chime and "请1003号顾客取餐", and it
// shows big for a few seconds. No buttons: a TV has a remote at best. Its
// browser only lets it play sound after one press (or a kiosk flag), which
// the hint at the bottom asks for until it is done.

import { h, $, timeHM, serverNow } from '../util.js';
import * as sound from '../sound.js';
import { session, call, live } from './screen-api.js';

const params = new URLSearchParams(location.search);
const storeID = params.get('store') || '';
// At most this many numbers per column: the oldest drop off a full column.
const MAX_NUMBERS = 24;
const CALL_SHOW_MS = 6000;

let ready = null; // codes under 请取餐 after the first load
const calls = [];
let calling = false;

async function load() {
  let board;
  try {
    board = await call('GET', '/api/pickup' + (storeID ? '?store=' + encodeURIComponent(storeID) : ''));
  } catch {
    return;
  }
  fill('pk-making', board.making);
  fill('pk-ready', board.ready);
  const now = new Set(board.ready.map((n) => n.code));
  if (ready) {
    // Oldest first, so two made together are called in the order they were.
    for (const n of [...board.ready].reverse()) if (!ready.has(n.code)) callNumber(n);
  }
  ready = now;
}

function fill(id, list) {
  $(id).replaceChildren(...list.slice(0, MAX_NUMBERS).map((n) => h('li', { dataset: { code: n.code } }, n.pickup_no)));
  $(id).classList.toggle('many', list.length > 12);
}

function callNumber(n) {
  calls.push(n);
  if (!calling) nextCall();
}

async function nextCall() {
  const n = calls.shift();
  if (!n) { calling = false; $('pk-call').hidden = true; return; }
  calling = true;
  const el = $('pk-call');
  el.replaceChildren(h('small', null, '请取餐'), h('b', null, n.pickup_no));
  el.hidden = false;
  const li = document.querySelector('#pk-ready li[data-code="' + n.code + '"]');
  if (li) li.classList.add('called');
  const shown = new Promise((r) => setTimeout(r, CALL_SHOW_MS));
  await Promise.all([sound.announce('made', n.pickup_no), shown]);
  nextCall();
}

function initSound() {
  const hint = $('pk-hint');
  const unlock = async () => { await sound.unlock(); hint.hidden = sound.unlocked(); };
  for (const t of ['pointerdown', 'keydown']) document.addEventListener(t, unlock);
  unlock(); // a kiosk browser started with --autoplay-policy=no-user-gesture-required needs no press
}

async function boot() {
  initSound();
  try {
    const s = await session();
    if (s && s.store) $('pk-store').textContent = s.store + ' · 取餐叫号';
  } catch { /* shown as offline below */ }
  await load();
  live({ onChange: load, onState: (up) => { $('pk-offline').hidden = up; } });
  const tick = () => { $('pk-clock').textContent = timeHM(serverNow()); };
  tick();
  setInterval(tick, 1000);
}

boot();
