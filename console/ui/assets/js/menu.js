// 菜单: the scan-to-order menus — prices, 沽清 and back, tables with their
// QR versions and stickers. Every change goes to the daemon, which checks
// it, writes the menu file (comments kept) and audits it; the view then
// reloads what the file says.

import { h, $ } from './util.js';
import * as api from './api.js';
import { confirmDialog } from './dialogs.js';
import { toast } from './toast.js';

let data = null;
let current = 0; // index of the restaurant shown

export async function loadMenus() {
  try {
    data = await api.get('/api/menus');
  } catch (err) {
    $('menu-body').replaceChildren(h('p', { class: 'muted' }, err.message));
    return;
  }
  render();
}

async function edit(path, body, done) {
  try {
    const r = await api.post(path, body);
    toast((done || '已保存') + (r && r.done ? '：' + r.done : ''), 'ok');
  } catch (err) {
    toast(err.message, 'err');
  }
  await loadMenus();
}

function render() {
  const body = $('menu-body');
  if (!data || !data.enabled) {
    body.replaceChildren(h('div', { class: 'card' }, h('h3', null, '扫码点餐没有启用'),
      h('p', { class: 'muted' }, '在 posbridge.yaml 的 ordering 部分设置 listen 和 restaurants 后，这里可以改价格、沽清、管理桌台和二维码。')));
    return;
  }
  const list = data.restaurants || [];
  if (!list.length) { body.replaceChildren(h('p', { class: 'muted' }, '没有配置餐厅')); return; }
  current = Math.min(current, list.length - 1);
  const r = list[current];
  const tabs = list.length > 1 ? h('div', { class: 'tabs' }, list.map((x, i) =>
    h('button', { type: 'button', class: 'tab' + (i === current ? ' active' : ''), onclick: () => { current = i; render(); } }, x.name || ('餐厅 ' + x.id)))) : null;
  if (r.problem) { body.replaceChildren(tabs || '', h('p', { class: 'muted' }, r.problem)); return; }
  $('menu-file').textContent = r.file ? '菜单文件：' + r.file : '';
  const base = '/api/menus/' + r.id;
  const cats = new Map((r.categories || []).map((c) => [c.id, c.name]));
  const rows = (r.products || []).map((p) => {
    const specs = p.specs.map((s) => {
      const price = h('input', { class: 'input-money', value: s.price, inputmode: 'decimal', 'aria-label': p.name + ' ' + s.unit + ' 价格', dataset: { product: p.id, pu: s.pu, kind: 'price' } });
      const takeout = h('input', { class: 'input-money', value: s.takeout_price, inputmode: 'decimal', 'aria-label': p.name + ' ' + s.unit + ' 外卖价', dataset: { product: p.id, pu: s.pu, kind: 'takeout' } });
      const save = h('button', { type: 'button', class: 'btn btn-sm', dataset: { save: p.id + '-' + s.pu }, onclick: () => {
        const b = { pu: s.pu };
        if (price.value.trim() !== s.price) b.price = price.value.trim();
        if (takeout.value.trim() !== s.takeout_price) b.takeout_price = takeout.value.trim();
        if (!b.price && !b.takeout_price) { toast('价格没有改动', 'warn'); return; }
        edit(base + '/products/' + p.id + '/price', b, '价格已保存');
      } }, '保存');
      return h('div', { class: 'spec-row' }, h('span', { class: 'spec-unit' }, s.unit), '堂食 ', price, ' 外卖 ', takeout, save);
    });
    return h('tr', { dataset: { product: p.id }, class: p.sold_out ? 'row-muted' : '' },
      h('td', null, h('b', null, p.name), p.set_meal ? h('span', { class: 'muted' }, ' 套餐') : null),
      h('td', null, cats.get(p.category) || ''),
      h('td', null, specs),
      h('td', null, p.sold_out ? h('span', { class: 'chip-danger' }, '已沽清') : h('span', { class: 'chip-ok' }, '供应中')),
      h('td', { class: 'col-actions' }, h('button', { type: 'button', class: 'btn btn-sm' + (p.sold_out ? '' : ' btn-danger'), dataset: { soldout: p.id },
        onclick: () => edit(base + '/products/' + p.id + '/sold-out', { sold_out: !p.sold_out }, p.sold_out ? '已恢复供应' : '已沽清') }, p.sold_out ? '恢复供应' : '沽清')));
  });
  const conds = (r.condiments || []).map((c) => h('button', { type: 'button', class: 'chip ' + (c.sold_out ? 'chip-danger' : 'chip-ok'), dataset: { condiment: c.id },
    title: c.sold_out ? '点一下恢复供应' : '点一下沽清',
    onclick: () => edit(base + '/condiments/' + c.id + '/sold-out', { sold_out: !c.sold_out }, c.sold_out ? '已恢复供应' : '已沽清') },
    c.name + (c.price !== '0.00' ? ' +' + '\uFFE5' + c.price : '') + (c.sold_out ? '（沽清）' : '')));
  const tables = (r.tables || []).map((t) => h('tr', { dataset: { table: t.table_id } },
    h('td', null, String(t.table_id)), h('td', null, t.table_name), h('td', null, t.virtual ? '—' : String(t.seat_num)),
    h('td', null, 'v' + t.qrcode_version), h('td', { class: 'muted small' }, t.url || '（未设置 ordering.public_url）'),
    h('td', { class: 'col-actions' },
      t.url ? h('a', { class: 'btn btn-sm', href: base + '/tables/' + t.table_id + '/sticker.png', target: '_blank', rel: 'noopener' }, '贴纸') : null,
      t.url ? h('button', { type: 'button', class: 'btn btn-sm', dataset: { print: t.table_id }, onclick: async () => {
        try {
          const r = await api.post(base + '/tables/' + t.table_id + '/print-sticker', {});
          toast('贴纸已发送到打印机 ' + r.printer, 'ok');
        } catch (err) { toast(err.message, 'err'); }
      } }, '打印贴纸') : null,
      h('button', { type: 'button', class: 'btn btn-sm', dataset: { raise: t.table_id }, onclick: () => confirmDialog({
        title: '作废「' + t.table_name + '」的旧二维码？', sub: '二维码版本 ' + t.qrcode_version + ' → ' + (t.qrcode_version + 1) + '。旧贴纸扫码后不能再下单，请打印新贴纸贴上。',
        confirmText: '作废旧二维码', danger: true, submit: () => api.post(base + '/tables/' + t.table_id + '/raise-qr', {}),
      }).then((ok) => { if (ok) { toast('旧二维码已作废，请打印新贴纸', 'ok'); loadMenus(); } }) }, '换新二维码'),
      t.virtual ? null : h('button', { type: 'button', class: 'btn btn-sm', onclick: () => edit(base + '/tables/' + t.table_id + '/clear', {}, '已清台') }, '清台'))));
  const id = h('input', { id: 'new-table-id', inputmode: 'numeric', placeholder: '编号', class: 'input-sm' });
  const name = h('input', { id: 'new-table-name', placeholder: '名称，如 A5', class: 'input-sm', maxlength: '20' });
  const seats = h('input', { id: 'new-table-seats', inputmode: 'numeric', placeholder: '座位', class: 'input-sm', value: '4' });
  const add = h('button', { type: 'button', class: 'btn btn-sm btn-brand', id: 'new-table-add', onclick: () => edit(base + '/tables',
    { table_id: parseInt(id.value, 10) || 0, table_name: name.value.trim(), seat_num: parseInt(seats.value, 10) || 0 }, '桌台已添加') }, '添加桌台');
  body.replaceChildren(
    tabs || '',
    h('div', { class: 'panel-head' }, h('h3', null, '商品'), h('span', { class: 'muted' }, '改价格后点保存；沽清只影响扫码点餐（开个店的沽清请在开个店后台操作）')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'menu-products' },
      h('thead', null, h('tr', null, h('th', null, '商品'), h('th', null, '分类'), h('th', null, '规格与价格（元）'), h('th', null, '状态'), h('th', { class: 'col-actions' }, '操作'))),
      h('tbody', null, rows))),
    conds.length ? h('div', { class: 'panel-head' }, h('h3', null, '加料 / 口味'), h('span', { class: 'muted' }, '点一下沽清或恢复')) : null,
    conds.length ? h('div', { class: 'chips', id: 'menu-condiments' }, conds) : null,
    h('div', { class: 'panel-head' }, h('h3', null, '桌台与二维码'), h('span', { class: 'muted' }, '负数编号是外卖、等取的柜台贴纸')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'menu-tables' },
      h('thead', null, h('tr', null, h('th', null, '编号'), h('th', null, '名称'), h('th', null, '座位'), h('th', null, '二维码'), h('th', null, '网址'), h('th', { class: 'col-actions' }, '操作'))),
      h('tbody', null, tables))),
    h('div', { class: 'add-table' }, id, name, seats, add));
}
