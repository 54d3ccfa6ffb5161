package bridge

import (
	"context"
	"fmt"

	"github.com/posbridge/posbridge/order"
)

// reconcileBatch is how many codes one Statuses call carries (开个店's
// batchOrderStatus takes ten).
const reconcileBatch = 10

// reconcileMax bounds the open orders one reconciliation asks about per
// source.
const reconcileMax = 500

// ReconcileOpen asks every channel where it has the orders of its source
// still open locally (and those that ended here within a day,
// restore.go): it catches a cancel whose push was lost. Each source's
// codes go to its own channel only. asked says whether any channel was
// called (nothing open: nothing asked).
func (b *Bridge) ReconcileOpen(ctx context.Context) (changed int, asked bool, err error) {
	for _, source := range b.channels.sources() {
		ch := b.channels[source]
		codes, err := b.db.OpenOrderCodes(ctx, source, reconcileMax)
		if err != nil {
			return changed, asked, err
		}
		for i := 0; i < len(codes); i += reconcileBatch {
			batch := codes[i:min(i+reconcileBatch, len(codes))]
			changes, err := ch.Statuses(ctx, batch)
			asked = true
			if err != nil {
				return changed, asked, fmt.Errorf("%s order statuses: %w", source, err)
			}
			page := PollPage{Source: source, Via: order.ViaReconcile}
			for _, c := range changes {
				if c.PlatformStatus != 0 {
					page.Statuses = append(page.Statuses, CodeStatus{Code: c.Code, PlatformStatus: c.PlatformStatus})
				}
			}
			if _, err := b.IngestPoll(ctx, page); err != nil {
				return changed, asked, err
			}
			changed += len(page.Statuses)
		}
	}
	return changed, asked, nil
}
