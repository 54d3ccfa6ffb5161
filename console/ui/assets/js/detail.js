// The order drawer: everything about one order, the steps it allows now,
// reprints, its history, its platform calls, and a preview of every
// document printed for it (the virtual printer's decoding of the bytes).

import { h, $, yuan, when, timeHMS, optionsOf, pickupOf, statusChip, isDelivery, DOC_LABEL } from './util.js';
import * as api from './api.js';
import { on, refreshOrder } from './store.js';
import * as actions from './actions.js';
import { renderPreview } from './preview.js';
import { toast } from './toast.js';
import { isTableOrder, editItems, settle } from './tables.js';
import { refundSection } from './online_refunds.js';

let openCode = '';
let lastFocus = null;
const previewCache = new Map(); // job id → preview (done jobs never change)

export function initDetail() {
  $('drawer-close').addEventListener('click', closeDetail);
  $('drawer-backdrop').addEventListener('click', closeDetail);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && openCode && $('modal-backdrop').hidden) closeDetail();
  });
  on('order', (o) => { if (openCode === o.code) render(o); });
}

export function isDetailOpen() { return !!openCode; }

export async function openDetail(code) {
  openCode = code;
  lastFocus = document.activeElement;
  $('drawer').hidden = false;
  $('drawer-backdrop').hidden = false;
  $('drawer-title').replaceChildren(h('span', { class: 'muted' }, '正在读取订单…'));
  $('drawer-body').replaceChildren();
  try {
    const o = await refreshOrder(code);
    if (!o) {
      $('drawer-title').replaceChildren(h('span', null, '未找到订单 ' + code));
      return;
    }
    if (openCode === code) render(o);
  } catch (err) {
    $('drawer-title').replaceChildren(h('span', { class: 'muted' }, err.message));
  }
}

export function closeDetail() {
  openCode = '';
  $('drawer').hidden = true;
  $('drawer-backdrop').hidden = true;
  if (lastFocus && lastFocus.focus) lastFocus.focus({ preventScroll: true });
}

function render(o) {
  const body = $('drawer-body');
  const top = body.scrollTop;
  $('drawer-title').replaceChildren(
    h('span', { class: 'pickup' }, pickupOf(o)),
    statusChip(o.status, o.status_label),
    h('span', { class: 'muted' }, [o.type_label, o.channel_label].filter(Boolean).join(' · ')));
  body.replaceChildren(...[
    actionSection(o),
    o.status === 'refund_requested' && o.decision_note ? h('div', { class: 'section reason-box' }, '退款原因：' + o.decision_note) : null,
    o.reason && ['cancelled', 'rejected', 'refunded'].includes(o.status) ? h('div', { class: 'section reason-box' }, '原因：' + o.reason) : null,
    o.detail_error ? h('div', { class: 'section reason-box' }, '订单详情获取失败：' + o.detail_error) : null,
    refundSection(o.code),
    itemsSection(o),
    extrasSection(o),
    infoSection(o),
    docsSection(o),
    historySection(o),
    wechatSection(o),
    callsSection(o)].filter(Boolean));
  body.scrollTop = top;
}

function actionSection(o) {
  const allowed = actions.allowed(o);
  const map = {
    accept: ['接单', 'btn-primary', actions.accept],
    reject: ['拒单', 'btn-outline-danger', actions.reject],
    made: ['制作完成', 'btn-brand', actions.made],
    deliver: ['开始配送', 'btn-brand', actions.deliver],
    complete: [isDelivery(o) ? '已送达' : '已取餐（完成）', 'btn-primary', actions.complete],
    approveRefund: ['同意退款', 'btn-danger', actions.approveRefund],
    refuseRefund: ['拒绝退款', '', actions.refuseRefund],
    afterSales: ['售后退款', 'btn-outline-danger', actions.afterSales],
  };
  const btns = allowed.map((a) => {
    const [label, cls, fn] = map[a];
    return h('button', { type: 'button', class: 'btn ' + cls, dataset: { act: a }, onclick: async (ev) => {
      const b = ev.currentTarget;
      b.disabled = true;
      await fn(o);
      b.disabled = false;
    } }, label);
  });
  const reprints = o.status === 'new' || o.status === 'pending_payment' ? [] : [['receipt', '小票'], ['kitchen', '厨打'], ['label', '杯贴']].map(([doc, label]) =>
    h('button', { type: 'button', class: 'btn btn-sm', dataset: { reprint: doc }, onclick: () => actions.reprint(o, doc, label) }, '补打' + label));
  if (isTableOrder(o)) {
    btns.push(h('button', { type: 'button', class: 'btn', dataset: { act: 'table-items' }, onclick: () => editItems(o) }, '修改商品'));
    btns.push(h('button', { type: 'button', class: 'btn btn-brand', dataset: { act: 'table-settle' }, onclick: () => settle(o) }, '结账'));
  }
  if (!btns.length && !reprints.length) return null;
  return h('div', { class: 'section' },
    btns.length ? h('div', { class: 'actions-bar' }, btns) : null,
    reprints.length ? h('div', { class: 'btn-row reprints', 'aria-label': '补打' }, reprints) : null);
}

