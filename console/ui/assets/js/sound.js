// The page's audio: the embedded alert clips (voice.js plays the plan of
// assets/audio/plan.js), a few Web Audio tones for scans, and the browser's
// speech synthesis as the clips' fallback. Browsers keep audio locked until
// the person clicks the page, so the page tracks whether sound can actually
// play and says so when not.

import * as voice from './voice.js';
import { CLIPS } from '../audio/plan.js';

let ctx = null;
let master = null;
let volume = clampVol(Number(localStorage.getItem('posbridge.volume') ?? 80));
let muted = localStorage.getItem('posbridge.muted') === '1';
let speechOn = localStorage.getItem('posbridge.speech') !== '0';
const listeners = new Set();

function clampVol(v) { return Math.min(100, Math.max(0, isFinite(v) ? v : 80)); }

export function onSoundState(fn) { listeners.add(fn); }
function changed() { for (const fn of listeners) fn(state()); }

// state: locked (browser refuses), muted (staff silenced it), or on.
export function state() {
  return { unlocked: unlocked(), muted, volume, speech: speechOn };
}

export function unlocked() { return !!ctx && ctx.state === 'running'; }

// unlock must run inside a click: it creates and resumes the audio context.
export async function unlock() {
  try {
    if (!ctx) {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return false;
      ctx = new AC();
      master = ctx.createGain();
      master.connect(ctx.destination);
      applyVolume();
      ctx.addEventListener('statechange', changed);
    }
    if (ctx.state !== 'running') await ctx.resume();
    // A silent blip: some browsers only unlock once a sound has started.
    tone(440, 0, 0.02, 'sine', 0.0001);
    if ('speechSynthesis' in window) speechSynthesis.getVoices();
    voice.preload(Object.keys(CLIPS));
  } catch {
    // stays locked; the page keeps warning
  }
  changed();
  return unlocked();
}

function applyVolume() {
  if (master) master.gain.value = muted ? 0 : Math.pow(volume / 100, 1.6);
}

export function setVolume(v) {
  volume = clampVol(Number(v));
  localStorage.setItem('posbridge.volume', String(volume));
  applyVolume();
  changed();
}

export function setMuted(on) {
  muted = !!on;
  localStorage.setItem('posbridge.muted', muted ? '1' : '0');
  applyVolume();
  if (muted && 'speechSynthesis' in window) speechSynthesis.cancel();
  changed();
}

export function setSpeech(on) {
  speechOn = !!on;
  localStorage.setItem('posbridge.speech', speechOn ? '1' : '0');
  changed();
}

// tone schedules one note starting `at` seconds from now.
function tone(freq, at, dur, type = 'sine', level = 1, endFreq = 0) {
  if (!ctx || !master) return;
  const t0 = ctx.currentTime + at;
  const osc = ctx.createOscillator();
  const g = ctx.createGain();
  osc.type = type;
  osc.frequency.setValueAtTime(freq, t0);
  if (endFreq) osc.frequency.exponentialRampToValueAtTime(endFreq, t0 + dur);
  g.gain.setValueAtTime(0.0001, t0);
  g.gain.exponentialRampToValueAtTime(Math.max(0.0002, level), t0 + 0.015);
  g.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
  osc.connect(g);
  g.connect(master);
  osc.start(t0);
  osc.stop(t0 + dur + 0.05);
}

function canPlay() { return unlocked() && !muted && volume > 0; }

voice.attach({ ctx: () => ctx, out: () => master, canPlay, speechOn: () => speechOn, volume: () => volume });

// announce says an event with the clips: new_order, cancel, refund_request,
// prep_remind, made, printer_fault (plan.js), with the order's pickup number.
export function announce(event, pickup) { return voice.announce(event, { pickup }); }

// ring repeats an event's sound alone (an order still waiting).
export function ring(clip) { return voice.soundOnly(clip); }

// New order: a bright two-note chime, twice.
export function newOrder() {
  if (!canPlay()) return;
  for (const o of [0, 0.9]) {
    tone(1046.5, o, 0.42, 'triangle', 0.9);
    tone(784, o + 0.34, 0.6, 'triangle', 0.9);
  }
}

// Refund request: three falling square-ish beeps, clearly not the chime.
export function refund() {
  if (!canPlay()) return;
  for (const o of [0, 0.85]) {
    tone(740, o, 0.16, 'square', 0.35);
    tone(587, o + 0.2, 0.16, 'square', 0.35);
    tone(440, o + 0.4, 0.3, 'square', 0.35);
  }
}

// Notice (an order was cancelled, a printer stopped): one soft double knock.
export function notice() {
  if (!canPlay()) return;
  tone(523, 0, 0.18, 'sine', 0.7);
  tone(523, 0.24, 0.22, 'sine', 0.7);
}

export function scanOK() {
  if (!canPlay()) return;
  tone(1318, 0, 0.12, 'sine', 0.8);
  tone(1760, 0.1, 0.14, 'sine', 0.6);
}

export function scanError() {
  if (!canPlay()) return;
  tone(220, 0, 0.28, 'sawtooth', 0.45, 180);
  tone(220, 0.34, 0.34, 'sawtooth', 0.45, 160);
}

// say speaks a short sentence in Chinese where the browser has a voice.
export function say(text) {
  if (!speechOn || !canPlay() || !('speechSynthesis' in window)) return;
  try {
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'zh-CN';
    u.volume = Math.min(1, volume / 100);
    u.rate = 1;
    const zh = speechSynthesis.getVoices().find((v) => /^zh(-|_)?(CN|Hans)?/i.test(v.lang));
    if (zh) u.voice = zh;
    speechSynthesis.cancel();
    speechSynthesis.speak(u);
  } catch {
    // no voice: the chime still plays
  }
}

// 备餐提醒: three rising soft notes, unlike the new-order chime.
export function remind() {
  if (!canPlay()) return;
  tone(659, 0, 0.2, 'triangle', 0.8);
  tone(784, 0.22, 0.2, 'triangle', 0.8);
  tone(988, 0.44, 0.34, 'triangle', 0.8);
}
