package bridge

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// 沽清 and the store's status (issue 19): staff mark products sold out or
// back on sale and open, close, rest (置休) or reopen the store on 开个店.
// Each is an outbox call like any other (invariant 2), in a lane of its own
// per store, so they go out in the order staff asked and never wait behind
// an order's calls.

// The store calls' neutral actions; a channel that makes them (开个店's)
// keeps the action as the outbox kind.
const (
	ActSellOut     Action = "sell_out"
	ActSellBack    Action = "sell_back"
	ActStoreStatus Action = "store_status"
)

const (
	kindSellOut     = string(ActSellOut)
	kindSellBack    = string(ActSellBack)
	kindStoreStatus = string(ActStoreStatus)
)

// storeOpLabel is the staff's name of a store call ("" for other ops).
func storeOpLabel(op string) string {
	switch op {
	case kindSellOut:
		return "沽清"
	case kindSellBack:
		return "取消沽清"
	}
	if e, ok := strings.CutPrefix(op, "store_"); ok {
		if ev, known := StoreEvents[e]; known {
			return "门店" + ev.Label()
		}
	}
	return ""
}

func isStoreCall(kind string) bool {
	return kind == kindSellOut || kind == kindSellBack || kind == kindStoreStatus
}

// StoreCallBody is a store call's request and its outbox payload: a
// 沽清 change (codes in a sales channel) or a store status event.
type StoreCallBody struct {
	StoreID  string            `json:"store_id"`
	Codes    []string          `json:"codes,omitempty"`
	Names    map[string]string `json:"names,omitempty"`
	Channel  string            `json:"channel,omitempty"`
	Event    string            `json:"event,omitempty"` // open | close | rest | reopen
	Operator string            `json:"operator,omitempty"`
}

// storeChannel is the channel the store calls go to: they are 开个店's.
func (b *Bridge) storeChannel() (Channel, error) { return b.channels.get(order.SourceKaigedian) }

// enqueueStoreCall writes a store call through its channel.
func (b *Bridge) enqueueStoreCall(tx *store.Tx, act Action, op, lane string, body StoreCallBody, actor string) (int64, error) {
	ch, err := b.storeChannel()
	if err != nil {
		return 0, err
	}
	kind, payload, err := ch.Prepare(Request{Action: act, Operator: body.Operator, Store: &body})
	if err != nil {
		return 0, err
	}
	return tx.EnqueueOutbox(store.OutboxRow{Kind: kind, Op: op, Lane: lane, Source: ch.Source(), Payload: payload, Actor: actor})
}

// GoodsChange asks for products to be sold out (Out) or back on sale.
type GoodsChange struct {
	StoreID string // "" = the only configured store
	Codes   []string
	Names   map[string]string // shown in the console, optional
	// Channels overrides platform.sell_out_channels for this change.
	Channels []string
	Out      bool
	Actor    string
}

// badStoreCall is a store call refused before it is written; its message
// is for staff.
func badStoreCall(format string, args ...any) error { return Errorf(EInvalid, format, args...) }

// storeFor resolves the store a store call is for.
func (b *Bridge) storeFor(id string) (string, error) {
	id = strings.TrimSpace(id)
	switch {
	case id == "" && len(b.cfg.Stores) == 1:
		return b.cfg.Stores[0].ID, nil
	case id == "":
		return "", badStoreCall("本机服务 %d 家门店：请指定门店（--store 门店号）", len(b.cfg.Stores))
	}
	for _, s := range b.cfg.Stores {
		if s.ID == id {
			return id, nil
		}
	}
	return "", badStoreCall("门店 %q 不是本机服务的门店", cut(id, 40))
}

