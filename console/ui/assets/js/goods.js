// 沽清 and the store's status on 开个店: the products of recent orders with
// their sold-out state, the store buttons (营业 / 停业 / 置休 / 开启), and
// the result of every call, partial successes naming the codes that failed.

import { h, $, when } from './util.js';
import * as api from './api.js';
import { toast } from './toast.js';
import { confirmDialog } from './dialogs.js';

let view = null;
const picked = new Set(); // store|code
let filter = '';

const CHANNELS = { saas: '自提', saasdelivery: '外卖', saasmall: '微商城', wc: '围餐', '': '默认渠道' };
const STORE_EVENTS = [
  ['open', '营业', '门店恢复营业，顾客可以下单'],
  ['close', '停业', '门店停业，顾客不能下单'],
  ['rest', '置休', '门店暂停接单（置休），顾客暂时不能下单'],
  ['reopen', '开启', '结束置休，恢复接单'],
];

export function initGoods() {
  $('goods-filter').addEventListener('input', (ev) => { filter = ev.target.value.trim().toLowerCase(); render(); });
  $('goods-out').addEventListener('click', () => change(true));
  $('goods-back').addEventListener('click', () => change(false));
  $('goods-add').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('goods-code');
    const codes = input.value.split(/[\s,，]+/).filter(Boolean);
    if (!codes.length) return;
    for (const c of codes) picked.add(storeOf() + '|' + c);
    input.value = '';
    change(true, codes);
  });
}

function storeOf() {
  const s = view && view.stores && view.stores[0];
  return s ? s.store_id : '';
}

export async function loadGoods() {
  view = await api.get('/api/goods');
  render();
}

let soon = 0;
export function loadGoodsSoon() {
  clearTimeout(soon);
  soon = setTimeout(() => loadGoods().catch(() => {}), 300);
}

function render() {
  if (!view) return;
  renderStores();
  const items = (view.items || []).filter((it) => !filter || it.code.toLowerCase().includes(filter) || (it.name || '').toLowerCase().includes(filter));
  const out = (view.items || []).filter((it) => it.sold_out).length;
  $('goods-summary').textContent = '共 ' + (view.items || []).length + ' 个商品，已沽清 ' + out + ' 个' +
    (view.channels && view.channels.length ? '；渠道：' + view.channels.map((c) => CHANNELS[c] || c).join('、') : '');
  $('goods-body').replaceChildren(...(items.length ? items.map(itemRow) :
    [h('tr', { class: 'empty' }, h('td', { colspan: '5' }, '最近的订单里还没有带商品编码的商品；可以在上面直接输入编码'))]));
  $('goods-calls').replaceChildren(...((view.calls || []).length ? view.calls.map(callRow) :
    [h('li', { class: 'muted' }, '还没有沽清或门店状态操作')]));
  const n = picked.size;
  $('goods-out').disabled = n === 0;
  $('goods-back').disabled = n === 0;
  $('goods-picked').textContent = n ? '已选 ' + n + ' 个' : '';
}

function itemRow(it) {
  const key = it.store_id + '|' + it.code;
  const box = h('input', { type: 'checkbox', 'aria-label': '选择 ' + (it.name || it.code), checked: picked.has(key),
    onchange: (ev) => { if (ev.target.checked) picked.add(key); else picked.delete(key); render(); } });
  const state = it.sold_out
    ? h('span', { class: 'st st-refunded' }, '已沽清' + chans(it.channels))
    : h('span', { class: 'st st-completed' }, '在售');
  return h('tr', { dataset: { code: it.code }, class: it.sold_out ? 'sold-out' : '' },
    h('td', null, box),
    h('td', { class: 'nowrap mono' }, it.code),
    h('td', null, it.name || '—'),
    h('td', { class: 'nowrap' }, state, it.pending ? h('span', { class: 'muted' }, ' 处理中…') : null),
    h('td', { class: 'nowrap muted' }, it.sold_out ? when(it.since) + ' ' + (it.actor || '').replace(/^staff:/, '') : ''));
}

