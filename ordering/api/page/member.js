// posbridge 扫码点餐 — the member card (seed 002 §11–§12): the 会员卡 screen
// (balance, points, level, logs; open or bind a card), card payment of an
// order through posbridge's confirmation page, and top-ups through the
// provider's pay page. A module beside app.js: it uses what app.js gives in
// window.pbPage and answers app.js's calls through window.pbMember.
const P = window.pbPage;
const $ = P.$, el = P.el, API = P.API;

// screens the member screen covers, shown again when it closes
const covered = ['menu', 'status', 'blocked', 'cartbar', 'notice'];
let restore = null;

function open() {
  if (!restore) {
    restore = covered.map((id) => [id, $(id).hidden]);
    covered.forEach((id) => { $(id).hidden = true; });
  }
  $('member').hidden = false;
  window.scrollTo(0, 0);
}

function close() {
  $('member').hidden = true;
  if (restore) restore.forEach(([id, h]) => { $(id).hidden = h; });
  restore = null;
  if ($('menu').hidden && $('status').hidden && $('blocked').hidden) { // back from a top-up's pay page
    const back = sessionStorage.getItem('pb-back-' + P.rid);
    if (back) location.href = '/' + back; else P.loadMenu();
  }
}

function screen(title, kids) {
  const box = $('member');
  box.textContent = '';
  box.appendChild(el('div', { 'class': 'member-head' }, [
    el('h2', { text: title }),
    el('button', { type: 'button', id: 'm-close', 'class': 'member-back', text: '返回点餐', on: { click: close } })
  ]));
  kids.forEach((k) => { if (k) box.appendChild(k); });
}

function errorLine(id) { return el('p', { 'class': 'error', id: id || 'm-error' }); }
function say(text, id) { const e = $(id || 'm-error'); if (e) e.textContent = text; }

// ---- login (the same login as the order page's, kept in the same place)
function showLogin(then) {
  screen('会员卡', [el('div', { 'class': 'card' }, [
    el('p', { 'class': 'muted', text: '登录后查看会员卡、用会员卡支付和充值。' }),
    el('input', { id: 'm-phone', type: 'tel', maxlength: 16, placeholder: '手机号码', autocomplete: 'tel' }),
    el('div', { 'class': 'row' }, [
      el('input', { id: 'm-code', inputmode: 'numeric', maxlength: 6, placeholder: '6 位验证码', autocomplete: 'one-time-code' }),
      el('button', { type: 'button', id: 'm-send', text: '获取验证码', on: { click: sendCode } })
    ]),
    el('button', { type: 'button', id: 'm-login', 'class': 'primary wide', text: '登录', on: { click: () => login(then) } }),
    errorLine()
  ])]);
  open();
}

function sendCode() {
  const btn = $('m-send');
  P.call('POST', API + 'users/send-phone-token', { res_id: P.rid, phone: $('m-phone').value.trim(), context: 'login' }).then((r) => {
    if (r.status !== 200 || !r.data.send) { say(r.status === 200 ? '短信发送失败，请稍后再试' : P.errorText(r)); return; }
    say('验证码已发送');
    btn.disabled = true; setTimeout(() => { btn.disabled = false; }, 60000);
  });
}

function login(then) {
  P.call('POST', API + 'users/login', { res_id: P.rid, username: $('m-phone').value.trim(), password: $('m-code').value.trim() }).then((r) => {
    if (r.status !== 200) { say(P.errorText(r)); return; }
    P.saveLogin(r.data.token);
    (then || showCard)();
  });
}

