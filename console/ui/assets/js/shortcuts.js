// Keyboard shortcuts for a rush at the counter. Function keys only: digits
// and letters belong to the scan box (a keyboard-wedge scanner types them),
// and F1/F5 are the browser's.
//   F2 接单 (the oldest waiting order)   F3 拒单 (the oldest)
//   F4 全部接单                          F6 搜索
//   ?  this list (when no field is being typed in)

import { $, h } from './util.js';
import { firstWaiting, pressOn, acceptAll } from './queue.js';
import { isOpen as modalOpen, confirmDialog } from './dialogs.js';

export const KEYS = [
  ['F2', '接单：最早等待的订单'],
  ['F3', '拒单：最早等待的订单'],
  ['F4', '全部接单'],
  ['F6', '搜索订单（取餐号、订单号、手机尾号）'],
  ['Esc', '关闭窗口 / 清空搜索'],
  ['?', '显示本列表'],
];

export function initShortcuts() {
  document.addEventListener('keydown', onKey);
}

function onKey(ev) {
  if (!$('start-overlay').hidden || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (modalOpen()) return;
  switch (ev.key) {
    case 'F2':
      ev.preventDefault();
      pressOn(firstWaiting('accept'), 'accept');
      break;
    case 'F3':
      ev.preventDefault();
      pressOn(firstWaiting('accept'), 'reject');
      break;
    case 'F4':
      ev.preventDefault();
      acceptAll();
      break;
    case 'F6':
      ev.preventDefault();
      location.hash = '#orders';
      $('search-input').focus();
      $('search-input').select();
      break;
    case '?': {
      const a = document.activeElement;
      const inField = a && (a.tagName === 'INPUT' || a.tagName === 'TEXTAREA') && !(a.id === 'scan-input' && !a.value);
      if (inField) return;
      ev.preventDefault();
      confirmDialog({
        title: '快捷键', confirmText: '知道了',
        body: h('table', { class: 'kbd-help' }, KEYS.map(([k, what]) => h('tr', null, h('td', null, h('kbd', null, k)), h('td', null, what)))),
        submit: () => {},
      });
      break;
    }
  }
}
