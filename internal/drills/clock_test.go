package drills

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/internal/loadtest"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/store"
)

// jumpClock is a wall clock that drills move by hand.
type jumpClock struct{ offset atomic.Int64 }

func (c *jumpClock) Now() time.Time      { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *jumpClock) set(d time.Duration) { c.offset.Store(int64(d)) }
func (c *jumpClock) jump(rec *loadtest.Recorder, d time.Duration, label string) {
	c.set(d)
	rec.Mark(label)
}

// The daemon's wall clock jumps an hour back and then two hours forward
// while orders arrive, platform calls wait for their retry (the platform
// refuses them meanwhile) and pushes are cut off (orders come only through
// the poller's cursor). Timers, backoff and cursors survive it: every order
// arrives, every accept reaches the platform once, every ticket prints once.
func TestWallClockJumpsBackAndForward(t *testing.T) {
	s := drillScenario("clock", 100, 8*time.Second)
	clock := &jumpClock{}
	rig := startRig(t, loadtest.ModeInProcess, harnessFor(s, func(o *harness.Options) { o.Now = clock.Now }))
	ctx := context.Background()
	rec := loadtest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, rig, rec) }()

	at := func(d time.Duration) { time.Sleep(time.Until(rec.Start.Add(d))) }
	f := rig.Env.Fake
	at(time.Second)
	f.SetFault("statusOperation", fake.Fault{Kind: fake.FaultHTTP500})
	rec.Mark("accepts refused")
	at(2 * time.Second)
	clock.jump(rec, -time.Hour, "clock −1 h")
	at(3 * time.Second)
	f.SetPushEnabled(false)
	rec.Mark("pushes cut off")
	at(3500 * time.Millisecond)
	f.ClearFaults()
	at(5 * time.Second)
	clock.jump(rec, 2*time.Hour, "clock +2 h")
	at(6 * time.Second)
	f.SetPushEnabled(true)
	at(7 * time.Second)
	clock.jump(rec, 0, "clock right")
	must(t, <-done)
	res := settleAndCheck(t, rig, 90*time.Second)
	if res.Stored != 100 || res.Transitions != 100 {
		t.Fatalf("%d orders stored, %d accepts on the platform: want 100 each", res.Stored, res.Transitions)
	}
	orders, _, err := rig.Env.Daemon.DB.ListOrders(ctx, store.OrderFilter{Limit: 1000})
	must(t, err)
	polled := 0
	for _, o := range orders {
		if o.FirstSource != "push" {
			polled++
		}
	}
	if polled == 0 {
		t.Fatal("no order came through the poller: the cursor was not exercised while the clock was off")
	}
	t.Logf("%d orders first seen by the poller while pushes were cut off", polled)
}
