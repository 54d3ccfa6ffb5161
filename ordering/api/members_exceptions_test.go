package api

import (
	"context"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/orders"
)

// §14: an order paid with the card that the store rejected is a problem
// order of its payer (is_paid true, feedback null), who may appeal it once
// with an image; another customer may not.
func TestOrderExceptionsAndAppeals(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("C14", "1414", 10000)
	me := m.bearer(51)
	m.want(m.do("POST", prefix+"user-member-card/bind", `{"card_id": "C14", "card_pwd": "1414"}`, me...), 200)
	id, tok := m.memberOrder("40")
	_, page := getPage(t, m.payURL(id, tok, me))
	if code, _ := postPay(t, m.http.URL, ticketRE.FindStringSubmatch(page)[1], "1414"); code != 200 {
		t.Fatalf("pay %d", code)
	}
	empty := m.want(m.do("GET", prefix+"orders/exceptions", "", me...), 200)
	if num(empty.body["count"]) != "0" {
		t.Fatalf("an accepted order is no exception: %s", empty.raw)
	}
	if _, err := m.db.SetOrderingStatus(context.Background(), orderNo(id), int(orders.Rejected), "太忙了"); err != nil {
		t.Fatal(err)
	}
	// The rejected order's payment goes back to the card, once.
	for range 2 {
		if _, err := m.ledger.RefundEndedOrders(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := m.ledger.CardOf(context.Background(), 1, "51"); c.BalanceFen != 10000 || c.Points != 0 {
		t.Fatalf("after the refund: %d fen, %d points", c.BalanceFen, c.Points)
	}
	if _, bad, err := m.db.CheckMemberLedger(context.Background()); err != nil || len(bad) > 0 {
		t.Fatalf("ledger check %v %v", bad, err)
	}
	e := m.want(m.do("GET", prefix+"orders/exceptions", "", me...), 200)
	if num(e.body["count"]) != "1" || !strings.Contains(e.raw, `"feedback":null`) || !strings.Contains(e.raw, `"is_paid":true`) ||
		!strings.Contains(e.raw, `"status":-2`) || num(e.body["code"]) != "0" {
		t.Fatalf("exceptions %s", e.raw)
	}
	body := `{"order": ` + id + `, "phone": "13812345678", "reason": "已付款商家未接单", "image_1": "/media/p.jpg", "image_2": "/media/q.png"}`
	m.want(m.do("POST", prefix+"order-feedback", body, m.bearer(52)...), 400) // not their order
	m.want(m.do("POST", prefix+"order-feedback", body, me...), 200)
	m.want(m.do("POST", prefix+"order-feedback", body, me...), 400) // twice
	e = m.want(m.do("GET", prefix+"orders/exceptions", "", me...), 200)
	if !strings.Contains(e.raw, `"feedback":{"status":"new","has_images":true}`) {
		t.Fatalf("after the appeal %s", e.raw)
	}
	if m.want(m.do("GET", prefix+"orders/exceptions", "", m.bearer(52)...), 200).body["count"].(interface{ String() string }).String() != "0" {
		t.Fatal("another customer sees the order")
	}
}
