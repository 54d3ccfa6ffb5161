package bridge_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/bridge/channeltest"
	"github.com/posbridge/posbridge/order"
)

// tablet is a second, minimal channel written for the tests: a counter
// tablet that takes orders in the store (its own codes, its own status
// numbers, its own calls). It knows nothing of 开个店; the rules must
// carry its orders exactly as they carry 开个店's.
type tablet struct {
	mu       sync.Mutex
	orders   map[string]*tabletOrder
	seq      int
	failNext bool
	txIDs    map[string]bool
	sent     []string // the actions sent, in order, as "<code> <action>"
}

type tabletOrder struct {
	o      order.Order
	status int
	refund bool
	reason string // why it was cancelled
}

const tabletSource order.Source = "tablet"

// The tablet's own status numbers.
var tabletCodes = map[order.Status]int{
	order.StatusNew: 10, order.StatusAccepted: 20, order.StatusMade: 30, order.StatusDelivering: 40,
	order.StatusCompleted: 50, order.StatusCancelled: 60, order.StatusRejected: 70,
}

var _ bridge.Channel = (*tablet)(nil)

func newTablet() *tablet { return &tablet{orders: map[string]*tabletOrder{}, txIDs: map[string]bool{}} }

func (c *tablet) Source() order.Source { return tabletSource }

func (c *tablet) StatusOf(code int) (order.Status, bool) {
	for s, n := range tabletCodes {
		if n == code {
			return s, true
		}
	}
	return "", false
}

func (c *tablet) CodeOf(s order.Status) int { return tabletCodes[s] }

func (c *tablet) ValidCode(code string) bool {
	if len(code) != 7 || code[0] != 'T' {
		return false
	}
	return strings.Trim(code[1:], "0123456789") == ""
}

// place takes an order at the tablet and returns the announcement the
// tablet hands posbridge.
func (c *tablet) place(storeID string) (code, kind string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	code = fmt.Sprintf("T%06d", c.seq)
	c.orders[code] = &tabletOrder{status: tabletCodes[order.StatusNew], o: order.Order{Source: tabletSource, Code: code,
		StoreID: storeID, Type: order.TypePickup, PickupNo: fmt.Sprintf("P%d", c.seq), ActualPay: 2700, Original: 2700,
		CreatedAt: time.Now(), Items: []order.Item{
			{Seq: 1, ProductID: "t1", Name: "珍珠奶茶", Price: 1500, Quantity: 1, Spec: "大杯"},
			{Seq: 2, ProductID: "t2", Name: "鸡米花", Price: 1200, Quantity: 1},
		}}}
	return code, "order", c.announcement(code)
}

func (c *tablet) announcement(code string) []byte {
	t := c.orders[code]
	b, _ := json.Marshal(map[string]any{"code": code, "status": t.status, "reason": t.reason})
	return b
}

// announce is the announcement of the order's current status.
func (c *tablet) announce(code string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.announcement(code)
}

func (c *tablet) status(code string) order.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, _ := c.StatusOf(c.orders[code].status)
	return s
}

func (c *tablet) set(code string, s order.Status) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.orders[code].status = tabletCodes[s]
}

