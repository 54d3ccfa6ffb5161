package channel

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/kaigedian"
)

// The rest of the 开个店 store (issue 19): 沽清 and the store status
// (calls about a store, not an order) and the 围餐 calls. Their outbox
// kind is the neutral action and their payload bridge's request body.

// StorePlatform is the part of the client these calls use.
type StorePlatform interface {
	SellOut(ctx context.Context, txID string, req kaigedian.SellOutRequest) (kaigedian.SellOutResult, error)
	CancelSellOut(ctx context.Context, txID string, req kaigedian.SellOutRequest) (kaigedian.SellOutResult, error)
	SetStoreStatus(ctx context.Context, txID string, req kaigedian.SetStoreStatusRequest) error
	UpdateOrderItem(ctx context.Context, txID string, req kaigedian.UpdateOrderItemRequest) error
	PayAfterSyncOrderInfo(ctx context.Context, txID string, req kaigedian.PayAfterSyncRequest) error
}

var _ StorePlatform = (*kaigedian.Client)(nil)

// prepareStore is Prepare for the store and 围餐 actions; ok is false for others.
func prepareStore(req bridge.Request) (kind string, payload []byte, ok bool, err error) {
	switch req.Action {
	case bridge.ActSellOut, bridge.ActSellBack, bridge.ActStoreStatus:
		if req.Store == nil {
			return "", nil, true, fmt.Errorf("开个店 %s needs the store's request", req.Action)
		}
		payload, err = json.Marshal(req.Store)
		return string(req.Action), payload, true, err
	case bridge.ActTableItems, bridge.ActTableSettle:
		if req.Table == nil {
			return "", nil, true, fmt.Errorf("开个店 %s needs the order's lines", req.Action)
		}
		payload, err = json.Marshal(req.Table)
		return string(req.Action), payload, true, err
	}
	return "", nil, false, nil
}

// sendStore is Send for those kinds; ok is false for others.
func (c *Channel) sendStore(ctx context.Context, call bridge.Call) (result string, ok bool, err error) {
	p, has := c.platform.(StorePlatform)
	switch bridge.Action(call.Kind) {
	case bridge.ActSellOut, bridge.ActSellBack, bridge.ActStoreStatus, bridge.ActTableItems, bridge.ActTableSettle:
		if !has {
			return "", true, fmt.Errorf("outbox row %d: this 开个店 client cannot make %s calls", call.ID, call.Kind)
		}
	default:
		return "", false, nil
	}
	switch bridge.Action(call.Kind) {
	case bridge.ActSellOut, bridge.ActSellBack:
		var b bridge.StoreCallBody
		if err := json.Unmarshal(call.Payload, &b); err != nil {
			return "", true, fmt.Errorf("outbox row %d: %w", call.ID, err)
		}
		send := p.SellOut
		if bridge.Action(call.Kind) == bridge.ActSellBack {
			send = p.CancelSellOut
		}
		res, err := send(ctx, call.TxID, kaigedian.SellOutRequest{StoreID: b.StoreID, CustomerCodes: b.Codes, ChannelID: b.Channel})
		if err != nil {
			return "", true, err
		}
		raw, _ := json.Marshal(bridge.SellResult{Succeeded: res.Succeeded(), Failed: res.Failed})
		return string(raw), true, nil
	case bridge.ActStoreStatus:
		var b bridge.StoreCallBody
		if err := json.Unmarshal(call.Payload, &b); err != nil {
			return "", true, fmt.Errorf("outbox row %d: %w", call.ID, err)
		}
		ev, known := storeEventOf(b.Event)
		if !known {
			return "", true, fmt.Errorf("outbox row %d: store event %q", call.ID, b.Event)
		}
		return "", true, p.SetStoreStatus(ctx, call.TxID, kaigedian.SetStoreStatusRequest{StoreID: b.StoreID, Operator: b.Operator, Event: ev})
	}
	var t bridge.TableCallBody
	if err := json.Unmarshal(call.Payload, &t); err != nil {
		return "", true, fmt.Errorf("outbox row %d: %w", call.ID, err)
	}
	lines := kaigedian.TableItemsFrom(t.Items)
	if bridge.Action(call.Kind) == bridge.ActTableItems {
		return "", true, p.UpdateOrderItem(ctx, call.TxID, kaigedian.UpdateOrderItemRequest{OrderCode: t.OrderCode, ThirdOrderCode: t.ThirdCode, Items: lines})
	}
	return "", true, p.PayAfterSyncOrderInfo(ctx, call.TxID, kaigedian.PayAfterSyncRequest{OrderCode: t.OrderCode, ThirdOrderCode: t.ThirdCode,
		Original: t.Original, Discount: t.Discount, ActualPay: t.ActualPay, Settlement: t.ActualPay,
		Pay: &kaigedian.PayInfo{PayChannel: t.PayChannel, PayChannelName: t.PayChannelName, PayTime: t.PaidAt}, Items: lines})
}

var (
	_ bridge.StoreRules = (*Channel)(nil)
	_ bridge.Hints      = (*Channel)(nil)
)

// ValidProductCode: 开个店's customer codes (thirdProductId).
func (c *Channel) ValidProductCode(code string) bool { return kaigedian.ValidProductCode(code) }

// ProductCodeRule is what ValidProductCode checks, for staff.
func (c *Channel) ProductCodeRule() string { return "1 到 64 位字母、数字或 _ - ." }

// MaxSellOutCodes is the documented limit of one sellOut call.
func (c *Channel) MaxSellOutCodes() int { return kaigedian.MaxSellOutCodes }

// SellChannels are 开个店's documented sales channels.
func (c *Channel) SellChannels() []string { return kaigedian.SellChannels }

// SellChannelName is the Chinese name staff know a sales channel by.
func (c *Channel) SellChannelName(id string) string { return kaigedian.SellChannelName(id) }

// Hint explains a platform error kept as text (an outbox row's last error).
func (c *Channel) Hint(lastError string) string { return kaigedian.ExplainText(lastError) }

var _ bridge.Couriers = (*Channel)(nil)

// CourierChannelName is the documented name of a delivery channel code.
func (c *Channel) CourierChannelName(code string) string { return kaigedian.DeliveryChannelName(code) }

// OnTheWayStatus is the delivery status 开始配送.
func (c *Channel) OnTheWayStatus() int { return kaigedian.DeliveryOnTheWay }

// storeEventOf is 开个店's storeEvent for bridge's word of a store event.
func storeEventOf(word string) (kaigedian.StoreEvent, bool) {
	switch bridge.StoreEvents[word] {
	case bridge.StoreOpen:
		return kaigedian.StoreOpen, true
	case bridge.StoreClose:
		return kaigedian.StoreClose, true
	case bridge.StoreRest:
		return kaigedian.StoreRest, true
	case bridge.StoreReopen:
		return kaigedian.StoreReopen, true
	}
	return 0, false
}