// ---- the card
function showCard(note) {
  if (!P.loginToken()) { showLogin(); return; }
  P.call('GET', API + 'user-member-card/query').then((r) => {
    if (r.status === 401) { P.saveLogin(''); showLogin(); return; }
    if (r.status === 403) { showNoCard(); return; }
    if (r.status !== 200) { screen('会员卡', [el('p', { 'class': 'error', text: P.errorText(r) })]); open(); return; }
    const c = r.data;
    screen('会员卡', [
      note ? el('p', { 'class': 'member-note', id: 'm-note', text: note }) : null,
      el('div', { 'class': 'card member-card' }, [
        el('div', { 'class': 'muted', id: 'm-card-no', text: '卡号 ' + c.card_id }),
        el('div', { 'class': 'label', text: '余额' }),
        el('div', { 'class': 'member-balance', id: 'm-balance', text: P.money(P.fen(c.balance)) }),
        el('dl', {}, [
          el('dt', { text: '积分' }), el('dd', { id: 'm-points', text: String(c.cur_score) }),
          el('dt', { text: '等级' }), el('dd', { id: 'm-level', text: c.card_level + ' · ' + c.discount_desc })
        ]),
        el('button', { type: 'button', id: 'm-topup', 'class': 'primary wide', text: '充值', on: { click: showTopUp } })
      ]),
      el('div', { 'class': 'card' }, [el('h3', { text: '消费记录' }), el('ul', { 'class': 'lines', id: 'm-consume' })]),
      el('div', { 'class': 'card' }, [el('h3', { text: '积分记录' }), el('ul', { 'class': 'lines', id: 'm-score' })])
    ]);
    open();
    logs('consume-logs', 'm-consume', (x) => [x.description.trim() || (x.type === 1 ? '充值' : '消费'),
      (x.type === 1 ? '+' : '-') + P.money(P.fen(x.act_money))]);
    logs('score-logs', 'm-score', (x) => [x.description.trim() || '积分', (x.save_score > 0 ? '+' : '') + x.save_score]);
  });
}

function logs(kind, id, row) {
  P.call('GET', API + 'user-member-card/' + kind + '?page_size=20').then((r) => {
    const ul = $(id);
    if (!ul) return;
    if (r.status !== 200) { ul.appendChild(el('li', { 'class': 'muted', text: P.errorText(r) })); return; }
    if (!r.data.results.length) ul.appendChild(el('li', { 'class': 'muted', text: '暂无记录' }));
    r.data.results.forEach((x) => {
      const [what, amount] = row(x);
      ul.appendChild(el('li', {}, [el('div', {}, [el('div', { text: what }), el('div', { 'class': 'opts', text: (x.time || '').slice(0, 16).replace('T', ' ') })]),
        el('span', { text: amount })]));
    });
  });
}

function showNoCard() {
  screen('会员卡', [
    el('div', { 'class': 'card' }, [
      el('p', { text: '您还没有本店的会员卡。' }),
      el('button', { type: 'button', id: 'm-open', 'class': 'primary wide', text: '开通会员卡', on: { click: openCard } })
    ]),
    el('div', { 'class': 'card' }, [
      el('h3', { text: '绑定已有会员卡' }),
      el('input', { id: 'm-bind-no', maxlength: 32, placeholder: '卡号', autocomplete: 'off' }),
      el('input', { id: 'm-bind-pwd', type: 'password', maxlength: 64, placeholder: '卡密码', autocomplete: 'off' }),
      el('button', { type: 'button', id: 'm-bind', 'class': 'primary wide', text: '绑定', on: { click: bind } })
    ]),
    errorLine()
  ]);
  open();
}

function openCard() {
  P.call('POST', API + 'user-member-card/open').then((r) => {
    if (r.status === 200 || r.status === 403) showCard(r.status === 200 ? '会员卡已开通' : '');
    else say(P.errorText(r));
  });
}

function bind() {
  P.call('POST', API + 'user-member-card/bind', { card_id: $('m-bind-no').value.trim(), card_pwd: $('m-bind-pwd').value }).then((r) => {
    if (r.status === 200) showCard('会员卡已绑定');
    else say(P.errorText(r));
  });
}

