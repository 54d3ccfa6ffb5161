package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/store"
)

// settleBeforeRetry asks the platform whether a call that may have gone
// out already did what it asked for, before it is sent again: the order's
// status (batchOrderStatus), for a refund refusal the refund list, for an
// offline order the order list (by its thirdOrderCode). settled means the
// row was ended here (done or moot); err means the platform could not be
// asked, and nothing is sent.
func (b *Bridge) settleBeforeRetry(ctx context.Context, row *store.OutboxRow) (settled bool, err error) {
	if row.Kind == "submit" {
		return b.settleSubmit(ctx, row)
	}
	if row.OrderCode == "" {
		return false, nil
	}
	statuses, err := b.platform.BatchOrderStatus(ctx, []string{row.OrderCode})
	if err != nil {
		return false, err
	}
	if len(statuses) > 0 {
		if done, moot := b.settleRow(ctx, row, statuses[0].PlatformStatus); done || moot {
			return true, nil
		}
	}
	if row.Op == string(ActRefundReject) {
		refused, err := b.refundListed(ctx, row, 3)
		if err != nil || !refused {
			return false, err
		}
		b.outboxSucceeded(ctx, row, "", "平台已记录拒绝退款")
		return true, nil
	}
	return false, nil
}

// reconcileWindow is how far before a row was written the platform's lists
// are searched (clocks differ).
const reconcileWindow = 2 * time.Minute

// refundListed reports whether queryRefundOrders lists the row's order in
// refund status st since the row was written.
func (b *Bridge) refundListed(ctx context.Context, row *store.OutboxRow, st int) (bool, error) {
	rec, err := b.db.GetOrder(ctx, row.OrderCode)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return pageSince(row.CreatedAt.Add(-reconcileWindow), 50, func(start time.Time) (bool, int64, int, error) {
		res, err := b.platform.QueryRefundOrders(ctx, kaigedian.RefundQueryRequest{StoreID: rec.StoreID, Start: start,
			End: b.now().Add(reconcileWindow), Statuses: []int{st}, Count: kaigedian.MaxPerCall})
		if err != nil {
			return false, 0, 0, err
		}
		for _, it := range res.Items {
			if it.Code == row.OrderCode {
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

// settleSubmit looks for an offline order among the platform's orders by
// its thirdOrderCode: found, the upload is done (its reply was lost).
func (b *Bridge) settleSubmit(ctx context.Context, row *store.OutboxRow) (bool, error) {
	var req kaigedian.SubmitRequest
	if err := json.Unmarshal(row.Payload, &req); err != nil || req.ThirdOrderCode == "" {
		return false, nil
	}
	code := ""
	found, err := pageSince(row.CreatedAt.Add(-reconcileWindow), 200, func(start time.Time) (bool, int64, int, error) {
		res, err := b.platform.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: req.StoreID, Start: start,
			End: b.now().Add(reconcileWindow), OrderClients: []int{req.OrderClient}, OrderStatus: kaigedian.AllOrderStatuses,
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
		return false, err
	}
	result, _ := json.Marshal(map[string]string{"order_code": code})
	b.outboxSucceeded(ctx, row, string(result), "平台已有该订单")
	return true, nil
}

// attemptSet is the rows this process sent whose outcome is not written
// yet (outbox.go).
type attemptSet struct {
	mu  sync.Mutex
	ids map[int64]bool
}

func (s *attemptSet) add(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[int64]bool{}
	}
	s.ids[id] = true
}

func (s *attemptSet) del(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}

func (s *attemptSet) has(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id]
}
