package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"
)

// A sync is stored once: a second queueing (a crash, a concurrent attempt)
// gets the first snapshot and body back; a refused one is forgotten by a
// staff restart; a pruned order takes its syncs and customer with it.
func TestWeChatPaySyncKeepsTheFirstBody(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	first := WeChatPaySync{OrderCode: "o1", Action: "CREATE_DEAL", State: WeChatPaySyncPending, Snapshot: `{"a":1}`, Body: []byte(`{"b":1}`)}
	var got *WeChatPaySync
	var queued bool
	for i, s := range []WeChatPaySync{first, {OrderCode: "o1", Action: "CREATE_DEAL", State: WeChatPaySyncPending, Body: []byte(`{"b":2}`)}} {
		if err := db.Write(ctx, func(tx *Tx) error {
			var err error
			got, queued, err = tx.QueueWeChatPaySync(s)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if queued != (i == 0) || !bytes.Equal(got.Body, first.Body) || got.Snapshot != first.Snapshot {
			t.Fatalf("queueing %d: queued %v, body %s", i, queued, got.Body)
		}
	}
	if err := db.Write(ctx, func(tx *Tx) error {
		if err := tx.MarkWeChatPaySyncFailed("o1", "CREATE_DEAL", WeChatPaySyncFailed, "never", "参数错误", "HTTP 400", time.Time{}); err != nil {
			return err
		}
		ok, err := tx.RestartWeChatPaySync("o1", "CREATE_DEAL")
		if !ok && err == nil {
			err = errors.New("a failed sync was not restarted")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.WeChatPaySync(ctx, "o1", "CREATE_DEAL"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a restarted sync is still there: %v", err)
	}

	old := time.Now().Add(-100 * 24 * time.Hour)
	if err := db.Seed(ctx, seedOrders(1, old)); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *Tx) error {
		id, err := tx.InsertCustomer(1, "")
		if err != nil {
			return err
		}
		if err := tx.SetOrderingOrderCustomer("seed000000", id); err != nil {
			return err
		}
		_, _, err = tx.QueueWeChatPaySync(WeChatPaySync{OrderCode: "seed000000", Action: "CREATE_DEAL", State: WeChatPaySyncDone})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Prune(ctx, time.Now().Add(-90*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.WeChatPaySync(ctx, "seed000000", "CREATE_DEAL"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the sync of a pruned order stayed: %v", err)
	}
	if _, ok, err := db.OrderingOrderCustomer(ctx, "seed000000"); ok || err != nil {
		t.Fatalf("the customer of a pruned order stayed: %v %v", ok, err)
	}
}
