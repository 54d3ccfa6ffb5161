// Calls to the daemon's console API. A PIN session sends its CSRF token with
// every state-changing call; the staff name goes along as X-Staff-Name.

import { noteServerTime } from './util.js';

let csrf = '';
let staff = localStorage.getItem('posbridge.staff') || '';
const reachability = new Set();

export function setCSRF(token) { csrf = token || ''; }
export function staffName() { return staff; }
export function setStaffName(name) {
  staff = (name || '').trim().slice(0, 20);
  localStorage.setItem('posbridge.staff', staff);
}

// onReachability(fn) is told true/false as calls succeed or fail to connect.
export function onReachability(fn) { reachability.add(fn); }
function reachable(ok) { for (const fn of reachability) fn(ok); }

// ApiError carries the HTTP status and the daemon's Chinese sentence.
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (staff) headers['X-Staff-Name'] = encodeURIComponent(staff);
  let resp;
  try {
    resp = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    reachable(false);
    throw new ApiError(0, '无法连接 posbridge 服务，请检查它是否在运行', null);
  }
  reachable(true);
  const date = resp.headers.get('Date');
  if (date) noteServerTime(date, true);
  let data = null;
  const text = await resp.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (resp.status === 401 && !path.startsWith('/login')) {
    location.href = '/login?next=' + encodeURIComponent(location.pathname + location.hash);
    throw new ApiError(401, '需要登录', data);
  }
  if (!resp.ok) {
    const msg = (data && data.error) || ('操作失败（HTTP ' + resp.status + '）');
    throw new ApiError(resp.status, msg, data);
  }
  if (data && typeof data === 'object') data.__status = resp.status;
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
