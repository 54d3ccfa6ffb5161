package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A logged-in member on a 360 × 740 phone: the 会员卡 screen binds a
// staff-issued card with its password and shows the balance, points, level
// and logs; 充值 lists the prices, opens the (sandbox) provider's pay page
// and, back on the page, is-paid shows the balance credited once; at the
// checkout 会员卡支付 leads to the confirmation page, which pays and goes
// back to the order, paid and handed to the store once.
func TestPhoneShowsTheCardTopsUpAndPaysWithIt(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("C777", "2580", 5000)
	me := m.bearer(61)
	ctx := context.Background()

	p := newPhone(t)
	p.do(chromedp.Navigate(m.http.URL + "/?rid=1&tid=1&ver=1"))
	p.wait("menu", `document.querySelectorAll('.item').length === 6`, 20*time.Second)
	// logged in (the login itself is the order page's, tested there)
	tok := strings.TrimPrefix(me[1], "Bearer ")
	p.do(chromedp.Evaluate[chromedp.Void](`localStorage.setItem('pb-login-1', '` + tok + `')`))
	p.wait("the 会员卡 button", `!document.getElementById('member-open').hidden`, 15*time.Second)
	p.click("#member-open")
	p.wait("no card yet", `!!document.getElementById('m-bind')`, 15*time.Second)
	p.do(chromedp.SendKeys(chromedp.ID("m-bind-no"), "C777"), chromedp.SendKeys(chromedp.ID("m-bind-pwd"), "1111"))
	p.click("#m-bind")
	p.wait("a wrong password refused", `document.getElementById('m-error').textContent !== ''`, 15*time.Second)
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("m-bind-pwd").value = ""`), chromedp.SendKeys(chromedp.ID("m-bind-pwd"), "2580"))
	p.click("#m-bind")
	p.wait("the card", `!!document.getElementById('m-balance') && document.querySelectorAll('#m-consume li').length > 0`, 15*time.Second)
	if b, pts, lv := p.text("#m-balance"), p.text("#m-points"), p.text("#m-level"); b != "￥50.00" || pts != "0" || lv != "普通会员 · 无折扣" {
		t.Fatalf("card screen: balance %q points %q level %q", b, pts, lv)
	}
	p.fitsPhone("the card screen")
	p.shot("member-card")

	// 充值 ￥100.00 for ￥90.00 on the provider's page
	p.click("#m-topup")
	p.wait("the price list", `!!document.getElementById('m-price-0')`, 15*time.Second)
	if s := p.text("#m-prices"); !strings.Contains(s, "充 ￥100.00（付 ￥90.00）") || !strings.Contains(s, "充 ￥10.00") {
		t.Fatalf("price list %q", s)
	}
	p.fitsPhone("the top-up screen")
	p.shot("member-topup")
	p.click("#m-price-0")
	p.wait("the provider's pay page", `location.pathname.startsWith('/sandbox-pay/') && !!document.getElementById('pay')`, 20*time.Second)
	if c, _ := m.ledger.CardOf(ctx, 1, "61"); c.BalanceFen != 5000 {
		t.Fatalf("credited before paying: %d", c.BalanceFen)
	}
	p.click("#pay")
	p.wait("credited", `!!document.getElementById('m-note') && document.getElementById('m-note').textContent.includes('充值成功') && !!document.getElementById('m-balance')`, 15*time.Second)
	if b, pts := p.text("#m-balance"), p.text("#m-points"); b != "￥150.00" || pts != "20" {
		t.Fatalf("after the top-up: balance %q points %q", b, pts)
	}
	p.wait("the top-up in the log", `document.getElementById('m-consume').innerText.includes('+￥100.00')`, 15*time.Second)
	p.shot("member-topped-up")
	time.Sleep(300 * time.Millisecond) // the sandbox's notification lands too
	if c, _ := m.ledger.CardOf(ctx, 1, "61"); c.BalanceFen != 15000 {
		t.Fatalf("balance %d after one top-up of 100.00", c.BalanceFen)
	}

	// back to the table's menu, order and pay with the card
	p.click("#m-close")
	p.wait("the menu again", `location.search.includes('tid=1') && document.querySelectorAll('.item').length === 6`, 20*time.Second)
	p.click(`.item[data-product="105"] button.add`)
	p.wait("options", `!document.getElementById('sheet').hidden`, 15*time.Second)
	p.click("#sheet-add")
	p.click("#go")
	p.wait("the pay choice", `!document.getElementById('pay-row').hidden && !document.getElementById('submit').disabled`, 15*time.Second)
	if evalJS[bool](p, `!document.querySelector('#paid option[value="2"]').disabled`) {
		t.Fatal("WeChat payment offered by a menu without it")
	}
	p.do(chromedp.Evaluate[chromedp.Void](`(s => { s.value = '3'; s.dispatchEvent(new Event('change')); })(document.getElementById('paid'))`))
	p.wait("priced", `!document.getElementById('submit').disabled`, 15*time.Second)
	total := p.text("#totals dd.total")
	p.click("#submit")
	p.wait("the confirmation page", `location.pathname === '/member-pay' && !!document.getElementById('pay')`, 20*time.Second)
	if a := p.text("#amount"); a != total {
		t.Fatalf("confirmation page amount %q, checkout total %q", a, total)
	}
	if m.placed.count() != 0 {
		t.Fatal("an unpaid card order reached the store")
	}
	p.do(chromedp.SendKeys(chromedp.ID("card_pwd"), "2580"))
	p.click("#pay")
	p.wait("paid", `!!document.getElementById('paid')`, 20*time.Second)
	p.click("#back")
	p.wait("the order, paid", `new URLSearchParams(location.search).get('oid') && !!document.getElementById('pay-state') && document.getElementById('pay-state').textContent === '会员卡支付：已支付' && document.getElementById('state').textContent === '等待商家确认'`, 20*time.Second)
	p.fitsPhone("the paid order")
	p.shot("member-order-paid")
	m.placed.waitPlaced(t, 1)
	c, _ := m.ledger.CardOf(ctx, 1, "61")
	if want := 15000 - int64(parseYuanFen(t, total)); c.BalanceFen != want {
		t.Fatalf("balance %d after paying %s, want %d", c.BalanceFen, total, want)
	}
	if _, bad, err := m.db.CheckMemberLedger(ctx); err != nil || len(bad) > 0 {
		t.Fatalf("ledger check: %v %v", bad, err)
	}
	if e := p.jsErrors(); e != "" {
		t.Fatal(e)
	}
}

// parseYuanFen reads "￥12.50" as 1250.
func parseYuanFen(t *testing.T, s string) int {
	t.Helper()
	s = strings.TrimPrefix(s, "￥")
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		t.Fatalf("not a price: %q", s)
	}
	n := 0
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			t.Fatalf("not a price: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}
