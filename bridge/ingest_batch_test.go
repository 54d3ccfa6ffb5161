package bridge_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Pushes that wait in the inbox (a burst, or a daemon restarting on a
// backlog) are applied many to a transaction, in arrival order; one that
// cannot be decoded is marked failed without holding back those after it.
func TestInboxBacklogAppliedInBatches(t *testing.T) {
	ctx := context.Background()
	env, err := harness.Prepare(t.TempDir(), harness.Options{NoPrinters: true, UnsignedPush: true})
	must(t, err)
	t.Cleanup(env.Close)
	db, err := store.Open(ctx, filepath.Join(env.Config.DataDir, "posbridge.db"), store.Options{})
	must(t, err)
	const n = 60
	var codes []string
	backlog := map[int64]bool{}
	for i := range n {
		o := env.Fake.NewOrder(fake.OrderSpec{NoPush: true})
		codes = append(codes, o.Code)
		body := fmt.Sprintf(`{"orderCode":%q,"orderStatus":"1","timeStamp":"%d"}`, o.Code, time.Now().UnixMilli())
		if i == n/2 {
			// The platform's garbage lands too (acknowledged, kept for diagnosis).
			id, err := db.AppendInbox(ctx, store.InboxItem{Kind: "order", OrderCode: "BROKEN", Body: []byte(`{"orderCode":`)})
			must(t, err)
			backlog[id] = true
		}
		id, err := db.AppendInbox(ctx, store.InboxItem{Kind: "order", OrderCode: o.Code, Body: []byte(body)})
		must(t, err)
		backlog[id] = true
	}
	must(t, db.Close())

	must(t, env.Run(ctx, harness.Options{NoPrinters: true, UnsignedPush: true}))
	t.Cleanup(func() { _ = env.StopDaemon() })
	for _, c := range codes {
		if _, err := env.WaitStatus(c, order.StatusAccepted, 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	items, err := env.Daemon.DB.ListInbox(ctx, 1000)
	must(t, err)
	transactions := map[time.Time]bool{}
	failed := 0
	for _, it := range items {
		if !backlog[it.ID] {
			continue // the platform's later status pushes
		}
		switch {
		case it.OrderCode == "BROKEN":
			if it.State != "failed" || it.Error == "" {
				t.Fatalf("undecodable push: state %q error %q", it.State, it.Error)
			}
			failed++
		case it.State != "done":
			t.Fatalf("push %d (%s) left %s", it.ID, it.OrderCode, it.State)
		}
		transactions[it.DoneAt] = true
	}
	if failed != 1 {
		t.Fatalf("%d failed pushes, want 1", failed)
	}
	// 61 pushes in batches of 25 are three transactions; one by one, each
	// would wait for its own commit and they would span dozens of milliseconds.
	if len(transactions) > 6 {
		t.Fatalf("the backlog took %d transactions: not applied in batches", len(transactions))
	}
}
