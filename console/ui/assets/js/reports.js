// 日结 and 交班: the figures of a business day (any date) and of the running
// shift, drawn from /api/reports/*; CSV export and the printed slips.

import { h, $, yuan } from './util.js';
import * as api from './api.js';
import { state } from './store.js';
import { confirmDialog } from './dialogs.js';
import { toast } from './toast.js';

const SVG = 'http://www.w3.org/2000/svg'; // the SVG namespace name, not a download
let mode = 'day'; // day | shift
let current = null;

export function initReports() {
  $('report-mode-day').onclick = () => { mode = 'day'; load(); };
  $('report-mode-shift').onclick = () => { mode = 'shift'; load(); };
  $('report-date').onchange = () => { mode = 'day'; load(); };
  $('report-store').onchange = load;
  $('report-refresh').onclick = load;
  $('report-csv').onclick = () => { location.href = '/api/reports/day.csv?' + query(); };
  $('report-print').onclick = printDay;
  $('report-handover').onclick = handOver;
  const show = () => { if (location.hash === '#reports') { fillStores(); load(); } };
  window.addEventListener('hashchange', show);
  show();
}

function fillStores() {
  const sel = $('report-store');
  const stores = (state.session && state.session.stores) || [];
  if (sel.options.length === stores.length + 1) return;
  sel.replaceChildren(h('option', { value: '' }, '全部门店'), ...stores.map((s) => h('option', { value: s.id }, s.name || s.id)));
  sel.hidden = stores.length < 2;
}

function query() {
  const p = new URLSearchParams();
  if ($('report-date').value) p.set('date', $('report-date').value);
  if ($('report-store').value) p.set('store', $('report-store').value);
  return p.toString();
}

async function load() {
  $('report-mode-day').classList.toggle('active', mode === 'day');
  $('report-mode-shift').classList.toggle('active', mode === 'shift');
  $('report-csv').hidden = $('report-print').hidden = mode !== 'day';
  $('report-handover').hidden = mode !== 'shift';
  $('report-date').hidden = mode !== 'day';
  try {
    const store = $('report-store').value;
    current = mode === 'day'
      ? await api.get('/api/reports/day?' + query())
      : await api.get('/api/reports/shift' + (store ? '?store=' + encodeURIComponent(store) : ''));
    if (mode === 'day' && !$('report-date').value) $('report-date').value = current.day;
    render(current);
    $('report-shifts-card').hidden = mode !== 'shift';
    if (mode === 'shift') loadShifts(store);
  } catch (err) {
    toast(err.message, 'err');
  }
}

async function printDay() {
  try {
    const r = await api.post('/api/reports/day/print?' + query());
    toast('日结单已发送到打印机 ' + r.printer, 'ok');
  } catch (err) {
    toast(err.message, 'err');
  }
}

function handOver() {
  const t = current ? current.totals : null;
  confirmDialog({
    title: '确认交班',
    sub: t ? '本班 ' + t.orders + ' 单，实收 ' + yuan(t.revenue) + '，退款 ' + yuan(t.refund_amount) + '。交班后开始新的班次。' : '',
    confirmText: '交班并打印交班单',
    submit: async () => {
      const r = await api.post('/api/reports/shift/handover', { store: $('report-store').value, print: true });
      toast(r.print_error ? '已交班，但交班单未能打印：' + r.print_error : '已交班，交班单已发送到打印机', r.print_error ? 'err' : 'ok');
      load();
    },
  });
}

async function loadShifts(store) {
  const data = await api.get('/api/reports/shifts' + (store ? '?store=' + encodeURIComponent(store) : ''));
  const d = (t) => t.slice(5, 10).replace('-', '/') + ' ' + t.slice(11, 16);
  const rows = (data.shifts || []).map((s) => {
    const t = s.report.totals || {};
    const btn = h('button', { type: 'button', class: 'btn btn-sm' }, '补打交班单');
    btn.onclick = async () => {
      try {
        const r = await api.post('/api/reports/shifts/' + s.id + '/print');
        toast('交班单已发送到打印机 ' + r.printer, 'ok');
      } catch (err) {
        toast(err.message, 'err');
      }
    };
    return h('tr', { dataset: { shift: s.id } }, h('td', null, s.staff || '—'), h('td', null, d(s.report.from)), h('td', null, d(s.report.to)),
      h('td', { class: 'num' }, String(t.orders || 0)), h('td', { class: 'num' }, yuan(t.revenue)), h('td', { class: 'num' }, yuan(t.refund_amount)),
      h('td', { class: 'col-actions' }, btn));
  });
  $('report-shifts').replaceChildren(...(rows.length ? rows : [h('tr', { class: 'empty' }, h('td', { colspan: '7' }, '还没有交班记录'))]));
}

