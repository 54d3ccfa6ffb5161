package app

import (
	"context"
	"errors"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
)

// weChatPayments tells the WeChat Pay sync how a scan-to-order order was
// paid: an order of paid_type 2 (微信支付, through 钱方 or 收钱吧) with a paid
// attempt that names WeChat Pay's transaction is a WeChat Pay payment; the
// out_trade_no is our trade number of that attempt, the one the provider
// was given.
type weChatPayments struct{ db *store.DB }

func (p weChatPayments) WeChatPayment(ctx context.Context, orderCode string) (*wechatpay.SyncPayment, error) {
	o, err := p.db.OrderingOrderByTradeNo(ctx, orderCode)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil || o.PaidType != int(menu.PaidWeChat) {
		return nil, err
	}
	attempts, err := p.db.OrderingPayments(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range attempts {
		if a.State == store.PaymentPaid && a.ChannelTxn != "" {
			return &wechatpay.SyncPayment{PayTime: a.PaidAt, TransactionID: a.ChannelTxn, OutTradeNo: a.TradeNo}, nil
		}
	}
	return nil, nil
}
