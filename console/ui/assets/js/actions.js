// Staff actions on an order, shared by the decision cards, the board and the
// detail drawer. Each posts to the daemon, says what happened, and re-reads
// the order (the live event would too; this is just faster).

import * as api from './api.js';
import { markOwnAction, refreshOrder } from './store.js';
import { toast } from './toast.js';
import { pickupOf, yuan } from './util.js';
import { reasonDialog, courierDialog, confirmDialog, REJECT_REASONS, REFUND_REJECT_REASONS, AFTER_SALES_REASONS } from './dialogs.js';

function path(o, action) { return '/api/orders/' + encodeURIComponent(o.code) + '/' + action; }

async function send(o, action, body, done) {
  markOwnAction(o.code);
  try {
    await api.post(path(o, action), body);
  } finally {
    refreshOrder(o.code).catch(() => {});
  }
  if (done) toast(done, 'ok');
}

// run reports errors as a toast; used where no dialog is open.
async function run(fn) {
  try {
    await fn();
    return true;
  } catch (err) {
    toast(err.message || String(err), 'err');
    return false;
  }
}

export const accept = (o) => run(() => send(o, 'accept', {}, '已接单：' + pickupOf(o)));

// acceptQuiet accepts without a toast (全部接单 says it once): true, or the error's words.
export async function acceptQuiet(o) {
  try {
    await send(o, 'accept', {});
    return true;
  } catch (err) {
    return pickupOf(o) + ' ' + (err.message || String(err));
  }
}

export const reject = (o) => reasonDialog({
  title: '拒单 ' + pickupOf(o), sub: '请选择拒单原因，平台会告知顾客并退款。', reasons: REJECT_REASONS,
  confirmText: '确认拒单', danger: true,
  submit: (reason) => send(o, 'reject', { reason }, '已拒单：' + pickupOf(o)),
});

export const approveRefund = (o) => confirmDialog({
  title: '同意退款 ' + pickupOf(o),
  sub: '同意后平台会把 ' + yuan(o.actual_pay) + ' 退给顾客，已打印过的打印机会打出退单。',
  confirmText: '同意退款', danger: true,
  submit: () => send(o, 'refund/approve', {}, '已同意退款：' + pickupOf(o)),
});

export const refuseRefund = (o) => reasonDialog({
  title: '拒绝退款 ' + pickupOf(o), sub: '请选择拒绝的原因，平台会告知顾客。', reasons: REFUND_REJECT_REASONS,
  confirmText: '拒绝退款',
  submit: (reason) => send(o, 'refund/reject', { reason }, '已拒绝退款：' + pickupOf(o)),
});

export const made = (o) => run(() => send(o, 'made', {}, pickupOf(o) + ' 制作完成，已通知顾客取餐'));
export const complete = (o) => run(() => send(o, 'complete', {}, pickupOf(o) + ' 已完成'));

export const deliver = (o) => courierDialog({
  title: '配送 ' + pickupOf(o),
  submit: (courier) => send(o, 'deliver', courier, pickupOf(o) + ' 已开始配送'),
});

export const afterSales = (o) => reasonDialog({
  title: '售后退款 ' + pickupOf(o), sub: '向平台发起退款（' + yuan(o.actual_pay) + '），平台处理后订单变为已退款。',
  reasons: AFTER_SALES_REASONS, confirmText: '发起退款', danger: true,
  submit: (reason) => send(o, 'cancel', { reason }, '已发起退款：' + pickupOf(o)),
});

export const reprint = (o, doc, label) => run(async () => {
  const res = await api.post(path(o, 'reprint'), { doc });
  toast('已补打' + label + (res && res.jobs > 1 ? '（' + res.jobs + ' 台打印机）' : ''), 'ok');
  refreshOrder(o.code).catch(() => {});
});

// What an order allows now, in the order buttons are shown.
export function allowed(o) {
  const list = steps(o);
  return o.cancel_requested ? list.filter((a) => a !== 'afterSales') : list;
}

function steps(o) {
  const d = o.type === 3 || o.type === 4;
  switch (o.status) {
    case 'new': return ['accept', 'reject'];
    case 'accepted': return d ? ['made', 'deliver', 'complete', 'afterSales'] : ['made', 'complete', 'afterSales'];
    case 'made': return d ? ['deliver', 'complete', 'afterSales'] : ['complete', 'afterSales'];
    case 'delivering': return ['complete'];
    case 'completed': return ['afterSales'];
    case 'refund_requested': return ['approveRefund', 'refuseRefund'];
  }
  return [];
}
