package members

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

func openLedger(t *testing.T) (*Ledger, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := DefaultConfig()
	cfg.Levels = append(cfg.Levels, Level{Name: "金卡", MinSpent: 100000, DiscountPercent: 90})
	cfg.TopUps = []TopUp{{MoneyPrice: "100.00", Price: "90.00", BonusPoints: 10}}
	l := New(db, cfg)
	l.cost = bcrypt.MinCost // the tests count comparisons, not their cost
	return l, db
}

func mustCheck(t *testing.T, db *store.DB) {
	t.Helper()
	n, bad, err := db.CheckMemberLedger(context.Background())
	if err != nil || len(bad) > 0 {
		t.Fatalf("ledger check of %d cards: %+v %v", n, bad, err)
	}
}

// Fifty payments of ￥1.00 at once from a card holding ￥10.00: ten go
// through, forty are refused, the balance is zero, never below.
func TestParallelPaymentsCannotOverdraw(t *testing.T) {
	l, db := openLedger(t)
	ctx := context.Background()
	c, err := l.Issue(ctx, 1, "8001", "", 0, "staff:test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Bind(ctx, 1, "cust-1", "8001", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := CreditTopUpInTx(tx, c.ID, "T1", PriceEntry{CreditFen: 1000, PayFen: 900}, "system")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var ok, short atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_, err := l.Pay(ctx, 1, "cust-1", "", 100, fmt.Sprintf("O%d", i), nil)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrInsufficient):
				short.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, _ := l.CardOf(ctx, 1, "cust-1")
	if ok.Load() != 10 || short.Load() != 40 || got.BalanceFen != 0 {
		t.Fatalf("%d paid, %d refused, balance %d: want 10, 40, 0", ok.Load(), short.Load(), got.BalanceFen)
	}
	mustCheck(t, db)
}

// The same order paid twice at once (a double tap), refunded twice, and a
// top-up credited by a notification and a query racing: each once.
func TestEachMoneyMovementHappensOnce(t *testing.T) {
	l, db := openLedger(t)
	ctx := context.Background()
	c, err := l.Open(ctx, 1, "cust-2")
	if err != nil {
		t.Fatal(err)
	}
	price, ok := l.Config().FindTopUp("100", "90")
	if !ok {
		t.Fatal("100/90 is in the price list")
	}
	var credited atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_ = db.Write(ctx, func(tx *store.Tx) error {
				did, err := CreditTopUpInTx(tx, c.ID, "D7", price, "system")
				if did {
					credited.Add(1)
				}
				return err
			})
		})
	}
	wg.Wait()
	for range 4 {
		wg.Go(func() {
			if _, err := l.Pay(ctx, 1, "cust-2", "", 2550, "O1", nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, _ := l.CardOf(ctx, 1, "cust-2")
	if credited.Load() != 1 || got.BalanceFen != 10000-2550 || got.Points != 10 {
		t.Fatalf("credited %d times, balance %d, points %d: want once, 7450, 10", credited.Load(), got.BalanceFen, got.Points)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error { return l.EarnInTx(tx, c.ID, "O1", 2550) }); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		wg.Go(func() {
			_ = db.Write(ctx, func(tx *store.Tx) error { _, err := RefundInTx(tx, "O1", "staff:test"); return err })
		})
	}
	wg.Wait()
	got, _ = l.CardOf(ctx, 1, "cust-2")
	if got.BalanceFen != 10000 || got.Points != 10 || got.SpentFen != 0 {
		t.Fatalf("after the refund: balance %d, points %d, spent %d: want 10000, 10 (the order's 25 taken back), 0",
			got.BalanceFen, got.Points, got.SpentFen)
	}
	mustCheck(t, db)
}

// Twenty wrong passwords at once for one card: five are compared, the rest
// and then the right one are refused for the hour.
func TestBindTriesHoldUnderConcurrency(t *testing.T) {
	l, _ := openLedger(t)
	ctx := context.Background()
	if _, err := l.Issue(ctx, 1, "9001", "246810", 5000, "staff:test"); err != nil {
		t.Fatal(err)
	}
	var wrong, limited atomic.Int64
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			_, err := l.Bind(ctx, 1, fmt.Sprintf("thief-%d", i), "9001", fmt.Sprintf("%06d", i))
			switch {
			case errors.Is(err, ErrWrongCard):
				wrong.Add(1)
			case errors.Is(err, ErrTooManyTries):
				limited.Add(1)
			default:
				t.Errorf("guess %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if wrong.Load() != 5 || limited.Load() != 15 {
		t.Fatalf("%d compared, %d refused: want 5 and 15", wrong.Load(), limited.Load())
	}
	if _, err := l.Bind(ctx, 1, "owner", "9001", "246810"); !errors.Is(err, ErrTooManyTries) {
		t.Fatalf("the right password within the hour: %v", err)
	}
}

// The rules of §11 around binding and opening.
func TestCardRules(t *testing.T) {
	l, db := openLedger(t)
	ctx := context.Background()
	if _, err := l.Issue(ctx, 1, "7001", "", 100, "staff:test"); !errors.Is(err, ErrNeedsPassword) {
		t.Fatalf("a card with a balance and no password: %v", err)
	}
	if _, err := l.Open(ctx, 1, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Open(ctx, 1, "a"); !errors.Is(err, ErrHasCard) {
		t.Fatalf("a second card: %v", err)
	}
	if _, err := l.Open(ctx, 2, "a"); err != nil {
		t.Fatalf("a card at another restaurant: %v", err)
	}
	if _, err := l.Issue(ctx, 1, "7002", "135", 0, "staff:test"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Bind(ctx, 1, "b", "7002", "136"); !errors.Is(err, ErrWrongCard) {
		t.Fatalf("a wrong password: %v", err)
	}
	if _, err := l.Bind(ctx, 1, "b", "7002", "135"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Bind(ctx, 1, "c", "7002", "135"); !errors.Is(err, ErrCardTaken) {
		t.Fatalf("a card bound to someone else: %v", err)
	}
	if _, err := l.Bind(ctx, 1, "c", "nope", ""); !errors.Is(err, ErrWrongCard) {
		t.Fatalf("an unknown card: %v", err)
	}
	if _, err := l.Pay(ctx, 1, "b", "", 1, "O9", nil); !errors.Is(err, ErrPasswordNeeded) {
		t.Fatalf("paying with a card that has a password, without it: %v", err)
	}
	if err := l.Unbind(ctx, 1, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.CardOf(ctx, 1, "b"); !errors.Is(err, ErrNoCard) {
		t.Fatalf("after unbinding: %v", err)
	}
	// A customer's opened card (no password) that was topped up and
	// released cannot be taken by whoever reads its number.
	opened, err := l.Open(ctx, 1, "d")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := CreditTopUpInTx(tx, opened.ID, "T9", PriceEntry{CreditFen: 500, PayFen: 500}, "system")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := l.Unbind(ctx, 1, "d"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Bind(ctx, 1, "e", opened.CardNo, ""); !errors.Is(err, ErrNeedsPassword) {
		t.Fatalf("binding a released card with a balance and no password: %v", err)
	}
	mustCheck(t, db)
}

// The check finds a balance that is not the sum of its rows.
func TestCheckFindsATamperedBalance(t *testing.T) {
	l, db := openLedger(t)
	ctx := context.Background()
	c, err := l.Issue(ctx, 1, "6001", "1", 300, "staff:test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Adjust(ctx, c.ID, store.AccountBalance, -400, "多扣", "staff:a"); !errors.Is(err, ErrInsufficient) {
		t.Fatalf("an adjustment below zero: %v", err)
	}
	if _, err := l.Adjust(ctx, c.ID, store.AccountBalance, 50, "", "staff:a"); err == nil {
		t.Fatal("an adjustment without a reason")
	}
	mustCheck(t, db)
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.SetMemberPassword(c.ID, "") }); err != nil {
		t.Fatal(err)
	}
	tamper(t, db, c.ID)
	_, bad, err := db.CheckMemberLedger(ctx)
	if err != nil || len(bad) != 1 || bad[0].Kept != 999 || bad[0].Summed != 300 {
		t.Fatalf("a tampered balance: %+v %v", bad, err)
	}
}

func TestLevelsPointsAndDiscount(t *testing.T) {
	l, _ := openLedger(t)
	cfg := l.Config()
	if lv := cfg.LevelFor(99999); lv.Name != "普通会员" || lv.MemberDiscount(1000) != 0 {
		t.Fatalf("below 金卡: %+v", lv)
	}
	if lv := cfg.LevelFor(100000); lv.Name != "金卡" || lv.MemberDiscount(1999) != 199 {
		t.Fatalf("金卡 on ￥19.99: %+v %d", lv, lv.MemberDiscount(1999))
	}
	if p := cfg.PointsFor(order.Fen(2599)); p != 25 {
		t.Fatalf("points on ￥25.99: %d, want 25 (floor)", p)
	}
	if problems := (Config{Levels: []Level{{Name: "x", MinSpent: 5, DiscountPercent: 0}}, TopUps: []TopUp{{MoneyPrice: "abc", Price: "1"}}}).Validate(); len(problems) != 3 {
		t.Fatalf("a broken section: %v", problems)
	}
}
