package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// Concurrent pushes share commits: every row is stored exactly once under
// its own id, each caller hears back only after its row is readable (it was
// committed), and there are fewer commits than pushes.
func TestInboxGroupCommit(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	const senders, each = 16, 40
	before := db.WriteCommits()
	var wg sync.WaitGroup
	ids := make(chan int64, senders*each)
	errs := make(chan error, senders*each)
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				code := fmt.Sprintf("S%02d-%03d", s, i)
				id, err := db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: code, Body: []byte(`{"orderCode":"` + code + `"}`)})
				if err != nil {
					errs <- err
					return
				}
				// durable before the answer: a reader sees the row at once
				var got string
				if err := db.landing.reader.QueryRow(`SELECT order_code FROM landing WHERE id = ?`, id).Scan(&got); err != nil || got != code {
					errs <- fmt.Errorf("row %d not readable after AppendInbox returned: %q %v", id, got, err)
					return
				}
				ids <- id
			}
		}()
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("id %d given twice", id)
		}
		seen[id] = true
	}
	items, err := db.ListInbox(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{}
	for _, it := range items {
		codes[it.OrderCode]++
	}
	if len(seen) != senders*each || len(codes) != senders*each {
		t.Fatalf("%d ids, %d distinct rows, want %d", len(seen), len(codes), senders*each)
	}
	for c, n := range codes {
		if n != 1 {
			t.Fatalf("%s stored %d times", c, n)
		}
	}
	commits := db.WriteCommits() - before
	if commits >= senders*each {
		t.Fatalf("%d commits for %d pushes: no group commit", commits, senders*each)
	}
	t.Logf("%d pushes in %d commits", senders*each, commits)
}

// A full disk reaches every caller of the failed batch as ErrDiskFull,
// nothing of the batch is half visible, and pushes are stored again once
// space returns.
func TestInboxGroupCommitDiskFull(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	capDisk(t, db, 3)
	body := []byte(strings.Repeat("x", 6000))
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored, full := 0, 0
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.AppendInbox(ctx, InboxItem{Kind: "order", Body: body})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				stored++
			case errors.Is(err, ErrDiskFull):
				full++
			default:
				t.Errorf("want ErrDiskFull, got %v", err)
			}
		}()
	}
	wg.Wait()
	if full == 0 {
		t.Fatal("the disk never filled")
	}
	items, _ := db.ListInbox(ctx, 1000)
	if len(items) != stored {
		t.Fatalf("%d pushes answered stored, %d rows in the inbox", stored, len(items))
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMaxPageCount(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendInbox(ctx, InboxItem{Kind: "order", Body: body}); err != nil {
		t.Fatalf("no recovery after space returned: %v", err)
	}
}

// A caller that has given up (its ctx ended) gets its ctx's error and
// nothing is stored for it; the next push is stored as usual.
func TestInboxCallerGivesUp(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: "GONE"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	id, err := db.AppendInbox(context.Background(), InboxItem{Kind: "order", OrderCode: "KEPT", Body: []byte(`{}`), ReceivedAt: time.Now()})
	if err != nil || id == 0 {
		t.Fatalf("append after a cancelled caller: %d %v", id, err)
	}
	items, _ := db.ListInbox(context.Background(), 10)
	if len(items) != 1 || items[0].OrderCode != "KEPT" {
		t.Fatalf("inbox %+v, want only KEPT", items)
	}
}

// A row that cannot be written fails only its own push, not the others that
// shared its transaction.
func TestInboxBadRowFailsAlone(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	var wg sync.WaitGroup
	results := make([]error, 24)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := []byte(`{}`)
			if i == 7 {
				body = nil // violates NOT NULL
			}
			_, results[i] = db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: fmt.Sprint("C", i), Body: body})
		}()
	}
	wg.Wait()
	for i, err := range results {
		if (err != nil) != (i == 7) {
			t.Fatalf("push %d: %v", i, err)
		}
	}
	if items, _ := db.ListInbox(ctx, 100); len(items) != 23 {
		t.Fatalf("%d rows stored, want 23", len(items))
	}
}
