package members

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/store"
)

// ErrNotRefundable: the top-up was never paid.
var ErrNotRefundable = errors.New("这笔充值没有支付成功，不能退款")

// RefundTopUp refunds a paid top-up through its provider (staff, with the
// manager's PIN, in the console): in one transaction the credit comes back
// off the card (the balance left must cover it), the refund is queued as an
// outbox row with its own refund number, and the audit log records who and
// why. SendDepositRefunds sends it. A second refund of the same top-up is
// store.ErrDepositRefunded, nothing changed.
func (l *Ledger) RefundTopUp(ctx context.Context, depositID int64, actor, reason string) (*store.MemberDepositRefund, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, errors.New("请填写退款原因")
	}
	if len(reason) > 200 {
		return nil, errors.New("退款原因最多 200 字节")
	}
	var f *store.MemberDepositRefund
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		d, err := tx.MemberDeposit(depositID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnknownDeposit
		}
		if err != nil {
			return err
		}
		if d.Status != store.DepositSuccess || d.TradeNo == "" {
			return ErrNotRefundable
		}
		f = &store.MemberDepositRefund{DepositID: d.ID, RefundNo: payment.NewRefundNo(tx.Now()), TradeNo: d.TradeNo,
			AmountFen: d.PayFen, Actor: actor, Reason: reason}
		if err := tx.InsertMemberDepositRefund(f); err != nil {
			return err
		}
		if err := RefundTopUpInTx(tx, d.CardID, fmt.Sprintf("D%d", d.ID),
			PriceEntry{CreditFen: orderFen(d.CreditFen), PayFen: orderFen(d.PayFen), BonusPoints: d.BonusPoints}, actor); err != nil {
			return err
		}
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "member.top_up_refund",
			Detail: fmt.Sprintf("top-up D%d card %d: ￥%s back to the payer (%s), ￥%s off the card; %s", d.ID, d.CardID,
				order.Fen(d.PayFen).Yuan(), f.RefundNo, order.Fen(d.CreditFen).Yuan(), reason)})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// depositRefundBackoff is the wait before a refund is tried again.
func depositRefundBackoff(tries int) time.Duration { return 30 * time.Second << min(tries, 6) }

// SendDepositRefunds works the due refund rows: the same refund number on
// every try, so a provider that got a try whose answer was lost answers the
// first refund's state instead of refunding twice. provider is the
// restaurant's provider of that name (nil when not configured).
func (l *Ledger) SendDepositRefunds(ctx context.Context, provider func(restaurantID int64, name string) payment.Provider, log *slog.Logger) (done int, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := l.db.Now()
	list, err := l.db.DueMemberDepositRefunds(ctx, now, 50)
	if err != nil {
		return 0, err
	}
	for _, f := range list {
		retry := func(why string) {
			next := now.Add(depositRefundBackoff(f.Tries))
			if err := l.db.SetMemberDepositRefund(ctx, f.ID, store.RefundPending, "", why, next); err != nil {
				log.Warn("members: cannot store a top-up refund's retry", "refund_no", f.RefundNo, "err", err)
			}
			log.Warn("members: top-up refund not done yet; retrying", "refund_no", f.RefundNo, "next", next, "why", why)
		}
		a, err := l.db.MemberDepositAttempt(ctx, f.TradeNo)
		if err != nil {
			retry("attempt: " + err.Error())
			continue
		}
		d, err := l.db.MemberDepositByID(ctx, f.DepositID)
		if err != nil {
			retry("deposit: " + err.Error())
			continue
		}
		p := provider(d.RestaurantID, a.Provider)
		if p == nil {
			retry("provider " + a.Provider + " not configured")
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 8*time.Second)
		res, err := p.Refund(cctx, payment.RefundRequest{Attempt: attemptOf(a), RefundNo: f.RefundNo, AmountFen: order.Fen(f.AmountFen)})
		cancel()
		switch {
		case err != nil:
			retry(err.Error())
			continue
		case res.State == payment.RefundDone:
			err = l.db.SetMemberDepositRefund(ctx, f.ID, store.RefundDone, res.ProviderRefundNo, res.Detail, time.Time{})
			log.Info("members: top-up refunded at the provider", "refund_no", f.RefundNo, "fen", f.AmountFen)
			done++
		case res.State == payment.RefundFailed:
			err = l.db.SetMemberDepositRefund(ctx, f.ID, store.RefundFailed, res.ProviderRefundNo, res.Detail, time.Time{})
			log.Warn("members: top-up refund refused by the provider; staff must act", "refund_no", f.RefundNo, "detail", res.Detail)
		default:
			retry(res.Detail)
			continue
		}
		if err != nil {
			log.Warn("members: cannot store a top-up refund's state", "refund_no", f.RefundNo, "err", err)
		}
	}
	return done, nil
}
