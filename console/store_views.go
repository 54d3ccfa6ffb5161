package console

import (
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// The JSON of the 沽清 and store page (GET /api/goods) and of store calls.
// Each view mirrors its bridge type field for field, so that a field added
// in bridge stops compilation until it is named here. A call's result is
// bridge.SellResult as the channel stored it (its JSON is storage).

// storeCallView is bridge.StoreCall.
type storeCallView struct {
	ID        int64              `json:"id"`
	Kind      string             `json:"kind"`
	Op        string             `json:"op"`
	Label     string             `json:"label"`
	StoreID   string             `json:"store_id"`
	Codes     []string           `json:"codes,omitempty"`
	Channel   string             `json:"channel,omitempty"`
	State     string             `json:"state"` // pending | done | failed
	Attempts  int                `json:"attempts"`
	Error     string             `json:"error,omitempty"` // why it failed or is being retried, in Chinese
	Result    *bridge.SellResult `json:"result,omitempty"`
	Actor     string             `json:"actor,omitempty"`
	CreatedAt time.Time          `json:"created_at"`
	DoneAt    time.Time          `json:"done_at,omitzero"`
}

// goodsItemView is bridge.GoodsItem.
type goodsItemView struct {
	StoreID  string      `json:"store_id"`
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	SoldOut  bool        `json:"sold_out"`
	Channels []string    `json:"channels,omitempty"` // where it is sold out ("" = the default)
	Since    time.Time   `json:"since,omitzero"`
	Actor    string      `json:"actor,omitempty"`
	Pending  bool        `json:"pending"` // a call about it is still going out
	Item     *order.Item `json:"item,omitempty"`
}

// storeStatusView is bridge.StoreStatusView.
type storeStatusView struct {
	StoreID   string         `json:"store_id"`
	StoreName string         `json:"store_name"`
	Event     string         `json:"event,omitempty"` // open | close | rest | reopen; "" = never set here
	Label     string         `json:"label"`
	Confirmed bool           `json:"confirmed"`
	Actor     string         `json:"actor,omitempty"`
	At        time.Time      `json:"at,omitzero"`
	Call      *storeCallView `json:"call,omitempty"`
}

// goodsView is bridge.GoodsView.
type goodsView struct {
	Items    []goodsItemView   `json:"items"`
	Stores   []storeStatusView `json:"stores"`
	Calls    []storeCallView   `json:"calls"` // newest first
	Channels []string          `json:"channels"`
}

func viewOfStoreCall(c bridge.StoreCall) storeCallView { return storeCallView(c) }

func viewOfStoreCalls(cs []bridge.StoreCall) []storeCallView { return convertAll(cs, viewOfStoreCall) }

func viewOfGoods(g bridge.GoodsView) goodsView {
	return goodsView{Items: convertAll(g.Items, func(i bridge.GoodsItem) goodsItemView { return goodsItemView(i) }),
		Stores: convertAll(g.Stores, func(s bridge.StoreStatusView) storeStatusView {
			v := storeStatusView{StoreID: s.StoreID, StoreName: s.StoreName, Event: s.Event, Label: s.Label, Confirmed: s.Confirmed,
				Actor: s.Actor, At: s.At}
			if s.Call != nil {
				c := viewOfStoreCall(*s.Call)
				v.Call = &c
			}
			return v
		}),
		Calls: viewOfStoreCalls(g.Calls), Channels: g.Channels}
}
