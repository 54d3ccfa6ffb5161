// Boots the staff console: session, the 开始营业 click that unlocks sound,
// live events, periodic refreshes (a safety net for dropped events), the
// views, the ringing that repeats until someone acts, and the top bar.

import { $, h, timeHM, serverNow } from './util.js';
import * as api from './api.js';
import * as sound from './sound.js';
import * as store from './store.js';
import { connect } from './live.js';
import { initQueue } from './queue.js';
import { initBoard } from './board.js';
import { initDetail } from './detail.js';
import { initScan, showResult } from './scan.js';
import { initPrinters } from './printers.js';
import { initPlatform } from './platform.js';
import { initToday } from './today.js';
import { initGoods, loadGoods, loadGoodsSoon } from './goods.js';
import { initReports } from './reports.js';
import { initWebhooks } from './webhooks.js';
import { loadMenus } from './menu.js';
import { loadMembers } from './members.js';
import { initAlerts, setConnected } from './alerts.js';
import { initAnnounce, loadedActive, printerFault } from './announce.js';
import { initShortcuts } from './shortcuts.js';
import { initScreens, loadScreens } from './screens-admin.js';
import { promptDialog } from './dialogs.js';
import { toast } from './toast.js';

const VIEWS = ['orders', 'printers', 'platform', 'goods', 'today', 'reports', 'menu', 'members', 'screens'];

async function boot() {
  initStart();
  initTopbar();
  initQueue();
  initBoard();
  initDetail();
  initScan();
  initPrinters();
  initPlatform();
  initToday();
  initGoods();
  initReports();
  initWebhooks();
  initScreens();
  initAlerts();
  initViews();
  initRinger();
  initAnnounce();
  initShortcuts();
  await loadSession();
  let sseUp = false;
  let reachable = true;
  const showConn = () => {
    const up = sseUp && reachable;
    setConnected(up);
    $('conn').className = 'conn ' + (up ? 'up' : 'down');
    $('conn-text').textContent = up ? '实时' : '已断开';
  };
  let live = null;
  api.onReachability((ok) => {
    if (ok === reachable) return;
    reachable = ok;
    if (ok && live) live.restart();
    showConn();
  });
  live = connect({
    onEvent: dispatch,
    onOpen: () => { reloadAll(); },
    onState: (up) => { sseUp = up; showConn(); },
  });
  reloadAll();
  setInterval(() => { store.loadActive().catch(() => {}); store.loadFinished().catch(() => {}); }, 30000);
  setInterval(() => store.loadPrinters().catch(() => {}), 10000);
  setInterval(() => store.loadPlatform().catch(() => {}), 15000);
  setInterval(() => { if (currentView() === 'today') store.loadStats().catch(() => {}); }, 60000);
}

function reloadAll() {
  store.loadActive().then(loadedActive).catch((err) => toast(err.message, 'err'));
  store.loadFinished().catch(() => {});
  store.loadPrinters().catch(() => {});
  store.loadPlatform().catch(() => {});
  store.loadStats().catch(() => {});
}

async function loadSession() {
  try {
    const s = await api.get('/api/session');
    store.state.session = s;
    api.setCSRF(s.csrf);
    $('store-name').textContent = (s.sandbox ? '沙盒 · ' : s.setup ? '设置模式 · ' : '') + (s.store || '');
    $('setup-banner').hidden = !s.setup;
    $('setup-banner').textContent = s.setup ? s.setup.message : '';
    if (s.setup && s.setup.page) {
      $('setup-banner').append(' ', h('a', { href: s.setup.page, class: 'btn btn-sm btn-brand', id: 'setup-link' }, '打开设置向导'));
    }
    $('logout-btn').hidden = !s.pin_login;
  } catch (err) {
    toast(err.message, 'err');
  }
}

// Events name what changed; the page re-reads it (events carry no state).
const pendingOrders = new Set();
let orderTimer = 0;
function orderChanged(code) {
  if (!code) return;
  pendingOrders.add(code);
  clearTimeout(orderTimer);
  orderTimer = setTimeout(() => {
    const codes = [...pendingOrders];
    pendingOrders.clear();
    for (const c of codes) store.refreshOrder(c).catch(() => {});
  }, 60);
}

