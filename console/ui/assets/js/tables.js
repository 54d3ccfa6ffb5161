// 围餐 (table dining) at the counter: change the lines of an open table
// order (sent to 开个店 as updateOrderItem; what is added prints as 加菜) and
// settle it when the table pays here (payAfterSyncOrderInfo).

import { h, yuan, pickupOf } from './util.js';
import * as api from './api.js';
import { confirmDialog } from './dialogs.js';
import { refreshOrder } from './store.js';
import { toast } from './toast.js';

export const TABLE_CHANNEL = 19;

export function isTableOrder(o) {
  return o.channel === TABLE_CHANNEL && ['accepted', 'made'].includes(o.status) && o.detail_known;
}

// fenOf reads a yuan amount typed by staff ("12.5", "12.50") as integer fen
// without floating point; NaN when it is not an amount.
export function fenOf(text) {
  const m = /^\s*(\d{1,7})(?:\.(\d{0,2}))?\s*$/.exec(text || '0');
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

export async function editItems(o) {
  const lines = (o.items || []).map((it) => ({ ...it }));
  let catalog = [];
  try {
    const g = await api.get('/api/goods');
    catalog = (g.items || []).filter((it) => it.item && it.store_id === o.store_id);
  } catch { /* adding from the list is unavailable; quantities still work */ }
  const table = h('table', { class: 'table table-items' });
  const total = h('p', { class: 'muted', id: 'table-total' });
  const draw = () => {
    table.replaceChildren(...lines.map((it, i) => h('tr', { dataset: { line: String(i) } },
      h('td', null, it.name),
      h('td', { class: 'nowrap' },
        h('button', { type: 'button', class: 'btn btn-sm', dataset: { less: String(i) }, onclick: () => { it.quantity = Math.max(0, it.quantity - 1); draw(); } }, '−'),
        h('b', { class: 'qty-n' }, ' ' + it.quantity + ' '),
        h('button', { type: 'button', class: 'btn btn-sm', dataset: { more: String(i) }, onclick: () => { it.quantity = Math.min(999, it.quantity + 1); draw(); } }, '+')),
      h('td', { class: 'nowrap' }, yuan(it.price * it.quantity)))));
    total.textContent = '合计 ' + yuan(lines.reduce((s, it) => s + it.price * it.quantity, 0)) + '（数量减到 0 即删除）';
  };
  const pick = h('select', { id: 'table-add' }, h('option', { value: '' }, '添加商品…'),
    ...catalog.map((it, i) => h('option', { value: String(i) }, it.name + ' ' + yuan(it.item.price))));
  pick.addEventListener('change', () => {
    const it = catalog[Number(pick.value)];
    if (!it) return;
    const same = lines.find((l) => l.third_product_id === it.code && !l.children);
    if (same) same.quantity++;
    else lines.push({ ...it.item, seq: lines.length + 1, quantity: 1 });
    pick.value = '';
    draw();
  });
  draw();
  return confirmDialog({
    title: '修改围餐商品 ' + pickupOf(o) + (o.table ? ' · 桌号 ' + o.table : ''),
    sub: '修改会同步到开个店；新加的商品会打印加菜单。',
    body: h('div', null, table, total, pick),
    confirmText: '保存',
    submit: async () => {
      const kept = lines.filter((it) => it.quantity > 0);
      await api.post('/api/orders/' + encodeURIComponent(o.code) + '/items', { items: kept });
      toast('已保存：' + pickupOf(o), 'ok');
      refreshOrder(o.code).catch(() => {});
    },
  });
}

const PAY = [['cash', '现金'], ['wechat', '微信支付'], ['alipay', '支付宝'], ['card', '银行卡']];

export function settle(o) {
  const items = o.items || [];
  const sum = items.reduce((s, it) => s + it.price * it.quantity, 0);
  const method = h('select', { id: 'settle-pay' }, ...PAY.map(([v, n]) => h('option', { value: v }, n)));
  const discount = h('input', { id: 'settle-discount', inputmode: 'decimal', placeholder: '0.00', autocomplete: 'off' });
  const due = h('p', { class: 'settle-due', id: 'settle-due' });
  const show = () => {
    const d = fenOf(discount.value);
    due.textContent = isNaN(d) || d > sum ? '优惠金额不对' : '应收 ' + yuan(sum - d);
  };
  discount.addEventListener('input', show);
  show();
  return confirmDialog({
    title: '围餐结账 ' + pickupOf(o) + (o.table ? ' · 桌号 ' + o.table : ''),
    sub: '商品合计 ' + yuan(sum) + '。结账信息会同步到开个店。',
    body: h('div', null, h('label', { class: 'field' }, '支付方式', method), h('label', { class: 'field' }, '优惠（元）', discount), due),
    confirmText: '结账',
    submit: async () => {
      const d = fenOf(discount.value);
      if (isNaN(d) || d > sum) throw new Error('请填写正确的优惠金额');
      const p = PAY.find(([v]) => v === method.value);
      await api.post('/api/orders/' + encodeURIComponent(o.code) + '/settle', { pay_channel: p[0], pay_channel_name: p[1], discount: d });
      toast('已结账：' + pickupOf(o), 'ok');
      refreshOrder(o.code).catch(() => {});
    },
  });
}
