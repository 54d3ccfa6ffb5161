// Plays the alert plan (assets/audio/plan.js) with the embedded clips: the
// sound, then the spoken words, one clip after another on the page's audio
// context. The browser's own voice is only the fallback: when the plan has
// no clips for the words (a pickup number with letters) or a clip fails to
// load. Announcements queue, so two orders arriving together are both said.
//
// Every announcement is also recorded in `played` (and window.__posbridgeSounds)
// with the clips it used, which the browser tests read.

import { plan, clipURL, SOUND_TO_VOICE_SECONDS, CLIP_GAP_SECONDS } from '../audio/plan.js';

const buffers = new Map(); // clip name → Promise<AudioBuffer|null>
export const played = [];
window.__posbridgeSounds = played;

let audio = null; // { ctx, out, speechOn(), canPlay(), volume() } from sound.js
let chain = Promise.resolve();
let queued = 0; // announcements waiting or playing

// attach connects the player to the page's unlocked audio (sound.js).
export function attach(a) { audio = a; }

function load(name) {
  if (!buffers.has(name)) {
    const p = (async () => {
      try {
        const resp = await fetch(clipURL(name), { cache: 'force-cache' });
        if (!resp.ok) return null;
        const data = await resp.arrayBuffer();
        return await audio.ctx().decodeAudioData(data);
      } catch {
        return null;
      }
    })();
    buffers.set(name, p);
    p.then((b) => { if (!b) buffers.delete(name); }); // try again next time
  }
  return buffers.get(name);
}

// preload decodes every clip a plan uses, so the first order is not late.
export function preload(names) { for (const n of names) load(n); }

// announce queues an event's plan; it resolves when it has been played.
export function announce(event, opts = {}) {
  const p = plan(event, opts);
  const rec = { event, pickup: opts.pickup ?? '', sound: p.sound, voice: p.voice, text: p.text, via: 'pending', at: Date.now() };
  played.push(rec);
  if (played.length > 100) played.shift();
  queued++;
  chain = chain.then(() => play(p, rec)).catch(() => {}).finally(() => { queued--; });
  return chain;
}

// soundOnly plays one clip (a repeated ring) without words; a ring while
// something is being said is dropped, not queued behind it.
export function soundOnly(name) {
  if (queued > 0) return chain;
  queued++;
  chain = chain.then(() => playClips([name], 0)).catch(() => {}).finally(() => { queued--; });
  return chain;
}

async function play(p, rec) {
  if (!audio || !audio.canPlay()) { rec.via = 'silent'; return; }
  const words = audio.speechOn() ? p.voice : [];
  const names = [p.sound, ...(words || [])];
  const bufs = await Promise.all(names.map(load));
  if (!bufs[0]) { rec.via = 'missing'; }
  const voiceOK = words !== null && bufs.slice(1).every(Boolean);
  if (voiceOK) {
    rec.via = rec.via === 'missing' ? 'clips-partial' : 'clips';
    await schedule(bufs);
    return;
  }
  // The words cannot be said with clips: the sound, then the browser's voice.
  rec.via = 'speech';
  if (bufs[0]) await schedule([bufs[0]]);
  if (audio.speechOn()) await speak(p.text);
}

async function playClips(names, gap) {
  if (!audio || !audio.canPlay()) return;
  const bufs = (await Promise.all(names.map(load))).filter(Boolean);
  await schedule(bufs, gap);
}

// schedule plays buffers back to back and resolves when they end.
function schedule(bufs, firstGap = SOUND_TO_VOICE_SECONDS) {
  const ctx = audio.ctx();
  let t = ctx.currentTime + 0.02;
  bufs.forEach((b, i) => {
    if (!b) return;
    const src = ctx.createBufferSource();
    src.buffer = b;
    src.connect(audio.out());
    src.start(t);
    t += b.duration + (i === 0 ? firstGap : CLIP_GAP_SECONDS);
  });
  const ms = Math.max(0, (t - ctx.currentTime) * 1000);
  return new Promise((res) => setTimeout(res, ms));
}

function speak(text) {
  return new Promise((res) => {
    if (!('speechSynthesis' in window) || !text) { res(); return; }
    try {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = 'zh-CN';
      u.volume = Math.min(1, audio.volume() / 100);
      const zh = speechSynthesis.getVoices().find((v) => /^zh(-|_)?(CN|Hans)?/i.test(v.lang));
      if (zh) u.voice = zh;
      u.onend = res;
      u.onerror = res;
      speechSynthesis.speak(u);
      setTimeout(res, 6000); // a voice that never ends must not stop the queue
    } catch {
      res();
    }
  });
}
