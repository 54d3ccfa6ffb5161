package members

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/store"
)

// A top-up from the price list, paid while its notification and the page's
// is-paid query race: credited once, with its bonus points; the ledger adds up.
func TestDepositCreditedOnceWhenNotificationAndQueryRace(t *testing.T) {
	l, db := openLedger(t)
	ctx := context.Background()
	if _, err := l.Open(ctx, 1, "c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.CreateDeposit(ctx, 1, "c1", "wechat", "100", "95", 0); !errors.Is(err, ErrNotInPriceList) {
		t.Fatalf("an amount not in the price list: %v", err)
	}
	if _, err := l.CreateDeposit(ctx, 1, "nobody", "wechat", "100", "90", 0); !errors.Is(err, ErrNoCard) {
		t.Fatalf("a top-up without a card: %v", err)
	}
	d, err := l.CreateDeposit(ctx, 1, "c1", "wechat", "100.0", "90", 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != store.DepositNew || d.ExpiryAt.Sub(d.CreatedAt) != DepositTTL || d.CreditFen != 10000 || d.PayFen != 9000 {
		t.Fatalf("the new deposit order: %+v", d)
	}
	var credited atomic.Int64
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			did, err := l.DepositPaid(ctx, d.ID, "TRADE-1", time.Now())
			if err != nil {
				t.Error(err)
			}
			if did {
				credited.Add(1)
			}
		})
	}
	wg.Wait()
	card, _ := l.CardOf(ctx, 1, "c1")
	if credited.Load() != 1 || card.BalanceFen != 10000 || card.Points != 10 {
		t.Fatalf("credited %d times; balance %d, points %d: want once, 10000, 10", credited.Load(), card.BalanceFen, card.Points)
	}
	list, total, err := db.MemberDeposits(ctx, 1, "c1", 10, 0)
	if err != nil || total != 1 || list[0].Status != store.DepositSuccess || list[0].TradeNo != "TRADE-1" {
		t.Fatalf("the customer's deposits: %+v %d %v", list, total, err)
	}
	if err := CanPay(&list[0], time.Now()); !errors.Is(err, ErrDepositClosed) {
		t.Fatalf("paying a paid deposit again: %v", err)
	}
	mustCheck(t, db)
}

// An unpaid top-up expires; its appeal needs images and comes once; a paid
// one needs no appeal; another customer's is unknown.
func TestDepositExpiryAndAppeals(t *testing.T) {
	l, _ := openLedger(t)
	ctx := context.Background()
	if _, err := l.Open(ctx, 1, "c1"); err != nil {
		t.Fatal(err)
	}
	d, err := l.CreateDeposit(ctx, 1, "c1", "wechat", "100", "90", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if n, err := l.ExpireDeposits(ctx); err != nil || n != 1 {
		t.Fatalf("expired %d: %v", n, err)
	}
	img := []string{"/media/appeal/1.jpg"}
	if _, err := l.AppealDeposit(ctx, "c1", d.ID, "13800138000", "已付款未到账", nil, nil); !errors.Is(err, ErrAppealImages) {
		t.Fatalf("an appeal without images: %v", err)
	}
	if _, err := l.AppealDeposit(ctx, "c2", d.ID, "13800138000", "已付款未到账", img, nil); !errors.Is(err, ErrUnknownDeposit) {
		t.Fatalf("an appeal about another customer's deposit: %v", err)
	}
	if _, err := l.AppealDeposit(ctx, "c1", d.ID, "13800138000", "已付款未到账", img, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := l.AppealDeposit(ctx, "c1", d.ID, "13800138000", "已付款未到账", img, nil); !errors.Is(err, ErrAppealTwice) {
		t.Fatalf("a second appeal: %v", err)
	}
	// The payment of the expired order arrives after all: the card is
	// credited, the money came.
	if did, err := l.DepositPaid(ctx, d.ID, "LATE", time.Now()); err != nil || !did {
		t.Fatalf("a late payment: %v %v", did, err)
	}
	paid, err := l.CreateDeposit(ctx, 1, "c1", "wechat", "100", "90", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.DepositPaid(ctx, paid.ID, "T2", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := l.AppealDeposit(ctx, "c1", paid.ID, "13800138000", "已付款未到账", img, nil); !errors.Is(err, ErrAppealDone) {
		t.Fatalf("an appeal about a credited top-up: %v", err)
	}
}
