package channel

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// The platform's rules give every request an x-transaction-id of its own,
// and nothing says it deduplicates on them: so a call that may have gone
// out already is first looked up where the platform keeps its effect.

// Standing asks the platform whether a call that may have gone out already
// did what it asked for: the order's status (batchOrderStatus); before a
// retry also, for a refund refusal, the refund list, and for an offline
// order the order list (by its thirdOrderCode).
func (c *Channel) Standing(ctx context.Context, call bridge.Call, thorough bool) (bridge.Standing, error) {
	if call.Kind == KindSubmit {
		if !thorough {
			return bridge.Standing{}, nil
		}
		return c.submitStanding(ctx, call)
	}
	if call.Code == "" {
		return bridge.Standing{}, nil
	}
	statuses, err := c.platform.BatchOrderStatus(ctx, []string{call.Code})
	if err != nil {
		if thorough {
			return bridge.Standing{}, err
		}
		return bridge.Standing{}, nil
	}
	if len(statuses) > 0 {
		if st := c.statusStanding(call, statuses[0].PlatformStatus); st.Done || st.Moot {
			return st, nil
		}
	}
	if thorough && call.Op == string(bridge.ActRefundReject) {
		refused, err := c.refundListed(ctx, call, 3)
		if err != nil || !refused {
			return bridge.Standing{}, err
		}
		return bridge.Standing{Done: true, Note: "平台已记录拒绝退款"}, nil
	}
	return bridge.Standing{}, nil
}

// statusStanding is what platform status ps says of the call: done when it
// is where the call wanted the order, moot when the order ended meanwhile.
func (c *Channel) statusStanding(call bridge.Call, ps int) bridge.Standing {
	if reached(call.Op, ps) {
		return bridge.Standing{Done: true, Note: "平台状态已是 " + statusLabel(ps)}
	}
	if ps == kaigedian.PlatformCancelled || ps == kaigedian.PlatformRejected || ps == kaigedian.PlatformCompleted {
		return bridge.Standing{Moot: true, Reason: "平台订单状态为" + statusLabel(ps) + "，不再需要" + bridge.ActionLabel(call.Op),
			Change: &order.Change{Kind: order.ChangeStatus, Via: order.ViaReconcile, Source: order.SourceKaigedian,
				Code: call.Code, PlatformStatus: ps, At: c.now()}}
	}
	return bridge.Standing{}
}

// reached reports whether platform status ps already is what op asked for.
func reached(op string, ps int) bool {
	switch bridge.Action(op) {
	case bridge.ActAccept:
		return ps == kaigedian.PlatformAccepted || ps == kaigedian.PlatformMade || ps == kaigedian.PlatformDelivering || ps == kaigedian.PlatformCompleted
	case bridge.ActMade:
		return ps == kaigedian.PlatformMade || ps == kaigedian.PlatformDelivering || ps == kaigedian.PlatformCompleted
	case bridge.ActDeliver:
		return ps == kaigedian.PlatformDelivering || ps == kaigedian.PlatformCompleted
	case bridge.ActComplete:
		return ps == kaigedian.PlatformCompleted
	case bridge.ActReject:
		return ps == kaigedian.PlatformRejected
	case bridge.ActRefundApprove, bridge.ActCancel:
		return ps == kaigedian.PlatformCancelled
	}
	return false
}

// Confirmed is the platform status a successful status call leaves the
// order in, recorded so that a later cancel is told apart from a refund;
// never a step back from the one recorded.
func (c *Channel) Confirmed(call bridge.Call, have int) (int, bool) {
	want := map[bridge.Action]int{bridge.ActAccept: kaigedian.PlatformAccepted, bridge.ActMade: kaigedian.PlatformMade,
		bridge.ActDeliver: kaigedian.PlatformDelivering, bridge.ActComplete: kaigedian.PlatformCompleted}[bridge.Action(call.Op)]
	if want == 0 {
		return 0, false
	}
	cur, _ := kaigedian.StatusFromPlatform(have)
	next, _ := kaigedian.StatusFromPlatform(want)
	if next.Rank() <= cur.Rank() {
		return 0, false
	}
	return want, true
}

// statusLabel is the Chinese name of a platform status, for notes.
func statusLabel(ps int) string {
	if s, ok := kaigedian.StatusFromPlatform(ps); ok {
		return s.Label()
	}
	return "unknown_" + itoa(ps)
}

// reconcileWindow is how far before a row was written the platform's lists
// are searched (clocks differ).
const reconcileWindow = 2 * time.Minute

// refundListed reports whether queryRefundOrders lists the call's order in
// refund status st since the call was written.
func (c *Channel) refundListed(ctx context.Context, call bridge.Call, st int) (bool, error) {
	if call.StoreID == "" {
		return false, nil // the order is not known (pruned meanwhile)
	}
	return pageSince(call.CreatedAt.Add(-reconcileWindow), 50, func(start time.Time) (bool, int64, int, error) {
		res, err := c.platform.QueryRefundOrders(ctx, kaigedian.RefundQueryRequest{StoreID: call.StoreID, Start: start,
			End: c.now().Add(reconcileWindow), Statuses: []int{st}, Count: kaigedian.MaxPerCall})
		if err != nil {
			return false, 0, 0, err
		}
		for _, it := range res.Items {
			if it.Code == call.Code {
				return true, 0, 0, nil
			}
		}
		return false, res.NextStartTimestamp, len(res.Items), nil
	})
}

// pageSince walks a list paged by update time from start (at most pages
// calls) until page finds what it looks for, or the list ends.
func pageSince(start time.Time, pages int, page func(start time.Time) (found bool, next int64, items int, err error)) (bool, error) {
	for range pages {
		found, nextMS, items, err := page(start)
		if err != nil || found {
			return found, err
		}
		next := time.UnixMilli(nextMS)
		if items < kaigedian.MaxPerCall || !next.After(start) {
			return false, nil
		}
		start = next
	}
	return false, nil
}

// submitStanding looks for an offline order among the platform's orders by
// its thirdOrderCode: found, the upload is done (its reply was lost).
func (c *Channel) submitStanding(ctx context.Context, call bridge.Call) (bridge.Standing, error) {
	var req kaigedian.SubmitRequest
	if err := json.Unmarshal(call.Payload, &req); err != nil || req.ThirdOrderCode == "" {
		return bridge.Standing{}, nil
	}
	code := ""
	found, err := pageSince(call.CreatedAt.Add(-reconcileWindow), 200, func(start time.Time) (bool, int64, int, error) {
		res, err := c.platform.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: req.StoreID, Start: start,
			End: c.now().Add(reconcileWindow), OrderClients: []int{req.OrderClient}, OrderStatus: kaigedian.AllOrderStatuses,
			Count: kaigedian.MaxPerCall})
		if err != nil {
			return false, 0, 0, err
		}
		for _, h := range res.Items {
			if h.Order.ThirdCode == req.ThirdOrderCode {
				code = h.Code
				return true, 0, 0, nil
			}
		}
		return false, res.NextStartTimestamp, len(res.Items), nil
	})
	if err != nil || !found {
		return bridge.Standing{}, err
	}
	result, _ := json.Marshal(map[string]string{"order_code": code})
	return bridge.Standing{Done: true, Note: "平台已有该订单", Result: string(result)}, nil
}

func itoa(v int) string { return strconv.Itoa(v) }
