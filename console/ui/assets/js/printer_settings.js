// Printer settings: add, edit and remove printers and their routes, find
// printers (serial ports, USB, the Windows spooler, hosts on port 9100) and
// fill a form from a model preset. Saving writes the settings layer
// (data_dir/settings.yaml); the daemon validates the edit, refuses a broken
// one with its reason, and applies it without a restart.

import { h, $ } from './util.js';
import * as api from './api.js';
import { loadPrinters } from './store.js';
import { toast } from './toast.js';
import { confirmDialog, closeModal } from './dialogs.js';
import { openLayoutEditor } from './layout_editor.js';

const ROLES = { receipt: '小票（收银）', kitchen: '厨房（厨打）', label: '杯贴（标签）' };
const KIND = { tcp: '网络', serial: '串口', usb: 'USB', windows: 'Windows 打印机' };

const cfg = { printers: [], stores: [], file: '', settingsFile: '', editable: false, presets: [] };

export function initPrinterSettings() {
  const root = $('printer-settings');
  if (!root) return;
  load().catch((err) => toast(err.message, 'err'));
}

export async function load() {
  const [s, p] = await Promise.all([api.get('/api/settings/printers'), cfg.presets.length ? null : api.get('/api/printers/presets')]);
  cfg.printers = s.printers || [];
  cfg.stores = s.stores || [];
  cfg.file = s.file || '';
  cfg.settingsFile = s.settings_file || '';
  cfg.editable = !!s.editable;
  if (p) cfg.presets = p.presets || [];
  render();
}

function routeText(m) {
  if (!m) return '全部商品';
  const parts = [];
  if (m.product_ids && m.product_ids.length) parts.push('商品ID ' + m.product_ids.join('、'));
  if (m.names && m.names.length) parts.push('名称 ' + m.names.join('、'));
  if (m.categories && m.categories.length) parts.push('分类 ' + m.categories.join('、'));
  return parts.length ? parts.join('；') : '全部商品';
}

function storeText(ids) {
  if (!ids || !ids.length) return '全部门店';
  return ids.map((id) => (cfg.stores.find((s) => s.id === id) || { name: id }).name).join('、');
}

function render() {
  const root = $('printer-settings');
  const rows = cfg.printers.map((p, i) => h('tr', { dataset: { setting: p.name } },
    h('td', null, h('b', null, p.name)),
    h('td', null, ROLES[p.role] || p.role),
    h('td', { class: 'mono' }, p.connection),
    h('td', null, storeText(p.stores)),
    h('td', null, p.role === 'receipt' ? '整单' : routeText(p.match)),
    h('td', { class: 'col-actions' },
      h('button', { type: 'button', class: 'btn btn-sm', dataset: { edit: p.name }, disabled: !cfg.editable, onclick: () => editPrinter(i) }, '编辑'),
      h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', dataset: { remove: p.name }, disabled: !cfg.editable, onclick: () => removePrinter(i) }, '删除'))));
  root.replaceChildren(
    h('div', { class: 'panel-head' }, h('h2', null, '打印机设置'),
      h('span', { class: 'muted' }, cfg.editable ? '保存到 ' + cfg.settingsFile + '，立即生效，无需重启' : '此模式下不能在控制台修改'),
      h('span', { class: 'grow' }),
      h('button', { type: 'button', class: 'btn btn-sm', id: 'layouts-btn', disabled: !cfg.editable, onclick: openLayoutEditor }, '单据样式'),
      h('button', { type: 'button', class: 'btn btn-sm', id: 'discover-btn', disabled: !cfg.editable, onclick: discoverDialog }, '查找打印机'),
      h('button', { type: 'button', class: 'btn btn-sm btn-brand', id: 'add-printer-btn', disabled: !cfg.editable, onclick: () => editPrinter(-1) }, '添加打印机')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'settings-table' },
      h('thead', null, h('tr', null, h('th', null, '名称'), h('th', null, '用途'), h('th', null, '连接'), h('th', null, '门店'),
        h('th', null, '打印哪些商品'), h('th', { class: 'col-actions' }, '操作'))),
      h('tbody', null, rows.length ? rows : h('tr', { class: 'empty' }, h('td', { colspan: '6' }, '还没有打印机：点「查找打印机」或「添加打印机」'))))));
}

// save replaces the whole list; a refusal throws with the daemon's reasons.
async function save(list) {
  const res = await api.call('PUT', '/api/settings/printers', { printers: list });
  cfg.printers = res.printers || [];
  render();
  loadPrinters().catch(() => {});
  return res;
}

async function removePrinter(i) {
  const p = cfg.printers[i];
  await confirmDialog({
    title: '删除打印机 ' + p.name + '？', sub: '删除后不再向它打印；已排队的单据请先处理。', confirmText: '删除', danger: true,
    submit: async () => {
      await save(cfg.printers.filter((_, j) => j !== i));
      toast('已删除 ' + p.name, 'ok');
    },
  });
}

const list = (s) => String(s || '').split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);

