package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

// Orders of two sources live side by side: a code is one source's, the
// lists a channel works through hold only its own orders, and a reporter's
// calls have a lane of their own that a cancel does not moot.
func TestOrdersOfTwoSources(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	err := db.Write(ctx, func(tx *Tx) error {
		for _, rec := range []*OrderRecord{
			{Code: "K1", Status: order.StatusAccepted, NeedsDetail: true},
			{Source: order.SourceOrdering, Code: "S1", Status: order.StatusNew, NeedsDetail: true},
			{Source: order.SourceOrdering, Code: "S2", Status: order.StatusCancelled},
		} {
			if err := tx.SaveOrder(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *Tx) error {
		return tx.SaveOrder(&OrderRecord{Source: order.SourceOrdering, Code: "K1", Status: order.StatusNew})
	})
	if !errors.Is(err, ErrCodeTaken) {
		t.Fatalf("saving another source's code: %v, want ErrCodeTaken", err)
	}
	if rec, err := db.GetOrder(ctx, "K1"); err != nil || rec.Source != order.SourceKaigedian || rec.Status != order.StatusAccepted {
		t.Fatalf("K1 after the refused save: %+v %v", rec, err)
	}

	far := time.Now().Add(time.Minute)
	if codes, err := db.OrdersNeedingDetail(ctx, order.SourceKaigedian, far, 10); err != nil || len(codes) != 1 || codes[0] != "K1" {
		t.Errorf("开个店 details due: %v %v", codes, err)
	}
	if codes, err := db.OrdersNeedingDetail(ctx, order.SourceOrdering, far, 10); err != nil || len(codes) != 1 || codes[0] != "S1" {
		t.Errorf("scan-to-order details due: %v %v", codes, err)
	}
	if codes, err := db.OpenOrderCodes(ctx, order.SourceKaigedian, 10); err != nil || len(codes) != 1 || codes[0] != "K1" {
		t.Errorf("开个店 open orders: %v %v", codes, err)
	}
	if codes, err := db.OpenOrderCodes(ctx, order.SourceOrdering, 10); err != nil || len(codes) != 2 {
		t.Errorf("scan-to-order open and ended orders: %v %v", codes, err)
	}

	var platformID, reportID int64
	err = db.Write(ctx, func(tx *Tx) error {
		var err error
		if platformID, err = tx.EnqueueOutbox(OutboxRow{Kind: "status_operation", Op: "made", OrderCode: "K1", Payload: []byte("{}")}); err != nil {
			return err
		}
		reportID, err = tx.EnqueueOutbox(OutboxRow{Kind: "report", Op: "made", OrderCode: "K1", Destination: "wechatpay", Payload: []byte("{}")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The platform call fails and waits; the report is due all the same.
	err = db.Write(ctx, func(tx *Tx) error { return tx.MarkOutboxRetry(platformID, "down", time.Now().Add(time.Hour)) })
	if err != nil {
		t.Fatal(err)
	}
	due, err := db.DueOutbox(ctx, time.Now(), 2*time.Hour, 10)
	if err != nil || len(due) != 1 || due[0].ID != reportID || due[0].Lane != "wechatpay:K1" {
		t.Fatalf("due: %+v %v, want only the report in lane wechatpay:K1", due, err)
	}
	err = db.Write(ctx, func(tx *Tx) error {
		_, err := tx.MootPendingOutbox("K1", []string{"made"}, "cancelled")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int64]string{platformID: OutboxMoot, reportID: OutboxPending} {
		row, err := db.GetOutbox(ctx, id)
		if err != nil || row.State != want {
			t.Errorf("outbox %d after the cancel: %v %v, want %s", id, row, err, want)
		}
	}
}
