package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db := openAt(t, filepath.Join(t.TempDir(), "posbridge.db"))
	t.Cleanup(func() { db.Close() })
	return db
}

// openAt opens the database at path; the test closes it.
func openAt(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestInboxSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	db := openAt(t, path)
	id, err := db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: "A1", Body: []byte(`{"orderCode":"A1"}`)})
	if err != nil || id == 0 {
		t.Fatalf("append: %v %d", err, id)
	}
	db.Close()
	db = openAt(t, path)
	defer db.Close()
	items, err := db.PendingInbox(ctx, 10)
	if err != nil || len(items) != 1 || string(items[0].Body) != `{"orderCode":"A1"}` {
		t.Fatalf("pending after reopen: %v %+v", err, items)
	}
	if err := db.Write(ctx, func(tx *Tx) error { return tx.MarkInboxDone(items[0].ID) }); err != nil {
		t.Fatal(err)
	}
	if items, _ := db.PendingInbox(ctx, 10); len(items) != 0 {
		t.Fatalf("still pending: %+v", items)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path, Options{})
	var newer *NewerSchemaError
	if !errors.As(err, &newer) || !strings.Contains(err.Error(), "newer posbridge") {
		t.Fatalf("want NewerSchemaError, got %v", err)
	}
}

func TestOrderRoundTripKeepsPhone(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	rec := &OrderRecord{Code: "100200300", StoreID: "1862", Status: order.StatusNew, PlatformStatus: 1,
		Type: order.TypePickup, PickupNo: "A023", MobileLast4: "9227", Day: "2026-11-22",
		Detail: &order.Order{Code: "100200300", Mobile: "13612349227", ActualPay: 1250,
			Items:      []order.Item{{Name: "珍珠奶茶", Quantity: 2, Price: 1500, Spec: "大杯"}},
			Deliveries: []order.Contact{{Name: "张三", Mobile: "13800000000"}}},
		RawDetail: []byte(`{"orderCode":"100200300"}`)}
	if err := db.Write(ctx, func(tx *Tx) error { return tx.SaveOrder(rec) }); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetOrder(ctx, "100200300")
	if err != nil {
		t.Fatal(err)
	}
	if got.Detail == nil || got.Detail.Mobile != "13612349227" || got.Detail.Deliveries[0].Mobile != "13800000000" ||
		got.Detail.Items[0].Name != "珍珠奶茶" || got.Detail.ActualPay != 1250 || got.Status != order.StatusNew {
		t.Fatalf("round trip lost data: %+v / %+v", got, got.Detail)
	}
	if _, err := db.GetOrder(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing order: %v", err)
	}
	for _, q := range []string{"100200300", "0300", "A023", "9227"} {
		list, total, err := db.ListOrders(ctx, OrderFilter{Day: "2026-11-22", Query: q})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("query %q: %v total=%d", q, err, total)
		}
	}
	list, total, _ := db.ListOrders(ctx, OrderFilter{Statuses: []order.Status{order.StatusAccepted}})
	if total != 0 || len(list) != 0 {
		t.Errorf("status filter leaked %d", total)
	}
}

