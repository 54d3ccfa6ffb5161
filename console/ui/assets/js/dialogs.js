// Modal dialogs: reason pickers (reject, refuse a refund, after-sales
// refund), the courier form and confirmations. The submit callback runs
// inside the dialog, so the daemon's answer (e.g. 订单已取消) shows there.

import { h, $ } from './util.js';

export const REJECT_REASONS = ['商品已售罄', '门店繁忙', '已打烊', '超出配送范围', '其他'];
export const REFUND_REJECT_REASONS = ['餐品已制作', '餐品已送出', '顾客已取餐', '其他'];
export const AFTER_SALES_REASONS = ['商品质量问题', '出餐错误', '顾客投诉', '其他'];

let closeCurrent = null;

export function isOpen() { return !$('modal-backdrop').hidden; }

function open(content, onClose) {
  const back = $('modal-backdrop');
  const box = $('modal');
  box.replaceChildren(...content);
  back.hidden = false;
  const close = () => {
    back.hidden = true;
    box.replaceChildren();
    document.removeEventListener('keydown', onKey, true);
    closeCurrent = null;
    onClose();
  };
  const onKey = (ev) => {
    if (ev.key === 'Escape') { ev.preventDefault(); close(); }
  };
  document.addEventListener('keydown', onKey, true);
  back.onclick = (ev) => { if (ev.target === back) close(); };
  closeCurrent = close;
  return close;
}

export function closeModal() { if (closeCurrent) closeCurrent(); }

// submitting disables the buttons while the call runs and shows its error.
async function submitting(btns, errEl, fn) {
  errEl.textContent = '';
  btns.forEach((b) => { b.disabled = true; });
  try {
    await fn();
    return true;
  } catch (err) {
    errEl.textContent = err.message || String(err);
    return false;
  } finally {
    btns.forEach((b) => { b.disabled = false; });
  }
}

// reasonDialog asks for a reason (common ones as big buttons, plus free
// text) and calls submit(reason). Resolves true when submit succeeded.
export function reasonDialog({ title, sub, reasons, confirmText, danger, submit }) {
  return new Promise((resolve) => {
    let picked = '';
    let done = false;
    const text = h('textarea', { id: 'reason-text', placeholder: '补充说明（选“其他”时必填）', maxlength: '120' });
    const err = h('p', { class: 'modal-error', role: 'alert' });
    const ok = h('button', { type: 'button', class: 'btn ' + (danger ? 'btn-danger' : 'btn-brand'), id: 'reason-ok', disabled: true }, confirmText || '确定');
    const cancel = h('button', { type: 'button', class: 'btn' }, '取消');
    const grid = h('div', { class: 'reason-grid' }, reasons.map((r) => h('button', {
      type: 'button', class: 'btn', dataset: { reason: r },
      onclick: (ev) => {
        picked = r;
        grid.querySelectorAll('.btn').forEach((b) => b.classList.toggle('picked', b === ev.currentTarget));
        update();
        if (r === '其他') text.focus();
      },
    }, r)));
    const reason = () => {
      const extra = text.value.trim();
      if (picked === '其他' || !picked) return extra;
      return extra ? picked + '：' + extra : picked;
    };
    const update = () => { ok.disabled = !reason(); };
    text.addEventListener('input', update);
    const close = open([
      h('h2', null, title),
      sub ? h('p', { class: 'modal-sub' }, sub) : null,
      grid,
      h('label', { class: 'field' }, '说明', text),
      err,
      h('div', { class: 'modal-actions' }, cancel, ok),
    ], () => { if (!done) resolve(false); });
    cancel.onclick = close;
    ok.onclick = async () => {
      if (await submitting([ok, cancel], err, () => submit(reason()))) {
        done = true;
        close();
        resolve(true);
      }
    };
  });
}

