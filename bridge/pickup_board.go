package bridge

import (
	"context"
	"sort"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// How long a made order stays under 请取餐 when nobody scans it collected.
const pickupCallFor = 90 * time.Minute

// PickupNumber is one number on the pickup screen.
type PickupNumber struct {
	Code     string
	PickupNo string
	StoreID  string
	Since    time.Time // accepted (制作中) or made (请取餐)
}

// PickupBoard is the pickup TV: numbers being made and numbers to collect.
// Delivery orders are not on it (a courier takes them).
type PickupBoard struct {
	Making []PickupNumber // oldest first
	Ready  []PickupNumber // newest first: the last call on top
}

// Pickup builds the pickup screen of today's business day; storeID "" is
// every store.
func (b *Bridge) Pickup(ctx context.Context, storeID string) (PickupBoard, error) {
	now := b.now()
	board := PickupBoard{Making: []PickupNumber{}, Ready: []PickupNumber{}}
	recs, _, err := b.db.ListOrders(ctx, store.OrderFilter{Day: BusinessDay(now),
		Statuses: []order.Status{order.StatusAccepted, order.StatusMade}, Limit: 500})
	if err != nil {
		b.NoteStorageError(err)
		return board, err
	}
	for _, rec := range recs {
		if rec.PickupNo == "" || rec.Type.IsDelivery() || (storeID != "" && rec.StoreID != storeID) {
			continue
		}
		n := PickupNumber{Code: rec.Code, PickupNo: rec.PickupNo, StoreID: rec.StoreID}
		switch {
		case rec.Status == order.StatusAccepted:
			n.Since = sh(kitchenSince(rec))
			board.Making = append(board.Making, n)
		default:
			made := rec.MadeAt
			if made.IsZero() {
				made = rec.UpdatedAt // made elsewhere (the 开个店 back office)
			}
			if now.Sub(made) < pickupCallFor {
				n.Since = sh(made)
				board.Ready = append(board.Ready, n)
			}
		}
	}
	sort.SliceStable(board.Making, func(i, j int) bool { return board.Making[i].Since.Before(board.Making[j].Since) })
	sort.SliceStable(board.Ready, func(i, j int) bool { return board.Ready[i].Since.After(board.Ready[j].Since) })
	return board, nil
}
