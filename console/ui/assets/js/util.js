// Small helpers shared by every part of the page: DOM building (text only,
// never HTML from the API), money in fen, times in Asia/Shanghai.

export const ZONE = 'Asia/Shanghai';

// h builds an element: h('div', {class: 'x', onclick: fn}, 'text', child…).
// Strings become text nodes, so customer notes can never inject markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export const $ = (id) => document.getElementById(id);

// yuan formats integer fen as ￥12.50 (U+FFE5), without floating point.
export function yuan(fen) {
  const n = Math.round(Number(fen) || 0);
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return sign + '\uFFE5' + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
}

const hm = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const hms = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const md = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, month: 'numeric', day: 'numeric' });
const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

function toDate(t) {
  if (!t) return null;
  const d = t instanceof Date ? t : new Date(t);
  return isNaN(d) ? null : d;
}

export function timeHM(t) { const d = toDate(t); return d ? hm.format(d) : ''; }
export function timeHMS(t) { const d = toDate(t); return d ? hms.format(d) : ''; }
export function dayOf(t) { const d = toDate(t); return d ? ymd.format(d) : ''; }

// when is HH:MM for today (Shanghai) and M月D日 HH:MM otherwise.
export function when(t) {
  const d = toDate(t);
  if (!d) return '';
  if (dayOf(d) === dayOf(serverNow())) return hm.format(d);
  return md.format(d) + ' ' + hm.format(d);
}

// The browser's clock may be off from the daemon's; countdowns use the daemon's.
// An HTTP Date header is only whole seconds (coarse): it corrects a real
// drift but does not override the millisecond times of live events.
let offsetMs = 0;
export function noteServerTime(t, coarse) {
  const d = toDate(t);
  if (!d) return;
  const off = d.getTime() - Date.now();
  if (coarse && Math.abs(off - offsetMs) < 1500) return;
  offsetMs = off;
}
export function serverNow() { return new Date(Date.now() + offsetMs); }

export function ms(t) { const d = toDate(t); return d ? d.getTime() : 0; }

// clock renders a duration as m:ss (or h:mm:ss).
export function clock(msLeft) {
  const s = Math.max(0, Math.floor(msLeft / 1000));
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const p = (n) => String(n).padStart(2, '0');
  return hh ? hh + ':' + p(mm) + ':' + p(ss) : mm + ':' + p(ss);
}

// span is a duration for people: 45秒, 3分20秒, 1小时5分.
export function span(seconds) {
  const raw = Number(seconds) || 0;
  if (raw <= 0) return '—';
  if (raw < 1) return '不到1秒';
  const s = Math.round(raw);
  if (s < 60) return s + '秒';
  if (s < 3600) return Math.floor(s / 60) + '分' + (s % 60 ? (s % 60) + '秒' : '');
  return Math.floor(s / 3600) + '小时' + Math.floor((s % 3600) / 60) + '分';
}

// ago is how long ago t was: 刚刚, 12秒前, 5分钟前.
export function ago(t) {
  const d = toDate(t);
  if (!d) return '从未';
  const s = Math.floor((serverNow() - d) / 1000);
  if (s < 5) return '刚刚';
  if (s < 60) return s + '秒前';
  if (s < 3600) return Math.floor(s / 60) + '分钟前';
  if (s < 86400) return Math.floor(s / 3600) + '小时前';
  return when(d);
}

export function debounce(fn, wait) {
  let t = 0;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), wait); };
}

export const STATUS_LABEL = {
  new: '待接单', accepted: '制作中', made: '待取餐', delivering: '配送中', completed: '已完成',
  cancelled: '已取消', rejected: '已拒单', refund_requested: '申请退款', refund_processing: '退款处理中', refunded: '已退款', pending_payment: '待支付',
};

// statusChip prefers the server's label: it knows the order's type (a made
// delivery order is 待配送, not 待取餐).
export function statusChip(status, label) {
  return h('span', { class: 'st st-' + status }, label || STATUS_LABEL[status] || status);
}

export const DOC_LABEL = { receipt: '小票', kitchen: '厨打', label: '杯贴', cancel: '取消单', refund: '退单', pause: '暂停制作', resume: '恢复制作', test: '测试页', reminder: '备餐提醒', partial_refund: '部分退款' };

// pickupOf names an order for staff: its pickup number, else the code's tail.
export function pickupOf(o) {
  return o.pickup_no || (o.code ? '#' + o.code.slice(-4) : '');
}

export function isDelivery(o) { return o.type === 3 || o.type === 4; }

// itemsLine is a one-line summary with the specs: 珍珠奶茶(大杯 / 少糖)×2、鸡米花.
export function itemsLine(o) {
  const items = o.items || [];
  if (!items.length) return o.detail_known === false ? '正在获取订单详情…' : '（无商品信息）';
  return items.map((it) => {
    const opts = optionsOf(it);
    return it.name + (opts ? '(' + opts + ')' : '') + (it.quantity > 1 ? '×' + it.quantity : '');
  }).join('、');
}

// optionsOf joins spec and property: 大杯 / 三分糖.
export function optionsOf(it) {
  return [it.spec, it.property].filter((s) => s && String(s).trim()).join(' / ');
}