function itemsSection(o) {
  const items = o.items || [];
  const list = h('ul', { class: 'items' });
  if (!items.length) list.appendChild(h('li', { class: 'more' }, o.detail_known ? '（无商品信息）' : '正在获取订单详情…'));
  for (const it of items) {
    const opts = optionsOf(it);
    list.appendChild(h('li', null, h('span', { class: 'qty' }, '×' + it.quantity), h('span', { class: 'name' }, it.name),
      opts ? h('span', { class: 'opts' }, opts) : null, h('span', { class: 'price' }, yuan(it.price * it.quantity))));
    for (const [mark, subs] of [['· ', it.children], ['+ ', it.materials]]) {
      for (const ch of subs || []) {
        const co = optionsOf(ch);
        list.appendChild(h('li', { class: 'child' }, mark + ch.name + (ch.quantity > 1 ? ' ×' + ch.quantity : '') + (co ? '（' + co + '）' : '')));
      }
    }
  }
  const money = h('table', { class: 'money' });
  const line = (label, v, cls) => money.appendChild(h('tr', { class: cls }, h('td', null, label), h('td', null, v)));
  if (o.detail_known) {
    line('商品原价', yuan(o.original));
    if (o.discount) line('优惠', '-' + yuan(o.discount));
    if (o.package_fee) line('包装费', yuan(o.package_fee));
    if (o.deliver_fee) line('配送费', yuan(o.deliver_fee));
    line('实付' + (o.pay_channel ? '（' + o.pay_channel + '）' : ''), yuan(o.actual_pay), 'total');
  }
  return h('div', { class: 'section' }, h('h3', null, '商品'), list, o.note ? h('div', { class: 'note' }, o.note) : null, o.detail_known ? money : null);
}

function infoSection(o) {
  const kv = h('dl', { class: 'kv' });
  const add = (k, v) => { if (v) kv.append(h('dt', null, k), h('dd', null, v)); };
  add('订单号', o.code);
  if (o.source && o.source !== 'kaigedian') add('渠道', o.channel_label);
  add('门店', o.store_name || o.store_id);
  add('下单时间', when(o.created_at));
  add('预约时间', when(o.expect_at));
  add('桌号', o.table);
  add('手机', o.mobile);
  add('地址', o.address);
  add('接单时间', when(o.accepted_at));
  add('制作完成', when(o.made_at));
  add('完成时间', when(o.completed_at));
  add('来源', { push: '平台推送', poll: '轮询发现', pos: '线下' }[o.first_source] || o.first_source);
  return h('div', { class: 'section' }, h('h3', null, '订单信息'), kv);
}