function field(label, input, hint) {
  return h('label', { class: 'field' }, label, input, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

function select(name, options, value) {
  return h('select', { name, dataset: { field: name } },
    Object.entries(options).map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
}

// editPrinter opens the form for printer i (-1: a new one, prefilled from
// a discovered device when found is given).
export function editPrinter(i, found) {
  const old = i >= 0 ? cfg.printers[i] : null;
  const p = old ? structuredClone(old) : { role: 'receipt', connection: (found && found.connection) || '', match: {}, stores: [] };
  const m = p.match || {};
  const input = (name, value, attrs) => h('input', Object.assign({ name, value: value ?? '', dataset: { field: name }, autocomplete: 'off' }, attrs || {}));
  const f = {
    name: input('name', p.name, { maxlength: '40', placeholder: '例如 front、kitchen1、cups' }),
    role: select('role', ROLES, p.role),
    preset: h('select', { name: 'preset', dataset: { field: 'preset' } }, h('option', { value: '' }, '（不使用预设）'),
      cfg.presets.map((x) => h('option', { value: x.preset.id }, x.preset.brand_zh + ' ' + x.preset.model + (x.preset.kind === 'label' ? '（标签）' : '')))),
    connection: input('connection', p.connection, { placeholder: 'tcp://192.168.1.87:9100、serial://COM3?baud=9600、usb:///dev/usb/lp0、windows://打印机名' }),
    paper: select('paper', { '80mm': '80 毫米', '58mm': '58 毫米' }, p.paper || '80mm'),
    columns: input('columns', p.columns || '', { type: 'number', min: '24', max: '64', placeholder: '按纸宽' }),
    copies: input('copies', p.copies || 1, { type: 'number', min: '1', max: '5' }),
    charset: select('charset', { gbk: 'GBK', gb2312: 'GB2312', gb18030: 'GB18030' }, p.charset || 'gbk'),
    status: select('status_query', { on: '读取（双向连接）', off: '不读取（单向或不回应）' }, p.status_query || (found && found.status_query) || 'on'),
    cut: select('cut', { partial: '半切', full: '全切', none: '不切纸' }, p.cut || (p.role === 'label' ? 'none' : 'partial')),
    backup: h('select', { name: 'backup', dataset: { field: 'backup' } }, h('option', { value: '' }, '（无）'),
      cfg.printers.filter((x) => !old || x.name !== old.name).map((x) => h('option', { value: x.name, selected: x.name === p.backup }, x.name))),
    ids: input('product_ids', (m.product_ids || []).join(', '), { placeholder: '开个店商品ID；扫码点餐写 ordering:12' }),
    names: input('names', (m.names || []).join(', '), { placeholder: '名称的一部分或 *茶' }),
    cats: input('categories', (m.categories || []).join(', '), { placeholder: '扫码点餐菜单分类，例如 奶茶' }),
    width: input('width_mm', (p.label && p.label.width_mm) || 40, { type: 'number', min: '20', max: '110' }),
    height: input('height_mm', (p.label && p.label.height_mm) || 30, { type: 'number', min: '10', max: '100' }),
    gap: input('gap_mm', p.label && p.label.gap_mm !== undefined ? p.label.gap_mm : 2, { type: 'number', min: '0', max: '20' }),
  };
  const stores = h('div', { class: 'check-row' }, cfg.stores.map((s) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: s.id, dataset: { store: s.id }, checked: (p.stores || []).includes(s.id) }), s.name || s.id)));
  const routes = h('fieldset', { class: 'fieldset', id: 'route-fields' }, h('legend', null, '打印哪些商品（都不填 = 全部）'),
    field('商品ID', f.ids), field('名称', f.names), field('菜单分类', f.cats, '开个店的商品没有分类，请用商品ID或名称'));
  const escpos = h('div', { class: 'field-grid', id: 'escpos-fields' }, field('纸宽', f.paper), field('每行字数', f.columns), field('字符集', f.charset), field('切纸', f.cut));
  const label = h('div', { class: 'field-grid', id: 'label-fields' }, field('标签宽（毫米）', f.width), field('标签高（毫米）', f.height), field('间隙（毫米）', f.gap));
  const update = () => {
    const role = f.role.value;
    routes.hidden = role === 'receipt';
    label.hidden = role !== 'label';
    escpos.hidden = role === 'label';
  };
  f.role.addEventListener('change', update);
  f.preset.addEventListener('change', () => applyPreset(f, f.preset.value));
  if (found && found.presets && found.presets.length) {
    f.preset.value = found.presets[0];
    applyPreset(f, found.presets[0]);
  }
  if (found && found.status_query) f.status.value = found.status_query;
  update();
  const body = h('form', { class: 'printer-form', id: 'printer-form', onsubmit: (ev) => ev.preventDefault() },
    h('div', { class: 'field-grid' }, field('名称', f.name), field('用途', f.role), field('型号预设', f.preset, '按型号填好纸宽、字符集、状态读取等')),
    field('连接', f.connection),
    escpos, label,
    h('div', { class: 'field-grid' }, field('份数', f.copies), field('状态读取', f.status), field('备用打印机', f.backup)),
    h('div', { class: 'field' }, '服务门店（都不选 = 全部）', stores),
    routes);
  confirmDialog({
    title: old ? '编辑打印机 ' + old.name : '添加打印机', body, confirmText: '保存',
    sub: '保存后立即生效；有错误时不会保存，并说明原因。',
    submit: async () => {
      const next = Object.assign({}, p, {
        name: f.name.value.trim(), role: f.role.value, connection: f.connection.value.trim(),
        copies: Number(f.copies.value) || 1, status_query: f.status.value, backup: f.backup.value,
        stores: [...stores.querySelectorAll('input:checked')].map((c) => c.value),
      });
      if (next.role === 'label') {
        next.language = next.language === 'escpos' ? 'escpos' : 'tspl';
        next.label = Object.assign({}, p.label || {}, { width_mm: Number(f.width.value), height_mm: Number(f.height.value), gap_mm: Number(f.gap.value) });
        next.cut = next.language === 'tspl' ? 'none' : f.cut.value;
        delete next.paper; delete next.columns;
      } else {
        next.language = 'escpos';
        next.paper = f.paper.value;
        next.columns = Number(f.columns.value) || 0;
        next.charset = f.charset.value;
        next.cut = f.cut.value;
        delete next.label;
      }
      next.match = next.role === 'receipt' ? {} : { product_ids: list(f.ids.value), names: list(f.names.value), categories: list(f.cats.value) };
      const all = cfg.printers.slice();
      if (old) all[i] = next; else all.push(next);
      await save(all);
      toast('已保存 ' + next.name + '，已生效', 'ok');
    },
  });
  setTimeout(() => f.name.focus(), 30);
}

