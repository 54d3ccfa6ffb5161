package api

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/checkout"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/payment"
)

// A card-paid order waits at status 0, away from the kitchen, until the
// confirmation page's POST debits the card; then it is handed to the flow
// once, however many POSTs race; the sweep hands over one whose hand-over
// failed.
func TestCardOrderReachesTheFlowOnlyWhenPaidAndOnce(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("C200", "1234", 10000)
	me := m.bearer(41)
	m.want(m.do("POST", prefix+"user-member-card/bind", `{"card_id": "C200", "card_pwd": "1234"}`, me...), 200)
	ctx := context.Background()

	id, tok := m.memberOrder("40")
	m.srv.Sweep(ctx, Sweeper{}) // a sweep must not hand it over either
	time.Sleep(50 * time.Millisecond)
	if n := m.placed.count(); n != 0 {
		t.Fatalf("an unpaid card order reached the flow (%d hand-overs)", n)
	}
	o, err := m.db.OrderingOrder(ctx, orderNo(id))
	if err != nil || o.Status != int(orders.Placed) {
		t.Fatalf("unpaid card order status %d (%v), want 0", o.Status, err)
	}
	u := m.payURL(id, tok, me)
	_, page := getPage(t, u)
	if m.placed.count() != 0 {
		t.Fatal("the confirmation page's GET handed the order over")
	}
	ticket := ticketRE.FindStringSubmatch(page)[1]
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { postPay(t, m.http.URL, ticket, "1234") })
	}
	wg.Wait()
	m.placed.waitPlaced(t, 1)
	m.srv.WaitHandOvers()
	m.srv.Sweep(ctx, Sweeper{})
	if n := m.placed.count(); n != 1 {
		t.Fatalf("handed over %d times, want once", n)
	}
	o, _ = m.db.OrderingOrder(ctx, orderNo(id))
	if o.Status != int(orders.Awaiting) || o.PaidAt.IsZero() {
		t.Fatalf("paid card order status %d paid_at %v", o.Status, o.PaidAt)
	}
	if c, _ := m.ledger.CardOf(ctx, 1, "41"); c.BalanceFen != 6000 {
		t.Fatalf("balance %d, want 6000", c.BalanceFen)
	}

	// The flow refuses the first hand-over: the sweep does it later, once.
	m.placed.setFail(true)
	id2, tok2 := m.memberOrder("40")
	_, p2 := getPage(t, m.payURL(id2, tok2, me))
	if code, body := postPay(t, m.http.URL, ticketRE.FindStringSubmatch(p2)[1], "1234"); code != 200 {
		t.Fatalf("pay: %d %s", code, body)
	}
	m.srv.WaitHandOvers()
	m.placed.setFail(false)
	m.srv.Sweep(ctx, Sweeper{})
	m.srv.Sweep(ctx, Sweeper{})
	if n := m.placed.count(); n != 2 {
		t.Fatalf("handed over %d orders, want 2", n)
	}
}

// An unpaid card order expires like an online one (ordering.payment.expire):
// closed, never handed over, and a late POST debits nothing.
func TestUnpaidCardOrderExpires(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("C300", "1234", 10000)
	me := m.bearer(51)
	m.want(m.do("POST", prefix+"user-member-card/bind", `{"card_id": "C300", "card_pwd": "1234"}`, me...), 200)
	ctx := context.Background()
	id, tok := m.memberOrder("40")
	_, page := getPage(t, m.payURL(id, tok, me))
	ticket := ticketRE.FindStringSubmatch(page)[1]

	pays := checkout.New(checkout.Options{DB: m.db, Expire: 10 * time.Minute, Now: m.clock.now,
		Provider: func(int64, string) (payment.Provider, bool) { return nil, false }})
	m.clock.set(wednesdayNoon.Add(9 * time.Minute))
	pays.Sweep(ctx)
	if o, _ := m.db.OrderingOrder(ctx, orderNo(id)); o.Status != int(orders.Placed) {
		t.Fatalf("closed before the expiry: status %d", o.Status)
	}
	m.clock.set(wednesdayNoon.Add(11 * time.Minute))
	pays.Sweep(ctx)
	o, _ := m.db.OrderingOrder(ctx, orderNo(id))
	if o.Status != int(orders.UserCancel) || o.StatusNote != checkout.ClosedNote {
		t.Fatalf("expired card order: status %d note %q", o.Status, o.StatusNote)
	}
	// The ticket is still within its 15 minutes; the order is not.
	code, body := postPay(t, m.http.URL, ticket, "1234")
	if code != 409 || !strings.Contains(body, "订单已取消或已完成") {
		t.Fatalf("late POST: %d %s", code, body)
	}
	if c, _ := m.ledger.CardOf(ctx, 1, "51"); c.BalanceFen != 10000 {
		t.Fatalf("an expired order debited the card: %d", c.BalanceFen)
	}
	m.srv.Sweep(ctx, Sweeper{})
	if n := m.placed.count(); n != 0 {
		t.Fatalf("an expired card order reached the flow")
	}
}
