// Short messages at the bottom of the screen: what just happened, or why not.

import { h, $ } from './util.js';

export function toast(message, kind = '', ms = 3200) {
  const el = h('div', { class: 'toast ' + kind, role: kind === 'err' ? 'alert' : 'status' }, message);
  const box = $('toasts');
  box.appendChild(el);
  while (box.children.length > 3) box.firstChild.remove();
  setTimeout(() => el.remove(), kind === 'err' ? Math.max(ms, 6000) : ms);
}
