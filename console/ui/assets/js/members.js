// 会员: member cards kept in posbridge's own database. Find a card by number
// or phone, issue or import cards, see a card's ledger (every change a row),
// adjust a balance behind the manager's PIN, handle customers' appeals.

import { h, $ } from './util.js';
import * as api from './api.js';
import { confirmDialog } from './dialogs.js';
import { toast } from './toast.js';

let wired = false;
let shown = null; // the card whose ledger is open

export async function loadMembers() {
  if (!wired) wire();
  await Promise.all([search(), loadAppeals()]);
}

function wire() {
  wired = true;
  $('member-search').addEventListener('submit', (e) => { e.preventDefault(); search(); });
  $('member-issue').addEventListener('submit', (e) => { e.preventDefault(); issue(); });
  $('member-upload').addEventListener('submit', (e) => { e.preventDefault(); importCSV(); });
  $('member-adjust').addEventListener('submit', (e) => { e.preventDefault(); adjust(); });
}

async function search() {
  const q = $('member-q').value.trim();
  let data;
  try {
    data = await api.get('/api/members/cards?q=' + encodeURIComponent(q));
  } catch (err) {
    $('member-cards').replaceChildren(h('tr', null, h('td', { colspan: '6', class: 'muted' }, err.message)));
    return;
  }
  const rows = (data.cards || []).map((c) => h('tr', { dataset: { card: c.card_no } },
    h('td', null, c.card_no), h('td', null, c.phone || (c.bound ? '已绑定' : '未绑定')), h('td', null, c.level),
    h('td', null, '￥' + c.balance), h('td', null, String(c.points)),
    h('td', null, h('button', { type: 'button', class: 'btn btn-sm', dataset: { open: c.id }, onclick: () => openCard(c.id) }, '流水'))));
  $('member-cards').replaceChildren(...(rows.length ? rows : [h('tr', null, h('td', { colspan: '6', class: 'muted' }, '没有找到会员卡'))]));
}

async function openCard(id) {
  let data;
  try {
    data = await api.get('/api/members/cards/' + id + '/ledger');
  } catch (err) { toast(err.message, 'err'); return; }
  shown = data.card;
  $('member-detail').hidden = false;
  $('member-title').textContent = '卡号 ' + shown.card_no + ' · ' + shown.level + ' · 余额 ￥' + shown.balance + ' · 积分 ' + shown.points;
  $('member-csv').href = '/api/members/cards/' + id + '/ledger.csv';
  const words = { payment: '消费', refund: '退款', top_up: '充值', top_up_bonus: '充值赠送', top_up_refund: '充值退款', opening: '开卡余额',
    adjust: '人工调整', earned: '消费积分', unearned: '退回积分', redeemed: '积分抵扣' };
  const refunded = new Set((data.rows || []).filter((r) => r.reason === 'top_up_refund').map((r) => r.ref));
  $('member-ledger').replaceChildren(...(data.rows || []).map((r) => h('tr', { dataset: { ref: r.ref || '' } },
    h('td', null, r.at), h('td', null, r.account === 'balance' ? '余额' : '积分'), h('td', null, r.delta), h('td', null, r.after),
    h('td', null, (words[r.reason] || r.reason) + (r.ref ? ' ' + r.ref : '')), h('td', null, r.actor), h('td', null, r.note),
    h('td', null, r.reason === 'top_up' && /^D\d+$/.test(r.ref) && !refunded.has(r.ref)
      ? h('button', { type: 'button', class: 'btn btn-sm', dataset: { refund: r.ref }, onclick: () => refundTopUp(r) }, '退款') : ''))));
}

// refundTopUp refunds a top-up to the payer through the provider: the
// credit comes off the card now, the provider refund is sent by the daemon.
async function refundTopUp(r) {
  const reason = h('input', { id: 'refund-reason', placeholder: '退款原因', maxlength: '100', 'aria-label': '退款原因' });
  const pin = pinInput();
  const ok = await confirmDialog({ title: '退款充值 ' + r.ref + '（卡内扣回 ￥' + r.delta.replace(/^\+/, '') + '）',
    sub: '原路退回付款人；卡内余额须足够扣回（已消费部分不能退）', body: h('div', null, reason, pin), confirmText: '确认退款', danger: true,
    submit: async () => {
      if (!reason.value.trim()) throw new Error('请填写退款原因');
      await api.post('/api/members/deposits/' + r.ref.slice(1) + '/refund', { reason: reason.value.trim(), manager_pin: pin.value });
    } });
  if (ok) {
    toast('已退款：正在原路退回', 'ok');
    await openCard(shown.id);
    await search();
  }
}