function dispatch(ev) {
  switch (ev.type) {
    case 'order':
    case 'decision':
      orderChanged(ev.code);
      if (ev.type === 'decision' && ev.kind === 'refund') store.addAlert({ level: 'critical', kind: 'refund', code: ev.code, message: ev.message || '有退款申请' });
      break;
    case 'alert':
      store.addAlert({ level: ev.level, kind: ev.kind, code: ev.code, message: ev.message, at: ev.time });
      if (ev.level === 'critical' && ev.kind !== 'waiting_order' && ev.kind !== 'delivery_alert') sound.ring('alert');
      // 备餐提醒 says its order with the clips (plan.js); a delivery problem
      // has no clip: the alert sound, then the browser's voice.
      if (ev.kind === 'prep_remind') sound.announce('prep_remind', (ev.data && ev.data.pickup_no) || '');
      if (ev.kind === 'delivery_alert') { sound.ring('alert'); setTimeout(() => sound.say('配送异常，请及时处理'), 900); }
      if (ev.code) orderChanged(ev.code);
      if (ev.kind && ev.kind.startsWith('outbox')) store.loadPlatformSoon();
      if (ev.kind === 'store_call' && currentView() === 'goods') loadGoodsSoon();
      break;
    case 'scan':
      if (ev.kind !== 'console' && ev.data) showResult(ev.data);
      orderChanged(ev.code);
      break;
    case 'printer':
      store.loadPrintersSoon();
      // A retry of a printer already shown as down is not news; a job that
      // has waited too long (critical) or failed or moved is.
      if ((ev.level === 'warn' && ev.kind !== 'job_retry') || ev.level === 'critical') {
        store.addAlert({ level: ev.level, kind: 'job_' + (ev.kind || ''), code: ev.code, message: ev.message, at: ev.time });
        if (ev.level === 'critical' || ev.kind === 'printer_status') printerFault((ev.data && ev.data.printer) || '');
      }
      if (ev.code) orderChanged(ev.code);
      break;
    case 'platform':
      if (ev.kind === 'store_call' && currentView() === 'goods') loadGoodsSoon();
      store.loadPlatformSoon();
      if (ev.code) orderChanged(ev.code);
      break;
  }
}


function initStart() {
  const overlay = $('start-overlay');
  const staff = $('start-staff');
  staff.value = api.staffName();
  $('staff-name').textContent = api.staffName() || '未填写';
  const start = async () => {
    api.setStaffName(staff.value);
    $('staff-name').textContent = api.staffName() || '未填写';
    await sound.unlock();
    overlay.hidden = true;
    sound.scanOK();
    $('scan-input').focus();
  };
  $('start-btn').addEventListener('click', start);
  staff.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') start(); });
  setTimeout(() => $('start-btn').focus(), 50);
}

function initTopbar() {
  const tickClock = () => { $('clock').textContent = timeHM(serverNow()); };
  tickClock();
  setInterval(tickClock, 1000);

  const pop = $('sound-pop');
  const btn = $('sound-btn');
  const vol = $('volume');
  const show = () => {
    const s = sound.state();
    btn.classList.toggle('off', !s.unlocked || s.muted || s.volume === 0);
    btn.title = !s.unlocked ? '提示音未开启' : s.muted ? '已静音' : '音量 ' + s.volume;
    vol.value = String(s.volume);
    $('mute-btn').textContent = s.muted ? '取消静音' : '静音';
    $('speech-on').checked = s.speech;
  };
  sound.onSoundState(show);
  show();
  btn.addEventListener('click', async (ev) => {
    ev.stopPropagation();
    if (!sound.unlocked()) await sound.unlock();
    if (!pop.hidden) { pop.hidden = true; return; }
    const r = btn.getBoundingClientRect();
    pop.style.top = (r.bottom + 6) + 'px';
    pop.style.right = Math.max(8, window.innerWidth - r.right) + 'px';
    pop.hidden = false;
  });
  document.addEventListener('click', (ev) => { if (!pop.hidden && !pop.contains(ev.target) && ev.target !== btn) pop.hidden = true; });
  vol.addEventListener('input', () => sound.setVolume(vol.value));
  $('sound-test').addEventListener('click', () => sound.announce('new_order', '1003'));
  $('mute-btn').addEventListener('click', () => sound.setMuted(!sound.state().muted));
  $('speech-on').addEventListener('change', (ev) => sound.setSpeech(ev.target.checked));

  $('staff-btn').addEventListener('click', () => promptDialog({
    title: '当班人员', sub: '操作记录里会写上这个名字。', value: api.staffName(), placeholder: '例如：小王',
    submit: (v) => { api.setStaffName(v); $('staff-name').textContent = api.staffName() || '未填写'; },
  }));
  $('logout-btn').addEventListener('click', async () => {
    try { await api.post('/logout', {}); } catch { /* leaving anyway */ }
    location.href = '/login';
  });
}

