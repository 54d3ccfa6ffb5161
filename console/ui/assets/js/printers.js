// Printers: state per printer, queues, test print, and the jobs that need a
// person (held after an outage, or failed) with print / drop.

import { h, $, when, ago, DOC_LABEL } from './util.js';
import * as api from './api.js';
import { state, on, loadPrinters } from './store.js';
import { toast } from './toast.js';
import { renderPreview } from './preview.js';
import { confirmDialog } from './dialogs.js';
import { openDetail } from './detail.js';
import { initPrinterSettings } from './printer_settings.js';

export const ROLE_LABEL = { receipt: '小票打印机', kitchen: '厨房打印机', label: '杯贴打印机' };

// printerState is the state in the words staff use, and how bad it is.
export function printerState(p) {
  // The Windows spooler's words (脱机、缺纸、任务出错…) say more than ours.
  const spooler = p.status_from === 'spooler' && p.label;
  switch (p.state) {
    case 'online': return { text: spooler ? '就绪（系统队列）' : '在线', level: 'ok' };
    case 'offline': return { text: spooler || '离线', level: 'bad' };
    case 'online': return { text: '在线', level: 'ok' };
    case 'paper_near_end': return { text: '纸将用完', level: 'warn' };
    case 'paper_out': return { text: '缺纸', level: 'bad' };
    case 'cover_open': return { text: '开盖', level: 'bad' };
  }
  return { text: '状态未知', level: 'unknown' };
}

export function initPrinters() {
  on('printers', render);
  initPrinterSettings();
}

function render() {
  const grid = $('printer-grid');
  const printers = state.printers || [];
  if (!printers.length) {
    grid.replaceChildren(h('div', { class: 'card' }, h('p', null, '没有配置打印机。'), h('p', { class: 'muted' }, '在 posbridge.yaml 的 printers 中添加后重启服务。')));
  } else {
    grid.replaceChildren(...printers.map(card));
  }
  $('printers-updated').textContent = '更新于 ' + when(new Date());
  const body = $('jobs-body');
  if (!state.jobs.length) {
    body.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: '7' }, '没有需要处理的打印任务')));
  } else {
    body.replaceChildren(...state.jobs.map(jobRow));
  }
}

function card(p) {
  const st = printerState(p);
  const q = (n, label, hot) => h('div', { class: hot && n > 0 ? 'hot' : '' }, h('b', null, String(n || 0)), h('span', null, label));
  return h('div', { class: 'pcard ' + st.level, dataset: { printer: p.name, state: p.state } },
    h('div', { class: 'pcard-top' },
      h('div', null, h('div', { class: 'pcard-name' }, p.name), h('div', { class: 'pcard-role' }, ROLE_LABEL[p.role] || p.role)),
      h('span', { class: 'pcard-state ' + st.level, dataset: { state: p.state } }, st.text)),
    h('div', { class: 'pcard-queue' }, q(p.queued, '排队'), q(p.sending, '打印中'), q(p.held, '暂停', true), q(p.failed, '失败', true)),
    p.stuck ? h('div', { class: 'pcard-err' }, p.hint) : null,
    !p.stuck && p.last_error && st.level !== 'ok' ? h('div', { class: 'pcard-err', title: p.last_error }, p.hint || p.last_error) : null,
    p.last_error && p.hint && st.level !== 'ok' ? h('div', { class: 'pcard-info pcard-raw' }, '详情：' + p.last_error) : null,
    p.status_from === 'none' ? h('div', { class: 'pcard-info pcard-hint', dataset: { hint: 'oneway' } }, p.hint) : null,
    p.status_from === 'spooler' && p.label && st.level !== 'ok' ? h('div', { class: 'pcard-info' }, '系统打印队列：' + p.label) : null,
    p.failing_over ? h('div', { class: 'pcard-err' }, '故障中，单据转到备用打印机 ' + (p.backup || '')) : null,
    h('div', { class: 'pcard-info' }, p.connection + (p.backup && !p.failing_over ? ' · 备用 ' + p.backup : '')),
    h('div', { class: 'pcard-info' }, '上次打印：' + (p.last_printed ? ago(p.last_printed) : '今天还没有') + (p.checked_at ? ' · 状态检查 ' + ago(p.checked_at) : '')),
    h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn btn-sm', dataset: { test: p.name }, onclick: () => testPrint(p.name) }, '测试打印')));
}

async function testPrint(name) {
  try {
    await api.post('/api/printers/' + encodeURIComponent(name) + '/test', {});
    toast('已发送测试页到 ' + name, 'ok');
    setTimeout(() => loadPrinters().catch(() => {}), 800);
  } catch (err) {
    toast(err.message, 'err');
  }
}

function jobRow(j) {
  const stateText = j.state === 'held' ? '暂停' : '失败';
  return h('tr', { dataset: { job: j.id } },
    h('td', null, when(j.created_at)),
    h('td', null, j.printer + (j.original_printer ? '（原 ' + j.original_printer + '）' : '')),
    h('td', null, j.order_code ? h('button', { type: 'button', class: 'link', onclick: () => openDetail(j.order_code) }, '…' + j.order_code.slice(-6)) : '—'),
    h('td', null, (DOC_LABEL[j.doc] || j.title || j.doc) + (j.reprint ? '（补打）' : '')),
    h('td', null, h('span', { class: j.state === 'failed' ? 'st st-refunded' : 'st st-new' }, stateText)),
    h('td', { class: 'err' }, j.last_error || ''),
    h('td', { class: 'col-actions' },
      h('button', { type: 'button', class: 'btn btn-sm', onclick: () => preview(j) }, '预览'),
      h('button', { type: 'button', class: 'btn btn-sm btn-brand', dataset: { release: j.id }, onclick: () => decide(j, true) }, j.state === 'failed' ? '重试' : '打印'),
      h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', dataset: { drop: j.id }, onclick: () => decide(j, false) }, '放弃')));
}

async function decide(j, release) {
  const run = async () => {
    await api.post('/api/jobs/' + j.id + '/' + (release ? 'release' : 'drop'), {});
    toast(release ? '已重新打印' : '已放弃该单据', 'ok');
    loadPrinters().catch(() => {});
  };
  if (release) {
    try { await run(); } catch (err) { toast(err.message, 'err'); }
    return;
  }
  await confirmDialog({ title: '放弃打印这张单据？', sub: (DOC_LABEL[j.doc] || j.doc) + ' · ' + j.printer + '。放弃后不会再打印。', confirmText: '放弃', danger: true, submit: run });
}

async function preview(j) {
  let p;
  try {
    p = await api.get('/api/jobs/' + j.id + '/preview');
  } catch (err) {
    toast(err.message, 'err');
    return;
  }
  await confirmDialog({
    title: (DOC_LABEL[j.doc] || j.doc) + ' · ' + j.printer,
    body: h('div', { class: 'doc-body' }, renderPreview(p.preview, p.text, j.id)),
    confirmText: j.state === 'failed' ? '重试打印' : '打印',
    submit: async () => {
      await api.post('/api/jobs/' + j.id + '/release', {});
      toast('已重新打印', 'ok');
      loadPrinters().catch(() => {});
    },
  });
}