function docsSection(o) {
  const printed = o.printed || [];
  const box = h('div', { class: 'docs' });
  if (!printed.length) box.appendChild(h('p', { class: 'muted' }, o.status === 'new' ? '接单后打印' : '尚无打印记录'));
  for (const j of printed) {
    const body = h('div', { class: 'doc-body' }, h('span', { class: 'muted' }, '正在读取打印内容…'));
    const stateText = { done: '已打印', queued: '排队中', sending: '打印中', failed: '失败', held: '已暂停', dropped: '未打印' }[j.state] || j.state;
    box.appendChild(h('div', { class: 'doc', dataset: { job: j.id, doc: j.doc } },
      h('div', { class: 'doc-head' },
        h('strong', null, (DOC_LABEL[j.doc] || j.title || j.doc) + (j.reprint ? '（补打）' : '')),
        h('span', { class: 'muted' }, j.printer + (j.original_printer ? '（原 ' + j.original_printer + '）' : '')),
        h('span', { class: 'grow' }),
        h('span', { class: j.state === 'failed' ? 'st st-refunded' : 'muted' }, stateText + ' ' + when(j.done_at || j.created_at))),
      j.last_error ? h('div', { class: 'pcard-err', role: 'note' }, j.last_error) : null,
      body));
    loadPreview(j, body);
  }
  return h('div', { class: 'section' }, h('div', { class: 'section-head' }, h('h3', null, '打印内容'), h('span', { class: 'muted' }, '按打印机收到的数据还原')), box);
}

async function loadPreview(job, body) {
  try {
    let p = previewCache.get(job.id);
    if (!p) {
      p = await api.get('/api/jobs/' + job.id + '/preview');
      if (job.state === 'done' || job.state === 'dropped') previewCache.set(job.id, p);
    }
    body.replaceChildren(renderPreview(p.preview, p.text, job.id));
  } catch (err) {
    body.replaceChildren(h('span', { class: 'muted' }, '无法读取预览：' + err.message));
  }
}

function historySection(o) {
  const list = h('ol', { class: 'timeline' });
  for (const e of o.history || []) {
    const step = e.from && e.to && e.from !== e.to ? statusName(e.from) + ' → ' + statusName(e.to) : (e.to && !e.from ? statusName(e.to) : '');
    list.appendChild(h('li', null, h('time', null, timeHMS(e.at)),
      h('div', null, h('div', null, [step, e.reason].filter(Boolean).join('：') || '—'), h('div', { class: 'who' }, actorName(e.actor) + (e.source ? ' · ' + sourceName(e.source) : '')))));
  }
  return h('div', { class: 'section' }, h('h3', null, '订单记录'), list);
}

function callsSection(o) {
  const calls = o.calls || [];
  if (!calls.length) return null;
  const list = h('ol', { class: 'timeline' });
  for (const c of calls) {
    const st = { done: '平台已确认', pending: '发送中（自动重试）', failed: '失败', moot: '已撤销' }[c.state] || c.state;
    list.appendChild(h('li', null, h('time', null, timeHMS(c.created_at)),
      h('div', null, h('div', null, c.op_label + '：' + st + (c.attempts > 1 ? '（第 ' + c.attempts + ' 次）' : '')),
        c.last_error ? h('div', { class: c.state === 'done' ? 'who' : 'pcard-err' }, c.last_error) : null,
        c.state === 'pending' || c.state === 'failed' ? h('button', { type: 'button', class: 'btn btn-sm', onclick: () => retryCall(c, o) }, '重试') : null)));
  }
  return h('div', { class: 'section' }, h('h3', null, '平台调用'), list);
}

// wechatSection: the WeChat Pay catering sync of a scan-to-order order
// (下单 and 支付成功), filled in once the console answers.
function wechatSection(o) {
  if (o.source !== 'ordering') return null;
  const box = h('div', { class: 'wechat-sync', dataset: { wechatSync: o.code } }, h('span', { class: 'muted' }, '正在读取微信支付同步…'));
  loadWeChatSync(o, box);
  return h('div', { class: 'section' }, h('h3', null, '微信同步'), box);
}