function pinInput() {
  return h('input', { type: 'password', id: 'manager-pin', placeholder: '店长 PIN', autocomplete: 'off', 'aria-label': '店长 PIN' });
}

async function issue() {
  const body = { card_no: $('issue-no').value.trim(), password: $('issue-pwd').value, opening_balance: $('issue-opening').value.trim() };
  const send = async () => {
    await api.post('/api/members/cards', body);
    toast('已发卡 ' + body.card_no, 'ok');
    $('member-issue').reset();
    $('member-q').value = body.card_no;
    await search();
  };
  if (body.opening_balance && body.opening_balance !== '0' && body.opening_balance !== '0.00') {
    const pin = pinInput();
    await confirmDialog({ title: '发卡：初始余额 ￥' + body.opening_balance, sub: '初始余额是钱，需要店长 PIN', body: pin, confirmText: '发卡',
      submit: async () => { body.manager_pin = pin.value; await send(); } });
    return;
  }
  try { await send(); } catch (err) { toast(err.message, 'err'); }
}

async function importCSV() {
  const f = $('import-file').files[0];
  $('import-errors').replaceChildren();
  if (!f) { toast('请选择 CSV 文件', 'warn'); return; }
  if (f.size > 256 * 1024) { toast('文件太大：最多 256 KB', 'err'); return; }
  const text = await f.text();
  const send = async (pin) => {
    try {
      const r = await api.post(`/api/members/cards/import`, { csv: text, manager_pin: pin || '' });
      toast('已导入 ' + r.imported + ' 张卡', 'ok');
      $('member-q').value = '';
      await search();
    } catch (err) {
      const lines = (err.body && err.body.lines) || [];
      $('import-errors').replaceChildren(...lines.map((l) => h('li', { class: 'import-error' }, '第 ' + l.line + ' 行' + (l.card_no ? '（' + l.card_no + '）' : '') + '：' + l.error)));
      if (err.status === 403 && !pin) {
        const p = pinInput();
        await confirmDialog({ title: '导入含初始余额', sub: '需要店长 PIN', body: p, confirmText: '导入', submit: async () => {
          const r = await api.post(`/api/members/cards/import`, { csv: text, manager_pin: p.value });
          toast('已导入 ' + r.imported + ' 张卡', 'ok');
          await search();
        } });
        return;
      }
      toast(err.message, 'err');
    }
  };
  await send('');
}

async function adjust() {
  if (!shown) return;
  const body = { account: $('adjust-account').value, delta: $('adjust-delta').value.trim(), reason: $('adjust-reason').value.trim() };
  if (!body.delta || !body.reason) { toast('请填写调整数额和原因', 'warn'); return; }
  const pin = pinInput();
  const ok = await confirmDialog({ title: '调整 ' + shown.card_no + (body.account === 'balance' ? ' 余额 ' : ' 积分 ') + body.delta,
    sub: '原因：' + body.reason, body: pin, confirmText: '确认调整', danger: true,
    submit: async () => { body.manager_pin = pin.value; await api.post('/api/members/cards/' + shown.id + '/adjust', body); } });
  if (ok) {
    toast('已调整', 'ok');
    $('member-adjust').reset();
    await openCard(shown.id);
    await search();
  }
}

async function loadAppeals() {
  let data;
  try { data = await api.get('/api/members/appeals'); } catch { return; }
  const rows = (data.appeals || []).map((a) => h('tr', { dataset: { appeal: a.id } },
    h('td', null, a.at), h('td', null, a.ref), h('td', null, a.phone), h('td', null, a.reason),
    h('td', null, ...a.images.map((u, i) => h('a', { href: u, target: '_blank', rel: 'noopener' }, '图' + (i + 1) + ' '))),
    h('td', null, a.status === 'success' ? '已处理' + (a.resolved_by ? '（' + a.resolved_by.replace(/^staff:/, '') + '）' : '') : '待处理'),
    h('td', null, a.status === 'success' ? '' : h('button', { type: 'button', class: 'btn btn-sm', dataset: { resolve: a.id }, onclick: () => resolve(a) }, '处理'))));
  $('member-appeals').replaceChildren(...(rows.length ? rows : [h('tr', null, h('td', { colspan: '7', class: 'muted' }, '没有申诉'))]));
}

async function resolve(a) {
  const note = h('input', { id: 'appeal-note', placeholder: '处理说明（如：已补充值）', maxlength: '100', 'aria-label': '处理说明' });
  const ok = await confirmDialog({ title: '处理申诉 ' + a.ref, body: note, confirmText: '标记已处理',
    submit: async () => { await api.post('/api/members/appeals/' + a.id + '/resolve', { note: note.value }); } });
  if (ok) { toast('已处理', 'ok'); await loadAppeals(); }
}
