package members

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Idempotency keys of the ledger: each names what may happen once.
func payKey(orderRef string) string    { return "pay:" + orderRef }
func refundKey(orderRef string) string { return "refund:" + orderRef }
func earnKey(orderRef string) string   { return "earned:" + orderRef }
func unearnKey(orderRef string) string { return "unearned:" + orderRef }
func topUpKey(ref string) string       { return "top_up:" + ref }
func topUpBonusKey(ref string) string  { return "top_up_bonus:" + ref }
func topUpRefundKey(ref string) string { return "top_up_refund:" + ref }
func topUpBonusRefundKey(ref string) string {
	return "top_up_bonus_refund:" + ref
}
func redeemKey(orderRef string) string { return "redeemed:" + orderRef }

// PayInTx debits amount from the card for the order in the caller's
// transaction, so that the order's payment and the debit commit together.
// Paying the same order again changes nothing and returns the first row.
// ErrInsufficient when the balance is short: a balance never goes below zero,
// and parallel payments are serialised by the database's writer.
func PayInTx(tx *store.Tx, cardID int64, amount order.Fen, orderRef, actor string) (store.MemberEntry, error) {
	if amount <= 0 || orderRef == "" {
		return store.MemberEntry{}, fmt.Errorf("member payment: amount %d for order %q", amount, orderRef)
	}
	row, done, err := tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: store.AccountBalance, Delta: -int64(amount),
		Reason: "payment", Actor: actor, OrderRef: orderRef, IdemKey: payKey(orderRef)})
	if errors.Is(err, store.ErrMemberInsufficient) {
		return store.MemberEntry{}, ErrInsufficient
	}
	if err != nil || done {
		return row, err
	}
	return row, tx.AddMemberSpent(cardID, int64(amount))
}

// Pay is a member payment (paid_type 3) confirmed by the customer: the
// password when the card has one, then the debit and whatever the caller
// records of the order (markPaid), in one transaction.
func (l *Ledger) Pay(ctx context.Context, restaurantID int64, customerID, password string, amount order.Fen, orderRef string,
	markPaid func(tx *store.Tx, card *store.MemberCard, row store.MemberEntry) error) (store.MemberEntry, error) {
	c, err := l.db.MemberCardOf(ctx, restaurantID, customerID)
	if errors.Is(err, store.ErrNotFound) {
		return store.MemberEntry{}, ErrNoCard
	}
	if err != nil {
		return store.MemberEntry{}, err
	}
	if c.PasswordHash != "" {
		if password == "" {
			return store.MemberEntry{}, ErrPasswordNeeded
		}
		if err := l.reserveTry(ctx, restaurantID, "pay:"+c.CardNo); err != nil {
			return store.MemberEntry{}, err
		}
		if !l.passwordOK(c, password) {
			return store.MemberEntry{}, ErrWrongCard
		}
		// The right password does not use up a try: a member pays more
		// than five times an hour.
		if err := l.db.ReleaseMemberTry(ctx, restaurantID, "pay:"+c.CardNo); err != nil {
			return store.MemberEntry{}, err
		}
	}
	var row store.MemberEntry
	err = l.db.Write(ctx, func(tx *store.Tx) error {
		card, err := tx.MemberCardOf(restaurantID, customerID)
		if err != nil {
			return err
		}
		if card.ID != c.ID {
			return ErrNoCard // unbound and rebound meanwhile
		}
		if row, err = PayInTx(tx, card.ID, amount, orderRef, CustomerActor(customerID)); err != nil {
			return err
		}
		if markPaid != nil {
			return markPaid(tx, card, row)
		}
		return nil
	})
	return row, err
}

func (l *Ledger) reserveTry(ctx context.Context, restaurantID int64, key string) error {
	return l.db.Write(ctx, func(tx *store.Tx) error {
		ok, err := tx.ReserveMemberBindTry(restaurantID, key, bindTries, bindTryWindow)
		if err == nil && !ok {
			return ErrTooManyTries
		}
		return err
	})
}

// RefundInTx credits back what the order took from a card, once however
// often the refund is applied, and takes back the points it earned (as many
// as are left). It reports whether the order was paid with a card at all.
func RefundInTx(tx *store.Tx, orderRef, actor string) (bool, error) {
	rows, err := tx.MemberEntriesOfOrder(orderRef)
	if err != nil {
		return false, err
	}
	var paid, earned *store.MemberEntry
	for i := range rows {
		switch rows[i].IdemKey {
		case payKey(orderRef):
			paid = &rows[i]
		case earnKey(orderRef):
			earned = &rows[i]
		}
	}
	if paid != nil {
		_, done, err := tx.AppendMemberEntry(store.MemberEntry{CardID: paid.CardID, Account: store.AccountBalance, Delta: -paid.Delta,
			Reason: "refund", Actor: actor, OrderRef: orderRef, IdemKey: refundKey(orderRef)})
		if err != nil {
			return true, err
		}
		if !done {
			if err := tx.AddMemberSpent(paid.CardID, paid.Delta); err != nil {
				return true, err
			}
		}
	}
	if earned != nil {
		card, err := tx.MemberCardByID(earned.CardID)
		if err != nil {
			return paid != nil, err
		}
		if back := min(earned.Delta, card.Points); back > 0 {
			if _, _, err := tx.AppendMemberEntry(store.MemberEntry{CardID: earned.CardID, Account: store.AccountPoints, Delta: -back,
				Reason: "unearned", Actor: actor, OrderRef: orderRef, IdemKey: unearnKey(orderRef)}); err != nil {
				return paid != nil, err
			}
		}
	}
	return paid != nil, nil
}

