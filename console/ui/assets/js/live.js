// Live updates over server-sent events. The browser reconnects by itself
// (the daemon asks for 2 s); after every (re)connect the page reloads its
// state, because events sent while it was away are not replayed.

import { noteServerTime } from './util.js';

const TYPES = ['order', 'decision', 'alert', 'scan', 'printer', 'platform'];
// The daemon sends a ping event every 15 s. A stream silent for longer than
// three pings is a dead link that never errors (a tablet's Wi-Fi dropped):
// the page says so and reconnects.
const SILENT_MS = 50000;

export function connect({ onEvent, onOpen, onState }) {
  let es = null;
  let up = false;
  let downTimer = 0;
  let retryTimer = 0;
  let lastHeard = Date.now();

  const setUp = (v) => {
    clearTimeout(downTimer);
    if (v) {
      if (!up) { up = true; onState(true); }
      return;
    }
    // A short grace: a blip during a reconnect is not worth a red banner.
    downTimer = setTimeout(() => { if (up) { up = false; } onState(false); }, 1500);
  };

  const open = () => {
    clearTimeout(retryTimer);
    es = new EventSource('/api/events');
    lastHeard = Date.now();
    es.onopen = () => { lastHeard = Date.now(); setUp(true); onOpen(); };
    es.addEventListener('ping', (msg) => {
      lastHeard = Date.now();
      try { const p = JSON.parse(msg.data); if (p.time) noteServerTime(p.time); } catch { /* a ping is only a sign of life */ }
    });
    es.onerror = () => {
      setUp(false);
      if (es.readyState === EventSource.CLOSED) {
        // The server refused (e.g. session expired, or not an event stream):
        // the browser gives up, so retry ourselves.
        es.close();
        retryTimer = setTimeout(open, 3000);
      }
    };
    for (const type of TYPES) {
      es.addEventListener(type, (msg) => {
        lastHeard = Date.now();
        let ev;
        try { ev = JSON.parse(msg.data); } catch { return; }
        if (ev.time) noteServerTime(ev.time);
        onEvent(ev);
      });
    }
  };
  open();
  setInterval(() => {
    if (es && es.readyState === EventSource.OPEN && Date.now() - lastHeard > SILENT_MS) {
      up = false;
      onState(false);
      restart();
    }
  }, 5000);
  // restart drops the stream and opens a new one: after the API was
  // unreachable the old stream may be a dead connection that never errors.
  const restart = () => {
    if (es) es.close();
    up = false;
    open();
  };
  return { isUp: () => up && es && es.readyState === EventSource.OPEN, restart };
}
