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
// ledger's CHECK (after >= 0).
func (l *Ledger) PayOrder(ctx context.Context, restaurantID int64, customerID, password string, orderID int64, amount order.Fen) (store.MemberOrderPayment, error) {
	var out store.MemberOrderPayment
	_, err := l.Pay(ctx, restaurantID, customerID, password, amount, OrderRef(orderID), func(tx *store.Tx, card *store.MemberCard, row store.MemberEntry) error {
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
		p.PaidAt = tx.Now()
		out = p
		return nil
	})
	return out, err
}

// Entries is one page of a card's rows of an account, newest first.
func (l *Ledger) Entries(ctx context.Context, cardID int64, account string, limit, offset int) ([]store.MemberEntry, int, error) {
	return l.db.MemberEntries(ctx, cardID, account, limit, offset)
}