async function loadWeChatSync(o, box) {
  try {
    const res = await api.get('/api/orders/' + encodeURIComponent(o.code) + '/wechatpay');
    if (!res.enabled) {
      box.replaceChildren(h('span', { class: 'muted' }, '未开启微信支付点餐同步'));
      return;
    }
    const syncs = res.syncs || [];
    if (!syncs.length) {
      box.replaceChildren(h('span', { class: 'muted' }, '等待同步'));
      setTimeout(() => { if (openCode === o.code && box.isConnected) loadWeChatSync(o, box); }, 2000);
      return;
    }
    const list = h('ol', { class: 'timeline' });
    for (const s of syncs) {
      const bad = s.state === 'failed' || (s.state === 'pending' && s.attempts > 0);
      list.appendChild(h('li', { dataset: { syncAction: s.action, syncState: s.state } }, h('time', null, timeHMS(s.done_at || s.updated_at)),
        h('div', null, h('div', null, s.action_label + '：' + s.state_label + (s.attempts > 1 ? '（第 ' + s.attempts + ' 次）' : '')),
          s.message ? h('div', { class: bad ? 'pcard-err' : 'who' }, s.message) : null,
          s.can_retry ? h('button', { type: 'button', class: 'btn btn-sm', dataset: { act: 'wechat-retry' }, onclick: () => retryWeChatSync(o) }, '重试') : null)));
    }
    box.replaceChildren(list);
    // A sync still under way is read again while its order stays open.
    if (syncs.some((s) => s.state === 'pending' || s.state === 'failed')) {
      setTimeout(() => { if (openCode === o.code && box.isConnected) loadWeChatSync(o, box); }, 2000);
    }
  } catch (err) {
    box.replaceChildren(h('span', { class: 'muted' }, '无法读取微信支付同步：' + err.message));
  }
}

async function retryWeChatSync(o) {
  try {
    await api.post('/api/orders/' + encodeURIComponent(o.code) + '/wechatpay/retry', {});
    toast('已安排重新同步到微信支付', 'ok');
    refreshOrder(o.code).catch(() => {});
  } catch (err) {
    toast(err.message, 'err');
  }
}

async function retryCall(c, o) {
  try {
    await api.post('/api/calls/' + c.id + '/retry', {});
    toast('已安排重试：' + c.op_label, 'ok');
    refreshOrder(o.code).catch(() => {});
  } catch (err) {
    toast(err.message, 'err');
  }
}

function statusName(s) {
  return { new: '新订单', accepted: '制作中', made: '制作完成', delivering: '配送中', completed: '已完成', cancelled: '已取消', rejected: '已拒单', refund_requested: '申请退款', refund_processing: '退款处理中', refunded: '已退款', pending_payment: '待支付' }[s] || s;
}

function sourceName(s) {
  return { push: '推送', poll: '轮询', outbox: '平台回执', staff: '操作', policy: '接单规则', scanner: '扫码', console: '控制台', serial: '扫码枪', http: '接口', timer: '定时' }[s] || s;
}

function actorName(a) {
  if (!a) return '';
  if (a.startsWith('staff:')) return '店员 ' + a.slice(6);
  return { staff: '店员', auto: '自动', platform: '平台', scanner: '扫码', system: '系统' }[a] || a;
}

// extrasSection: the waybill, 部分退款, invoice, tip, times, reminders and
// 围餐 additions of an order.
function extrasSection(o) {
  const x = o.extras;
  if (!x) return null;
  const kv = h('dl', { class: 'kv' });
  const add = (k, v, cls) => { if (v) kv.append(h('dt', null, k), h('dd', { class: cls || null }, v)); };
  const d = x.delivery;
  if (d) {
    add('配送状态', d.text, d.alert ? 'err' : '');
    add('配送渠道', d.channel_name);
    add('骑手', [d.rider_name, d.rider_phone].filter(Boolean).join(' '));
    add('运单号', d.express_no);
    add('配送备注', d.remark && d.remark !== d.text ? d.remark : '');
  }
  if (x.partly_refunded) add('支付状态', '部分退款（退款金额与商品请在开个店后台查看）', 'err');
  if (x.need_invoice) add('发票', '顾客需要发票');
  if (x.driver_fee) add('商户小费', yuan(x.driver_fee));
  add('取餐时间', when(x.pickup_at));
  add('配送时间', when(x.delivery_at));
  add('预计送达', when(x.estimated_arrive_at));
  add('送达时间', when(x.arrived_at));
  for (const r of x.reminders || []) add('备餐提醒', when(r));
  for (const a of x.additions || []) add('加菜 ' + when(a.received_at), (a.items || []).map((it) => it.name + ' ×' + it.quantity).join('、'));
  if (!kv.childNodes.length) return null;
  return h('div', { class: 'section section-extras' }, h('h3', null, d ? '配送与其他' : '其他信息'), kv);
}
