package bridge_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// recorder is a reporter that keeps what it is told (the WeChat Pay sync
// will be a real one), failing while down is set.
type recorder struct {
	mu    sync.Mutex
	down  bool
	tries int
	got   map[string]bridge.Transition // by transaction id: a repeat counts once
	order []string
}

var _ bridge.Reporter = (*recorder)(nil)

func (r *recorder) Name() string                { return "recorder" }
func (r *recorder) Follows(s order.Source) bool { return s == order.SourceKaigedian }
func (r *recorder) Classify(error) bridge.Verdict {
	return bridge.Verdict{Retry: true, Message: "记录服务暂不可用"}
}

func (r *recorder) Report(_ context.Context, txID string, t bridge.Transition) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tries++
	if r.down {
		return errors.New("recorder down")
	}
	if r.got == nil {
		r.got = map[string]bridge.Transition{}
	}
	if _, seen := r.got[txID]; !seen {
		r.got[txID] = t
		r.order = append(r.order, t.Code+" "+string(t.To))
	}
	return nil
}

func (r *recorder) statuses(code string) []order.Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []order.Status
	for _, id := range r.order {
		if t := r.byLine(id); t.Code == code {
			out = append(out, t.To)
		}
	}
	return out
}

func (r *recorder) byLine(line string) bridge.Transition {
	for _, t := range r.got {
		if t.Code+" "+string(t.To) == line {
			return t
		}
	}
	return bridge.Transition{}
}

// A reporter hears every lifecycle transition of the orders it follows,
// in order, through the outbox: while 开个店 refuses every status call the
// reports still go out (their lane is their own), a reporter that is down
// gets them once it is back, and each transition arrives once.
func TestReporterHearsEveryTransitionDespiteAFailingPlatform(t *testing.T) {
	rep := &recorder{down: true}
	env := start(t, harness.Options{Reporters: []bridge.Reporter{rep}, ExtraYAML: "scanner:\n  double_scan_window: 100ms\n"})
	env.Fake.SetFault("statusOperation", fake.Fault{Kind: fake.FaultHTTP500})

	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	rep.mu.Lock()
	rep.down = false
	rep.mu.Unlock()
	want := []order.Status{order.StatusNew, order.StatusAccepted}
	if !harness.WaitFor(15*time.Second, func() bool { return slices.Equal(rep.statuses(o.Code), want) }) {
		t.Fatalf("reported %v, want %v (the platform still refuses the accept)", rep.statuses(o.Code), want)
	}
	if snap, _ := env.Fake.Order(o.Code); snap.PlatformStatus != kaigedian.PlatformNew {
		t.Fatalf("the platform took the accept (%d) although it was failing", snap.PlatformStatus)
	}

	env.Fake.ClearFaults()
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 15*time.Second))
	var res map[string]any
	if s, _ := env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res); s != 202 {
		t.Fatalf("scan: %d %v", s, res)
	}
	want = append(want, order.StatusMade)
	if !harness.WaitFor(15*time.Second, func() bool { return slices.Equal(rep.statuses(o.Code), want) }) {
		t.Fatalf("reported %v, want %v", rep.statuses(o.Code), want)
	}
	rep.mu.Lock()
	defer rep.mu.Unlock()
	for _, tr := range rep.got {
		// A push announcing a new order names no store; the detail that
		// comes before the accept does.
		if tr.Source != order.SourceKaigedian || tr.StoreID == "" && tr.To != order.StatusNew || tr.At.IsZero() ||
			tr.Payment != order.PaymentPaid {
			t.Errorf("transition %+v lacks its source, store, time or payment", tr)
		}
	}
	if rep.tries <= len(rep.got) {
		t.Errorf("the reporter was down at first: %d tries for %d transitions, want retries", rep.tries, len(rep.got))
	}
}
