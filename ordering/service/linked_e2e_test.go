package service_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/ordering/service"
)

// orderingDaemon is the real daemon (in-process) with the fake 开个店, the
// fake printers and scan-to-order on store 1862 with the sandbox menu (open
// all day; 珍珠奶茶 carries 开个店 customer code NC001).
type orderingDaemon struct {
	t        *testing.T
	env      *harness.Env
	opts     harness.Options
	ordering string
	keys     int
}

func startOrderingDaemon(t *testing.T) *orderingDaemon {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "menu-1862.yaml"), service.SandboxMenu(), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	opts := harness.Options{ExtraYAML: "ordering:\n  listen: " + addr + "\n  restaurants:\n    - { id: 1, store_id: \"1862\", menu_file: menu-1862.yaml }\n"}
	env, err := harness.Start(t.Context(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	return &orderingDaemon{t: t, env: env, opts: opts, ordering: "http://" + addr + "/api/v1/frontend/"}
}

// staff calls the console API as staff do.
func (d *orderingDaemon) staff(path string, body map[string]any) {
	d.t.Helper()
	var out map[string]any
	status, err := d.env.API("POST", path, body, &out)
	if err != nil || status != http.StatusAccepted {
		d.t.Fatalf("POST %s: %d %v %v", path, status, err, out)
	}
}

func (d *orderingDaemon) get(path string) map[string]any {
	d.t.Helper()
	res, err := http.Get(d.ordering + path)
	if err != nil {
		d.t.Fatal(err)
	}
	status, body := decode(d.t, res)
	if status != 200 {
		d.t.Fatalf("GET %s: %d %v", path, status, body)
	}
	return body
}

// order places table 1's order of 珍珠奶茶 大杯 with pearls ×2 and an egg tart.
func (d *orderingDaemon) order() (int, map[string]any) {
	d.t.Helper()
	d.keys++
	body := `{"restaurant": 1, "table_id": 1, "eat_type": 0, "paid_type": 1, "customer_count": 2, "ver": 1, "ignore_extra_price": true,
 "products": [
  {"product": 101, "item_id": 101, "pu": 1, "unit": "大杯", "qty": 2, "price": 17, "total_price": 34,
   "condiments": [{"product": 201, "price": 2, "item_name": "加珍珠"}]},
  {"product": 105, "item_id": 105, "pu": 0, "unit": "个", "qty": 1, "price": 6, "total_price": 6}],
 "total_price": 40, "total_box_fee": 0, "total_fee": 40, "discounts": [], "services": []}`
	req, _ := http.NewRequest("POST", d.ordering+"orders?res_id=1", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", fmt.Sprintf("linked-e2e-%04d", d.keys))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	return decode(d.t, res)
}

// soldOut is 珍珠奶茶's sold_out on the phones' product list.
func (d *orderingDaemon) soldOut() bool {
	d.t.Helper()
	list := d.get("products/simple?res_id=1&table_id=1&page_size=1000")
	for _, p := range list["results"].([]any) {
		if p := p.(map[string]any); p["id"] == 101.0 {
			return p["sold_out"] == true
		}
	}
	d.t.Fatal("product 101 is not on the list")
	return false
}

// 沽清 of a 开个店 item in the console sells out the scan-to-order product
// with the same customer code, and 取消沽清 brings it back.
func TestSoldOutOnKaigedianSellsOutTheLinkedProduct(t *testing.T) {
	d := startOrderingDaemon(t)
	if d.soldOut() {
		t.Fatal("珍珠奶茶 is sold out before any 沽清")
	}
	d.staff("/api/goods/sold-out", map[string]any{"codes": []string{"NC001", "X999"}})
	if !d.soldOut() {
		t.Fatal("沽清 of NC001 did not sell out 珍珠奶茶 on the scan-to-order menu")
	}
	status, body := d.order()
	if status != 400 || !strings.Contains(fmt.Sprint(body["non_field_errors"]), "珍珠奶茶」已售罄") {
		t.Fatalf("an order of the sold-out product: %d %v", status, body)
	}
	d.staff("/api/goods/back", map[string]any{"codes": []string{"NC001"}})
	if d.soldOut() {
		t.Fatal("取消沽清 of NC001 did not bring 珍珠奶茶 back")
	}
	if status, body := d.order(); status != 200 {
		t.Fatalf("an order after 取消沽清: %d %v", status, body)
	}
	// the menu file holds the change (a restart reads it) and the audit log names it
	menuFile, err := os.ReadFile(filepath.Join(d.env.Dir, "menu-1862.yaml"))
	if err != nil || !strings.Contains(string(menuFile), "sold_out: false") {
		t.Fatalf("menu file after 取消沽清: %v\n%s", err, menuFile)
	}
}

// 置休 pauses scan-to-order for the store: the phone reads why, creating an
// order is refused with that sentence, across a restart; reopening takes
// orders again.
func TestRestPausesScanToOrder(t *testing.T) {
	d := startOrderingDaemon(t)
	if status, body := d.order(); status != 200 {
		t.Fatalf("an order before 置休: %d %v", status, body)
	}
	d.staff("/api/store/status", map[string]any{"event": "rest"})
	const notice = "门店置休，暂停接单"
	if info := d.get("restaurants/1?table_id=1"); info["pause_notice"] != notice {
		t.Fatalf("restaurant info while resting: pause_notice %v", info["pause_notice"])
	}
	status, body := d.order()
	if status != 400 || fmt.Sprint(body["non_field_errors"]) != "["+notice+"]" {
		t.Fatalf("an order while resting: %d %v", status, body)
	}

	if err := d.env.StopDaemon(); err != nil {
		t.Fatal(err)
	}
	if err := d.env.Run(t.Context(), d.opts); err != nil {
		t.Fatal(err)
	}
	if status, body := d.order(); status != 400 || !strings.Contains(fmt.Sprint(body["non_field_errors"]), notice) {
		t.Fatalf("an order while resting, after a restart: %d %v", status, body)
	}

	d.staff("/api/store/status", map[string]any{"event": "reopen"})
	if info := d.get("restaurants/1?table_id=1"); info["pause_notice"] != nil {
		t.Fatalf("restaurant info after reopening: pause_notice %v", info["pause_notice"])
	}
	if status, body := d.order(); status != 200 {
		t.Fatalf("an order after reopening: %d %v", status, body)
	}
}