func TestOutboxLanesKeepOrder(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	var ids []int64
	err := db.Write(ctx, func(tx *Tx) error {
		for _, r := range []OutboxRow{
			{Kind: "status_operation", Op: "accept", OrderCode: "A"},
			{Kind: "status_operation", Op: "made", OrderCode: "A"},
			{Kind: "status_operation", Op: "accept", OrderCode: "B"},
		} {
			id, err := tx.EnqueueOutbox(r)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := db.DueOutbox(ctx, time.Now(), 24*time.Hour, 10)
	if err != nil || len(due) != 2 || due[0].ID != ids[0] || due[1].ID != ids[2] {
		t.Fatalf("due = %+v, %v", due, err)
	}
	// A failed attempt keeps the lane blocked: made must not overtake accept.
	txid := due[0].TxID
	_ = db.Write(ctx, func(tx *Tx) error { return tx.MarkOutboxRetry(ids[0], "timeout", time.Now().Add(time.Hour)) })
	due, _ = db.DueOutbox(ctx, time.Now(), 24*time.Hour, 10)
	if len(due) != 1 || due[0].ID != ids[2] {
		t.Fatalf("made overtook accept: %+v", due)
	}
	row, _ := db.GetOutbox(ctx, ids[0])
	if row.TxID != txid || row.Attempts != 1 || row.LastError != "timeout" {
		t.Fatalf("retry changed the row: %+v", row)
	}
	_ = db.Write(ctx, func(tx *Tx) error { return tx.MarkOutboxDone(ids[0], "") })
	due, _ = db.DueOutbox(ctx, time.Now(), 24*time.Hour, 10)
	if len(due) != 2 || due[0].ID != ids[1] {
		t.Fatalf("after accept done: %+v", due)
	}
}

func TestPrintJobLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	id, created, err := db.EnqueuePrintJob(ctx, PrintJob{Printer: "front", OrderCode: "A", Doc: "receipt", DedupeKey: "A/receipt/front", Payload: []byte("{}")})
	if err != nil || !created {
		t.Fatal(err)
	}
	id2, created, _ := db.EnqueuePrintJob(ctx, PrintJob{Printer: "front", OrderCode: "A", Doc: "receipt", DedupeKey: "A/receipt/front", Payload: []byte("{}")})
	if created || id2 != id {
		t.Fatalf("duplicate enqueue created a job: %d %v", id2, created)
	}
	j, err := db.NextPrintJob(ctx, "front")
	if err != nil || j.ID != id {
		t.Fatal(err)
	}
	if err := db.MarkPrintSending(ctx, id, []byte{0x1b, 0x40}); err != nil {
		t.Fatal(err)
	}
	// Crash while sending: recovery queues it again as a reprint.
	n, err := db.RecoverSendingPrintJobs(ctx)
	if err != nil || n != 1 {
		t.Fatalf("recover: %d %v", n, err)
	}
	j, _ = db.NextPrintJob(ctx, "front")
	if !j.Reprint || j.State != JobQueued {
		t.Fatalf("recovered job: %+v", j)
	}
	_ = db.MarkPrintSending(ctx, id, []byte{1})
	if err := db.MarkPrintDone(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NextPrintJob(ctx, "front"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("queue not empty: %v", err)
	}
	var printed []PrintedDoc
	_ = db.Write(ctx, func(tx *Tx) error { printed, err = tx.PrintedDocs("A"); return err })
	if len(printed) != 1 || printed[0].Printer != "front" || printed[0].Doc != "receipt" {
		t.Fatalf("printed: %+v", printed)
	}
}

func TestDiskFullIsClearAndRecoverable(t *testing.T) {
	ctx := context.Background()
	db := openAt(t, filepath.Join(t.TempDir(), "p.db"))
	defer db.Close()
	var pages int
	_ = db.writer.QueryRow("PRAGMA page_count").Scan(&pages)
	if err := db.SetMaxPageCount(ctx, pages+2); err != nil {
		t.Fatal(err)
	}
	body := []byte(strings.Repeat("x", 8000))
	var fullErr error
	stored := 0
	for i := 0; i < 100; i++ {
		if _, err := db.AppendInbox(ctx, InboxItem{Kind: "order", Body: body}); err != nil {
			fullErr = err
			break
		}
		stored++
	}
	if !errors.Is(fullErr, ErrDiskFull) {
		t.Fatalf("want ErrDiskFull, got %v", fullErr)
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatalf("corrupted after full disk: %v", err)
	}
	_ = db.SetMaxPageCount(ctx, 1<<30)
	if _, err := db.AppendInbox(ctx, InboxItem{Kind: "order", Body: body}); err != nil {
		t.Fatalf("no recovery after space returned: %v", err)
	}
	items, _ := db.PendingInbox(ctx, 1000)
	if len(items) != stored+1 {
		t.Fatalf("stored %d+1, found %d", stored, len(items))
	}
}

func TestBackupAndPrune(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	old := time.Now().Add(-100 * 24 * time.Hour)
	dbOld := &DB{path: db.path, now: func() time.Time { return old }}
	dbOld.writer, dbOld.reader = db.writer, db.reader
	dbOld.writes = writeBatcher{pool: db.writer, now: dbOld.now}
	_ = dbOld.Write(ctx, func(tx *Tx) error {
		_ = tx.SaveOrder(&OrderRecord{Code: "OLD", Status: order.StatusCompleted})
		_ = tx.SaveOrder(&OrderRecord{Code: "OPEN", Status: order.StatusAccepted})
		return tx.AppendHistory(History{Code: "OLD", To: order.StatusCompleted, Actor: "platform"})
	})
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, dest); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	r, err := db.Prune(ctx, time.Now().Add(-90*24*time.Hour))
	if err != nil || r.Orders != 1 || r.History != 1 {
		t.Fatalf("prune: %+v %v", r, err)
	}
	if _, err := db.GetOrder(ctx, "OPEN"); err != nil {
		t.Fatal("an open order was pruned")
	}
	b, err := Open(ctx, dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.GetOrder(ctx, "OLD"); err != nil {
		t.Fatalf("backup lacks data: %v", err)
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				code := fmt.Sprintf("W%d-%d", w, i)
				if err := db.Write(ctx, func(tx *Tx) error {
					return tx.SaveOrder(&OrderRecord{Code: code, Status: order.StatusNew, Day: "d"})
				}); err != nil {
					t.Error(err)
					return
				}
				if _, err := db.GetOrder(ctx, code); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	_, total, _ := db.ListOrders(ctx, OrderFilter{Day: "d"})
	if total != 400 {
		t.Fatalf("total %d", total)
	}
}