function currentView() {
  const v = location.hash.replace('#', '');
  return VIEWS.includes(v) ? v : 'orders';
}

function initViews() {
  const show = () => {
    const v = currentView();
    for (const sec of document.querySelectorAll('.view')) sec.hidden = sec.dataset.view !== v;
    for (const a of document.querySelectorAll('.view-link')) a.classList.toggle('active', a.dataset.view === v);
    if (v === 'printers') store.loadPrinters().catch(() => {});
    if (v === 'platform') store.loadPlatform().catch(() => {});
    if (v === 'today') store.loadStats().catch(() => {});
    if (v === 'goods') loadGoods().catch((err) => toast(err.message, 'err'));
    if (v === 'menu') loadMenus();
    if (v === 'members') loadMembers();
    if (v === 'screens') loadScreens();
  };
  window.addEventListener('hashchange', show);
  show();
  const dots = () => {
    const bad = (store.state.printers || []).some((p) => ['offline', 'paper_out', 'cover_open'].includes(p.state));
    const held = (store.state.jobs || []).length > 0;
    $('dot-printers').className = 'dot' + (bad ? ' bad' : held ? ' warn' : '');
    const pf = store.state.platform;
    const failing = pf && (pf.calls || []).some((c) => c.state === 'failed' || c.attempts > 1);
    const perr = pf && pf.health && pf.health.last_error_at && (!pf.health.last_platform_ok || new Date(pf.health.last_error_at) > new Date(pf.health.last_platform_ok));
    $('dot-platform').className = 'dot' + (failing ? ' bad' : perr ? ' warn' : '');
  };
  store.on('printers', dots);
  store.on('platform', dots);
}

// The ring repeats while an order waits for a decision: a chime for new
// orders, a different sound for refund requests, with speech now and then.
function initRinger() {
  let lastAccept = 0, lastRefund = 0, nAccept = 0, nRefund = 0;
  let known = new Set();
  const title = document.title;
  setInterval(() => {
    const ds = store.decisions();
    const accepts = ds.filter((o) => o.decision === 'accept');
    const refunds = ds.filter((o) => o.decision === 'refund');
    const codes = new Set(ds.map((o) => o.code));
    const fresh = ds.filter((o) => !known.has(o.code));
    known = codes;
    if (fresh.some((o) => o.decision === 'accept')) lastAccept = 0;
    if (fresh.some((o) => o.decision === 'refund')) lastRefund = 0;
    const now = Date.now();
    // The first ring of an order is its announcement (announce.js, with
    // its number); while it waits, the sound alone repeats.
    if (accepts.length && now - lastAccept >= 6000) {
      if (nAccept++ > 0) sound.ring('chime');
      lastAccept = now;
    } else if (refunds.length && now - lastRefund >= 7000 && now - lastAccept > 3000) {
      if (nRefund++ > 0) sound.ring('alert');
      lastRefund = now;
    }
    if (!accepts.length) nAccept = 0;
    if (!refunds.length) nRefund = 0;
    const n = ds.length;
    document.title = n ? '(' + n + ') ' + (accepts.length ? '新订单待接单' : '退款待处理') + ' · ' + title : title;
    const badge = $('badge-orders');
    badge.hidden = n === 0;
    badge.textContent = String(n);
  }, 500);
}

boot().catch((err) => {
  document.body.appendChild(h('div', { class: 'toast err' }, '页面启动失败：' + err.message));
});