function chans(list) {
  const named = (list || []).filter((c) => c !== '').map((c) => CHANNELS[c] || c);
  return named.length ? '（' + named.join('、') + '）' : '';
}

// callRow says what a call did: done with the codes that succeeded and
// failed, still being retried with why, or refused with the platform's reason.
function callRow(c) {
  const head = c.label + (c.channel ? '（' + (CHANNELS[c.channel] || c.channel) + '）' : '');
  let text, cls;
  if (c.state === 'done') {
    if (c.result) {
      const ok = c.result.succeeded || [], bad = c.result.failed || [];
      const parts = [];
      if (ok.length) parts.push('成功 ' + ok.join('、'));
      if (bad.length) parts.push('失败 ' + bad.join('、') + '（开个店未找到这些商品编码）');
      text = parts.join('；');
      cls = (c.result.failed || []).length ? 'call-partial' : 'call-ok';
    } else {
      text = '开个店已确认';
      cls = 'call-ok';
    }
  } else if (c.state === 'pending') {
    text = (c.attempts > 0 ? '重试中（' + c.attempts + ' 次）' : '发送中') + (c.error ? '：' + c.error : '');
    cls = 'call-pending';
  } else {
    text = '开个店拒绝' + (c.error ? '：' + c.error : '');
    cls = 'call-failed';
  }
  return h('li', { class: 'store-call ' + cls, dataset: { call: c.id } },
    h('span', { class: 'muted nowrap' }, when(c.created_at)), ' ', h('b', null, head), ' ', h('span', { class: 'call-text' }, text));
}

function renderStores() {
  $('store-status').replaceChildren(...(view.stores || []).map((s) => {
    const pending = s.call && s.call.state === 'pending';
    const failed = s.call && s.call.state === 'failed';
    const state = s.event ? s.label + (pending ? '（等待开个店确认）' : failed ? '（开个店拒绝：' + (s.call.error || '') + '）' : '') : '未在此设置（以开个店后台为准）';
    return h('div', { class: 'card store-card', dataset: { store: s.store_id } },
      h('h3', null, s.store_name || s.store_id),
      h('p', { class: 'store-state' + (s.event === 'rest' || s.event === 'close' ? ' closed' : '') }, '门店状态：', h('b', { id: 'store-state-' + s.store_id }, state)),
      h('div', { class: 'btn-row' }, ...STORE_EVENTS.map(([ev, label, sub]) =>
        h('button', { type: 'button', class: 'btn ' + (ev === 'rest' || ev === 'close' ? 'btn-outline-danger' : 'btn-brand'), dataset: { event: ev },
          onclick: () => setStore(s, ev, label, sub) }, label))));
  }));
}

function setStore(s, ev, label, sub) {
  return confirmDialog({
    title: '设置门店' + label + '？', sub: (s.store_name || s.store_id) + '：' + sub + '。会通知开个店。', confirmText: label,
    danger: ev === 'rest' || ev === 'close',
    submit: async () => {
      await api.post('/api/store/status', { store_id: s.store_id, event: ev });
      toast('已提交：门店' + label, 'ok');
      loadGoodsSoon();
    },
  });
}

async function change(out, codes) {
  const byStore = new Map();
  if (codes) byStore.set(storeOf(), codes);
  else {
    for (const key of picked) {
      const [st, code] = key.split('|');
      if (!byStore.has(st)) byStore.set(st, []);
      byStore.get(st).push(code);
    }
  }
  if (!byStore.size) return;
  const names = {};
  for (const it of view.items || []) if (it.name) names[it.code] = it.name;
  try {
    for (const [st, list] of byStore) {
      await api.post(out ? '/api/goods/sold-out' : '/api/goods/back', { store_id: st, codes: list, names });
    }
    toast((out ? '已提交沽清：' : '已提交取消沽清：') + [...byStore.values()].flat().join('、'), 'ok');
    picked.clear();
  } catch (err) {
    toast(err.message, 'err');
  }
  loadGoods().catch(() => {});
}
