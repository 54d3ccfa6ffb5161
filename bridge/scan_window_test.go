package bridge_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// steppedClock is the wall clock plus an offset the test moves, so that
// "2 s later" is exact however slow the machine is.
type steppedClock struct{ offset atomic.Int64 }

func (c *steppedClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *steppedClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// The double-read window runs from the read that counted: a cashier who
// rescans every 2 s (window 3 s) gets made, a duplicate, then completed —
// not a duplicate forever because each duplicate restarted the window.
func TestDoubleReadWindowDoesNotRestartOnDuplicates(t *testing.T) {
	clock := &steppedClock{}
	env := start(t, harness.Options{Now: clock.now, ExtraYAML: "scanner:\n  double_scan_window: 3s\n"})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)

	scan := func(want int, action string) {
		t.Helper()
		var res map[string]any
		status, err := env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res)
		must(t, err)
		if status != want || res["action"] != action {
			t.Fatalf("scan at +%s: %d %v, want %d %s", time.Duration(clock.offset.Load()), status, res, want, action)
		}
	}
	scan(202, "made")
	clock.advance(2 * time.Second)
	scan(200, "duplicate_read")
	clock.advance(2 * time.Second) // 4 s after the read that counted, 2 s after the duplicate
	scan(202, "completed")
	wantOps(t, env, o.Code, "3", "31", "5")
}

// The first scan of a delivery order says the food waits for its courier
// and the order shows as 待配送; the second scan asks for the courier.
func TestFirstScanOfDeliveryWaitsForTheCourier(t *testing.T) {
	env := start(t, harness.Options{ExtraYAML: "scanner:\n  double_scan_window: 1ms\n"})
	o := teaOrder(env, fake.OrderSpec{Type: order.TypeDelivery})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	var res map[string]any
	status, err := env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res)
	must(t, err)
	if msg, _ := res["message"].(string); status != 202 || res["action"] != "made" || !strings.Contains(msg, "制作完成，等待配送") ||
		strings.Contains(msg, "取餐") {
		t.Fatalf("first scan of a delivery order: %d %v", status, res)
	}
	var view struct {
		Status      string `json:"status"`
		StatusLabel string `json:"status_label"`
	}
	if status, _ := env.API("GET", "/api/orders/"+o.Code, nil, &view); status != 200 || view.Status != "made" || view.StatusLabel != "待配送" {
		t.Fatalf("made delivery order: %d %+v, want made / 待配送", status, view)
	}
	time.Sleep(5 * time.Millisecond) // past the 1 ms double-read window
	res = nil
	status, _ = env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res)
	if status != 409 || !strings.Contains(res["error"].(string), "骑手") {
		t.Fatalf("second scan of a made delivery order: %d %v", status, res)
	}
}
