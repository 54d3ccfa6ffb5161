package loadtest

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
)

// Scenario is a named load: how many orders arrive, how fast, across how
// many stores, and whether staff and customers act on them.
type Scenario struct {
	Name     string
	Rate     float64       // orders per second
	Duration time.Duration // how long orders arrive
	Orders   int           // total orders (0 = Rate × Duration)
	Stores   int
	Steady   bool // exact intervals; otherwise random (Poisson) arrivals, bursts included
	// Mixed turns on manual accept and the staff and customer actions:
	// accepts and rejects through the console API, cancels before accept,
	// refund requests decided both ways, scans to made and completed.
	Mixed bool
	Seed  int64
}

// Named scenarios of the load tool.
var scenarios = map[string]Scenario{
	"steady": {Name: "steady", Rate: 10, Duration: 30 * time.Second, Stores: 1, Steady: true},
	"rush":   {Name: "rush", Orders: 500, Duration: 60 * time.Second, Stores: 3},
	"mixed":  {Name: "mixed", Rate: 4, Duration: 30 * time.Second, Stores: 2, Mixed: true},
}

// Named returns a named scenario (steady, rush, mixed).
func Named(name string) (Scenario, error) {
	s, ok := scenarios[name]
	if !ok {
		return Scenario{}, fmt.Errorf("unknown scenario %q: choose steady, rush or mixed", name)
	}
	return s, nil
}

// Total is how many orders the scenario creates.
func (s Scenario) Total() int {
	if s.Orders > 0 {
		return s.Orders
	}
	return max(1, int(s.Rate*s.Duration.Seconds()))
}

// interval is the mean time between two orders.
func (s Scenario) interval() time.Duration {
	return time.Duration(float64(s.Duration) / float64(s.Total()))
}

var storeNames = []string{"南翔一店", "徐家汇店", "静安寺店", "五角场店", "虹桥店"}

// HarnessOptions is the environment the scenario needs: its stores, every
// drink on the label printer (several cups make several labels), manual
// accept and a short double-scan window when staff act, and a fake platform
// that keeps every call for the checker.
func (s Scenario) HarnessOptions() harness.Options {
	var o harness.Options
	for i := range max(s.Stores, 1) {
		o.Stores = append(o.Stores, config.StoreConfig{ID: fmt.Sprint(1862 + i), Name: storeNames[i%len(storeNames)]})
	}
	o.LabelMatch = `{ product_ids: [T1001, T1002, T1003, T1004, T1005, T1006, T1007] }`
	if s.Mixed {
		o.Accept = "mode: manual"
		o.ExtraYAML = "scanner:\n  double_scan_window: 50ms\n"
	}
	o.Fake = func(fo *fake.Options) {
		fo.MaxCalls = 1 << 20
		fo.PushWorkers = 8
		if s.Seed != 0 {
			fo.Seed = s.Seed
		}
	}
	return o
}

// Run creates the scenario's orders on the fake platform and, when Mixed,
// acts as staff and customers. It returns when every order was created and
// every staff action finished (or ctx ended).
func (s Scenario) Run(ctx context.Context, rig *Rig, rec *Recorder) error {
	rng := mrand.New(mrand.NewPCG(uint64(s.Seed), 7))
	var wg sync.WaitGroup
	defer wg.Wait()
	total, interval := s.Total(), s.interval()
	next := time.Now()
	rec.Mark(fmt.Sprintf("%s: %d orders over %s", s.Name, total, s.Duration))
	for range total {
		wait := interval
		if !s.Steady {
			wait = time.Duration(rng.ExpFloat64() * float64(interval))
		}
		next = next.Add(wait)
		if d := time.Until(next); d > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
		}
		created := time.Now()
		o := rig.Env.Fake.NewOrder(fake.OrderSpec{})
		rec.Created(o.Code, created)
		if s.Mixed {
			seed := rng.Uint64()
			wg.Go(func() { newStaff(rig, rec, seed).handle(ctx, o.Code) })
		}
	}
	return nil
}
