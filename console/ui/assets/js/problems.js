// Problems of the installation that last until someone fixes them (a push
// listener without authentication, a damaged database, orders of a store
// this PC does not serve): one chip each in the status bar, and the whole
// sentence with what to do when it is pressed.

import { h } from './util.js';
import { state } from './store.js';
import { confirmDialog } from './dialogs.js';

export function problemChips() {
  const list = (state.platform && state.platform.health && state.platform.health.problems) || [];
  return list.map((p) => h('button', {
    type: 'button', class: 'chip ' + (p.level === 'critical' ? 'chip-danger' : 'chip-warn'),
    dataset: { problem: p.key }, title: p.message,
    onclick: () => confirmDialog({ title: p.title, sub: p.message, confirmText: '知道了', submit: async () => {} }),
  }, p.title));
}