function period(r) {
  const d = (t) => t.slice(5, 10).replace('-', '月') + '日 ' + t.slice(11, 16);
  return (r.kind === 'shift' ? '当前班次' + (r.staff ? '（' + r.staff + '）' : '') + '：' : '营业日 ' + r.day + '：') + d(r.from) + ' – ' + d(r.to);
}

function render(r) {
  $('report-period').textContent = period(r);
  const t = r.totals;
  const kpi = (label, value, sub, level) => h('div', { class: 'kpi ' + (level || '') }, h('span', null, label), h('b', null, value), sub ? h('small', null, sub) : null);
  $('report-kpis').replaceChildren(
    kpi('实收', yuan(t.revenue), t.orders + ' 单有效订单', 'ok'),
    kpi('净收入', yuan(t.net), '实收 − 退款'),
    kpi('原价合计', yuan(t.original), '优惠 ' + yuan(t.discount)),
    kpi("打包费", yuan(t.package_fee), "配送费 " + yuan(t.deliver_fee)),
    kpi('退款', yuan(t.refund_amount), t.refunds + ' 单', t.refunds ? 'warn' : ''),
    kpi('取消 / 拒单', String(t.cancelled), yuan(t.cancelled_amount)));
  $('report-note').hidden = !t.unpriced;
  $('report-note').textContent = t.unpriced ? t.unpriced + ' 单还没有订单明细，金额暂未计入；明细到达后刷新即可。' : '';
  $('report-chart').replaceChildren(chart(r.hours || []));
  $('report-groups').replaceChildren(
    groupTable('按来源', r.by_source), groupTable('按渠道', r.by_channel), groupTable('按门店', r.by_store));
  const items = r.items || [];
  $('report-items').replaceChildren(...(items.length ? items.map((it, i) => h('tr', null,
    h('td', null, String(i + 1)), h('td', null, it.name + (it.spec ? '（' + it.spec + '）' : '')),
    h('td', { class: 'num' }, String(it.quantity)), h('td', { class: 'num' }, yuan(it.amount)))) : [h('tr', { class: 'empty' }, h('td', { colspan: '4' }, '这段时间没有售出商品'))]));
}

function groupTable(title, list) {
  const rows = (list || []).map((g) => h('tr', null, h('td', null, g.label), h('td', { class: 'num' }, String(g.orders)),
    h('td', { class: 'num' }, yuan(g.revenue)), h('td', { class: 'num' }, g.refunds ? g.refunds + ' 单 ' + yuan(g.refund_amount) : '—')));
  return h('div', { class: 'card' }, h('h3', null, title), h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, h('th', null, '名称'), h('th', { class: 'num' }, '单数'), h('th', { class: 'num' }, '实收'), h('th', { class: 'num' }, '退款'))),
    h('tbody', null, ...(rows.length ? rows : [h('tr', { class: 'empty' }, h('td', { colspan: '4' }, '无'))])))));
}

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// chart draws the revenue of each hour of the period as bars, the order
// count above each bar.
function chart(hours) {
  const W = 760, H = 240, padL = 8, padB = 26, padT = 20;
  const max = Math.max(1, ...hours.map((x) => x.revenue));
  const bw = (W - padL - 8) / Math.max(1, hours.length);
  const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': '每小时实收' });
  root.appendChild(svg('line', { x1: padL, x2: W - 4, y1: H - padB, y2: H - padB, class: 'grid' }));
  hours.forEach((x, i) => {
    const bh = ((H - padB - padT) * x.revenue) / max;
    const bx = padL + i * bw + bw * 0.15;
    const y = H - padB - bh;
    const rect = svg('rect', { x: bx.toFixed(1), y: y.toFixed(1), width: (bw * 0.7).toFixed(1), height: Math.max(0, bh).toFixed(1), rx: 3, class: 'bar', 'data-hour': x.label });
    rect.appendChild(svg('title', {}, x.label + ' — ' + x.orders + ' 单 ' + yuan(x.revenue)));
    root.appendChild(rect);
    if (x.orders > 0) root.appendChild(svg('text', { x: (bx + bw * 0.35).toFixed(1), y: (y - 4).toFixed(1), 'text-anchor': 'middle', class: 'val' }, String(x.orders)));
    if (i % 2 === 0) root.appendChild(svg('text', { x: (bx + bw * 0.35).toFixed(1), y: H - 8, 'text-anchor': 'middle', class: 'axis' }, x.label.slice(0, 2)));
  });
  return root;
}

