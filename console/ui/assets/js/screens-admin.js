// The 屏幕 view: staff add a kitchen tablet or the pickup TV, get a one-time
// pairing link (QR code for a tablet's camera, a short code for a TV
// remote), and revoke a screen that is lost or replaced.

import { h, $, when, ago } from './util.js';
import * as api from './api.js';
import { state } from './store.js';
import { toast } from './toast.js';
import { confirmDialog } from './dialogs.js';

let stations = [];

export function initScreens() {
  $('screen-kind').addEventListener('change', kindChanged);
  $('screen-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('screen-error').textContent = '';
    const kind = $('screen-kind').value;
    try {
      const d = await api.post('/api/devices', {
        name: $('screen-name').value, kind,
        station: kind === 'kitchen' ? $('screen-station').value : $('screen-store').value,
      });
      showPairing(d);
      $('screen-name').value = '';
      loadScreens();
    } catch (err) {
      $('screen-error').textContent = err.message;
    }
  });
}

function kindChanged() {
  const kitchen = $('screen-kind').value === 'kitchen';
  $('screen-station-row').hidden = !kitchen;
  $('screen-store-row').hidden = kitchen;
}

export async function loadScreens() {
  let data;
  try {
    data = await api.get('/api/devices');
  } catch (err) {
    toast(err.message, 'err');
    return;
  }
  stations = data.stations || [];
  $('screen-station').replaceChildren(...stations.map((s) => h('option', { value: s.name }, s.name + (s.printer ? '' : '（无打印机）'))));
  const stores = (state.session && state.session.stores) || [];
  $('screen-store').replaceChildren(h('option', { value: '' }, '全部门店'), ...stores.map((s) => h('option', { value: s.id }, s.name || s.id)));
  kindChanged();
  $('screen-local').replaceChildren(h('span', { class: 'muted' }, '在本机打开：'),
    ...stations.map((s) => h('a', { href: '/kitchen?station=' + encodeURIComponent(s.name), target: '_blank' }, '后厨屏 ' + s.name)),
    h('a', { href: '/pickup', target: '_blank' }, '取餐屏'));
  const rows = (data.devices || []).map((d) => h('tr', { dataset: { id: String(d.id) } },
    h('td', null, d.name),
    h('td', null, d.kind === 'kitchen' ? '后厨屏' : '取餐屏'),
    h('td', null, d.kind === 'kitchen' ? d.station : (storeName(d.station) || '全部门店')),
    h('td', null, d.paired ? h('span', { class: 'st st-completed' }, '已配对') : h('span', { class: 'st st-new' }, d.pair_expires ? '待配对（' + when(d.pair_expires) + ' 前）' : '配对码已过期')),
    h('td', null, d.last_seen_at ? ago(d.last_seen_at) + (d.last_ip ? ' · ' + d.last_ip : '') : '—'),
    h('td', { class: 'col-actions' },
      h('button', { type: 'button', class: 'btn btn-sm', dataset: { act: 'repair' }, onclick: () => repair(d) }, '重新配对'),
      h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', dataset: { act: 'revoke' }, onclick: () => revoke(d) }, '撤销'))));
  $('screens-body').replaceChildren(...(rows.length ? rows : [h('tr', null, h('td', { colspan: '6', class: 'muted' }, '还没有屏幕：在上面添加后厨平板或取餐电视'))]));
}

function storeName(id) {
  const st = ((state.session && state.session.stores) || []).find((s) => s.id === id);
  return st ? st.name || st.id : id;
}

function showPairing(d) {
  $('screen-pair-out').replaceChildren(...[
    h('p', null, h('strong', null, '配对「' + d.name + '」')),
    d.warning ? h('p', { class: 'modal-error' }, d.warning) : null,
    h('div', { class: 'pair-big', id: 'pair-code' }, d.pair_code),
    d.pair_qr ? h('img', { src: d.pair_qr, alt: '配对二维码', id: 'pair-qr' }) : null,
    h('div', { class: 'pair-urls' }, (d.pair_urls || []).map((u) => h('div', null, u))),
    h('p', { class: 'muted' }, '在屏幕的浏览器里打开上面的链接（或打开 /pair 输入配对码）。' + when(d.pair_expires) + ' 前有效，只能用一次；配对后屏幕一直保持登录，直到在这里撤销。'),
  ].filter(Boolean)); // replaceChildren would write a null out as text
}

async function repair(d) {
  try {
    showPairing(await api.post('/api/devices/' + d.id + '/pair', {}));
    loadScreens();
  } catch (err) {
    toast(err.message, 'err');
  }
}

function revoke(d) {
  confirmDialog({
    title: '撤销屏幕「' + d.name + '」', sub: '撤销后这块屏幕立即无法再显示订单，要再用须重新添加并配对。', confirmText: '撤销', danger: true,
    submit: async () => { await api.post('/api/devices/' + d.id + '/revoke', {}); toast('已撤销：' + d.name, 'ok'); loadScreens(); },
  });
}
