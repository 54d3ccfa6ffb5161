package checkout

import (
	"context"
	"testing"

	"github.com/posbridge/posbridge/store"
)

// A refund the provider refused stays failed until staff retry it; the
// retry goes out under the same refund number and is made once.
func TestFailedRefundRetriedByStaffUnderTheSameNumber(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	o := r.order()
	_, tradeNo := r.payURL(o)
	r.fake.Pay(tradeNo)
	waitFor(t, "paid", func() bool { return r.reload(o).Status == 1 })
	if n, err := r.pay.RefundOrder(ctx, o.ID, "staff"); err != nil || n != 1 {
		t.Fatalf("queue refund: %d %v", n, err)
	}
	r.fake.FailNext("/trade/v1/refund", "1155") // refund refused
	r.pay.Sweep(ctx)
	refunds, _ := r.db.OrderingRefunds(ctx, o.ID)
	if len(refunds) != 1 || refunds[0].State != store.RefundFailed || refunds[0].Detail == "" {
		t.Fatalf("refused refund: %+v", refunds)
	}
	first := refunds[0].RefundNo
	// a failed refund is not tried again by itself
	r.pay.Sweep(ctx)
	if calls := r.fake.Calls("/trade/v1/refund"); calls != 1 {
		t.Fatalf("a failed refund was sent again without staff: %d calls", calls)
	}
	if n, err := r.db.RetryOrderingRefunds(ctx, o.ID, "staff:小王"); err != nil || n != 1 {
		t.Fatalf("retry: %d %v", n, err)
	}
	if n, _ := r.db.RetryOrderingRefunds(ctx, o.ID, "staff:小王"); n != 0 {
		t.Fatal("a pending refund was retried again")
	}
	r.pay.Sweep(ctx)
	refunds, _ = r.db.OrderingRefunds(ctx, o.ID)
	if len(refunds) != 1 || refunds[0].State != store.RefundDone || refunds[0].RefundNo != first {
		t.Fatalf("retried refund: %+v (first number %s)", refunds, first)
	}
	if tx, ok := r.fake.Lookup(tradeNo); !ok || tx.Refunded != 1250 {
		t.Fatalf("at the provider: %+v", tx)
	}
}