// courierDialog asks for the courier's name and phone (delivery orders).
export function courierDialog({ title, submit }) {
  return new Promise((resolve) => {
    let done = false;
    const name = h('input', { id: 'courier-name', maxlength: '20', placeholder: '骑手姓名', autocomplete: 'off' });
    const phone = h('input', { id: 'courier-phone', maxlength: '20', placeholder: '手机号', inputmode: 'tel', autocomplete: 'off' });
    const channel = h('select', { id: 'courier-channel' }, ...COURIER_CHANNELS.map(([code, name]) => h('option', { value: code }, name)));
    const expressNo = h('input', { id: 'courier-no', maxlength: '40', placeholder: '选填', autocomplete: 'off' });
    const remark = h('input', { id: 'courier-remark', maxlength: '100', placeholder: '选填', autocomplete: 'off' });
    const err = h('p', { class: 'modal-error', role: 'alert' });
    const ok = h('button', { type: 'button', class: 'btn btn-brand' }, '开始配送');
    const cancel = h('button', { type: 'button', class: 'btn' }, '取消');
    const close = open([
      h('h2', null, title || '填写骑手信息'),
      h('p', { class: 'modal-sub' }, '平台会把骑手信息告诉顾客。'),
      h('label', { class: 'field' }, '骑手姓名', name),
      h('label', { class: 'field' }, '骑手手机号', phone),
      h('label', { class: 'field' }, '配送渠道', channel),
      h('label', { class: 'field' }, '运单号', expressNo),
      h('label', { class: 'field' }, '备注', remark),
      err,
      h('div', { class: 'modal-actions' }, cancel, ok),
    ], () => { if (!done) resolve(false); });
    setTimeout(() => name.focus(), 30);
    cancel.onclick = close;
    ok.onclick = async () => {
      if (!name.value.trim() || !/^1\d{10}$/.test(phone.value.replace(/\s|-/g, ''))) {
        err.textContent = '请填写骑手姓名和 11 位手机号';
        return;
      }
      const ch = COURIER_CHANNELS.find(([code]) => code === channel.value) || ['', ''];
      const courier = { contacts_name: name.value.trim(), mobile: phone.value.replace(/\s|-/g, ''),
        express_channel_code: ch[0], express_channel_name: ch[0] ? ch[1] : '', express_no: expressNo.value.trim(), remark: remark.value.trim() };
      if (await submitting([ok, cancel], err, () => submit(courier))) {
        done = true;
        close();
        resolve(true);
      }
    };
  });
}

// confirmDialog asks yes/no and runs submit on yes.
export function confirmDialog({ title, sub, body, confirmText, danger, submit }) {
  return new Promise((resolve) => {
    let done = false;
    const err = h('p', { class: 'modal-error', role: 'alert' });
    const ok = h('button', { type: 'button', class: 'btn ' + (danger ? 'btn-danger' : 'btn-brand'), id: 'confirm-ok' }, confirmText || '确定');
    const cancel = h('button', { type: 'button', class: 'btn' }, '取消');
    const close = open([
      h('h2', null, title),
      sub ? h('p', { class: 'modal-sub' }, sub) : null,
      body || null,
      err,
      h('div', { class: 'modal-actions' }, cancel, ok),
    ], () => { if (!done) resolve(false); });
    cancel.onclick = close;
    ok.onclick = async () => {
      if (await submitting([ok, cancel], err, submit)) {
        done = true;
        close();
        resolve(true);
      }
    };
  });
}

// promptDialog asks for one line of text (the staff name).
export function promptDialog({ title, sub, value, placeholder, submit }) {
  return new Promise((resolve) => {
    const input = h('input', { value: value || '', placeholder: placeholder || '', maxlength: '20', autocomplete: 'off' });
    const ok = h('button', { type: 'button', class: 'btn btn-brand' }, '保存');
    const cancel = h('button', { type: 'button', class: 'btn' }, '取消');
    const close = open([
      h('h2', null, title),
      sub ? h('p', { class: 'modal-sub' }, sub) : null,
      h('label', { class: 'field' }, input),
      h('div', { class: 'modal-actions' }, cancel, ok),
    ], () => resolve(false));
    setTimeout(() => input.focus(), 30);
    cancel.onclick = close;
    const save = () => { submit(input.value); close(); };
    ok.onclick = save;
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') save(); });
  });
}

// The documents' courier companies (distribution.md 配送渠道); '' = not said.
const COURIER_CHANNELS = [['', '（不填）'], ['SelfDelivery', '自配送'], ['ShunFeng', '顺丰'], ['MeiTuan', '美团'], ['DaDa', '达达'],
  ['FengNiao', '蜂鸟'], ['DianWoDa', '点我达'], ['DingDing', '叮叮'], ['CanTingBao', '餐厅宝'], ['ShanSong', '闪送']];