// EarnInTx adds the points an order earned (floor of the yuan paid times
// per_yuan), once per order.
func (l *Ledger) EarnInTx(tx *store.Tx, cardID int64, orderRef string, paid order.Fen) error {
	pts := l.cfg.PointsFor(paid)
	if pts <= 0 {
		return nil
	}
	_, _, err := tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: store.AccountPoints, Delta: pts,
		Reason: "earned", Actor: "system", OrderRef: orderRef, IdemKey: earnKey(orderRef)})
	return err
}

// RedeemInTx spends points on an order, once per order; it returns the fen
// they are worth. ErrInsufficient when the card has fewer.
func (l *Ledger) RedeemInTx(tx *store.Tx, cardID int64, orderRef string, points int64, actor string) (order.Fen, error) {
	if points <= 0 {
		return 0, nil
	}
	row, _, err := tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: store.AccountPoints, Delta: -points,
		Reason: "redeemed", Actor: actor, OrderRef: orderRef, IdemKey: redeemKey(orderRef)})
	if errors.Is(err, store.ErrMemberInsufficient) {
		return 0, ErrInsufficient
	}
	if err != nil {
		return 0, err
	}
	return order.Fen(-row.Delta * l.cfg.Points.RedeemFenPerPoint), nil
}

// CreditTopUpInTx puts a paid top-up on the card, with its bonus points,
// exactly once: the provider's notification and the is-paid query may both
// say "paid", at the same moment.
func CreditTopUpInTx(tx *store.Tx, cardID int64, topUpRef string, e PriceEntry, actor string) (credited bool, err error) {
	_, done, err := tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: store.AccountBalance, Delta: int64(e.CreditFen),
		Reason: "top_up", Actor: actor, TopUpRef: topUpRef, IdemKey: topUpKey(topUpRef)})
	if err != nil || done {
		return false, err
	}
	if e.BonusPoints > 0 {
		if _, _, err := tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: store.AccountPoints, Delta: e.BonusPoints,
			Reason: "top_up_bonus", Actor: actor, TopUpRef: topUpRef, IdemKey: topUpBonusKey(topUpRef)}); err != nil {
			return false, err
		}
	}
	return true, nil
}

// RefundTopUpInTx takes a refunded top-up back off the card, once; the
// balance left must cover it (what was spent of it is not refundable).
func RefundTopUpInTx(tx *store.Tx, cardID int64, topUpRef string, e PriceEntry, actor string) error {
	_, done, err := tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: store.AccountBalance, Delta: -int64(e.CreditFen),
		Reason: "top_up_refund", Actor: actor, TopUpRef: topUpRef, IdemKey: topUpRefundKey(topUpRef)})
	if errors.Is(err, store.ErrMemberInsufficient) {
		return fmt.Errorf("卡内余额不足以退回这笔充值（已消费部分不能退）: %w", ErrInsufficient)
	}
	if err != nil || done || e.BonusPoints <= 0 {
		return err
	}
	// The top-up's bonus points go with its money, as far as they are still
	// on the card (points already redeemed stay redeemed: the card never
	// goes below zero).
	c, err := tx.MemberCardByID(cardID)
	if err != nil {
		return err
	}
	if back := min(e.BonusPoints, c.Points); back > 0 {
		_, _, err = tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: store.AccountPoints, Delta: -back,
			Reason: "top_up_bonus_refund", Actor: actor, TopUpRef: topUpRef, IdemKey: topUpBonusRefundKey(topUpRef)})
	}
	return err
}

// Adjust changes a balance or points by hand: staff with the manager PIN,
// with a reason, audited as a ledger row of its own.
func (l *Ledger) Adjust(ctx context.Context, cardID int64, account string, delta int64, note, actor string) (store.MemberEntry, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return store.MemberEntry{}, errors.New("请填写调整原因")
	}
	if len(note) > 200 {
		return store.MemberEntry{}, errors.New("调整原因最多 200 字节")
	}
	if delta == 0 {
		return store.MemberEntry{}, errors.New("调整金额不能为 0")
	}
	var row store.MemberEntry
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		row, _, err = tx.AppendMemberEntry(store.MemberEntry{CardID: cardID, Account: account, Delta: delta,
			Reason: "adjust", Actor: actor, Note: note})
		if errors.Is(err, store.ErrMemberInsufficient) {
			return ErrInsufficient
		}
		return err
	})
	return row, err
}

func orderFen(v int64) order.Fen { return order.Fen(v) }
