// Receipt layouts (单据样式): per document (顾客联, 商家联, 后厨联, 配送联,
// 杯贴) which fields print, header and footer text, item font size and
// copies, with a preview of the exact bytes redrawn as you change them.
// Saved under layouts: in the settings layer; a broken layout is refused.

import { h, debounce } from './util.js';
import * as api from './api.js';
import { toast } from './toast.js';
import { confirmDialog } from './dialogs.js';
import { renderPreview } from './preview.js';

export async function openLayoutEditor() {
  let data;
  try {
    data = await api.get('/api/settings/layouts');
  } catch (err) {
    toast(err.message, 'err');
    return;
  }
  const layouts = structuredClone(data.layouts);
  const docs = data.docs;
  let cur = docs[0].key;
  const tabs = h('div', { class: 'layout-tabs', role: 'tablist' });
  const form = h('div', { class: 'layout-form', id: 'layout-form' });
  const pane = h('div', { class: 'layout-preview', id: 'layout-preview' }, h('p', { class: 'muted' }, '预览加载中…'));
  const status = h('p', { class: 'muted', id: 'layout-preview-status' });

  const refresh = debounce(async () => {
    const doc = cur;
    try {
      const p = await api.post('/api/layouts/preview', { doc, layout: layouts[doc] });
      if (doc !== cur) return;
      pane.replaceChildren(renderPreview(p.preview, p.text));
      pane.dataset.doc = doc;
      pane.dataset.text = p.text;
      status.textContent = '按打印机 ' + p.printer + ' 的实际字节绘制';
    } catch (err) {
      status.textContent = err.message;
    }
  }, 150);

  const renderTabs = () => tabs.replaceChildren(...docs.map((d) => h('button', {
    type: 'button', class: 'btn btn-sm' + (d.key === cur ? ' picked' : ''), dataset: { doc: d.key },
    onclick: () => { cur = d.key; renderTabs(); renderForm(); refresh(); },
  }, d.label)));

  const renderForm = () => {
    const l = layouts[cur];
    const doc = docs.find((d) => d.key === cur);
    const hidden = new Set(l.hide || []);
    const num = (name, value, min, max) => h('input', { type: 'number', name, min, max, value, dataset: { layout: name },
      oninput: (ev) => { l[name] = Number(ev.target.value) || 0; refresh(); } });
    const text = (name) => h('input', { name, value: l[name] || '', maxlength: '200', dataset: { layout: name }, autocomplete: 'off',
      oninput: (ev) => { l[name] = ev.target.value; refresh(); } });
    const size = h('select', { dataset: { layout: 'font_size' }, onchange: (ev) => { l.font_size = Number(ev.target.value); refresh(); } },
      [['0', '按打印机设置'], ['1', '正常'], ['2', '大'], ['3', '特大']].map(([v, t]) => h('option', { value: v, selected: String(l.font_size || 0) === v }, t)));
    const fields = h('div', { class: 'check-row' }, doc.fields.map((f) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', dataset: { fieldToggle: f.key }, checked: !hidden.has(f.key),
        onchange: (ev) => {
          if (ev.target.checked) hidden.delete(f.key); else hidden.add(f.key);
          l.hide = doc.fields.map((x) => x.key).filter((k) => hidden.has(k));
          refresh();
        } }), f.label)));
    form.replaceChildren(
      h('div', { class: 'field-grid' },
        h('label', { class: 'field' }, '份数（0 = 不打印）', num('copies', l.copies || 0, 0, 5)),
        h('label', { class: 'field' }, '商品字号', size)),
      h('label', { class: 'field' }, '抬头文字', text('header')),
      h('label', { class: 'field' }, '结尾文字', text('footer'), h('span', { class: 'field-hint' }, '不填则用打印设置的结尾语')),
      h('div', { class: 'field' }, '打印哪些内容', fields));
  };

  renderTabs();
  renderForm();
  refresh();
  confirmDialog({
    title: '单据样式', sub: '改动会立即显示在右侧预览；保存后新单据按新样式打印。', confirmText: '保存',
    body: h('div', null, tabs, h('div', { class: 'layout-editor' }, form, h('div', null, pane, status))),
    submit: async () => {
      await api.call('PUT', '/api/settings/layouts', { layouts });
      toast('单据样式已保存，已生效', 'ok');
    },
  });
}