// ChangeGoods writes the sell-out calls of a change: one per channel and
// batch of codes. It returns the outbox rows to follow.
func (b *Bridge) ChangeGoods(ctx context.Context, req GoodsChange) ([]int64, error) {
	storeID, err := b.storeFor(req.StoreID)
	if err != nil {
		return nil, err
	}
	rules, err := b.storeRules()
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, c := range req.Codes {
		c = strings.TrimSpace(c)
		if !rules.ValidProductCode(c) {
			return nil, badStoreCall("%q 不是商品编码（%s）", cut(c, 70), rules.ProductCodeRule())
		}
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	if len(codes) == 0 {
		return nil, badStoreCall("请至少选择一个商品")
	}
	perCall := rules.MaxSellOutCodes()
	if len(codes) > 10*perCall {
		return nil, badStoreCall("一次最多 %d 个商品", 10*perCall)
	}
	channels := req.Channels
	if len(channels) == 0 {
		channels = b.cfg.Platform.SellOutChannels
	}
	if len(channels) == 0 {
		channels = []string{""}
	}
	for _, ch := range channels {
		if known := rules.SellChannels(); ch != "" && !slices.Contains(known, ch) {
			return nil, badStoreCall("%q 不是开个店的销售渠道（%s）", cut(ch, 40), strings.Join(known, "、"))
		}
	}
	names := map[string]string{}
	for _, c := range codes {
		if n := strings.TrimSpace(req.Names[c]); n != "" {
			names[c] = cut(n, 40)
		}
	}
	kind, act := kindSellBack, ActSellBack
	if req.Out {
		kind, act = kindSellOut, ActSellOut
	}
	var ids []int64
	err = b.write(ctx, func(tx *store.Tx, a *after) error {
		ids = ids[:0]
		for _, ch := range channels {
			for batch := range slices.Chunk(codes, perCall) {
				id, err := b.enqueueStoreCall(tx, act, kind, "goods:"+storeID, StoreCallBody{StoreID: storeID, Codes: batch,
					Names: names, Channel: ch, Operator: operatorName(req.Actor)}, req.Actor)
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
		}
		a.outbox = true
		a.event(Event{Type: EvPlatform, Kind: "store_call", Message: storeOpLabel(kind) + "已提交：" + strings.Join(codes, "、")})
		return tx.AppendAudit(store.Audit{Actor: req.Actor, Action: kind, Detail: storeID + " " + strings.Join(codes, ",")})
	})
	if err == nil {
		b.sellOutLinked(ctx, storeID, codes, req.Out, req.Actor)
	}
	return ids, err
}

// SetStoreStatus writes the setStoreStatus call for a store; event is one
// of open, close, rest, reopen.
func (b *Bridge) SetStoreStatus(ctx context.Context, storeID, event, actor string) (int64, error) {
	storeID, err := b.storeFor(storeID)
	if err != nil {
		return 0, err
	}
	ev, ok := StoreEvents[strings.TrimSpace(event)]
	if !ok {
		return 0, badStoreCall("%q 不是 open（营业）、close（停业）、rest（置休）或 reopen（开启）", cut(event, 20))
	}
	operator := operatorName(actor) // the platform requires an operator
	var id int64
	err = b.write(ctx, func(tx *store.Tx, a *after) error {
		op := "store_" + ev.Word()
		var err error
		if id, err = b.enqueueStoreCall(tx, ActStoreStatus, op, "store:"+storeID, StoreCallBody{StoreID: storeID, Event: ev.Word(),
			Operator: operator}, actor); err != nil {
			return err
		}
		if err := tx.SetStoreStatus(store.StoreStatus{StoreID: storeID, Event: int(ev), Actor: actor, OutboxID: id}); err != nil {
			return err
		}
		a.outbox = true
		a.event(Event{Type: EvPlatform, Kind: "store_call", Message: storeOpLabel(op) + "已提交"})
		return tx.AppendAudit(store.Audit{Actor: actor, Action: op, Detail: storeID})
	})
	if err == nil {
		b.pauseLinked(ctx, storeID, ev, actor)
	}
	return id, err
}

// SellResult is what a sell-out row keeps: the codes the platform took and
// the ones it listed as failed.
type SellResult struct {
	Succeeded []string `json:"succeeded"`
	Failed    []string `json:"failed"`
}

// storeCallSucceeded records a store call the platform answered: the
// sold-out list changes by the codes that succeeded, failed codes raise an
// alert naming them, a status is confirmed.
func (b *Bridge) storeCallSucceeded(tx *store.Tx, a *after, row *store.OutboxRow, result string) error {
	switch row.Kind {
	case kindStoreStatus:
		if err := tx.ConfirmStoreStatus(row.ID); err != nil {
			return err
		}
		a.event(Event{Type: EvPlatform, Kind: "store_call", Message: "平台已确认：" + storeOpLabel(row.Op),
			Data: map[string]any{"id": row.ID}})
		return nil
	}
	var p StoreCallBody
	if err := json.Unmarshal(row.Payload, &p); err != nil {
		return fmt.Errorf("outbox row %d: %w", row.ID, err)
	}
	var res SellResult
	_ = json.Unmarshal([]byte(result), &res)
	if err := tx.SetSoldOut(p.StoreID, p.Channel, res.Succeeded, p.Names, row.Kind == kindSellOut, row.Actor); err != nil {
		return err
	}
	label := storeOpLabel(row.Op)
	if p.Channel != "" {
		ch := p.Channel
		if r, err := b.storeRules(); err == nil {
			ch = r.SellChannelName(p.Channel)
		}
		label += "（" + ch + "）"
	}
	msg := fmt.Sprintf("平台已确认：%s %d 个", label, len(res.Succeeded))
	level := ""
	typ := EvPlatform
	if len(res.Failed) > 0 {
		msg += fmt.Sprintf("，%d 个失败：%s（请核对商品编码）", len(res.Failed), strings.Join(res.Failed, "、"))
		typ, level = EvAlert, LevelWarn
	}
	a.event(Event{Type: typ, Kind: "store_call", Level: level, Message: msg, Data: map[string]any{"id": row.ID, "result": res}})
	return nil
}

// StoreCall is a store call as the console and the CLI show it.
type StoreCall struct {
	ID        int64       `json:"id"`
	Kind      string      `json:"kind"`
	Op        string      `json:"op"`
	Label     string      `json:"label"`
	StoreID   string      `json:"store_id"`
	Codes     []string    `json:"codes,omitempty"`
	Channel   string      `json:"channel,omitempty"`
	State     string      `json:"state"` // pending | done | failed
	Attempts  int         `json:"attempts"`
	Error     string      `json:"error,omitempty"` // why it failed or is being retried, in Chinese
	Result    *SellResult `json:"result,omitempty"`
	Actor     string      `json:"actor,omitempty"`
	CreatedAt time.Time   `json:"created_at"`
	DoneAt    time.Time   `json:"done_at,omitzero"`
}

func (b *Bridge) storeCallView(row *store.OutboxRow) StoreCall {
	c := StoreCall{ID: row.ID, Kind: row.Kind, Op: row.Op, Label: storeOpLabel(row.Op), State: row.State,
		Attempts: row.Attempts, Actor: row.Actor, CreatedAt: row.CreatedAt, DoneAt: row.DoneAt}
	if row.LastError != "" {
		c.Error = b.hint(row.Source, row.LastError)
	}
	var p StoreCallBody
	_ = json.Unmarshal(row.Payload, &p)
	c.StoreID = p.StoreID
	if row.Kind != kindStoreStatus {
		c.Codes, c.Channel = p.Codes, p.Channel
		if row.State == store.OutboxDone {
			var res SellResult
			if json.Unmarshal([]byte(row.Result), &res) == nil {
				c.Result = &res
			}
		}
	}
	return c
}

// StoreCallByID is one store call, for following it to its end.
func (b *Bridge) StoreCallByID(ctx context.Context, id int64) (StoreCall, error) {
	row, err := b.db.GetOutbox(ctx, id)
	if err != nil {
		return StoreCall{}, err
	}
	if !isStoreCall(row.Kind) {
		return StoreCall{}, store.ErrNotFound
	}
	return b.storeCallView(row), nil
}

// GoodsItem is a product staff can sell out: seen in recent orders or
// sold out now.
type GoodsItem struct {
	StoreID  string    `json:"store_id"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	SoldOut  bool      `json:"sold_out"`
	Channels []string  `json:"channels,omitempty"` // where it is sold out ("" = the default)
	Since    time.Time `json:"since,omitzero"`
	Actor    string    `json:"actor,omitempty"`
	Pending  bool      `json:"pending"` // a call about it is still going out
	// Item is the product as last ordered, for adding it to a 围餐 order.
	Item *order.Item `json:"item,omitempty"`
}

// StoreStatusView is a store's status as posbridge last set it.
type StoreStatusView struct {
	StoreID   string     `json:"store_id"`
	StoreName string     `json:"store_name"`
	Event     string     `json:"event,omitempty"` // open | close | rest | reopen; "" = never set here
	Label     string     `json:"label"`
	Confirmed bool       `json:"confirmed"`
	Actor     string     `json:"actor,omitempty"`
	At        time.Time  `json:"at,omitzero"`
	Call      *StoreCall `json:"call,omitempty"`
}

// GoodsView is the console's 沽清 and store page.
type GoodsView struct {
	Items  []GoodsItem       `json:"items"`
	Stores []StoreStatusView `json:"stores"`
	Calls  []StoreCall       `json:"calls"` // newest first
	// Channels are the channels a change goes to (platform.sell_out_channels).
	Channels []string `json:"channels"`
}

// recentItemsWindow is how far back orders are read for the product list.
const recentItemsWindow = 30 * 24 * time.Hour

// Goods is the product list with sold-out state, the stores' statuses and
// the recent store calls.
func (b *Bridge) Goods(ctx context.Context) (GoodsView, error) {
	v := GoodsView{Channels: b.cfg.Platform.SellOutChannels}
	var calls []*store.OutboxRow
	for _, k := range []string{kindSellOut, kindSellBack, kindStoreStatus} {
		rows, err := b.db.ListOutbox(ctx, store.OutboxFilter{Kind: k, Limit: 30})
		if err != nil {
			return v, err
		}
		calls = append(calls, rows...)
	}
	slices.SortFunc(calls, func(x, y *store.OutboxRow) int { return int(y.ID - x.ID) })
	pending := map[[2]string]bool{}
	for _, r := range calls {
		c := b.storeCallView(r)
		if len(v.Calls) < 30 {
			v.Calls = append(v.Calls, c)
		}
		if r.State == store.OutboxPending {
			for _, code := range c.Codes {
				pending[[2]string{c.StoreID, code}] = true
			}
		}
	}
	soldOut, err := b.db.SoldOutList(ctx)
	if err != nil {
		return v, err
	}
	index := map[[2]string]int{}
	for _, s := range soldOut {
		k := [2]string{s.StoreID, s.Code}
		i, seen := index[k]
		if !seen {
			i = len(v.Items)
			index[k] = i
			v.Items = append(v.Items, GoodsItem{StoreID: s.StoreID, Code: s.Code, Name: s.Name, SoldOut: true, Since: s.Since, Actor: s.Actor})
		}
		v.Items[i].Channels = append(v.Items[i].Channels, s.Channel)
	}
	recent, err := b.db.RecentItems(ctx, b.now().Add(-recentItemsWindow), 2000)
	if err != nil {
		return v, err
	}
	for _, it := range recent {
		k := [2]string{it.StoreID, it.Code}
		line := it.Item
		if i, seen := index[k]; seen {
			if v.Items[i].Name == "" {
				v.Items[i].Name = it.Name
			}
			if v.Items[i].Item == nil {
				v.Items[i].Item = &line
			}
			continue
		}
		index[k] = len(v.Items)
		v.Items = append(v.Items, GoodsItem{StoreID: it.StoreID, Code: it.Code, Name: it.Name, Item: &line})
	}
	for i := range v.Items {
		v.Items[i].Pending = pending[[2]string{v.Items[i].StoreID, v.Items[i].Code}]
	}
	slices.SortStableFunc(v.Items, func(x, y GoodsItem) int {
		if x.SoldOut != y.SoldOut {
			if x.SoldOut {
				return -1
			}
			return 1
		}
		return strings.Compare(x.StoreID+"|"+x.Code, y.StoreID+"|"+y.Code)
	})
	statuses, err := b.db.StoreStatuses(ctx)
	if err != nil {
		return v, err
	}
	for _, s := range b.cfg.Stores {
		sv := StoreStatusView{StoreID: s.ID, StoreName: s.Name, Label: "未在此设置"}
		for _, st := range statuses {
			if st.StoreID != s.ID {
				continue
			}
			ev := StoreEvent(st.Event)
			sv.Event, sv.Label, sv.Confirmed, sv.Actor, sv.At = ev.Word(), ev.Label(), st.Confirmed, st.Actor, st.At
			if row, err := b.db.GetOutbox(ctx, st.OutboxID); err == nil {
				c := b.storeCallView(row)
				sv.Call = &c
			}
		}
		v.Stores = append(v.Stores, sv)
	}
	return v, nil
}

// storeRefusalAttempts is how often a store call the channel refused with
// a reason is tried: 开个店 answers its refusals ("门店已停业，不能置休") as
// code 500, which is also its "internal error", and only order calls have
// a status to reconcile against; a store call is idempotent, so a few
// tries tell a passing fault from a refusal.
const storeRefusalAttempts = 3