func (c *tablet) Decode(kind string, body []byte) (order.Change, error) {
	var a struct {
		Code   string `json:"code"`
		Status int    `json:"status"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return order.Change{}, fmt.Errorf("tablet announcement: %w", err)
	}
	if kind != "order" || !c.ValidCode(a.Code) {
		return order.Change{}, fmt.Errorf("tablet announcement of kind %q for %q", kind, a.Code)
	}
	return order.Change{Kind: order.ChangeStatus, Via: order.ViaPush, Source: tabletSource, Code: a.Code,
		PlatformStatus: a.Status, Reason: a.Reason, At: time.Now()}, nil
}

func (c *tablet) Details(_ context.Context, codes []string) ([]bridge.Detail, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []bridge.Detail
	for _, code := range codes {
		if t, ok := c.orders[code]; ok {
			o := t.o
			o.PlatformStatus = t.status
			out = append(out, bridge.Detail{Order: o, Raw: json.RawMessage(`{}`)})
		}
	}
	return out, nil
}

type tabletCall struct {
	Code    string          `json:"code"`
	Action  bridge.Action   `json:"action"`
	Reason  string          `json:"reason,omitempty"`
	Courier *bridge.Courier `json:"courier,omitempty"`
}

func (c *tablet) Prepare(req bridge.Request) (string, []byte, error) {
	switch req.Action {
	case bridge.ActAccept, bridge.ActReject, bridge.ActMade, bridge.ActComplete, bridge.ActDeliver,
		bridge.ActRefundApprove, bridge.ActRefundReject, bridge.ActCancel:
	default:
		return "", nil, fmt.Errorf("the tablet has no call for %q", req.Action)
	}
	b, err := json.Marshal(tabletCall{Code: req.Code, Action: req.Action, Reason: req.Reason, Courier: req.Courier})
	return "tablet_call", b, err
}

// tabletError is the tablet's refusal or failure.
type tabletError struct {
	retry bool
	msg   string
}

func (e *tabletError) Error() string { return e.msg }

func (c *tablet) Send(_ context.Context, call bridge.Call) (string, error) {
	var tc tabletCall
	if err := json.Unmarshal(call.Payload, &tc); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failNext {
		c.failNext = false
		return "", &tabletError{retry: true, msg: "tablet busy"}
	}
	if c.txIDs[call.TxID] {
		return "", nil // the same attempt twice: done once
	}
	t, ok := c.orders[tc.Code]
	if !ok {
		return "", &tabletError{msg: "no such order " + tc.Code}
	}
	cur, _ := c.StatusOf(t.status)
	move := func(from []order.Status, to order.Status) error {
		for _, f := range from {
			if cur == f {
				t.status = tabletCodes[to]
				return nil
			}
		}
		return &tabletError{msg: fmt.Sprintf("%s: cannot %s an order that is %s", tc.Code, tc.Action, cur)}
	}
	var err error
	switch tc.Action {
	case bridge.ActAccept:
		err = move([]order.Status{order.StatusNew}, order.StatusAccepted)
	case bridge.ActReject:
		err = move([]order.Status{order.StatusNew}, order.StatusRejected)
	case bridge.ActMade:
		err = move([]order.Status{order.StatusAccepted}, order.StatusMade)
	case bridge.ActDeliver:
		err = move([]order.Status{order.StatusMade}, order.StatusDelivering)
	case bridge.ActComplete:
		err = move([]order.Status{order.StatusMade, order.StatusDelivering}, order.StatusCompleted)
	case bridge.ActRefundApprove:
		if !t.refund {
			return "", &tabletError{msg: "no refund asked for"}
		}
		t.refund = false
		t.status = tabletCodes[order.StatusCancelled]
	case bridge.ActRefundReject:
		if !t.refund {
			return "", &tabletError{msg: "no refund asked for"}
		}
		t.refund = false
	case bridge.ActCancel:
		if tc.Reason == "" {
			return "", &tabletError{msg: "a cancel needs a reason"}
		}
		err = move([]order.Status{order.StatusAccepted, order.StatusMade, order.StatusCompleted}, order.StatusCancelled)
		t.reason = tc.Reason
	}
	if err != nil {
		return "", err
	}
	c.txIDs[call.TxID] = true
	c.sent = append(c.sent, tc.Code+" "+string(tc.Action))
	return "", nil
}

func (c *tablet) sentFor(code string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, s := range c.sent {
		if rest, ok := strings.CutPrefix(s, code+" "); ok {
			out = append(out, rest)
		}
	}
	return out
}

func (c *tablet) Standing(_ context.Context, call bridge.Call, _ bool) (bridge.Standing, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.orders[call.Code]
	if !ok {
		return bridge.Standing{}, nil
	}
	cur, _ := c.StatusOf(t.status)
	want := map[bridge.Action]order.Status{bridge.ActAccept: order.StatusAccepted, bridge.ActMade: order.StatusMade,
		bridge.ActDeliver: order.StatusDelivering, bridge.ActComplete: order.StatusCompleted, bridge.ActReject: order.StatusRejected,
		bridge.ActRefundApprove: order.StatusCancelled, bridge.ActCancel: order.StatusCancelled}[bridge.Action(call.Op)]
	switch {
	case want != "" && (cur == want || cur.Rank() > want.Rank() && !cur.Terminal() || cur == order.StatusCompleted && want.Rank() < cur.Rank()):
		return bridge.Standing{Done: true, Note: "点餐平板已是" + cur.Label()}, nil
	case cur.Terminal():
		return bridge.Standing{Moot: true, Reason: "点餐平板上订单已" + cur.Label(),
			Change: &order.Change{Kind: order.ChangeStatus, Via: order.ViaReconcile, Source: tabletSource, Code: call.Code,
				PlatformStatus: t.status}}, nil
	}
	return bridge.Standing{}, nil
}

func (c *tablet) Confirmed(call bridge.Call, have int) (int, bool) {
	want := map[bridge.Action]order.Status{bridge.ActAccept: order.StatusAccepted, bridge.ActMade: order.StatusMade,
		bridge.ActDeliver: order.StatusDelivering, bridge.ActComplete: order.StatusCompleted}[bridge.Action(call.Op)]
	cur, _ := c.StatusOf(have)
	if want == "" || want.Rank() <= cur.Rank() {
		return 0, false
	}
	return tabletCodes[want], true
}

func (c *tablet) Statuses(_ context.Context, codes []string) ([]order.Change, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []order.Change
	for _, code := range codes {
		if t, ok := c.orders[code]; ok {
			out = append(out, order.Change{Kind: order.ChangeStatus, Via: order.ViaReconcile, Source: tabletSource,
				Code: code, PlatformStatus: t.status})
		}
	}
	return out, nil
}

func (c *tablet) Classify(err error) bridge.Verdict {
	var te *tabletError
	if errors.As(err, &te) {
		return bridge.Verdict{Retry: te.retry, Message: "点餐平板：" + te.msg}
	}
	return bridge.Verdict{Retry: true, Message: "点餐平板暂时无法连接"}
}

// The minimal channel keeps the same contract as 开个店's.
func TestTabletChannelContract(t *testing.T) {
	channeltest.Run(t, func(t *testing.T) channeltest.Fixture {
		c := newTablet()
		return channeltest.Fixture{
			Channel: c,
			Place:   func(t *testing.T) (string, string, []byte) { return c.place("1862") },
			Status:  func(t *testing.T, code string) order.Status { return c.status(code) },
			CancelThere: func(t *testing.T, code string) {
				c.set(code, order.StatusCancelled)
			},
			RequestRefund: func(t *testing.T, code string) {
				c.mu.Lock()
				defer c.mu.Unlock()
				c.orders[code].refund = true
			},
			FailNext: func(t *testing.T) {
				c.mu.Lock()
				defer c.mu.Unlock()
				c.failNext = true
			},
		}
	})
}
