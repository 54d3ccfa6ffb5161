// Calls and live updates of the kitchen and pickup screens. A paired screen
// carries its device cookie; a screen opened on the store PC or by logged-in
// staff works too. A screen that lost its pairing is sent to /pair.

import { noteServerTime } from '../util.js';

let csrf = '';

export async function session() {
  const s = await call('GET', '/api/screen/session');
  csrf = (s && s.csrf) || '';
  return s;
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let resp;
  try {
    resp = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    const e = new Error('无法连接 posbridge 服务');
    e.status = 0;
    throw e;
  }
  const date = resp.headers.get('Date');
  if (date) noteServerTime(date, true);
  let data = null;
  try { data = await resp.json(); } catch { data = null; }
  if (resp.status === 401) {
    location.href = '/pair';
    throw Object.assign(new Error('屏幕未配对'), { status: 401 });
  }
  if (!resp.ok) throw Object.assign(new Error((data && data.error) || ('HTTP ' + resp.status)), { status: resp.status, body: data });
  return data;
}

// live calls onChange (debounced) for every event about orders and on every
// (re)connect, and onState(up) as the stream comes and goes. A poll every
// pollMs is the safety net for a stream that silently died.
export function live({ onChange, onState, pollMs = 15000 }) {
  let timer = 0;
  const soon = (ev) => { clearTimeout(timer); timer = setTimeout(() => onChange(ev), 80); };
  let es = null;
  let lastHeard = Date.now();
  const open = () => {
    es = new EventSource('/api/events');
    es.onopen = () => { lastHeard = Date.now(); onState(true); soon(null); };
    es.onerror = () => {
      onState(false);
      if (es.readyState === EventSource.CLOSED) { es.close(); setTimeout(open, 3000); }
    };
    es.addEventListener('ping', (m) => {
      lastHeard = Date.now();
      try { const p = JSON.parse(m.data); if (p.time) noteServerTime(p.time); } catch { /* only a sign of life */ }
    });
    for (const t of ['order', 'decision', 'kitchen', 'scan']) {
      es.addEventListener(t, (m) => {
        lastHeard = Date.now();
        let ev = null;
        try { ev = JSON.parse(m.data); } catch { /* re-read anyway */ }
        soon(ev);
      });
    }
  };
  open();
  setInterval(() => {
    if (Date.now() - lastHeard > 50000) { es.close(); onState(false); open(); }
  }, 5000);
  setInterval(() => soon(null), pollMs);
}
