package checkout

import (
	"context"
	"errors"

	"github.com/posbridge/posbridge/store"
)

// Refund is one refund of an order paid online: queued when staff refuse
// or refund it (or a payment came late or twice), sent through the
// provider under one refund number.
type Refund = store.OrderingRefund

// Refund states.
const (
	RefundPending = store.RefundPending
	RefundDone    = store.RefundDone
	RefundFailed  = store.RefundFailed
)

// Book answers the console about an order's refunds by its code (the
// trade_no), so that the console needs neither the store nor the order's
// row.
type Book struct{ DB *store.DB }

// Refunds are the refunds of the scan-to-order order of code; found false
// when code is no such order (most orders are not paid online).
func (b Book) Refunds(ctx context.Context, code string) ([]*Refund, bool, error) {
	o, err := b.DB.OrderingOrderByTradeNo(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	list, err := b.DB.OrderingRefunds(ctx, o.ID)
	return list, true, err
}

// RetryRefunds puts the order's refused refunds back in the outbox under
// their refund numbers (audited as actor); n is how many.
func (b Book) RetryRefunds(ctx context.Context, code, actor string) (n int, found bool, err error) {
	o, err := b.DB.OrderingOrderByTradeNo(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	n, err = b.DB.RetryOrderingRefunds(ctx, o.ID, actor)
	return n, true, err
}
