package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
)

// 沽清 and store status from the CLI, through the running daemon's outbox,
// against the fake platform: a partial success exits 1 naming the failed
// code, a refusal exits 1, a platform that fails exits 3 and the call goes
// on until it succeeds.
func TestGoodsAndStoreCommands(t *testing.T) {
	env, err := harness.Start(context.Background(), t.TempDir(), harness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	cfg := []string{"--config", env.ConfigFile}
	run := func(args ...string) int { return dispatch(append(args, cfg...)) }
	ctx := context.Background()

	if code := run("goods", "sold-out", "T1001", "NOPE9"); code != 1 {
		t.Fatalf("sold-out with an unknown code: exit %d, want 1 (partial success)", code)
	}
	if got := env.Fake.SoldOut("1862", ""); !slices.Equal(got, []string{"T1001"}) {
		t.Fatalf("platform sold out: %v", got)
	}
	list, err := env.Daemon.DB.SoldOutList(ctx)
	if err != nil || len(list) != 1 || list[0].Code != "T1001" || list[0].Actor != "staff:cli" {
		t.Fatalf("posbridge's sold-out list: %+v, %v", list, err)
	}
	if code := run("goods", "list"); code != 0 {
		t.Fatalf("goods list: exit %d", code)
	}
	if code := run("goods", "back", "T1001", "--channel", "saas"); code != 0 {
		t.Fatalf("back in saas: exit %d", code)
	}
	if code := run("goods", "back", "T1001"); code != 0 {
		t.Fatalf("back: exit %d", code)
	}
	if got := env.Fake.SoldOut("1862", ""); len(got) != 0 {
		t.Fatalf("still sold out on the platform: %v", got)
	}
	if code := run("goods", "sold-out", "bad code!"); code != 1 {
		t.Fatalf("an invalid code: exit %d", code)
	}
	if code := run("goods", "sold-out", "T1001", "--channel", "meituan"); code != 1 {
		t.Fatalf("an unknown channel: exit %d", code)
	}

	if code := run("store", "rest"); code != 0 {
		t.Fatalf("store rest: exit %d", code)
	}
	if st := env.Fake.StoreStatusOf("1862"); !st.Resting || st.Operator != "cli" {
		t.Fatalf("platform store status: %+v", st)
	}
	if code := run("store", "close"); code != 0 {
		t.Fatalf("store close: exit %d", code)
	}
	if code := run("store", "rest"); code != 1 {
		t.Fatalf("rest while closed (the platform refuses): exit %d", code)
	}

	// The platform fails: the CLI says the call goes on, and it does.
	env.Fake.SetFault(kaigedian.PathSetStoreStatus, fake.Fault{Kind: fake.FaultHTTP500})
	if code := run("store", "open", "--wait", "300ms"); code != 3 {
		t.Fatalf("store open while the platform fails: exit %d, want 3", code)
	}
	env.Fake.ClearFaults()
	if !harness.WaitFor(20*time.Second, func() bool { return env.Fake.StoreStatusOf("1862").Open }) {
		t.Fatalf("the store was never opened: %+v", env.Fake.StoreStatusOf("1862"))
	}
	if !harness.WaitFor(5*time.Second, func() bool {
		st, _ := env.Daemon.DB.StoreStatuses(ctx)
		return len(st) == 1 && st[0].Event == int(kaigedian.StoreOpen) && st[0].Confirmed
	}) {
		st, _ := env.Daemon.DB.StoreStatuses(ctx)
		t.Fatalf("posbridge's store status: %+v", st)
	}
}
