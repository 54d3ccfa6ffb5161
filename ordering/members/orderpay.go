package members

import (
	"context"
	"errors"
	"strconv"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// OrderRef names a scan-to-order order in the ledger.
func OrderRef(orderID int64) string { return "O" + strconv.FormatInt(orderID, 10) }

// PayOrder pays a scan-to-order order (paid_type 3) with the customer's
// card: the password when the card has one, then in one transaction the
// debit, the order's payment row and the points it earns (floor of the yuan
// paid × per_yuan). Paying the same order again changes nothing and returns
// the first payment. ErrInsufficient when the balance is short: parallel
// payments from one card are serialised by the database's one writer and the
// ledger's CHECK (after >= 0). fresh says this call paid it (the caller
// hands the order to the flow then, once); store.ErrNotPayable when the
// order was closed first (expired unpaid), nothing debited.
func (l *Ledger) PayOrder(ctx context.Context, restaurantID int64, customerID, password string, orderID int64, amount order.Fen) (out store.MemberOrderPayment, fresh bool, err error) {
	_, err = l.Pay(ctx, restaurantID, customerID, password, amount, OrderRef(orderID), func(tx *store.Tx, card *store.MemberCard, row store.MemberEntry) error {
		fresh = false
		if p, err := tx.MemberOrderPaymentOf(orderID); err == nil {
			out = *p
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		pts := l.cfg.PointsFor(amount)
		if err := l.EarnInTx(tx, card.ID, OrderRef(orderID), amount); err != nil {
			return err
		}
		p := store.MemberOrderPayment{OrderID: orderID, RestaurantID: restaurantID, CustomerID: customerID, CardID: card.ID,
			AmountFen: int64(amount), LedgerID: row.ID, Points: pts}
		if err := tx.InsertMemberOrderPayment(&p); err != nil {
			return err
		}
		if err := tx.MarkOrderingPaidByCard(orderID); err != nil {
			return err
		}
		p.PaidAt = tx.Now()
		out, fresh = p, true
		return nil
	})
	return out, fresh && err == nil, err
}

// Entries is one page of a card's rows of an account, newest first.
func (l *Ledger) Entries(ctx context.Context, cardID int64, account string, limit, offset int) ([]store.MemberEntry, int, error) {
	return l.db.MemberEntries(ctx, cardID, account, limit, offset)
}

// Audit records what staff did to a card or an appeal in the audit log.
func (l *Ledger) Audit(ctx context.Context, actor, action, detail string) error {
	return l.db.Write(ctx, func(tx *store.Tx) error {
		return tx.AppendAudit(store.Audit{Actor: actor, Action: action, Detail: detail})
	})
}

// Search finds cards by number or the holder's phone (the console).
func (l *Ledger) Search(ctx context.Context, q string, limit int) ([]store.MemberCardHit, error) {
	return l.db.SearchMemberCards(ctx, q, limit)
}

// CardByID is a card with its level.
func (l *Ledger) CardByID(ctx context.Context, id int64) (Card, error) {
	c, err := l.db.MemberCardByID(ctx, id)
	if err != nil {
		return Card{}, err
	}
	return l.card(c), nil
}

// Appeals lists appeals for staff, open ones first.
func (l *Ledger) Appeals(ctx context.Context, limit int) ([]store.MemberAppeal, error) {
	return l.db.MemberAppeals(ctx, false, limit)
}

// CardByNo is the restaurant's card with the number.
func (l *Ledger) CardByNo(ctx context.Context, restaurantID int64, no string) (Card, error) {
	c, err := l.db.MemberCardByNo(ctx, restaurantID, no)
	if err != nil {
		return Card{}, err
	}
	return l.card(c), nil
}

// RefundEndedOrders credits back card payments of orders the store
// rejected or cancelled (or the customer cancelled), once each: a
// reconciliation that runs after any crash as well, since the refund is
// found missing by its idempotency key.
func (l *Ledger) RefundEndedOrders(ctx context.Context) (int, error) {
	ids, err := l.db.MemberPaidOrdersToRefund(ctx, 200)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := l.db.Write(ctx, func(tx *store.Tx) error {
			_, err := RefundInTx(tx, OrderRef(id), "system")
			return err
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