// ---- top-ups: the price list, a deposit order, the provider's pay page
function showTopUp() {
  P.call('GET', API + 'deposit-orders/prices').then((r) => {
    if (r.status !== 200) { say(P.errorText(r)); return; }
    const list = r.data.wechat || [];
    screen('充值', [
      el('div', { 'class': 'card' }, [
        el('p', { 'class': 'muted', text: r.data.can_order ? '选择充值金额，在线支付后立即到账。' : '本店暂未开通在线充值，请到吧台充值。' }),
        el('div', { 'class': 'chips', id: 'm-prices' }, list.map((x, i) => el('button', {
          type: 'button', 'class': 'chip', id: 'm-price-' + i, disabled: !r.data.can_order,
          text: '充 ' + P.money(P.fen(x.money_price)) + (x.price !== x.money_price ? '（付 ' + P.money(P.fen(x.price)) + '）' : ''),
          on: { click: () => topUp(x) }
        })))
      ]),
      el('button', { type: 'button', 'class': 'wide', text: '返回会员卡', on: { click: () => showCard() } }),
      errorLine()
    ]);
    open();
  });
}

function topUp(x) {
  say('正在打开支付页面…');
  P.call('POST', API + 'deposit-orders', { pay_type: 'wechat', money_price: x.money_price, price: x.price }).then((r) => {
    if (r.status !== 201) { say(P.errorText(r)); return; }
    const openid = localStorage.getItem('pb-openid-' + P.rid) || '';
    return P.call('GET', API + 'deposit-orders/' + r.data.id + '/pay-url?openid=' + encodeURIComponent(openid)).then((u) => {
      if (u.status === 200 && u.data.url) { sessionStorage.setItem('pb-back-' + P.rid, location.search); location.href = u.data.url; return; }
      say(u.status === 200 ? '暂时无法打开支付页面，请稍后重试' : P.errorText(u));
    });
  });
}

// topUpReturn is the way back from the pay page (?doid=): is-paid asks the
// provider when its notification has not come yet; the card shows the new
// balance once the top-up is credited.
function topUpReturn(id) {
  const u = new URL(location.href);
  u.searchParams.delete('doid');
  history.replaceState(null, '', u.pathname + u.search);
  screen('充值', [el('p', { 'class': 'member-note', id: 'm-note', text: '正在确认支付结果…' })]);
  open();
  let tries = 0;
  (function ask() {
    P.call('GET', API + 'deposit-orders/' + id + '/is-paid').then((r) => {
      if (r.status === 200 && r.data.is_paid) { showCard('充值成功，已到账 ' + P.money(P.fen(r.data.order.money_price))); return; }
      if (r.status === 401) { showLogin(() => topUpReturn(id)); return; }
      if (r.status === 200 && r.data.order && r.data.order.status === 'new' && ++tries < 15) { setTimeout(ask, 1000); return; }
      showCard(r.status === 200 ? '充值还没有到账：如已付款，请稍后再看或到吧台咨询。' : P.errorText(r));
    }).catch(() => { if (++tries < 15) setTimeout(ask, 1000); });
  })();
}

// pay opens posbridge's confirmation page for an order paid by card; the
// card is debited only there, on 确认支付.
function pay(id) {
  if (!P.loginToken()) { showLogin(() => { close(); pay(id); }); return; }
  const tok = P.tokenOf(id) || '';
  P.call('GET', API + 'orders/' + id + '/pay-url?res_id=' + P.rid + '&method=member&token=' + encodeURIComponent(tok)).then((r) => {
    if (r.status === 200 && r.data.url) { location.href = r.data.url; return; }
    if (r.status === 401) { P.saveLogin(''); showLogin(() => { close(); pay(id); }); return; }
    const n = $('pay-state');
    if (n) n.textContent = r.status === 403 && /会员卡/.test(P.errorText(r)) ? P.errorText(r) + '（可在“会员卡”开通或绑定）' : P.errorText(r);
  });
}

window.pbMember = { pay, topUpReturn, showCard };

// the header's 会员卡 button, when the restaurant offers cards
if (P.rid > 0) {
  P.call('GET', API + 'restaurants/' + P.rid).then((r) => {
    if (r.status === 200 && r.data.name && $('shop').textContent === '正在加载…') $('shop').textContent = r.data.name; // the way back from a top-up
    if (r.status === 200 && r.data.is_member_card_enable) {
      $('member-open').hidden = false;
      $('member-open').onclick = () => showCard();
    }
  });
}
