// What the console says out loud, and when: every new order (accepted
// automatically or waiting for staff) with its pickup number, a refund
// request, a cancel or refund of an order staff did not act on, and a
// printer fault (备餐提醒 is said where its alert arrives, app.js). The sound plan itself is assets/audio/plan.js.

import * as sound from './sound.js';
import { state, on } from './store.js';
import { ms, serverNow } from './util.js';

// An order first seen longer ago than this is not news (a page opened late,
// an old order changing).
const NEW_FOR_MS = 10 * 60000;

const known = new Set(); // codes this page has seen
const decisions = new Map(); // code → the decision last seen
let loaded = false;

function pickupOf(code) {
  const o = state.active.get(code);
  return o && o.pickup_no ? o.pickup_no : '';
}

// loadedActive is called after each full load of the active orders: on the
// first, every order is old news; after a reconnect, the orders that came
// meanwhile are still announced.
export function loadedActive() {
  for (const o of state.active.values()) {
    if (!known.has(o.code) && loaded) orderSeen(o);
    known.add(o.code);
    decisions.set(o.code, o.decision || '');
  }
  loaded = true;
}

// A new order's pickup number may come with its detail, a moment after the
// order itself: the announcement waits for it, this long at most.
const WAIT_NUMBER_MS = 8000;
const waitingNumber = new Map(); // code → timer

function orderSeen(o) {
  const fresh = serverNow() - ms(o.first_seen_at) < NEW_FOR_MS;
  if (waitingNumber.has(o.code) && (o.pickup_no || o.detail_known)) {
    clearTimeout(waitingNumber.get(o.code));
    waitingNumber.delete(o.code);
    sound.announce('new_order', o.pickup_no || '');
  }
  if (!known.has(o.code)) {
    known.add(o.code);
    if (fresh && ['new', 'accepted', 'made'].includes(o.status)) {
      if (o.pickup_no || o.detail_known) {
        sound.announce('new_order', o.pickup_no || '');
      } else {
        waitingNumber.set(o.code, setTimeout(() => {
          waitingNumber.delete(o.code);
          sound.announce('new_order', pickupOf(o.code));
        }, WAIT_NUMBER_MS));
      }
    }
  }
  const before = decisions.get(o.code) || '';
  const now = o.decision || '';
  decisions.set(o.code, now);
  if (now === 'refund' && before !== 'refund') sound.announce('refund_request', o.pickup_no || '');
}

export function initAnnounce() {
  on('order', (o) => { if (o && loaded) orderSeen(o); });
  on('alerts', (a) => {
    if (!a) return;
    if (a.sound === 'cancel') sound.announce('cancel', a.pickup || pickupOf(a.code));
  });
}

// printerFault is said once per printer going down, not on every retry.
const down = new Set();
export function printerFault(name) {
  if (down.has(name)) return;
  down.add(name);
  sound.announce('printer_fault');
  setTimeout(() => down.delete(name), 5 * 60000);
}
