package drills

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/internal/loadtest"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/store"
)

// drillScenario is the drills' traffic: three stores, random arrivals,
// drinks with several cup labels, and a fake platform that keeps retrying a
// push for longer than a daemon restart takes.
func drillScenario(name string, orders int, over time.Duration) loadtest.Scenario {
	return loadtest.Scenario{Name: name, Orders: orders, Duration: over, Stores: 3, Seed: 7}
}

func harnessFor(s loadtest.Scenario, tweak func(*harness.Options)) harness.Options {
	o := s.HarnessOptions()
	base := o.Fake
	o.Fake = func(fo *fake.Options) {
		base(fo)
		fo.PushRetries = 12 // 50 ms doubling to 3.2 s: minutes of patience, like the platform
	}
	if tweak != nil {
		tweak(&o)
	}
	return o
}

// startRig starts a rig and stops it at the end of the test. On failure the
// daemon's log is attached.
func startRig(t *testing.T, mode loadtest.Mode, opts harness.Options) *loadtest.Rig {
	t.Helper()
	ro := loadtest.RigOptions{Dir: t.TempDir(), Mode: mode, Harness: opts}
	if mode == loadtest.ModeChild {
		ro.Bin = daemonBinary(t)
	}
	rig, err := loadtest.NewRig(context.Background(), ro)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := rig.Close(); err != nil {
			t.Errorf("stop the daemon: %v", err)
		}
		if t.Failed() {
			if b, err := os.ReadFile(rig.LogPath()); err == nil {
				lines := strings.Split(string(b), "\n")
				t.Logf("daemon log (last 60 lines):\n%s", strings.Join(lines[max(0, len(lines)-60):], "\n"))
			}
		}
	})
	return rig
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// daemonBinary builds cmd/posbridge once per test binary (race-enabled when
// the tests are).
func daemonBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "posbridge-drill-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath, buildErr = loadtest.BuildDaemon(context.Background(), dir, raceEnabled)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// settleAndCheck waits for the daemon to finish and runs the checker.
func settleAndCheck(t *testing.T, rig *loadtest.Rig, timeout time.Duration) loadtest.CheckResult {
	t.Helper()
	ctx := context.Background()
	if err := loadtest.Settle(ctx, rig, timeout); err != nil {
		t.Errorf("settle: %v", err)
	}
	res, err := loadtest.CheckRig(ctx, rig)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Errorf("checker: %s", p)
	}
	t.Logf("checker: %d/%d orders stored, %d transitions, %d jobs printed (%d with 补打, %d cut-off copies)",
		res.Stored, res.Orders, res.Transitions, res.Jobs, res.Reprints, res.PartialCopies)
	return res
}

// during runs f every interval until stop is closed (background mischief).
func during(stop <-chan struct{}, interval time.Duration, f func()) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				f()
			}
		}
	})
	return &wg
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// acceptWaiting plays staff: through the console API it accepts every order
// waiting for an accept decision until none has waited for a second (or
// timeout passes), and returns how many it accepted.
func acceptWaiting(t *testing.T, rig *loadtest.Rig, timeout time.Duration) int {
	t.Helper()
	accepted := 0
	deadline := time.Now().Add(timeout)
	quietSince := time.Now()
	for time.Now().Before(deadline) && time.Since(quietSince) < time.Second {
		var list struct {
			Orders []struct {
				Code     string `json:"code"`
				Decision string `json:"decision"`
			} `json:"orders"`
		}
		if _, err := rig.Env.API("GET", "/api/orders?date=all&status=new&limit=1000", nil, &list); err != nil {
			t.Fatal(err)
		}
		for _, o := range list.Orders {
			if o.Decision != "accept" {
				continue
			}
			quietSince = time.Now()
			var res map[string]any
			if st, err := rig.Env.API("POST", "/api/orders/"+o.Code+"/accept", nil, &res); err != nil || st != 202 && st != 409 {
				t.Fatalf("accept %s: %d %v %v", o.Code, st, res, err)
			}
			accepted++
		}
		time.Sleep(100 * time.Millisecond)
	}
	return accepted
}

// promptedForPrinters counts the orders the accept policy put to staff
// because a printer could not print, from their history.
func promptedForPrinters(t *testing.T, rig *loadtest.Rig) int {
	t.Helper()
	var list struct {
		Orders []struct {
			Code string `json:"code"`
		} `json:"orders"`
	}
	if _, err := rig.Env.API("GET", "/api/orders?date=all&limit=1000", nil, &list); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range list.Orders {
		hist, err := rig.Env.Daemon.DB.History(context.Background(), o.Code)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(hist, func(h store.History) bool {
			return h.Source == "policy" && strings.Contains(h.Reason, "打印机异常")
		}) {
			n++
		}
	}
	return n
}
