// The link to 开个店: push health, the polls per store, and platform calls
// that keep failing, with their reason and a retry.

import { h, $, when, ago, timeHMS } from './util.js';
import * as api from './api.js';
import { state, on, loadPlatform } from './store.js';
import { toast } from './toast.js';
import { openDetail } from './detail.js';
import { confirmDialog } from './dialogs.js';

export function initPlatform() {
  on('platform', render);
}

// platformTrouble is what the status bar says about the link (or '').
export function platformTrouble() {
  const p = state.platform;
  if (!p) return { failing: 0, text: '' };
  const failing = (p.calls || []).filter((c) => c.state === 'failed' || c.attempts > 1).length;
  if (failing) return { failing, text: '平台调用失败 ' + failing };
  return { failing: 0, text: '' };
}

function storeName(id) {
  const s = ((state.session && state.session.stores) || []).find((x) => x.id === id);
  return s && s.name ? s.name : id;
}

function pollName(key) {
  const [kind, store] = key.split('/');
  const k = { orders: '订单轮询', refunds: '退款轮询', reconcile: '状态核对' }[kind] || kind;
  return store ? k + ' · ' + storeName(store) : k;
}

function render() {
  const p = state.platform;
  if (!p) return;
  const hl = p.health || {};
  const kpi = (label, value, sub, level) => h('div', { class: 'kpi ' + (level || '') }, h('span', null, label), h('b', null, value),
    sub ? h('small', { class: 'clamp', title: sub }, sub) : null);
  const pushSub = hl.push_enabled ? '已收到 ' + (hl.pushes_received || 0) + ' 次' + (hl.pushes_refused ? '，拒收 ' + hl.pushes_refused + ' 次' : '') : '未开启推送，仅靠轮询';
  const failing = (p.calls || []).filter((c) => c.state === 'failed' || c.attempts > 1).length;
  $('platform-kpis').replaceChildren(
    kpi('最近推送', hl.push_enabled ? ago(hl.last_push_at) : '未开启', pushSub, hl.push_enabled && hl.last_push_at ? 'ok' : 'warn'),
    kpi('平台最近正常', hl.last_platform_ok ? ago(hl.last_platform_ok) : '从未连通',
      hl.last_error ? '最近错误 ' + when(hl.last_error_at) + '：' + (hl.last_error_hint || hl.last_error) : '', hl.last_platform_ok ? 'ok' : 'bad'),
    kpi('疑似漏推送', String(hl.missed_pushes || 0), '轮询发现但没有收到推送的订单', hl.missed_pushes ? 'warn' : ''),
    kpi('未完成的调用', String((p.calls || []).length), failing ? failing + ' 个正在重试或失败' : '全部正常', failing ? 'bad' : 'ok'));
  $('platform-updated').textContent = '更新于 ' + when(new Date());

  const polls = Object.entries(hl.polls || {}).sort(([a], [b]) => a.localeCompare(b));
  $('polls-body').replaceChildren(...(polls.length ? polls.map(([key, v]) => h('tr', null,
    h('td', null, pollName(key)),
    h('td', null, v.last_success ? ago(v.last_success) : v.idle ? '无需调用' : '从未'),
    h('td', null, String(v.last_found || 0)),
    h('td', null, intervalText(v.interval)),
    h('td', { class: 'err', title: v.last_error || '' }, v.last_error ? timeHMS(v.last_error_at) + ' ' + (v.last_error_hint || v.last_error) : ''))) :
    [h('tr', { class: 'empty' }, h('td', { colspan: '5' }, '轮询尚未运行'))]));

  const calls = p.calls || [];
  $('calls-body').replaceChildren(...(calls.length ? calls.map(callRow) : [h('tr', { class: 'empty' }, h('td', { colspan: '6' }, '没有未完成的平台调用'))]));
}

// intervalText turns a Go duration (1m0s, 300ms) into 1分 / 300毫秒.
function intervalText(s) {
  if (!s) return '';
  const unit = { h: '小时', m: '分', s: '秒', ms: '毫秒' };
  const parts = [];
  for (const [, n, u] of s.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    if (Number(n) !== 0) parts.push(n + unit[u]);
  }
  return parts.join('') || s;
}

function callRow(c) {
  const st = { pending: c.attempts > 1 ? '重试中' : '发送中', failed: '失败' }[c.state] || c.state;
  return h('tr', { dataset: { call: c.id } },
    h('td', { class: 'nowrap' }, c.op_label || c.op),
    h('td', { class: 'nowrap' }, c.order_code ? h('button', { type: 'button', class: 'link', onclick: () => openDetail(c.order_code) }, orderName(c.order_code)) : '—'),
    h('td', { class: 'nowrap' }, h('span', { class: c.state === 'failed' ? 'st st-refunded' : 'st st-new' }, st)),
    h('td', { class: 'nowrap' }, String(c.attempts)),
    h('td', { class: 'err reason', title: c.last_error || '' }, (c.hint || c.last_error || '') + (c.next_at && c.state === 'pending' ? '（下次 ' + timeHMS(c.next_at) + '）' : '')),
    h('td', { class: 'col-actions' },
      h('button', { type: 'button', class: 'btn btn-sm btn-brand', dataset: { retry: c.id }, onclick: () => retry(c) }, '重试'),
      c.state === 'pending' ? h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', onclick: () => abandon(c) }, '放弃') : null));
}

// orderName is the pickup number when the page knows the order.
function orderName(code) {
  const o = state.active.get(code);
  return o && o.pickup_no ? '取餐号 ' + o.pickup_no : '…' + code.slice(-6);
}

async function retry(c) {
  try {
    await api.post('/api/calls/' + c.id + '/retry', {});
    toast('已安排重试：' + (c.op_label || c.op), 'ok');
    setTimeout(() => loadPlatform().catch(() => {}), 600);
  } catch (err) {
    toast(err.message, 'err');
  }
}

function abandon(c) {
  return confirmDialog({
    title: '放弃这个平台调用？', sub: (c.op_label || c.op) + '：放弃后平台不会收到这一步，请在开个店后台手工处理。',
    confirmText: '放弃', danger: true,
    submit: async () => {
      await api.post('/api/calls/' + c.id + '/abandon', {});
      toast('已放弃', 'ok');
      loadPlatform().catch(() => {});
    },
  });
}
