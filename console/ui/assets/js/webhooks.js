// 对外推送 (webhooks) on the platform page: the receivers, and deliveries
// that have not gone through yet with their reason and a resend.

import { h, $, when } from './util.js';
import * as api from './api.js';
import { toast } from './toast.js';

const STATE_LABEL = { pending: '重试中', failed: '已放弃', done: '已送达' };

export function initWebhooks() {
  const show = () => { if (location.hash === '#platform') load(); };
  window.addEventListener('hashchange', show);
  setInterval(show, 15000);
  show();
}

async function load() {
  let data;
  try {
    data = await api.get('/api/webhooks');
  } catch {
    return;
  }
  let sec = $('webhooks-section');
  if (!data.webhooks.length) {
    if (sec) sec.remove();
    return;
  }
  if (!sec) {
    sec = h('div', { id: 'webhooks-section', class: 'webhooks-section' });
    $('view-platform').appendChild(sec);
  }
  const stuck = data.deliveries.filter((d) => d.state !== 'done');
  const rows = stuck.map((d) => h('tr', { dataset: { delivery: d.id } },
    h('td', null, d.event), h('td', null, d.url), h('td', null, STATE_LABEL[d.state] || d.state), h('td', null, String(d.attempts)),
    h('td', { class: 'err', title: d.last_error || '' }, reason(d.last_error)), h('td', null, when(d.created_at)),
    h('td', { class: 'col-actions' }, h('button', { type: 'button', class: 'btn btn-sm', onclick: () => resend(d.id) }, '立即重发'))));
  const by = data.deliveries_by_state || {};
  sec.replaceChildren(
    h('div', { class: 'panel-head' }, h('h3', null, '对外推送'),
      h('span', { class: 'muted' }, data.webhooks.map((w) => w.url).join('，') + ' · 已送达 ' + (by.done || 0) + ' · 重试中 ' + (by.pending || 0) + ' · 已放弃 ' + (by.failed || 0))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ...['事件', '接收地址', '状态', '次数', '原因', '时间'].map((x) => h('th', null, x)), h('th', { class: 'col-actions' }, '操作'))),
      h('tbody', null, ...(rows.length ? rows : [h('tr', { class: 'empty' }, h('td', { colspan: '7' }, '全部已送达'))])))));
}

// reason says in Chinese what the receiver did; the raw error is its title.
function reason(err) {
  if (!err) return '';
  const m = /answered (\d+)/.exec(err);
  if (m) return '接收方返回 HTTP ' + m[1];
  if (err.startsWith('no answer within')) return '接收方无响应（超时）';
  if (err.startsWith('cannot reach')) return '无法连接接收方，请检查地址和网络';
  return err;
}

async function resend(id) {
  try {
    await api.post('/api/webhooks/deliveries/' + id + '/retry');
    toast('已安排重发', 'ok');
    load();
  } catch (err) {
    toast(err.message, 'err');
  }
}
