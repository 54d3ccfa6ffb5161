package members

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/posbridge/posbridge/store"
)

// Top-up errors, in the page's words (§12.3 400, §12.4 403).
var (
	ErrNotInPriceList = errors.New("充值金额不在价目表中")
	ErrDepositClosed  = errors.New("充值订单已支付或已过期")
	ErrUnknownDeposit = errors.New("充值订单不存在")
)

// DepositTTL is how long a top-up order waits for its payment (the seed's
// examples expire after 15 minutes; `ordering.payment.expire`).
const DepositTTL = 15 * time.Minute

// CreateDeposit makes a top-up order for the customer's card from an entry
// of the price list (§12.3).
func (l *Ledger) CreateDeposit(ctx context.Context, restaurantID int64, customerID, payType, moneyPrice, price string, ttl time.Duration) (*store.MemberDeposit, error) {
	if payType != "wechat" {
		return nil, fmt.Errorf("%w：只支持微信支付", ErrNotInPriceList)
	}
	entry, ok := l.cfg.FindTopUp(moneyPrice, price)
	if !ok {
		return nil, ErrNotInPriceList
	}
	if ttl <= 0 {
		ttl = DepositTTL
	}
	var out *store.MemberDeposit
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		card, err := tx.MemberCardOf(restaurantID, customerID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoCard
		}
		if err != nil {
			return err
		}
		id, err := tx.InsertMemberDeposit(&store.MemberDeposit{RestaurantID: restaurantID, CustomerID: customerID, CardID: card.ID,
			PayType: payType, CreditFen: int64(entry.CreditFen), PayFen: int64(entry.PayFen), BonusPoints: entry.BonusPoints}, ttl)
		if err != nil {
			return err
		}
		out, err = tx.MemberDeposit(id)
		return err
	})
	return out, err
}

// DepositPaid applies a payment the provider confirmed (its notification or
// a query), once: the order becomes success and the card is credited in the
// same transaction; a second confirmation changes nothing. A payment that
// arrives after the order expired still credits the card: the money came.
func (l *Ledger) DepositPaid(ctx context.Context, depositID int64, tradeNo string, paidAt time.Time) (credited bool, err error) {
	err = l.db.Write(ctx, func(tx *store.Tx) error {
		credited = false
		d, err := tx.MemberDeposit(depositID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnknownDeposit
		}
		if err != nil {
			return err
		}
		changed, err := tx.MarkMemberDepositPaid(d.ID, tradeNo, paidAt)
		if err != nil || !changed {
			return err
		}
		credited, err = CreditTopUpInTx(tx, d.CardID, fmt.Sprintf("D%d", d.ID),
			PriceEntry{CreditFen: orderFen(d.CreditFen), PayFen: orderFen(d.PayFen), BonusPoints: d.BonusPoints}, "system")
		return err
	})
	return credited, err
}

// CanPay says whether a top-up order may still be paid (§12.4: 403 when it
// expired or was paid).
func CanPay(d *store.MemberDeposit, now time.Time) error {
	if d.Status != store.DepositNew || !now.Before(d.ExpiryAt) {
		return ErrDepositClosed
	}
	return nil
}

// ExpireDeposits marks the unpaid top-up orders past their time.
func (l *Ledger) ExpireDeposits(ctx context.Context) (int64, error) {
	var n int64
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.ExpireMemberDeposits()
		return err
	})
	return n, err
}

// Appeal errors (§13.2, §14.2).
var (
	ErrAppealImages = errors.New("请上传 1 至 3 张图片")
	ErrAppealTwice  = errors.New("该订单已提交过申诉")
	ErrAppealDone   = errors.New("该订单已完成，无需申诉")
	ErrAppealPhone  = errors.New("请填写正确的手机号")
	ErrAppealReason = errors.New("请选择申诉原因")
)

// AppealDeposit records a customer's appeal about a top-up they paid that
// did not reach the card. Images are URLs of uploads (§7.1) on this
// listener: imageOK says whether one is.
func (l *Ledger) AppealDeposit(ctx context.Context, customerID string, depositID int64, phone, reason string, images []string, imageOK func(string) bool) (int64, error) {
	if err := checkAppeal(phone, reason, images, imageOK); err != nil {
		return 0, err
	}
	var id int64
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		d, err := tx.MemberDeposit(depositID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && d.CustomerID != customerID) {
			return ErrUnknownDeposit // another customer's order is not even acknowledged
		}
		if err != nil {
			return err
		}
		if d.Status == store.DepositSuccess {
			return ErrAppealDone
		}
		id, err = tx.InsertMemberAppeal(&store.MemberAppeal{Kind: "deposit", RefID: d.ID, CustomerID: customerID, Phone: phone,
			Reason: reason, Images: images})
		if errors.Is(err, store.ErrAppealExists) {
			return ErrAppealTwice
		}
		return err
	})
	return id, err
}

func checkAppeal(phone, reason string, images []string, imageOK func(string) bool) error {
	if len(images) < 1 || len(images) > 3 {
		return ErrAppealImages
	}
	for _, im := range images {
		u, err := url.Parse(im)
		if err != nil || len(im) > 512 || (imageOK != nil && !imageOK(im)) || (u.Scheme != "https" && u.Scheme != "http" && !strings.HasPrefix(im, "/")) {
			return ErrAppealImages
		}
	}
	digits := strings.TrimPrefix(strings.TrimSpace(phone), "+")
	if len(digits) < 6 || len(digits) > 20 || strings.Trim(digits, "0123456789") != "" {
		return ErrAppealPhone
	}
	if r := strings.TrimSpace(reason); r == "" || len(r) > 200 {
		return ErrAppealReason
	}
	return nil
}

// AppealOrder records a customer's appeal about an order they paid that was
// not accepted (§14.2); the caller has checked the order is theirs.
// completed: the order was finished (nothing to appeal).
func (l *Ledger) AppealOrder(ctx context.Context, customerID string, orderID int64, completed bool, phone, reason string, images []string, imageOK func(string) bool) (int64, error) {
	if err := checkAppeal(phone, reason, images, imageOK); err != nil {
		return 0, err
	}
	if completed {
		return 0, ErrAppealDone
	}
	var id int64
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, err = tx.InsertMemberAppeal(&store.MemberAppeal{Kind: "order", RefID: orderID, CustomerID: customerID, Phone: phone,
			Reason: reason, Images: images})
		if errors.Is(err, store.ErrAppealExists) {
			return ErrAppealTwice
		}
		return err
	})
	return id, err
}

// ResolveAppeal marks an appeal handled (console, audited by who and why).
func (l *Ledger) ResolveAppeal(ctx context.Context, id int64, by, note string) (bool, error) {
	note = strings.TrimSpace(note)
	if len(note) > 200 {
		return false, errors.New("处理说明最多 200 字节")
	}
	var changed bool
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		changed, err = tx.ResolveMemberAppeal(id, by, note)
		return err
	})
	return changed, err
}

// DepositRef is a top-up order's number as the page shows it (§13.1 "D251").
func DepositRef(id int64) string { return fmt.Sprintf("D%d", id) }
