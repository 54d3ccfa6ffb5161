package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// A push that proves nothing about its sender (neither signed nor carrying
// push.token: a listener on 127.0.0.1 behind a tunnel, say) is a claim. Its
// status or refund is not applied: the platform is asked first. The detail
// loop fetches the order with queryDetail, whose orderStatus is the truth,
// and what the push claimed is applied (with its cancel type and reason)
// only when the platform says the same; a refund request, refusal or
// withdrawal, which no detail shows, is left to the refund poll, woken at
// once. A forged "cancelled" for a paid order therefore changes nothing,
// and a code the platform does not know never becomes an order.

// claimOnly reports whether a push must be confirmed before it acts.
func claimOnly(p decodedPush) bool {
	if p.item.Authenticated() {
		return false
	}
	return p.ch.Kind == order.ChangeStatus || p.ch.Kind == order.ChangeRefund
}

// claimAttempts is how often the platform is asked about a claim before it
// is dropped as one the platform does not know.
const claimAttempts = 3

// claim keeps what an unauthenticated push said, for confirmation. A claim
// that would change nothing (the platform's own "accepted" after our
// accept, say) is not worth a call: it is only logged.
func (b *Bridge) claim(tx *store.Tx, a *after, p decodedPush) error {
	if rec, err := tx.GetOrder(p.ch.Code); err == nil {
		trial := rec.State() // the order stays as it is
		if out := applyPlatform(&trial, p.ch, b.codes(p.ch.Source)); !out.changed && len(out.effects) == 0 {
			b.log.Debug("unauthenticated push that changes nothing absorbed", "order", p.ch.Code, "why", out.ignored)
			return nil
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	b.log.Info("unauthenticated push kept as a claim until the platform confirms it", "order", p.ch.Code,
		"kind", p.ch.Kind, "status", p.ch.PlatformStatus, "refund", p.ch.CancelStatus)
	if err := tx.SaveClaim(store.PushClaim{Code: p.ch.Code, Change: p.ch, InboxID: p.item.ID}); err != nil {
		return err
	}
	a.detail = true
	if refundClaim(p.ch) {
		a.refunds = true
	}
	return nil
}

// refundClaim reports a claim about a refund request (asked, refused,
// withdrawn): no order detail shows those; the refund poll does.
func refundClaim(ch order.Change) bool {
	switch ch.CancelStatus {
	case order.RefundRequested, order.RefundRefused, order.RefundWithdrawn:
		return true
	}
	return ch.Kind == order.ChangeRefund && ch.CancelStatus == 0
}

// confirmedBy is the part of a claim the platform's detail confirms, or
// false when it confirms none of it. A refund done (4, 5) shows as
// orderStatus 6.
func confirmedBy(ch order.Change, platformStatus int, codes StatusCodes) (order.Change, bool) {
	cancelled, _ := codes.StatusOf(platformStatus)
	switch {
	case ch.Kind == order.ChangeStatus && ch.PlatformStatus != 0 && ch.PlatformStatus == platformStatus:
	case (ch.CancelStatus == order.RefundRefunding || ch.CancelStatus == order.RefundDone) && cancelled == order.StatusCancelled:
		ch.Kind, ch.PlatformStatus = order.ChangeStatus, platformStatus
	default:
		return order.Change{}, false
	}
	if refundClaim(ch) {
		ch.CancelStatus = 0 // the refund poll decides that part
	}
	return ch, true
}

// confirmClaimTx settles a claim with the detail the platform gave: the
// confirmed part of the claim is applied as a push, anything else as what
// the platform says; then the detail is stored as any other.
func (b *Bridge) confirmClaimTx(tx *store.Tx, a *after, d Detail) error {
	code := d.Order.Code
	c, err := tx.GetClaim(code)
	if err != nil {
		return err
	}
	if err := tx.DeleteClaim(code); err != nil {
		return err
	}
	ch, confirmed := confirmedBy(c.Change, d.Order.PlatformStatus, b.codes(c.Change.Source))
	ch.Via = order.ViaPush
	if !confirmed {
		b.log.Warn("an unauthenticated push claimed what the platform does not say: ignored", "order", code,
			"claimed_status", c.Change.PlatformStatus, "claimed_refund", c.Change.CancelStatus, "platform_status", d.Order.PlatformStatus)
		ch = order.Change{Kind: order.ChangeStatus, Via: order.ViaPoll, Code: code, PlatformStatus: d.Order.PlatformStatus}
	}
	if now := tx.Now(); ch.At.After(now) {
		ch.At = now // a claim's own clock is not trusted beyond the present
	}
	header := d.Order
	if err := b.applyChangeTx(tx, a, ch, &header); err != nil {
		return err
	}
	return b.applyDetailTx(tx, a, d)
}

// claimsMissed counts a confirmation the platform did not answer (no such
// order, yet) for those of codes that are claims; after claimAttempts the
// claim is dropped.
func (b *Bridge) claimsMissed(ctx context.Context, codes []string) {
	codes, err := b.db.ClaimsAmong(ctx, codes)
	if err != nil || len(codes) == 0 {
		return
	}
	err = b.db.Write(ctx, func(tx *store.Tx) error {
		for _, code := range codes {
			c, err := tx.GetClaim(code)
			if err != nil {
				continue
			}
			if c.Attempts+1 >= claimAttempts {
				b.log.Warn("unauthenticated push about an order the platform does not know: dropped", "order", code,
					"kind", c.Change.Kind, "status", c.Change.PlatformStatus, "inbox_id", c.InboxID)
				if err := tx.DeleteClaim(code); err != nil {
					return err
				}
				continue
			}
			if err := tx.ClaimMissed(code, tx.Now().Add(backoff(2*time.Second, time.Minute, c.Attempts+1))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && ctx.Err() == nil {
		b.log.Error("record unconfirmed claims", "err", err)
	}
}

// RefundPollWake fires when the refund poll should run now: a claim about
// a refund request waits for it.
func (b *Bridge) RefundPollWake() <-chan struct{} { return b.refundWake }
