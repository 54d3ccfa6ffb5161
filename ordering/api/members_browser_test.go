package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A member pays an order with the card on a 360 × 740 phone: the
// confirmation page shows the amount and the balance (opening it debits
// nothing), a wrong password is refused on the page, the right one pays:
// 支付成功, the new balance, the points, and 返回订单 leads back to the
// order on the phone page.
func TestPhonePaysWithTheCard(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("C360", "2580", 10000)
	me := m.bearer(41)
	m.want(m.do("POST", prefix+"user-member-card/bind", `{"card_id": "C360", "card_pwd": "2580"}`, me...), 200)
	id, tok := m.memberOrder("40")
	u := m.payURL(id, tok, me)
	ctx := context.Background()

	p := newPhone(t)
	p.do(chromedp.Navigate(u))
	p.wait("pay page", `document.getElementById('pay') !== null`, 10*time.Second)
	if amount := p.text("#amount"); amount != "￥40.00" {
		t.Fatalf("amount %q", amount)
	}
	if bal := p.text("#balance"); bal != "￥100.00" {
		t.Fatalf("balance %q", bal)
	}
	p.fitsPhone("the card payment page")
	p.shot("member-pay-confirm")
	if c, _ := m.ledger.CardOf(ctx, 1, "41"); c.BalanceFen != 10000 {
		t.Fatalf("opening the page debited the card: %d", c.BalanceFen)
	}
	p.do(chromedp.SendKeys(chromedp.ID("card_pwd"), "1111"))
	p.click("#pay")
	p.wait("refusal", `document.getElementById('error') !== null && document.getElementById('error').innerText.includes('密码不正确')`, 10*time.Second)
	if c, _ := m.ledger.CardOf(ctx, 1, "41"); c.BalanceFen != 10000 {
		t.Fatalf("a wrong password debited the card: %d", c.BalanceFen)
	}
	p.do(chromedp.SendKeys(chromedp.ID("card_pwd"), "2580"))
	p.click("#pay")
	p.wait("paid", `document.getElementById('paid') !== null`, 10*time.Second)
	if bal := p.text("#balance"); bal != "￥60.00" {
		t.Fatalf("balance after paying %q", bal)
	}
	if page := p.text("main"); !strings.Contains(page, "获得积分") || !strings.Contains(page, "40") {
		t.Fatalf("points not shown: %s", page)
	}
	p.fitsPhone("the paid page")
	p.shot("member-pay-done")
	c, _ := m.ledger.CardOf(ctx, 1, "41")
	if c.BalanceFen != 6000 || c.Points != 40 {
		t.Fatalf("card after paying: %d fen, %d points", c.BalanceFen, c.Points)
	}
	if pay, err := m.db.MemberOrderPayment(ctx, orderNo(id)); err != nil || pay.AmountFen != 4000 {
		t.Fatalf("payment row %+v %v", pay, err)
	}
	if r := m.want(m.do("GET", prefix+"orders/"+id+"/is-paid?res_id=1&token="+tok, ""), 200); r.body["is_paid"] != true {
		t.Fatalf("is-paid after the card payment: %s", r.raw)
	}
	p.click("#back")
	p.wait("order page", `location.search.includes('oid=`+id+`')`, 10*time.Second)
	if p.jsErrors() != "" {
		t.Fatal(p.jsErrors())
	}
}
