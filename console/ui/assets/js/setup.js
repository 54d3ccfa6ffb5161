// The first-run setup page: stores, printers (with discovery), the staff
// PIN and, last, the 开个店 credentials. Each step saves to the settings
// layer; with the credentials the service leaves setup mode by itself.

import { h, $ } from './util.js';
import * as api from './api.js';
import { toast } from './toast.js';
import { initPrinterSettings } from './printer_settings.js';

function storeRow(s) {
  return h('div', { class: 'field-grid store-row' },
    h('label', { class: 'field' }, '门店编号', h('input', { class: 'store-id', value: s.id || '', autocomplete: 'off', placeholder: '例如 1862' })),
    h('label', { class: 'field' }, '门店名称', h('input', { class: 'store-name', value: s.name || '', autocomplete: 'off', placeholder: '例如 南翔一店' })));
}

async function guarded(errEl, fn) {
  errEl.textContent = '';
  try {
    await fn();
  } catch (err) {
    errEl.textContent = err.message;
  }
}

async function init() {
  let s;
  try {
    const session = await api.get('/api/session');
    api.setCSRF(session.csrf);
    s = await api.get('/api/setup');
  } catch (err) {
    toast(err.message, 'err');
    return;
  }
  $('setup-file').textContent = '保存到 ' + s.settings_file;
  const rows = $('store-rows');
  rows.replaceChildren(...(s.stores && s.stores.length ? s.stores : [{}]).map(storeRow));
  $('store-add').onclick = () => rows.append(storeRow({}));
  $('stores-save').onclick = () => guarded($('stores-error'), async () => {
    const stores = [...rows.querySelectorAll('.store-row')].map((r) => ({
      id: r.querySelector('.store-id').value.trim(), name: r.querySelector('.store-name').value.trim() }));
    await api.call('PUT', '/api/setup/stores', { stores });
    toast('门店已保存', 'ok');
    $('step-stores').classList.add('saved');
    initPrinterSettings();
  });
  $('pin-save').onclick = () => guarded($('pin-error'), async () => {
    await api.call('PUT', '/api/setup/pin', { pin: $('pin-input').value });
    $('pin-input').value = '';
    toast('PIN 已保存', 'ok');
    $('step-pin').classList.add('saved');
  });
  const pf = s.platform || {};
  for (const k of ['base_url', 'partner_id', 'app_id']) $('pf-' + k).value = pf[k] || '';
  $('platform-save').onclick = () => guarded($('platform-error'), async () => {
    const body = {};
    for (const k of ['base_url', 'partner_id', 'app_id', 'access_token', 'private_key', 'public_key']) body[k] = $('pf-' + k).value.trim();
    await api.call('PUT', '/api/setup/platform', body);
    $('done-text').textContent = '凭证已保存，正在启动接单…';
    $('step-done').hidden = false;
    await waitLive();
  });
  initPrinterSettings();
  if (!s.setup) showDone();
}

function showDone() {
  $('step-done').hidden = false;
  $('done-text').textContent = '服务已开始接单。';
  $('step-done').dataset.live = '1';
}

// waitLive polls until the service answers outside setup mode.
async function waitLive() {
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const hth = await api.get('/api/health');
      if (!hth.setup) {
        showDone();
        return;
      }
    } catch { /* restarting its listener: try again */ }
  }
  $('done-text').textContent = '服务还没有离开设置模式：请运行 posbridge doctor 查看原因。';
}

init();