// applyPreset fills the form with what a model preset knows.
function applyPreset(f, id) {
  const x = cfg.presets.find((p) => p.preset.id === id);
  if (!x) return;
  const s = x.settings || {};
  f.role.value = x.preset.kind === 'label' ? 'label' : (f.role.value === 'label' ? 'receipt' : f.role.value);
  f.role.dispatchEvent(new Event('change'));
  if (s.paper) f.paper.value = s.paper;
  if (s.columns) f.columns.value = s.columns;
  if (s.charset) f.charset.value = s.charset;
  if (s.status_query) f.status.value = s.status_query;
  if (s.cut) f.cut.value = s.cut;
}

function discoverDialog() {
  const hosts = h('input', { id: 'discover-hosts', placeholder: '192.168.1.0/24、192.168.1.87 或 192.168.1.87:9100', autocomplete: 'off' });
  const probe = h('input', { type: 'checkbox', id: 'discover-probe', checked: true });
  const out = h('div', { class: 'discover-results', id: 'discover-results' }, h('p', { class: 'muted' }, '点「查找」列出本机串口、USB 打印机和 Windows 打印机；填写地址可查找网络打印机（端口 9100）。'));
  const run = async () => {
    out.replaceChildren(h('p', { class: 'muted' }, '正在查找…'));
    const res = await api.post('/api/printers/discover', { probe: probe.checked, hosts: list(hosts.value) });
    const devs = res.devices || [];
    const rows = devs.map((d) => h('div', { class: 'discover-row', dataset: { device: d.connection } },
      h('div', { class: 'discover-what' }, h('b', null, (KIND[d.kind] || d.kind) + ' ' + d.path),
        h('div', { class: 'muted' }, [d.manufacturer, d.model].filter(Boolean).join(' ') || '未知型号'),
        h('div', { class: d.problem ? 'err' : 'muted' }, d.problem ? (d.problem_label || d.problem.detail) : d.status_label)),
      d.configured ? h('span', { class: 'muted' }, '已添加为 ' + d.configured)
        : h('button', { type: 'button', class: 'btn btn-sm btn-brand', dataset: { add: d.connection }, onclick: () => { closeAndEdit(d); } }, '添加')));
    const fails = (res.failures || []).map((x) => h('p', { class: 'err' }, x.target + '：' + x.reason));
    out.replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted' }, '没有找到打印机')]), ...fails);
    if (res.error) out.append(h('p', { class: 'err' }, res.error));
  };
  const find = h('button', { type: 'button', class: 'btn btn-brand', id: 'discover-run', onclick: () => run().catch((err) => { out.replaceChildren(h('p', { class: 'err' }, err.message)); }) }, '查找');
  confirmDialog({
    title: '查找打印机', confirmText: '关闭', sub: '已添加的打印机和扫码枪的端口不会被打开。',
    body: h('div', null, field('网络地址（可选）', hosts), h('label', { class: 'check' }, probe, '询问本机串口和 USB 打印机的状态（扫码枪所在的端口不会打开）'),
      h('div', { class: 'btn-row' }, find), out),
    submit: async () => {},
  });
}

function closeAndEdit(d) {
  closeModal();
  setTimeout(() => editPrinter(-1, { connection: d.connection, presets: d.presets, status_query: d.status_query }), 50);
}
