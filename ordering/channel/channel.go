// Package channel is the scan-to-order channel behind bridge's channel
// port: the orders the phones placed (ordering/api) announced through the
// inbox, their details in the shared vocabulary, and the neutral actions
// (accept, made, complete, reject, cancel) carried out on the channel's own
// order record, which the phone follows. The channel's "other side" is the
// store's own database, so a call never leaves the PC; it goes through the
// outbox all the same (invariant 2), and is idempotent.
package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/store"
)

var _ bridge.Channel = (*Channel)(nil)

// Options of a Channel.
type Options struct {
	DB *store.DB
	// Changed tells the phones following order id that it changed
	// (api.Server.Changed).
	Changed func(id int64)
	// HoldLead is accept.hold_lead: a plan_time later than now + it makes
	// the order reserved.
	HoldLead time.Duration
	Now      func() time.Time
	// BeforeSend, when set, may fail a call before it is carried out (the
	// contract's passing fault).
	BeforeSend func() error
}

// Channel is the scan-to-order channel.
type Channel struct{ opt Options }

// New is the channel of the ordering tables of opt.DB.
func New(opt Options) *Channel {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Changed == nil {
		opt.Changed = func(int64) {}
	}
	return &Channel{opt: opt}
}

// Source is the scan-to-order channel's.
func (c *Channel) Source() order.Source { return order.SourceOrdering }

var codeRE = regexp.MustCompile(`^[0-9]{6,24}$`)

// ValidCode: a trade_no is the restaurant id and a Unix time in
// milliseconds, digits only.
func (c *Channel) ValidCode(code string) bool { return codeRE.MatchString(code) }

// KindOrder is the inbox kind of a placed order's announcement.
const KindOrder = "ordering_order"

// Announcement is the inbox body of a placed order.
type Announcement struct {
	TradeNo string `json:"trade_no"`
	Status  int    `json:"status"`
	At      int64  `json:"at"` // Unix ms of the create
}

// Decode reads the announcement of a placed order.
func (c *Channel) Decode(kind string, body []byte) (order.Change, error) {
	if kind != KindOrder {
		return order.Change{}, fmt.Errorf("scan-to-order inbox item of unknown kind %q", kind)
	}
	var a Announcement
	if err := json.Unmarshal(body, &a); err != nil {
		return order.Change{}, fmt.Errorf("scan-to-order inbox item: %w", err)
	}
	if !c.ValidCode(a.TradeNo) {
		return order.Change{}, fmt.Errorf("scan-to-order inbox item names no order (%q)", a.TradeNo)
	}
	return order.Change{Kind: order.ChangeStatus, Via: order.ViaPush, Source: order.SourceOrdering, Code: a.TradeNo,
		PlatformStatus: a.Status, At: time.UnixMilli(a.At)}, nil
}

// Announce is the inbox item of a stored order: what Place writes.
func Announce(o *store.OrderingOrder) store.InboxItem {
	body, _ := json.Marshal(Announcement{TradeNo: o.TradeNo, Status: o.Status, At: o.CreatedAt.UnixMilli()})
	return store.InboxItem{Source: order.SourceOrdering, Kind: KindOrder, OrderCode: o.TradeNo, Body: body, Remote: o.ClientAddr}
}

// Details are the orders of codes in the shared vocabulary.
func (c *Channel) Details(ctx context.Context, codes []string) ([]bridge.Detail, error) {
	var out []bridge.Detail
	err := c.each(ctx, codes, func(o *store.OrderingOrder) error {
		rec, err := orders.Decode(o.OrderJSON)
		if err != nil {
			return err
		}
		neutral := orders.ToOrder(o, rec, c.opt.Now(), c.opt.HoldLead)
		neutral.Source = order.SourceOrdering
		out = append(out, bridge.Detail{Order: neutral, Raw: json.RawMessage(o.OrderJSON)})
		return nil
	})
	return out, err
}

// Statuses are where the channel has the orders of codes.
func (c *Channel) Statuses(ctx context.Context, codes []string) ([]order.Change, error) {
	var out []order.Change
	err := c.each(ctx, codes, func(o *store.OrderingOrder) error {
		out = append(out, c.statusChange(o))
		return nil
	})
	return out, err
}

// each calls fn with the stored order of every code it has (others are
// left out: not the channel's).
func (c *Channel) each(ctx context.Context, codes []string, fn func(*store.OrderingOrder) error) error {
	for _, code := range codes {
		o, err := c.opt.DB.OrderingOrderByTradeNo(ctx, code)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return nil
}

func (c *Channel) statusChange(o *store.OrderingOrder) order.Change {
	return order.Change{Kind: order.ChangeStatus, Via: order.ViaReconcile, Source: order.SourceOrdering, Code: o.TradeNo,
		PlatformStatus: o.Status, At: o.UpdatedAt}
}

// Classify: the channel's calls fail only when the database does (a full
// disk, a locked file): worth retrying.
func (c *Channel) Classify(err error) bridge.Verdict {
	var refused *refusal
	if errors.As(err, &refused) {
		return bridge.Verdict{Retry: false, Message: refused.msg}
	}
	if errors.Is(err, store.ErrDiskFull) {
		return bridge.Verdict{Retry: true, Message: "数据库写不进去（磁盘满了）：请清理数据盘，扫码点餐订单的状态会自动补上"}
	}
	return bridge.Verdict{Retry: true, Message: "扫码点餐订单状态暂时没有写入，会自动重试：" + err.Error()}
}

// refusal is a call the order's status no longer allows.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }
