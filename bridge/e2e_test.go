package bridge_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// start runs a daemon against the fake platform and fake printers.
func start(t *testing.T, opts harness.Options) *harness.Env {
	t.Helper()
	env, err := harness.Start(context.Background(), t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return env
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantOps(t *testing.T, env *harness.Env, code string, want ...string) {
	t.Helper()
	var got []string
	if !harness.WaitFor(15*time.Second, func() bool { got = env.OpsOf(code); return slices.Equal(got, want) }) {
		t.Fatalf("platform operations on %s: %v, want %v", code, got, want)
	}
}

// teaOrder is a pickup order of two drinks (labels) and a snack (kitchen).
func teaOrder(env *harness.Env, spec fake.OrderSpec) order.Order {
	if spec.Type == 0 {
		spec.Type = order.TypePickup
	}
	if spec.Items == nil {
		spec.Items = []order.Item{
			{Seq: 1, ProductID: "p1", Name: "珍珠奶茶", Price: 1500, Quantity: 2, Spec: "大杯", Property: "三分糖"},
			{Seq: 2, ProductID: "p2", Name: "鸡米花", Price: 1200, Quantity: 1},
		}
	}
	if spec.Note == "" {
		spec.Note = "少冰，谢谢🌶"
	}
	return env.Fake.NewOrder(spec)
}

// Seed 000, flows 1, 4 and 5: a new order is accepted automatically, its
// receipt, kitchen ticket and cup labels print, the first scan marks it made
// (31), a repeated read within the window does nothing, and the second scan
// completes it (5).
func TestNewOrderAutoAcceptPrintScanMadeScanCompleted(t *testing.T) {
	env := start(t, harness.Options{ExtraYAML: "scanner:\n  double_scan_window: 300ms\n"})
	o := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformAccepted, 5*time.Second))
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))

	if n := env.CountPrinted("front", o.PickupNo, "珍珠奶茶", "￥"); n != 1 {
		t.Fatalf("receipt printed %d times:\n%s", n, strings.Join(env.Printed("front"), "\n----\n"))
	}
	if n := env.CountPrinted("kitchen", "鸡米花"); n != 1 {
		t.Fatalf("kitchen ticket printed %d times:\n%s", n, strings.Join(env.Printed("kitchen"), "\n----\n"))
	}
	if text := strings.Join(env.Printed("kitchen"), ""); strings.Contains(text, "￥") {
		t.Fatalf("kitchen ticket shows prices:\n%s", text)
	}
	labels := strings.Join(env.Printed("label"), "")
	if !strings.Contains(labels, "1/2") || !strings.Contains(labels, "2/2") {
		t.Fatalf("two cups need labels 1/2 and 2/2:\n%s", labels)
	}

	var res map[string]any
	status, err := env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res)
	must(t, err)
	if status != 202 || res["action"] != "made" || res["status"] != "made" {
		t.Fatalf("first scan: %d %v", status, res)
	}
	status, _ = env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res)
	if status != 200 || res["action"] != "duplicate_read" {
		t.Fatalf("repeated read: %d %v", status, res)
	}
	time.Sleep(350 * time.Millisecond)
	status, _ = env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res)
	if status != 202 || res["action"] != "completed" {
		t.Fatalf("second scan: %d %v", status, res)
	}
	time.Sleep(350 * time.Millisecond)
	status, _ = env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res)
	if status != 409 || !strings.Contains(fmt.Sprint(res["error"]), "订单已完成") {
		t.Fatalf("scan of a completed order: %d %v", status, res)
	}
	status, _ = env.API("POST", "/api/scan", map[string]string{"code": "99999"}, &res)
	if status != 404 {
		t.Fatalf("unknown code: %d %v", status, res)
	}
	wantOps(t, env, o.Code, "3", "31", "5")
	must(t, env.WaitPlatform(o.Code, kaigedian.PlatformCompleted, 5*time.Second))

	var view struct {
		Status  string `json:"status"`
		History []struct {
			To     string `json:"to"`
			Actor  string `json:"actor"`
			Reason string `json:"reason"`
		} `json:"history"`
		Printed []struct {
			Doc   string `json:"doc"`
			State string `json:"state"`
		} `json:"printed"`
	}
	status, err = env.API("GET", "/api/orders/"+o.Code, nil, &view)
	must(t, err)
	if status != 200 || view.Status != "completed" || len(view.Printed) != 3 {
		t.Fatalf("order view: %d %+v", status, view)
	}
	var actors []string
	for _, h := range view.History {
		actors = append(actors, h.Actor)
	}
	if !slices.Contains(actors, "auto") || !slices.Contains(actors, "scanner") {
		t.Fatalf("history lacks the automatic accept or the scans: %+v", view.History)
	}
}

// Delivery orders: the first scan marks them made; the second scan is refused
// because a courier must be named; the console sends 4 with courier details.
func TestDeliveryOrderNeedsCourier(t *testing.T) {
	env := start(t, harness.Options{ExtraYAML: "scanner:\n  double_scan_window: 100ms\n"})
	o := teaOrder(env, fake.OrderSpec{Type: order.TypeDelivery})
	_, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	var res map[string]any
	if s, _ := env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res); s != 202 {
		t.Fatalf("first scan: %d %v", s, res)
	}
	time.Sleep(150 * time.Millisecond)
	if s, _ := env.API("POST", "/api/scan", map[string]string{"code": o.Code}, &res); s != 409 || res["status"] != "made" {
		t.Fatalf("second scan of a delivery order: %d %v", s, res)
	}
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/deliver", map[string]string{"contacts_name": "王师傅"}, &res); s != 400 {
		t.Fatalf("deliver without a phone: %d %v", s, res)
	}
	if s, _ := env.API("POST", "/api/orders/"+o.Code+"/deliver", map[string]string{"contacts_name": "王师傅", "mobile": "13900001111"}, &res); s != 202 {
		t.Fatalf("deliver: %d %v", s, res)
	}
	wantOps(t, env, o.Code, "3", "31", "4")
	snap, _ := env.Fake.Order(o.Code)
	last := snap.Operations[len(snap.Operations)-1]
	if last.Delivery == nil || last.Delivery.ContactsName != "王师傅" || last.Delivery.Mobile != "13900001111" {
		t.Fatalf("deliveryInfo not sent: %+v", last.Delivery)
	}
}
