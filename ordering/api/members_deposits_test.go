package api

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/payment/paymenttest"
	"github.com/posbridge/posbridge/store"
)

func TestTopUpPriceListCreatePayAndCreditOnce(t *testing.T) {
	m := newMemberRig(t, levels())
	me := m.bearer(5)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/open", "", me...), 200)
	p := m.want(m.do("GET", "/api/v1/frontend/deposit-orders/prices", "", me...), 200)
	if !strings.Contains(p.raw, `"wechat":[{"money_price":"100.00","price":"90.00"},{"money_price":"10.00","price":"10.00"}]`) ||
		p.body["can_order"] != true || !strings.Contains(p.raw, `"alipay":[]`) {
		t.Fatalf("prices %s", p.raw)
	}
	m.want(m.do("POST", "/api/v1/frontend/deposit-orders", `{"pay_type": "wechat", "money_price": "100", "price": "80"}`, me...), 400)
	d := m.want(m.do("POST", "/api/v1/frontend/deposit-orders", `{"pay_type": "wechat", "money_price": "100", "price": "90"}`, me...), 201)
	if d.body["status"] != "new" || d.body["money_price"] != "100.00" || d.body["price"] != "90.00" || d.body["pay_time"] != nil ||
		d.body["expiry_time"] != "2026-12-02T12:15:00.000000+08:00" {
		t.Fatalf("create %s", d.raw)
	}
	id := num(d.body["id"])
	// Another customer does not see it.
	m.want(m.do("GET", "/api/v1/frontend/deposit-orders/"+id+"/pay-url", "", m.bearer(6)...), 404)
	u := m.want(m.do("GET", "/api/v1/frontend/deposit-orders/"+id+"/pay-url", "", me...), 200)
	payURL, _ := u.body["url"].(string)
	if !strings.HasPrefix(payURL, "http") {
		t.Fatalf("pay-url %s", u.raw)
	}
	unpaid := m.want(m.do("GET", "/api/v1/frontend/deposit-orders/"+id+"/is-paid", "", me...), 200)
	if unpaid.body["is_paid"] != false {
		t.Fatalf("is-paid before paying: %s", unpaid.raw)
	}
	back := paymenttest.Click(t, payURL, "pay")
	if !strings.Contains(back, "doid="+id) {
		t.Fatalf("the pay page sent the browser to %q", back)
	}
	// The notification and the page's queries race: the card is credited
	// once, whoever comes first.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.do("GET", "/api/v1/frontend/deposit-orders/"+id+"/is-paid", "", me...)
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := m.want(m.do("GET", "/api/v1/frontend/deposit-orders/"+id+"/is-paid", "", me...), 200)
		if r.body["is_paid"] == true {
			if o := r.body["order"].(map[string]any); o["status"] != "success" || o["pay_time"] == nil || o["deposit_time"] == nil {
				t.Fatalf("is-paid %s", r.raw)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never paid")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // let the sandbox's notification land too
	q := m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", "", me...), 200)
	if q.body["balance"] != "100.00" || num(q.body["cur_score"]) != "20" {
		t.Fatalf("credited more or less than once: %s", q.raw)
	}
	if _, bad, err := m.db.CheckMemberLedger(context.Background()); err != nil || len(bad) > 0 {
		t.Fatalf("ledger check: %v %v", bad, err)
	}
	m.want(m.do("GET", "/api/v1/frontend/deposit-orders/"+id+"/pay-url", "", me...), 403) // paid
	l := m.want(m.do("GET", "/api/v1/frontend/deposit-orders", "", me...), 200)
	if num(l.body["count"]) != "1" || num(l.body["code"]) != "0" {
		t.Fatalf("list %s", l.raw)
	}
}

func TestTopUpNotificationAndQueryRaceCreditsOnce(t *testing.T) {
	m := newMemberRig(t, levels())
	ctx := context.Background()
	if _, err := m.ledger.Open(ctx, 1, "9"); err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		d, err := m.ledger.CreateDeposit(ctx, 1, "9", "wechat", "10", "10", 0)
		if err != nil {
			t.Fatal(err)
		}
		u, err := m.ledger.DepositCheckout(ctx, m.sandbox, d, "店", "", m.http.URL+prefix+"deposit-payments/sandbox/notify", m.http.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		paymenttest.Click(t, u, "pay")
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := m.ledger.SettleDeposit(ctx, m.sandbox, d); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		card, _ := m.ledger.CardOf(ctx, 1, "9")
		if card.BalanceFen != int64(1000*(round+1)) {
			t.Fatalf("round %d: balance %d", round, card.BalanceFen)
		}
	}
	time.Sleep(300 * time.Millisecond)
	card, _ := m.ledger.CardOf(ctx, 1, "9")
	if card.BalanceFen != 5000 {
		t.Fatalf("balance %d after five top-ups of 10.00", card.BalanceFen)
	}
}

func TestDepositExceptionsAndAppeals(t *testing.T) {
	m := newMemberRig(t, levels())
	me := m.bearer(11)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/open", "", me...), 200)
	d := m.want(m.do("POST", "/api/v1/frontend/deposit-orders", `{"pay_type": "wechat", "money_price": "10.00", "price": "10.00"}`, me...), 201)
	id := num(d.body["id"])
	e := m.want(m.do("GET", "/api/v1/frontend/deposit-orders/exceptions", "", me...), 200)
	row := e.body["results"].([]any)[0].(map[string]any)
	if row["order_id"] != "D"+id || row["feedback"] != nil || !strings.Contains(e.raw, `"feedback":null`) {
		t.Fatalf("exceptions %s", e.raw)
	}
	body := `{"order": ` + id + `, "phone": "13812345678", "reason": "已付款未到账", "image_1": "/media/a.jpg"}`
	m.want(m.do("POST", "/api/v1/frontend/deposit-order-feedback", `{"order": `+id+`, "phone": "13812345678", "reason": "x"}`, me...), 400)
	m.want(m.do("POST", "/api/v1/frontend/deposit-order-feedback",
		`{"order": `+id+`, "phone": "13812345678", "reason": "x", "image_1": "https://evil.example/a.jpg"}`, me...), 400)
	m.want(m.do("POST", "/api/v1/frontend/deposit-order-feedback", body, m.bearer(12)...), 400) // not theirs
	m.want(m.do("POST", "/api/v1/frontend/deposit-order-feedback", body, me...), 200)
	m.want(m.do("POST", "/api/v1/frontend/deposit-order-feedback", body, me...), 400) // twice
	e = m.want(m.do("GET", "/api/v1/frontend/deposit-orders/exceptions", "", me...), 200)
	if !strings.Contains(e.raw, `"feedback":{"status":"new","has_images":true}`) {
		t.Fatalf("exceptions after the appeal %s", e.raw)
	}
	a, err := m.db.MemberAppealByRef(context.Background(), "deposit", 1)
	if err != nil || a.Status != "new" || len(a.Images) != 1 {
		t.Fatalf("stored appeal %+v %v", a, err)
	}
	_ = store.DepositNew
}
