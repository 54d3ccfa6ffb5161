package members

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/paymenttest"
	"github.com/posbridge/posbridge/ordering/payment/sandbox"
	"github.com/posbridge/posbridge/store"
)

// lossy passes refunds to the provider but loses the first answers (the
// provider refunded; we never heard), and counts the refund numbers sent.
type lossy struct {
	payment.Provider
	mu    sync.Mutex
	lose  int
	calls map[string]int
}

func (p *lossy) Refund(ctx context.Context, r payment.RefundRequest) (payment.RefundResult, error) {
	res, err := p.Provider.Refund(ctx, r)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[r.RefundNo]++
	if p.lose > 0 {
		p.lose--
		return payment.RefundResult{}, errors.New("connection reset")
	}
	return res, err
}

// A paid top-up refunded by staff: the credit comes off the card at once
// and the audit says who and why; the provider refund goes out with one
// refund number, retried after lost answers until done, and a second
// refund of the same top-up is refused.
func TestTopUpRefundedThroughTheProviderOnce(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := DefaultConfig()
	cfg.TopUps = []TopUp{{MoneyPrice: "100.00", Price: "90.00", BonusPoints: 10}}
	l := New(db, cfg)
	l.cost = bcrypt.MinCost
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	sb, err := sandbox.New(sandbox.Options{BaseURL: srv.URL + "/sandbox-pay", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Shutdown)
	mux.Handle("/sandbox-pay/", http.StripPrefix("/sandbox-pay", sb.Handler()))
	ctx := context.Background()
	if _, err := l.Open(ctx, 1, "c1"); err != nil {
		t.Fatal(err)
	}
	d, err := l.CreateDeposit(ctx, 1, "c1", "wechat", "100", "90", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.RefundTopUp(ctx, d.ID, "staff:店长", "顾客要求退款"); !errors.Is(err, ErrNotRefundable) {
		t.Fatalf("refund of an unpaid top-up: %v", err)
	}
	u, err := l.DepositCheckout(ctx, sb, d, "店", "", srv.URL+"/notify", srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	paymenttest.Click(t, u, "pay")
	if err := l.SettleDeposit(ctx, sb, d); err != nil {
		t.Fatal(err)
	}
	if c, _ := l.CardOf(ctx, 1, "c1"); c.BalanceFen != 10000 {
		t.Fatalf("balance %d after the top-up", c.BalanceFen)
	}

	f, err := l.RefundTopUp(ctx, d.ID, "staff:店长", "顾客要求退款")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.RefundTopUp(ctx, d.ID, "staff:店长", "again"); !errors.Is(err, store.ErrDepositRefunded) {
		t.Fatalf("a second refund: %v", err)
	}
	if c, _ := l.CardOf(ctx, 1, "c1"); c.BalanceFen != 0 || c.Points != 0 {
		t.Fatalf("balance %d, points %d after the refund, want 0 and 0 (the 10 bonus points go with the money)", c.BalanceFen, c.Points)
	}
	mustCheck(t, db)

	p := &lossy{Provider: sb, lose: 2, calls: map[string]int{}}
	provider := func(rid int64, name string) payment.Provider {
		if rid == 1 && name == sb.Name() {
			return p
		}
		return nil
	}
	for round := range 4 {
		if _, err := l.SendDepositRefunds(ctx, provider, nil); err != nil {
			t.Fatal(err)
		}
		got, _ := db.MemberDepositRefundOf(ctx, d.ID)
		if round < 2 && got.State != store.RefundPending {
			t.Fatalf("round %d: state %s before an answer arrived", round, got.State)
		}
		advance(time.Hour)
	}
	got, err := db.MemberDepositRefundOf(ctx, d.ID)
	if err != nil || got.State != store.RefundDone || got.RefundNo != f.RefundNo || got.ProviderRefundNo == "" || got.Tries != 3 {
		t.Fatalf("refund row %+v %v", got, err)
	}
	if len(p.calls) != 1 || p.calls[f.RefundNo] != 3 {
		t.Fatalf("refund numbers sent %v, want one number, three tries", p.calls)
	}
	// The provider refunded the payment once: a new refund number would be refused.
	a, err := db.MemberDepositAttempt(ctx, d2TradeNo(t, db, d.ID))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := sb.Refund(ctx, payment.RefundRequest{Attempt: attemptOf(a), RefundNo: "R20261202NEW0001", AmountFen: 9000}); err != nil || res.State != payment.RefundFailed {
		t.Fatalf("a second refund at the provider: %+v %v (want refused: the first was made)", res, err)
	}
}

func d2TradeNo(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	d, err := db.MemberDepositByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.TradeNo
}
