// Today: orders per hour as a bar chart drawn here (inline SVG), the average
// times accept → made → completed, refunds and the day's statuses.

import { h, $, span, serverNow, STATUS_LABEL } from './util.js';
import { state, on } from './store.js';

const SVG = 'http://www.w3.org/2000/svg'; // the SVG namespace name, not a download

export function initToday() {
  on('stats', render);
}

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function render() {
  const st = state.stats;
  if (!st) return;
  $('today-day').textContent = st.day || '';
  const kpi = (label, value, sub, level) => h('div', { class: 'kpi ' + (level || '') }, h('span', null, label), h('b', null, value), sub ? h('small', null, sub) : null);
  const by = st.by_status || {};
  const done = by.completed || 0;
  $('today-kpis').replaceChildren(
    kpi('今日订单', String(st.orders || 0), '已完成 ' + done),
    kpi('平均接单用时', span(st.avg_accept_seconds), '到店 → 接单'),
    kpi('平均制作用时', span(st.avg_made_seconds), '接单 → 制作完成'),
    kpi('平均取餐用时', span(st.avg_complete_seconds), '制作完成 → 完成'),
    kpi('退款', String(st.refunds || 0), '今日申请或退款的订单', st.refunds ? 'warn' : ''));
  $('today-chart').replaceChildren(chart(st.by_hour || []));
  const total = Object.values(by).reduce((a, b) => a + b, 0) || 1;
  const rows = Object.entries(by).sort((a, b) => b[1] - a[1]).map(([s, n]) => {
    const bar = h('i');
    bar.style.width = Math.round((n / total) * 100) + '%';
    return h('div', { class: 'sbar' }, h('span', null, STATUS_LABEL[s] || s), h('div', { class: 'sbar-track' }, bar), h('b', null, String(n)));
  });
  $('today-status').replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted' }, '今天还没有订单')]));
}

// chart draws 24 hourly bars, trimmed to the hours that had orders (at least
// 08:00–22:00), with the current hour highlighted.
function chart(byHour) {
  const hours = byHour.length === 24 ? byHour : new Array(24).fill(0);
  let first = 8, last = 22;
  hours.forEach((n, i) => { if (n > 0) { first = Math.min(first, i); last = Math.max(last, i); } });
  const shown = [];
  for (let i = first; i <= last; i++) shown.push(i);
  const max = Math.max(1, ...shown.map((i) => hours[i]));
  const W = 720, H = 240, padL = 30, padB = 26, padT = 18;
  const bw = (W - padL - 8) / shown.length;
  const nowHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(serverNow()));
  const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': '每小时订单数' });
  const step = Math.max(1, Math.ceil(max / 4));
  for (let v = 0; v <= max; v += step) {
    const y = H - padB - ((H - padB - padT) * v) / max;
    root.appendChild(svg('line', { x1: padL, x2: W - 4, y1: y, y2: y, class: 'grid' }));
    root.appendChild(svg('text', { x: padL - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, String(v)));
  }
  shown.forEach((hr, i) => {
    const n = hours[hr];
    const bh = ((H - padB - padT) * n) / max;
    const x = padL + i * bw + bw * 0.15;
    const y = H - padB - bh;
    const rect = svg('rect', { x: x.toFixed(1), y: y.toFixed(1), width: (bw * 0.7).toFixed(1), height: Math.max(0, bh).toFixed(1), rx: 3, class: 'bar' + (hr === nowHour ? ' now' : '') });
    rect.appendChild(svg('title', {}, hr + ':00 — ' + n + ' 单'));
    root.appendChild(rect);
    if (n > 0) root.appendChild(svg('text', { x: (x + bw * 0.35).toFixed(1), y: (y - 4).toFixed(1), 'text-anchor': 'middle', class: 'val' }, String(n)));
    root.appendChild(svg('text', { x: (x + bw * 0.35).toFixed(1), y: H - 8, 'text-anchor': 'middle', class: 'axis' }, String(hr)));
  });
  return root;
}
