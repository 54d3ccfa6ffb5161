// posbridge 扫码点餐 — the phone page. Plain JavaScript, no outside
// resources. Money is handled in integer fen; the server's calc-fee gives
// every total, the page only multiplies a line's unit price by its count.
(function () {
  'use strict';
  var API = '/api/v1/frontend/';
  var q = new URLSearchParams(location.search);
  var rid = parseInt(q.get('rid'), 10);
  var tid = parseInt(q.get('tid'), 10);
  var ver = q.get('ver') === null ? null : parseInt(q.get('ver'), 10);
  var state = { skew: 0, info: null, table: null, eatType: 0, products: [], cart: [], quote: null, busy: false };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'on') Object.keys(attrs.on).forEach(function (ev) { e.addEventListener(ev, attrs.on[ev]); });
      else if (attrs[k] !== false && attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function fen(x) { return Math.round(Number(x) * 100); }
  function yuan(f) { var neg = f < 0; f = Math.abs(f); var s = Math.floor(f / 100) + '.' + ('0' + (f % 100)).slice(-2); return (neg ? '-' : '') + s; }
  function money(f) { return '￥' + yuan(f); }

  function call(method, path, body, headers) {
    var opts = { method: method, headers: Object.assign({ 'Accept': 'application/json' }, headers || {}) };
    var lt = loginToken();
    if (lt) opts.headers['Authorization'] = 'Bearer ' + lt;
    if (body !== undefined) { opts.headers['Content-Type'] = 'application/json'; opts.body = typeof body === 'string' ? body : JSON.stringify(body); }
    return fetch(path, opts).then(function (res) {
      return res.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = { detail: '服务器返回了无法识别的内容' }; }
        return { status: res.status, data: data, date: res.headers.get('Date') };
      });
    });
  }
  // errorText turns the seed's error bodies into sentences.
  function errorText(r) {
    var d = r.data || {};
    if (r.status === 0) return '网络不通，请检查网络后重试';
    if (d.detail) return d.detail;
    var out = [];
    (function walk(v, where) {
      if (Array.isArray(v)) {
        v.forEach(function (x, i) {
          if (typeof x === 'string') out.push((where ? where + '：' : '') + x);
          else walk(x, where + ' 第' + (i + 1) + '项');
        });
      } else if (v && typeof v === 'object') {
        Object.keys(v).forEach(function (k) { walk(v[k], k === 'non_field_errors' ? where : (where ? where + ' ' : '') + fieldName(k)); });
      }
    })(d, '');
    return out.join('\n') || ('出错了（' + r.status + '）');
  }
  function fieldName(k) {
    return { products: '商品', total_fee: '合计', total_price: '商品金额', customer_count: '用餐人数', remark: '备注',
      price: '价格', condiments: '加料', children: '套餐选择', table_id: '桌台', eat_type: '用餐方式', qty: '数量' }[k] || k;
  }
  function block(title, text) {
    $('menu').hidden = true; $('cartbar').hidden = true; $('status').hidden = true;
    var b = $('blocked'); b.hidden = false; b.textContent = '';
    b.appendChild(el('h2', { text: title })); b.appendChild(el('p', { text: text }));
  }

  // ---- open or not: the three checks of seed §2.1, in the restaurant's zone
  function openNow(info, eat) {
    if (info.pause_notice) return info.pause_notice;
    if (!info.takeout.eat_types_enable[eat]) return '本店暂不接受' + ['堂食', '外卖配送', '外卖自取', '等取'][eat] + '订单';
    var p = info.takeout_periods, wd = info.weekday;
    if (!p.open[wd]) return '本店今天休息';
    var local = new Date(Date.now() + state.skew + info.tz_offset * 60000);
    var hm = ('0' + local.getUTCHours()).slice(-2) + ':' + ('0' + local.getUTCMinutes()).slice(-2);
    var ok = (p[String(wd)] || []).some(function (x) {
      return x.start_time <= x.end_time ? (hm >= x.start_time && hm <= x.end_time) : (hm >= x.start_time || hm <= x.end_time);
    });
    if (!ok) {
      var times = (p[String(wd)] || []).map(function (x) { return x.start_time + '–' + x.end_time; }).join('、');
      return '本店当前不在营业时间' + (times ? '（今天 ' + times + '）' : '');
    }
    return '';
  }

  // ---- prices for the eat type (seed §16.6)
  function specPrice(s) {
    var takeout = state.eatType === 1 || state.eatType === 2 || (state.eatType === 3 && state.info.takeout.takeaway_use_takeout_price);
    return fen(takeout ? s.takeout_price : s.price);
  }

  function start() {
    if (rid > 0 && q.get('doid')) { member('topUpReturn', parseInt(q.get('doid'), 10)); return; } // back from a top-up's pay page
    if (!(rid > 0) || isNaN(tid)) { block('请扫描桌上的二维码', '这个网址缺少餐厅或桌台信息。'); return; }
    if (q.get('code') && (q.get('wx') || q.get('qf'))) { oauthReturn(); return; }
    if (q.get('fb') && location.hash.indexOf('access_token=') >= 0) { facebookReturn(); return; }
    var pending = loadPending();
    if (pending) { resend(pending); return; }
    var oid = parseInt(q.get('oid'), 10);
    if (oid > 0 && tokenOf(oid)) { showStatus(oid); askPaid(oid); shopName(); return; }
    loadMenu();
  }

  // shopName fills the header on the order page (opened by its link, or
  // on the way back from the pay page).
  function shopName() {
    call('GET', API + 'restaurants/' + rid).then(function (r) {
      if (r.status === 200 && r.data.name) { $('shop').textContent = r.data.name; document.title = r.data.name + ' · 扫码点餐'; }
    });
  }

  function loadMenu() {
    call('GET', API + 'restaurants/' + rid + '?table_id=' + tid).then(function (r) {
      if (r.status === 404) { block('二维码无效', r.data && r.data.detail || '找不到这家店或这张桌台。'); return; }
      if (r.status !== 200) { block('暂时无法点餐', errorText(r)); return; }
      var info = state.info = r.data;
      var server = r.date ? Date.parse(r.date) : NaN;
      state.skew = isNaN(server) ? 0 : server - Date.now(); // the server's clock, not the phone's
      document.title = info.name + ' · 扫码点餐';
      $('shop').textContent = info.name;
      var table = state.table = info.tables.filter(function (t) { return t.table_id === tid; })[0];
      if (!table) { block('二维码无效', '找不到这张桌台，请扫描桌上的二维码。'); return; }
      state.eatType = tid === -2 ? 3 : tid === -1 ? 2 : 0;
      $('where').textContent = (state.eatType === 0 ? '堂食 · 桌台 ' : state.eatType === 3 ? '等取 · ' : '外卖自取 · ') + table.table_name;
      if (table.table_id > 0 && ver !== table.qrcode_version) {
        block('二维码已失效', '这张桌台的二维码已更换，请扫描桌上最新的二维码，或请服务员帮忙。');
        return;
      }
      var closed = openNow(info, state.eatType);
      var n = $('notice');
      if (closed) { n.hidden = false; n.className = 'notice closed'; n.textContent = closed + '，暂时不能下单。'; }
      else if (info.takeout.notice) { n.hidden = false; n.className = 'notice'; n.textContent = info.takeout.notice; }
      state.closed = closed;
      return call('GET', API + 'products/simple?res_id=' + rid + '&table_id=' + tid + '&page_size=1000').then(function (p) {
        if (p.status !== 200) { block('暂时无法点餐', errorText(p)); return; }
        state.products = p.data.results;
        renderMenu();
      });
    }).catch(function () { block('网络不通', '请检查网络后刷新页面。'); });
  }

  function renderMenu() {
    $('menu').hidden = false; $('blocked').hidden = true; $('status').hidden = true;
    var cats = $('cats'), list = $('products');
    cats.textContent = ''; list.textContent = '';
    state.info.categories.forEach(function (c, i) {
      var items = state.products.filter(function (p) { return p.category === c.id; });
      if (!items.length) return;
      var head = el('h3', { id: 'cat-' + c.id, text: c.name });
      list.appendChild(head);
      cats.appendChild(el('button', { type: 'button', 'class': i === 0 ? 'on' : '', text: c.name, on: { click: function () {
        Array.prototype.forEach.call(cats.children, function (b) { b.className = ''; });
        this.className = 'on'; head.scrollIntoView({ behavior: 'smooth' });
      } } }));
      items.forEach(function (p) {
        var from = Math.min.apply(null, p.specs.map(specPrice));
        list.appendChild(el('div', { 'class': 'item' + (p.sold_out ? ' soldout' : ''), 'data-product': p.id }, [
          el('div', { 'class': 'info' }, [
            el('div', { 'class': 'name', text: p.item_name }),
            el('div', { 'class': 'desc', text: p.description || p.specs.map(function (s) { return s.unit; }).join(' / ') }),
            el('span', { 'class': 'price', text: money(from) + (p.specs.length > 1 ? ' 起' : '') })
          ]),
          p.sold_out ? el('span', { 'class': 'muted', text: '已售罄' }) :
            el('button', { type: 'button', 'class': 'add', disabled: !!state.closed, text: p.specs.length > 1 || p.condiments.length || p.item_type === 3 ? '选规格' : '＋',
              on: { click: function () { openSheet(p); } } })
        ]));
      });
    });
    renderCart();
  }

  // ---- the options sheet of one product
  var sheet = null;
  function openSheet(p) {
    sheet = { p: p, pu: p.specs[0].pu, conds: {}, picks: {}, qty: 1 };
    $('sheet-title').textContent = p.item_name;
    $('sheet-error').textContent = '';
    renderSheet();
    $('sheet').hidden = false;
  }
  function renderSheet() {
    var p = sheet.p, box = $('sheet-options');
    box.textContent = '';
    if (p.specs.length > 1) {
      box.appendChild(group('规格', p.specs.map(function (s) {
        return chip(s.unit + ' ' + money(specPrice(s)), sheet.pu === s.pu, false, function () { sheet.pu = s.pu; renderSheet(); });
      })));
    }
    if (p.item_type !== 3 && p.condiments.length) {
      box.appendChild(group('加料 / 口味（可多选）', p.condiments.map(function (c) {
        return chip(c.item_name + (fen(c.price) ? ' +' + money(fen(c.price)) : ''), !!sheet.conds[c.id], c.sold_out, function () {
          if (sheet.conds[c.id]) delete sheet.conds[c.id]; else sheet.conds[c.id] = c;
          renderSheet();
        });
      })));
    }
    (p.courses || []).forEach(function (g) {
      if (g.is_must) {
        box.appendChild(group(g.group_name + '（已含）', g.entries.map(function (e) {
          return chip(e.item_name + (e.num > 1 ? ' ×' + e.num : ''), true, true, function () {});
        })));
        return;
      }
      var picked = sheet.picks[g.id] || (sheet.picks[g.id] = {});
      var count = Object.keys(picked).length;
      box.appendChild(group(g.group_name + '（选 ' + g.choose_num + ' 样，已选 ' + count + '）', g.entries.map(function (e) {
        var sur = fen(e.specs[0].price);
        return chip(e.item_name + (sur ? ' +' + money(sur) : ''), !!picked[e.id], e.sold_out || (!picked[e.id] && count >= g.choose_num), function () {
          if (picked[e.id]) delete picked[e.id]; else picked[e.id] = e;
          renderSheet();
        });
      })));
    });
    $('sheet-qty').textContent = sheet.qty;
    var line = sheetLine();
    $('sheet-price').textContent = money(line.unit * sheet.qty);
  }
  function group(title, chips) { return el('div', { 'class': 'group' }, [el('h4', { text: title }), el('div', { 'class': 'chips' }, chips)]); }
  function chip(text, on, disabled, click) {
    return el('button', { type: 'button', 'class': 'chip' + (on ? ' on' : ''), disabled: disabled, 'aria-pressed': on ? 'true' : 'false', text: text, on: { click: click } });
  }
  // sheetLine is the cart line the sheet describes.
  function sheetLine() {
    var p = sheet.p, spec = p.specs.filter(function (s) { return s.pu === sheet.pu; })[0];
    var conds = Object.keys(sheet.conds).map(function (k) { return sheet.conds[k]; });
    var children = [];
    (p.courses || []).forEach(function (g) {
      var entries = g.is_must ? g.entries : Object.keys(sheet.picks[g.id] || {}).map(function (k) { return sheet.picks[g.id][k]; });
      entries.forEach(function (e) { children.push({ e: e, spec: e.specs[0], qty: e.num || 1 }); });
    });
    var unit = specPrice(spec);
    conds.forEach(function (c) { unit += fen(c.price); });
    children.forEach(function (c) { unit += fen(c.spec.price) * c.qty; });
    var opts = [spec.unit].concat(conds.map(function (c) { return c.item_name; }), children.map(function (c) { return c.e.item_name + (c.qty > 1 ? '×' + c.qty : ''); }));
    return { p: p, spec: spec, conds: conds, children: children, unit: unit, qty: sheet.qty, opts: opts.join(' / '),
      key: [p.id, spec.pu, conds.map(function (c) { return c.id; }).join(','), children.map(function (c) { return c.e.id; }).join(',')].join('|') };
  }
  $('sheet-minus').onclick = function () { if (sheet.qty > 1) { sheet.qty--; renderSheet(); } };
  $('sheet-plus').onclick = function () { if (sheet.qty < 99) { sheet.qty++; renderSheet(); } };
  $('sheet-close').onclick = function () { $('sheet').hidden = true; };
  $('sheet-add').onclick = function () {
    var bad = (sheet.p.courses || []).filter(function (g) { return !g.is_must && Object.keys(sheet.picks[g.id] || {}).length !== g.choose_num; });
    if (bad.length) { $('sheet-error').textContent = '「' + bad[0].group_name + '」要选 ' + bad[0].choose_num + ' 样'; return; }
    addToCart(sheetLine());
    $('sheet').hidden = true;
  };
  function addToCart(line) {
    var same = state.cart.filter(function (l) { return l.key === line.key; })[0];
    if (same) same.qty = Math.min(99, same.qty + line.qty); else state.cart.push(line);
    renderCart();
  }

  // ---- cart and totals (calc-fee)
  function cartBody() {
    return state.cart.map(function (l) {
      return {
        product: l.p.id, item_id: l.p.item_id, price: yuan(l.unit), unit: l.spec.unit, pu: l.spec.pu, req: '', qty: l.qty,
        box_fee: yuan(fen(l.p.box_fee)), total_price: yuan(l.unit * l.qty),
        condiments: l.conds.map(function (c) { return { product: c.id, price: yuan(fen(c.price)), item_name: c.item_name }; }),
        children: l.children.map(function (c) {
          return { product: c.e.id, item_id: c.e.item_id, price: yuan(fen(c.spec.price)), unit: c.spec.unit || '', pu: c.spec.pu,
            qty: c.qty, total_price: yuan(fen(c.spec.price) * c.qty), condiments: [] };
        })
      };
    });
  }
  var quoteSeq = 0;
  function renderCart() {
    var n = state.cart.reduce(function (a, l) { return a + l.qty; }, 0);
    $('cartbar').hidden = n === 0 || !!state.closed;
    $('cart-count').textContent = n;
    var goods = state.cart.reduce(function (a, l) { return a + l.unit * l.qty; }, 0);
    $('cart-total').textContent = money(state.quote && state.quote.seq === quoteSeq ? fen(state.quote.total_fee) : goods);
    var ul = $('cart-lines'); ul.textContent = '';
    state.cart.forEach(function (l, i) {
      ul.appendChild(el('li', {}, [
        el('div', { 'class': 'info' }, [el('div', { text: l.p.item_name }), el('div', { 'class': 'opts', text: l.opts })]),
        el('div', { 'class': 'qty' }, [
          el('button', { type: 'button', 'aria-label': '减少', text: '−', on: { click: function () { l.qty--; if (!l.qty) state.cart.splice(i, 1); changed(); } } }),
          el('span', { text: String(l.qty) }),
          el('button', { type: 'button', 'aria-label': '增加', text: '＋', on: { click: function () { if (l.qty < 99) l.qty++; changed(); } } })
        ]),
        el('span', { 'class': 'price', text: money(l.unit * l.qty) })
      ]));
    });
  }
  function changed() { quoteSeq++; renderCart(); if (!$('checkout').hidden) { if (!state.cart.length) $('checkout').hidden = true; else quote(); } }
  function people() { return parseInt($('people').value, 10) || 1; }
  function quote() {
    var seq = ++quoteSeq;
    $('submit').disabled = true;
    $('checkout-error').textContent = '';
    return call('POST', API + 'orders/calc-fee?res_id=' + rid, { restaurant: rid, table_id: tid, eat_type: state.eatType,
      customer_count: people(), ignore_extra_price: true, products: cartBody(),
      user_address: state.eatType === 1 && selectedAddress() ? selectedAddress() : undefined }).then(function (r) {
      if (seq !== quoteSeq) return;
      if (r.status !== 200) { $('checkout-error').textContent = errorText(r); return; }
      state.quote = r.data; state.quote.seq = seq;
      var d = r.data, dl = $('totals'); dl.textContent = '';
      function row(k, v, cls) { dl.appendChild(el('dt', { 'class': cls || '', text: k })); dl.appendChild(el('dd', { 'class': cls || '', text: v })); }
      row('商品', money(fen(d.total_price)));
      if (fen(d.total_box_fee)) row('餐盒费', money(fen(d.total_box_fee)));
      if (state.eatType === 1) row('配送费', fen(d.delivery_fee) < 0 ? '超出配送范围' : money(fen(d.delivery_fee)));
      (d.discounts || []).forEach(function (x) { row(x.name, '-' + money(fen(x.value))); });
      (d.services || []).forEach(function (x) { row(x.name, money(fen(x.value))); });
      if (fen(d.tax_fee) && !d.is_tax_included) row('税费', money(fen(d.tax_fee)));
      row('合计', money(fen(d.total_fee)), 'total');
      if (state.eatType === 1 && (!selectedAddress() || fen(d.delivery_fee) < 0)) {
        $('checkout-error').textContent = selectedAddress() ? '这个地址超出配送范围，请换一个地址或改为自取' : '请先选择收货地址';
        return;
      }
      $('submit').disabled = false;
      renderCart();
    }).catch(function () { $('checkout-error').textContent = '网络不通，请检查网络后重试'; });
  }
  $('cart-open').onclick = $('go').onclick = function () {
    var sel = $('people');
    if (!sel.options.length) {
      for (var i = 1; i <= 20; i++) sel.appendChild(el('option', { value: i, text: i + ' 人' }));
      sel.value = String(Math.max(1, Math.min(20, (state.table && state.table.seat_num) || 1)));
      sel.onchange = quote;
    }
    $('people-row').hidden = state.eatType !== 0;
    setupCheckoutRows();
    $('checkout').hidden = false;
    renderCart();
    quote();
  };
  $('checkout-close').onclick = function () { $('checkout').hidden = true; };

  // ---- create, with an Idempotency-Key kept until the reply arrives
  function pendingKey() { return 'pb-pending-' + rid; }
  function loadPending() {
    try {
      var p = JSON.parse(localStorage.getItem(pendingKey()) || 'null');
      if (p && Date.now() - p.at < 30 * 60000) return p;
    } catch (e) { /* a damaged entry is dropped */ }
    localStorage.removeItem(pendingKey());
    return null;
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }
  $('submit').onclick = function () {
    if (state.busy || !state.quote) return;
    var d = state.quote;
    var paid = paidType();
    if (state.eatType === 1 && !selectedAddress()) { $('checkout-error').textContent = '请先选择收货地址'; return; }
    var body = JSON.stringify({ restaurant: rid, table_id: tid, eat_type: state.eatType, paid_type: paid, ver: ver,
      customer_count: state.eatType === 0 ? people() : 1, remark: $('remark').value.trim(), ignore_extra_price: true,
      user_address: state.eatType === 1 ? selectedAddress() : undefined,
      products: cartBody(), total_price: d.total_price, total_box_fee: d.total_box_fee, total_tax_fee: d.tax_fee,
      delivery_fee: state.eatType === 1 ? d.delivery_fee : 0, discount_fee: d.discount_fee, service_fee: d.service_fee,
      total_fee: d.total_fee, total_fee_cny: paid === 2 ? d.total_fee : -1, discounts: d.discounts, services: d.services });
    var p = { key: uuid(), body: body, at: Date.now(), tid: tid, ver: ver };
    localStorage.setItem(pendingKey(), JSON.stringify(p));
    send(p);
  };
  function send(p) {
    state.busy = true;
    $('submit').disabled = true; $('submit').textContent = '正在提交…';
    call('POST', API + 'orders?res_id=' + rid, p.body, { 'Idempotency-Key': p.key }).then(function (r) {
      state.busy = false;
      $('submit').disabled = false; $('submit').textContent = '提交订单';
      if (r.status === 200) {
        localStorage.removeItem(pendingKey());
        saveToken(r.data.id, r.data.view_token);
        state.cart = []; $('checkout').hidden = true;
        var u = new URL(location.href); u.searchParams.set('oid', r.data.id);
        history.replaceState(null, '', u.pathname + u.search);
        showStatus(r.data.id, r.data);
        if (r.data.paid_type === 2 && r.data.status === 0) startPay(r.data.id);
        if (r.data.paid_type === 3 && r.data.status === 0) member('pay', r.data.id);
        return;
      }
      if (r.status >= 500 || r.status === 429) { // the key is kept: the next try may be answered
        $('checkout-error').textContent = errorText(r);
        if (!state.menuShown) block('订单还没有确认', errorText(r) + ' 请稍后刷新页面，订单不会重复。');
        return;
      }
      localStorage.removeItem(pendingKey());
      if ($('checkout').hidden) { loadMenu(); }
      $('checkout-error').textContent = errorText(r);
    }).catch(function () {
      state.busy = false;
      $('submit').disabled = false; $('submit').textContent = '提交订单';
      $('checkout-error').textContent = '网络不通，订单可能还没提交。请检查网络后再点“提交订单”，不会重复下单。';
      $('submit').onclick = function () { send(p); };
    });
  }
  function resend(p) {
    block('正在确认订单…', '上次提交的订单还没有收到回复，正在重新确认，不会重复下单。');
    state.menuShown = false;
    send(p);
  }

  function tokens() { try { return JSON.parse(localStorage.getItem('pb-orders-' + rid) || '{}'); } catch (e) { return {}; } }
  function tokenOf(id) { return tokens()[id]; }
  function saveToken(id, tok) {
    var t = tokens(); t[id] = tok;
    var ids = Object.keys(t); if (ids.length > 20) delete t[ids[0]];
    localStorage.setItem('pb-orders-' + rid, JSON.stringify(t));
  }

  // ---- the status page: server-sent events, polling when they fail
  var follow = null;
  function showStatus(id, first) {
    $('menu').hidden = true; $('cartbar').hidden = true; $('blocked').hidden = true; $('notice').hidden = true;
    $('status').hidden = false;
    window.scrollTo(0, 0);
    if (first) renderStatus(first);
    var tok = tokenOf(id), path = API + 'orders/' + id + '?res_id=' + rid + '&token=' + encodeURIComponent(tok);
    if (follow) follow.stop();
    var poll = null, es = null;
    function startPolling() {
      if (poll) return;
      poll = setInterval(function () {
        call('GET', path).then(function (r) { if (r.status === 200) renderStatus(r.data); });
      }, 1500);
    }
    if (window.EventSource) {
      es = new EventSource(API + 'orders/' + id + '/events?res_id=' + rid + '&token=' + encodeURIComponent(tok));
      es.addEventListener('order', function (ev) { renderStatus(JSON.parse(ev.data)); });
      es.onerror = function () { es.close(); startPolling(); };
    } else startPolling();
    if (!first) call('GET', path).then(function (r) {
      if (r.status === 200) renderStatus(r.data);
      else if (r.status === 404) { if (es) es.close(); block('找不到这笔订单', '请到柜台咨询。'); }
    });
    follow = { stop: function () { if (es) es.close(); if (poll) clearInterval(poll); } };
  }
  var words = { 0: '待支付', 1: '等待商家确认', 2: '制作中', 3: '制作完成', 4: '配送中', 5: '已送达', 9: '已完成', '-1': '已取消', '-2': '商家已取消' };
  function renderStatus(o) {
    var box = $('status'); box.textContent = '';
    box.setAttribute('data-status', o.status);
    var bad = o.status < 0;
    var ready = o.status === 3 ? (o.eat_type === 0 ? '，马上为您上桌' : '，请凭取餐号到吧台取餐') : '';
    var take = o.take_code ? el('div', { 'class': 'card take' }, [
      el('div', { 'class': 'label', text: '取餐号' }),
      el('div', { 'class': 'code', id: 'take-code', text: o.take_code }),
      o.take_code_datauri ? el('img', { src: o.take_code_datauri, alt: '取餐号条形码 ' + o.take_code }) : null
    ]) : null;
    var steps = [[1, '已下单'], [2, '制作中'], [3, '制作完成'], [9, '已完成']];
    box.appendChild(el('div', { 'class': 'card' }, [
      el('div', { 'class': 'state' + (bad ? ' bad' : ''), id: 'state', text: (words[o.status] || o.status_text) + ready }),
      o.status_note ? el('p', { 'class': 'note', id: 'state-note', text: o.status_note }) : null,
      bad ? null : el('ol', { 'class': 'steps' }, steps.map(function (s) { return el('li', { 'class': o.status >= s[0] ? 'on' : '', text: s[1] }); }))
    ]));
    if (take) box.appendChild(take);
    box.appendChild(el('div', { 'class': 'card' }, [
      el('div', { 'class': 'muted', text: (o.table ? o.table.table_name + ' · ' : '') + (o.customer_count && o.eat_type === 0 ? o.customer_count + ' 人 · ' : '') + '订单号 ' + o.trade_no }),
      el('ul', { 'class': 'lines' }, o.products.map(function (l) {
        return el('li', {}, [el('div', {}, [el('div', { text: l.product_item_name + ' ×' + l.qty }), el('div', { 'class': 'opts', text: l.desc })]),
          el('span', { text: money(fen(l.total_price)) })]);
      })),
      el('dl', {}, [el('dt', { 'class': 'total', text: '合计' }), el('dd', { 'class': 'total', id: 'order-total', text: money(fen(o.total_fee)) })]),
      el('p', { 'class': 'muted', id: 'pay-state', text: o.paid_type === 2 || o.paid_type === 3 ? (o.paid_type === 2 ? '微信支付：' : '会员卡支付：') + (o.is_paid ? '已支付' : '待支付') : '线下支付：请到吧台付款。' })
    ]));
    if (o.status === 0 && (o.paid_type === 2 || o.paid_type === 3)) {
      box.appendChild(el('button', { type: 'button', id: 'pay-now', 'class': 'primary wide', text: '去支付 ' + money(fen(o.total_fee)), on: { click: function () { if (o.paid_type === 3) member('pay', o.id); else startPay(o.id); } } }));
    }
    box.appendChild(el('button', { type: 'button', 'class': 'primary wide', text: '继续点单', on: { click: function () {
      if (follow) follow.stop();
      var u = new URL(location.href); u.searchParams.delete('oid'); history.replaceState(null, '', u.pathname + u.search);
      $('status').hidden = true; loadMenu();
    } } }));
  }

  // ---- customers (issue 16): login by SMS code or WeChat, addresses for
  // delivery, online payment and the return from the provider's page
  function loginKey() { return 'pb-login-' + rid; }
  function loginToken() { try { return localStorage.getItem(loginKey()) || ''; } catch (e) { return ''; } }
  function saveLogin(tok) { if (tok) localStorage.setItem(loginKey(), tok); else localStorage.removeItem(loginKey()); }
  function inWeChat() { return /MicroMessenger/i.test(navigator.userAgent); }
  function paidType() { return $('pay-row').hidden ? 1 : parseInt($('paid').value, 10) || 1; }
  function selectedAddress() { var v = parseInt($('address').value, 10); return v > 0 ? v : 0; }
  function offersPaid(v) { return (state.info.paid_types || []).some(function (p) { return p.value === v; }); }

  function setupCheckoutRows() {
    var delivery = tid === -1 && state.info.takeout.eat_types_enable[1];
    $('eat-row').hidden = !delivery;
    if (delivery) $('eat').value = String(state.eatType);
    $('pay-row').hidden = !offersPaid(2) && !offersPaid(3);
    Array.prototype.forEach.call($('paid').options, function (o) { o.hidden = o.disabled = o.value !== '1' && !offersPaid(parseInt(o.value, 10)); });
    if ($('paid').selectedOptions[0] && $('paid').selectedOptions[0].disabled) $('paid').value = '1';
    $('pay-note').hidden = !$('pay-row').hidden;
    showDelivery();
  }
  $('eat').onchange = function () { state.eatType = parseInt(this.value, 10); showDelivery(); quote(); };
  $('paid').onchange = function () { quote(); };

  // showDelivery: delivery needs a login, then a phone (§3.6: a customer
  // who logged in by WeChat or Facebook binds one), then an address.
  function showDelivery() {
    var on = state.eatType === 1;
    $('login-box').hidden = !on || !!loginToken();
    $('login-wx').hidden = !inWeChat();
    $('addr-locate').hidden = !inWeChat();
    if (on && !loginToken()) probeFacebook();
    if (!on || !loginToken()) { $('address-box').hidden = true; $('bind-box').hidden = true; return; }
    call('GET', API + 'users/me?res_id=' + rid).then(function (r) {
      if (r.status === 401) { saveLogin(''); showDelivery(); return; }
      var needPhone = r.status === 200 && !r.data.phone;
      $('bind-box').hidden = !needPhone;
      $('address-box').hidden = needPhone;
      if (!needPhone) loadAddresses();
    });
  }
  function loadAddresses(pick) {
    return call('GET', API + 'user-addresses?res_id=' + rid + '&page_size=50').then(function (r) {
      if (r.status === 401) { saveLogin(''); showDelivery(); return; }
      if (r.status !== 200) { $('address-error').textContent = errorText(r); return; }
      var sel = $('address'), keep = pick || selectedAddress();
      sel.textContent = '';
      r.data.results.forEach(function (a) {
        var far = a.distance < 0 ? '（无位置）' : '（' + a.distance.toFixed(1) + ' 公里）';
        sel.appendChild(el('option', { value: a.id, text: a.name + ' ' + a.address + far }));
        if (!keep && a.is_default) keep = a.id;
      });
      if (keep) sel.value = String(keep);
      $('address-form').hidden = r.data.results.length > 0;
      quote();
    });
  }
  // The WeChat JS-SDK (served by posbridge, never a CDN) is loaded in
  // WeChat's browser only, configured by §9.1's jssdk-config for this page.
  var wxReady = null;
  function loadWX() {
    if (wxReady) return wxReady;
    wxReady = new Promise(function (resolve, reject) {
      var fail = function (msg) { wxReady = null; reject(new Error(msg)); };
      var sc = document.createElement('script');
      sc.src = '/static/jweixin-1.6.0.js';
      sc.onerror = function () { fail('无法加载微信 JS-SDK'); };
      sc.onload = function () {
        call('GET', API + 'weixin/jssdk-config?res_id=' + rid + '&url=' + encodeURIComponent(location.href.split('#')[0])).then(function (r) {
          if (r.status !== 200 || !window.wx) { fail(errorText(r)); return; }
          window.wx.config({ debug: false, appId: r.data.appId, timestamp: r.data.timestamp, nonceStr: r.data.nonceStr, signature: r.data.signature, jsApiList: r.data.jsApiList });
          window.wx.error(function (e) { fail((e && e.errMsg) || '微信 JS-SDK 配置失败'); });
          window.wx.ready(function () { resolve(window.wx); });
        });
      };
      document.head.appendChild(sc);
    });
    return wxReady;
  }
  $('addr-locate').onclick = function () {
    loadWX().then(function (wx) {
      wx.getLocation({ type: 'gcj02',
        success: function (res) { $('addr-lon').value = String(res.longitude); $('addr-lat').value = String(res.latitude); $('address-error').textContent = ''; },
        fail: function () { $('address-error').textContent = '无法获取位置，请在微信中允许定位，或手动填写'; } });
    }, function (err) { $('address-error').textContent = err.message; });
  };
  $('address').onchange = function () { quote(); };
  $('address-new').onclick = function () { $('address-form').hidden = !$('address-form').hidden; };
  $('addr-save').onclick = function () {
    var lon = $('addr-lon').value.trim(), lat = $('addr-lat').value.trim();
    var body = { name: $('addr-name').value.trim(), gender: 1, phone: $('addr-phone').value.trim(), address: $('addr-text').value.trim(), is_default: true };
    if (lon && lat) { body.longitude = Number(lon); body.latitude = Number(lat); }
    call('POST', API + 'user-addresses?res_id=' + rid, body).then(function (r) {
      if (r.status !== 201) { $('address-error').textContent = errorText(r); return; }
      $('address-error').textContent = '';
      $('address-form').hidden = true;
      loadAddresses(r.data.id);
    });
  };
  $('login-send').onclick = function () {
    var btn = this;
    call('POST', API + 'users/send-phone-token', { res_id: rid, phone: $('login-phone').value.trim(), context: 'login' }).then(function (r) {
      if (r.status !== 200 || !r.data.send) { $('login-error').textContent = r.status === 200 ? '短信发送失败，请稍后再试' : errorText(r); return; }
      $('login-error').textContent = '验证码已发送';
      btn.disabled = true; setTimeout(function () { btn.disabled = false; }, 60000);
    });
  };
  $('login-go').onclick = function () {
    call('POST', API + 'users/login', { res_id: rid, username: $('login-phone').value.trim(), password: $('login-code').value.trim() }).then(function (r) {
      if (r.status !== 200) { $('login-error').textContent = errorText(r); return; }
      saveLogin(r.data.token);
      $('login-error').textContent = '';
      showDelivery();
    });
  };
  $('bind-send').onclick = function () {
    var btn = this;
    call('POST', API + 'users/send-phone-token', { res_id: rid, phone: $('bind-phone').value.trim(), context: 'register' }).then(function (r) {
      if (r.status !== 200 || !r.data.send) { $('bind-error').textContent = r.status === 200 ? '短信发送失败，请稍后再试' : errorText(r); return; }
      $('bind-error').textContent = '验证码已发送';
      btn.disabled = true; setTimeout(function () { btn.disabled = false; }, 60000);
    });
  };
  $('bind-go').onclick = function () {
    call('POST', API + 'users/bind-phone?res_id=' + rid, { phone: $('bind-phone').value.trim(), token: $('bind-code').value.trim() }).then(function (r) {
      if (r.status !== 200 && r.status !== 204) { $('bind-error').textContent = errorText(r); return; }
      $('bind-error').textContent = '';
      showDelivery();
    });
  };
  // WeChat's consent page comes back to this page with code and state
  $('login-wx').onclick = function () {
    call('GET', API + 'weixin/authorize-url?res_id=' + rid + '&table_id=' + tid).then(function (r) {
      if (r.status === 200 && r.data.url) location.href = r.data.url;
      else $('login-error').textContent = errorText(r);
    });
  };
  // Facebook's redirect login (no SDK from a CDN): the login dialog comes
  // back with the user token in the fragment and the state it was given;
  // debug-token checks the token at the Graph API and logs in.
  var fbProbed = false;
  function probeFacebook() {
    if (fbProbed || inWeChat()) return;
    fbProbed = true;
    call('GET', API + 'facebook/authorize-url?res_id=' + rid + '&table_id=' + tid).then(function (r) {
      $('login-fb').hidden = r.status !== 200;
    });
  }
  $('login-fb').onclick = function () {
    call('GET', API + 'facebook/authorize-url?res_id=' + rid + '&table_id=' + tid).then(function (r) {
      if (r.status !== 200 || !r.data.url) { $('login-error').textContent = errorText(r); return; }
      sessionStorage.setItem('pb-fb-state-' + rid, new URL(r.data.url).searchParams.get('state') || '');
      location.href = r.data.url;
    });
  };
  function facebookReturn() {
    var h = new URLSearchParams(location.hash.slice(1));
    var want = sessionStorage.getItem('pb-fb-state-' + rid) || '';
    sessionStorage.removeItem('pb-fb-state-' + rid);
    var u = new URL(location.href);
    u.searchParams.delete('fb');
    history.replaceState(null, '', u.pathname + u.search);
    q = new URLSearchParams(u.search);
    if (!want || h.get('state') !== want) {
      start();
      $('login-error').textContent = 'Facebook 登录失败：登录已过期，请重新登录'; // shown with the login box
      return;
    }
    call('POST', API + 'facebook/debug-token', { res_id: rid, access_token: h.get('access_token') || '' }).then(function (r) {
      if (r.status === 200) saveLogin(r.data.token);
      start();
      if (r.status !== 200) $('login-error').textContent = 'Facebook 登录失败：' + errorText(r);
    });
  }
  function cleanURL() {
    var u = new URL(location.href);
    ['code', 'state', 'wx', 'qf'].forEach(function (k) { u.searchParams.delete(k); });
    history.replaceState(null, '', u.pathname + u.search);
    q = new URLSearchParams(u.search);
  }
  function oauthReturn() {
    var code = q.get('code'), st = q.get('state'), qf = q.get('qf');
    cleanURL();
    if (qf) {
      call('POST', API + 'qfpay/get-weixin-openid?res_id=' + rid, { code: code }).then(function (r) {
        var oid = parseInt(sessionStorage.getItem('pb-pay-' + rid), 10);
        if (r.status === 200) localStorage.setItem('pb-openid-' + rid, r.data.openid);
        if (oid > 0 && tokenOf(oid)) { showStatus(oid); if (r.status === 200) startPay(oid); } else start();
      });
      return;
    }
    call('POST', API + 'weixin/access-token', { res_id: rid, code: code, state: st }).then(function (r) {
      if (r.status === 200) saveLogin(r.data.token);
      start();
      if (r.status !== 200) $('notice').hidden = false, $('notice').textContent = '微信登录失败：' + errorText(r);
    });
  }

  // startPay opens the provider's pay page; 钱方 needs the payer's openid
  // under its official account first (§8).
  function startPay(id) {
    var openid = localStorage.getItem('pb-openid-' + rid) || '';
    var tok = tokenOf(id);
    call('GET', API + 'orders/' + id + '/pay-url?res_id=' + rid + '&method=wechat&token=' + encodeURIComponent(tok || '') + '&openid=' + encodeURIComponent(openid)).then(function (r) {
      if (r.status === 200 && r.data.url) { location.href = r.data.url; return; }
      if (r.status === 403 && !openid && state.info && state.info.takeout.pay_mch === 'qf' && inWeChat()) {
        sessionStorage.setItem('pb-pay-' + rid, String(id));
        call('GET', API + 'qfpay/authorize-url?res_id=' + rid + '&table_id=' + tid).then(function (a) {
          if (a.status === 200 && a.data.url) location.href = a.data.url;
        });
        return;
      }
      var n = $('pay-state');
      if (n) n.textContent = r.status === 200 ? '暂时无法打开支付页面，请点“去支付”重试' : errorText(r);
    });
  }
  // askPaid asks once on the way back from the pay page (the provider is
  // asked when its notification has not come yet).
  function askPaid(id) {
    var tok = tokenOf(id);
    call('GET', API + 'orders/' + id + '/is-paid?res_id=' + rid + '&token=' + encodeURIComponent(tok)).then(function (r) {
      if (r.status === 200 && r.data.is_paid) {
        call('GET', API + 'orders/' + id + '?res_id=' + rid + '&token=' + encodeURIComponent(tok)).then(function (o) { if (o.status === 200) renderStatus(o.data); });
      }
    });
  }
  // member runs a function of the card module (member.js, a module script
  // that runs after this one): now, or once the document is parsed.
  function member(name, arg) {
    var go = function () { if (window.pbMember) window.pbMember[name](arg); };
    if (window.pbMember) go(); else document.addEventListener('DOMContentLoaded', go);
  }
  window.pbPage = { API: API, rid: rid, tid: tid, $: $, el: el, fen: fen, money: money, call: call, errorText: errorText,
    loginToken: loginToken, saveLogin: saveLogin, tokenOf: tokenOf, showStatus: showStatus, loadMenu: loadMenu, inWeChat: inWeChat };
  var origRender = renderMenu;
  renderMenu = function () { state.menuShown = true; origRender(); };
  start();
})();
