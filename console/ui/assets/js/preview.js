// Renders the virtual printer's decoding of a print job as paper: ESC/POS
// lines with their size, weight, inversion and alignment, QR and barcode
// payloads, cuts; TSPL cup labels as small cards.

import { h } from './util.js';

// The printer counts columns in GBK bytes: every non-ASCII character is two
// columns wide, so it gets a box exactly 2ch wide and the columns line up.
function textRun(text) {
  const out = [];
  let ascii = '';
  for (const ch of text) {
    if (ch.codePointAt(0) < 0x80) {
      ascii += ch;
      continue;
    }
    if (ascii) { out.push(ascii); ascii = ''; }
    out.push(h('span', { class: 'wc' }, ch));
  }
  if (ascii) out.push(ascii);
  return out;
}

function textLine(l) {
  const st = l.style || {};
  const w = Math.min(8, Math.max(1, st.w || 1));
  const hh = Math.min(8, Math.max(1, st.h || 1));
  const cls = ['pl'];
  if (st.align === 'center') cls.push('center');
  if (st.align === 'right') cls.push('right');
  if (st.bold) cls.push('b');
  if (st.underline) cls.push('u');
  if (st.invert) cls.push('inv');
  const inner = h('span', null, textRun(l.text || ''));
  const el = h('div', { class: cls.join(' ') }, inner);
  if (w > 1) el.style.fontSize = w + 'em';
  if (hh !== w) {
    // Taller (or wider) than the width multiplier: stretch the glyphs
    // vertically and reserve the height they take.
    inner.style.display = 'inline-block';
    inner.style.transformOrigin = '0 0';
    inner.style.transform = 'scaleY(' + (hh / w) + ')';
    el.style.height = (1.35 * hh / w) + 'em';
  }
  return el;
}

function lineOf(l) {
  switch (l.kind) {
    case 'text': return textLine(l);
    case 'qr': return h('div', { class: 'pl center' }, h('span', { class: 'code' }, '二维码：' + (l.data || '')));
    case 'barcode': return h('div', { class: 'pl center' }, h('span', { class: 'code' }, '条码：' + (l.data || '')));
    case 'image': return h('div', { class: 'pl center' }, h('span', { class: 'code' }, '图像 ' + (l.w || 0) + '×' + (l.h || 0)));
    case 'cut': return h('div', { class: 'cut' }, '✂ 切纸');
    case 'feed': return h('div', { class: 'pl' }, ' ');
    case 'beep': return h('div', { class: 'pl beep' }, '（蜂鸣提示' + (l.count ? ' ×' + l.count : '') + '）');
    case 'drawer': return h('div', { class: 'pl beep' }, '（弹出钱箱）');
    case 'label_end': return h('div', { class: 'cut' }, '— 下一张标签 —');
  }
  return null;
}

// renderPreview shows a job's decoded content; with its id, also its
// picture drawn from the bytes (QR codes, barcodes, logos, labels at scale).
export function renderPreview(p, text, jobID) {
  if (!p) return h('pre', { class: 'paper' }, text || '');
  const parts = [];
  if (jobID && ((p.lines && p.lines.length) || (p.labels && p.labels.length))) {
    parts.push(h('img', { class: 'paper-img', src: '/api/jobs/' + encodeURIComponent(jobID) + '/preview.png', alt: '打印预览图像', loading: 'lazy' }));
  }
  if (p.lines && p.lines.length) {
    const paper = h('div', { class: 'paper', 'aria-label': '打印预览' }, p.lines.map(lineOf));
    paper.style.width = 'calc(' + (p.columns || 48) + 'ch + 20px)';
    parts.push(paper);
  }
  for (const [i, lb] of (p.labels || []).entries()) {
    parts.push(h('div', { class: 'label-paper', 'aria-label': '杯贴预览' },
      h('div', { class: 'muted' }, '标签 ' + (i + 1) + '（' + lb.width_mm + '×' + lb.height_mm + ' mm）×' + (lb.copies || 1)),
      (lb.lines || []).map(lineOf)));
  }
  if (!parts.length) return h('pre', { class: 'paper' }, text || '（空）');
  return h('div', null, parts);
}
