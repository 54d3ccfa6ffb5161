// The refund of a scan-to-order order paid online (钱方 / 收钱吧), in the
// order drawer: 退款中 / 已退款 / 退款失败 with what staff should know, and
// for a refund the provider refused a retry (the same refund number, so the
// customer is never refunded twice). Most orders have none: the section is
// left out for them.

import { h, yuan, when } from './util.js';
import * as api from './api.js';
import { toast } from './toast.js';

const POLL_MS = 5000; // a pending refund is asked about again while shown

// refundSection returns the drawer's slot; it fills itself when the
// refunds are read and keeps asking while one is pending and it is shown.
export function refundSection(code) {
  const slot = h('div', { class: 'section section-refunds', id: 'online-refunds', hidden: true });
  load(slot, code);
  return slot;
}

async function load(slot, code) {
  let list = [];
  try {
    const r = await api.get('/api/orders/' + encodeURIComponent(code) + '/online-refunds');
    list = r.refunds || [];
  } catch (err) {
    slot.hidden = false;
    slot.replaceChildren(h('h3', null, '在线支付退款'), h('div', { class: 'pcard-err' }, '无法读取退款状态：' + err.message));
    return;
  }
  if (!slot.isConnected) return;
  fill(slot, code, list);
  if (list.some((f) => f.state === 'pending')) {
    setTimeout(() => { if (slot.isConnected) load(slot, code); }, POLL_MS);
  }
}

function fill(slot, code, list) {
  if (!list.length) {
    slot.hidden = true;
    slot.replaceChildren();
    return;
  }
  slot.hidden = false;
  const rows = list.map((f) => h('div', { class: 'refund-row', dataset: { state: f.state } },
    h('div', null, h('span', { class: 'chip ' + ({ pending: 'chip-warn', done: 'chip-ok', failed: 'chip-danger' }[f.state] || 'chip-info') }, f.state_label), ' ', yuan(f.amount), ' · ', reasonName(f.reason),
      f.done_at ? h('span', { class: 'muted' }, ' · ' + when(f.done_at)) : null),
    h('div', { class: f.state === 'failed' ? 'pcard-err refund-sentence' : 'muted refund-sentence' }, f.sentence),
    f.detail && f.state !== 'done' ? h('div', { class: 'muted' }, '服务商答复：' + f.detail) : null));
  const failed = list.some((f) => f.state === 'failed');
  slot.replaceChildren(h('h3', null, '在线支付退款'), ...rows,
    failed ? h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', id: 'refund-retry', onclick: () => retry(slot, code) }, '重试退款') : null);
}

async function retry(slot, code) {
  try {
    const r = await api.post('/api/orders/' + encodeURIComponent(code) + '/online-refunds/retry', {});
    toast('已重新提交退款', 'ok');
    fill(slot, code, r.refunds || []);
    setTimeout(() => { if (slot.isConnected) load(slot, code); }, POLL_MS);
  } catch (err) {
    toast(err.message, 'err');
  }
}

function reasonName(r) {
  return { rejected: '拒单退款', staff: '店员退款', late: '订单关闭后才付款', duplicate: '重复付款' }[r] || r;
}
