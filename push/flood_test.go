package push_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// Issue 13 item 4: anyone who reaches the push port cannot fill the disk.
// A flood of refused pushes is recorded within the rate limit, 401s without
// their bodies, the rest as a short prefix; meanwhile the platform's signed
// pushes all pass.
func TestRefusedPushFloodCannotFillTheDisk(t *testing.T) {
	env := startEnv(t, harness.Options{NoPrinters: true})
	db := env.Daemon.DB
	ctx := context.Background()
	size := func() int64 {
		pages, _ := db.PageCount(ctx)
		return int64(pages) * 4096 // SQLite's default page size
	}
	before := size()
	big := bytes.Repeat([]byte("A"), 64<<10)
	unsigned := append([]byte(`{"orderCode":"1","orderStatus":"6","cancelStatus":"5","pad":"`), append(big, []byte(`"}`)...)...)
	garbage := append([]byte("<xml>"), big...)
	var wg sync.WaitGroup
	var mu sync.Mutex
	answers := map[int]int{}
	for i := range 240 {
		wg.Go(func() {
			body := unsigned
			if i%2 == 1 {
				body = garbage
			}
			st, _, _ := post(t, env.PushURL+"/kaigedian/push/order", body, nil)
			mu.Lock()
			answers[st]++
			mu.Unlock()
		})
	}
	// The platform's own pushes during the flood.
	var codes []string
	for range 20 {
		codes = append(codes, env.Fake.NewOrder(fake.OrderSpec{}).Code)
	}
	wg.Wait()
	for _, c := range codes {
		if _, err := env.WaitStatus(c, order.StatusAccepted, 20*time.Second); err != nil {
			t.Fatalf("a signed push during the flood: %v", err)
		}
	}
	if answers[429] == 0 {
		t.Fatalf("no refusal was rate-limited: %v", answers)
	}
	rejected, err := db.RejectedPushes(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if len(rejected) >= 120 {
		t.Fatalf("%d of 240 refused pushes recorded: the rate limit did not hold", len(rejected))
	}
	for _, r := range rejected {
		switch {
		case r.HTTPStatus == 401 && len(r.Body) != 0:
			t.Fatalf("a 401 kept %d bytes of its body", len(r.Body))
		case len(r.Body) > store.MaxRejectedBody:
			t.Fatalf("a refused push kept %d bytes", len(r.Body))
		case r.HTTPStatus != 401 && r.BodySize > 0 && len(r.Body) == 0:
			t.Fatalf("a malformed push kept no prefix to diagnose it by")
		}
	}
	if grown := size() - before; grown > 4<<20 {
		t.Fatalf("the database grew %d bytes under the flood", grown)
	}
}
