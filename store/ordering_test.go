package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func newOrderingOrder(table int64, key, hash string) NewOrderingOrder {
	return NewOrderingOrder{
		Order: OrderingOrder{RestaurantID: 1, StoreID: "1862", TableID: table, TableName: "A1", EatType: 0, Status: 1,
			BusinessDay: "2026-12-02", CustomerCount: 2, TotalFee: 2800, ViewTokenHash: "h", OrderJSON: "{}"},
		IdemKey: key, BodyHash: hash, TakeCode: true, TakeCodeStart: 5001, RealTable: table > 0, OpenCap: 3, MealIdle: 4 * time.Hour,
	}
}

func TestOrderingCreateIdempotentWithTakeCodes(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	a, replay, err := db.CreateOrderingOrder(ctx, newOrderingOrder(1, "k1", "body1"))
	if err != nil || replay {
		t.Fatalf("create: %v %v", err, replay)
	}
	if a.TakeCode != "5001" || a.TradeNo == "" || a.TradeNo[0] != '1' {
		t.Fatalf("first order: take %q trade %q", a.TakeCode, a.TradeNo)
	}
	again, replay, err := db.CreateOrderingOrder(ctx, newOrderingOrder(1, "k1", "body1"))
	if err != nil || !replay || again.ID != a.ID || again.TakeCode != a.TakeCode {
		t.Fatalf("replay: %+v %v %v", again, replay, err)
	}
	if _, _, err := db.CreateOrderingOrder(ctx, newOrderingOrder(1, "k1", "other")); !errors.Is(err, ErrIdempotencyConflict) {
		t.Fatalf("other body: %v", err)
	}
	b, _, err := db.CreateOrderingOrder(ctx, newOrderingOrder(-2, "k2", "b"))
	if err != nil || b.TakeCode != "5002" || b.TradeNo == a.TradeNo {
		t.Fatalf("second: %+v %v", b, err)
	}
	next := newOrderingOrder(-2, "k3", "b")
	next.Order.BusinessDay = "2026-12-03"
	c, _, err := db.CreateOrderingOrder(ctx, next)
	if err != nil || c.TakeCode != "5001" {
		t.Fatalf("a new business day starts again: %+v %v", c, err)
	}
}

func TestOrderingTableCapHoldsUnderConcurrency(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]bool{}
	full := 0
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, _, err := db.CreateOrderingOrder(ctx, newOrderingOrder(7, "c"+string(rune('a'+i)), "x"))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrTableFull):
				full++
			case err != nil:
				t.Error(err)
			default:
				if codes[o.TakeCode] {
					t.Errorf("take code %s given twice", o.TakeCode)
				}
				codes[o.TakeCode] = true
			}
		}()
	}
	wg.Wait()
	if len(codes) != 3 || full != 9 {
		t.Fatalf("cap 3: %d created, %d refused", len(codes), full)
	}
	open, err := db.TableMealOpen(ctx, 1, 7, time.Now(), 4*time.Hour)
	if err != nil || !open {
		t.Fatalf("meal open: %v %v", open, err)
	}
	list, err := db.OrderingOrdersAtTable(ctx, 1, 7, time.Now().Add(-time.Hour), "")
	if err != nil || len(list) != 3 {
		t.Fatalf("table list: %d %v", len(list), err)
	}
	if changed, err := db.SetOrderingStatus(ctx, list[0].ID, 9, "", 1, 2, 3); err != nil || !changed {
		t.Fatalf("complete: %v %v", changed, err)
	}
	if _, _, err := db.CreateOrderingOrder(ctx, newOrderingOrder(7, "after", "x")); err != nil {
		t.Fatalf("a completed order frees a place: %v", err)
	}
	unplaced, _ := db.UnplacedOrderingOrders(ctx, 100)
	if len(unplaced) != 4 {
		t.Fatalf("unplaced %d", len(unplaced))
	}
	db.MarkOrderingPlaced(ctx, unplaced[0].ID)
	if unplaced, _ = db.UnplacedOrderingOrders(ctx, 100); len(unplaced) != 3 {
		t.Fatalf("after placing one: %d", len(unplaced))
	}
}
