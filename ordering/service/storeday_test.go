package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/service"
	"github.com/posbridge/posbridge/store"
)

// testClock is a settable clock: tests never read the wall clock's minute.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// phoneRig is the channel as the daemon opens it, from a config whose
// store 7001 is in New York and starts its day at 06:00: restaurant 1 has
// the example menu (10:00–22:00 on weekdays), restaurant 2 the sandbox's,
// open all day.
type phoneRig struct {
	t     *testing.T
	ch    *service.Channel
	db    *store.DB
	http  *httptest.Server
	clock *testClock
	keys  int
}

func newPhoneRig(t *testing.T, stores []config.StoreConfig) *phoneRig {
	t.Helper()
	dir := t.TempDir()
	example, sandbox := filepath.Join(dir, "menu-1.yaml"), filepath.Join(dir, "menu-2.yaml")
	if err := os.WriteFile(example, menu.Example(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sandbox, service.SandboxMenu(), 0o600); err != nil {
		t.Fatal(err)
	}
	clk := &testClock{}
	db, err := store.Open(context.Background(), filepath.Join(dir, "posbridge.db"), store.Options{SkipIntegrity: true, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := &config.Config{DataDir: dir, Stores: stores}
	cfg.Ordering.Listen = "127.0.0.1:0"
	cfg.Ordering.Restaurants = []config.RestaurantConfig{{ID: 1, StoreID: "7001", MenuFile: example}, {ID: 2, StoreID: "7001", MenuFile: sandbox}}
	ch, err := service.Open(t.Context(), service.Options{Config: cfg, DB: db, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ch.Close)
	hs := httptest.NewServer(ch.API)
	t.Cleanup(hs.Close)
	return &phoneRig{t: t, ch: ch, db: db, http: hs, clock: clk}
}

func (r *phoneRig) get(path string) (int, map[string]any) {
	r.t.Helper()
	res, err := http.Get(r.http.URL + path)
	if err != nil {
		r.t.Fatal(err)
	}
	return decode(r.t, res)
}

// order places a dine-in order at table 1 of restaurant rid: a large milk
// tea with pearls ×2 and an egg tart, ￥40.
func (r *phoneRig) order(rid int) (int, map[string]any) {
	r.t.Helper()
	r.keys++
	body := fmt.Sprintf(`{"restaurant": %d, "table_id": 1, "eat_type": 0, "paid_type": 1, "customer_count": 2, "ver": 1, "ignore_extra_price": true,
 "products": [
  {"product": 101, "item_id": 101, "pu": 1, "unit": "大杯", "qty": 2, "price": 17, "total_price": 34,
   "condiments": [{"product": 201, "price": 2, "item_name": "加珍珠"}]},
  {"product": 105, "item_id": 105, "pu": 0, "unit": "个", "qty": 1, "price": 6, "total_price": 6}],
 "total_price": 40, "total_box_fee": 0, "total_fee": 40, "discounts": [], "services": []}`, rid)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/frontend/orders?res_id=%d", r.http.URL, rid), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", fmt.Sprintf("storeday-test-%04d", r.keys))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	return decode(r.t, res)
}

func decode(t *testing.T, res *http.Response) (int, map[string]any) {
	t.Helper()
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: not JSON: %s", res.Request.URL, raw)
	}
	return res.StatusCode, out
}

func newYork(t *testing.T) *time.Location {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return ny
}

var newYorkStore = []config.StoreConfig{{ID: "7001", Name: "纽约店", Timezone: "America/New_York", DayStart: "06:00"}}

// The restaurant info's today, weekday, tz_* and start_time are its store's:
// at 05:30 on a Wednesday in New York the business day is still Tuesday.
func TestRestaurantInfoInTheStoresZone(t *testing.T) {
	r := newPhoneRig(t, newYorkStore)
	ny := newYork(t)
	r.clock.set(time.Date(2026, 12, 2, 5, 30, 0, 0, ny)) // Wednesday; 18:30 in Shanghai
	status, info := r.get("/api/v1/frontend/restaurants/1?table_id=1")
	if status != 200 {
		t.Fatalf("info: %d %v", status, info)
	}
	want := map[string]any{"today": "2026-12-01", "weekday": 2.0, "tz_offset": -300.0, "tz_string": "-05:00", "start_time": "06:00:00"}
	for k, v := range want {
		if info[k] != v {
			t.Errorf("%s = %v, want %v", k, info[k], v)
		}
	}
	r.clock.set(time.Date(2026, 7, 1, 12, 0, 0, 0, ny)) // daylight saving time
	_, info = r.get("/api/v1/frontend/restaurants/1?table_id=1")
	if info["tz_offset"] != -240.0 || info["tz_string"] != "-04:00" || info["today"] != "2026-07-01" || info["weekday"] != 3.0 {
		t.Errorf("summer: tz %v %v today %v weekday %v", info["tz_offset"], info["tz_string"], info["today"], info["weekday"])
	}
}

// The open check is in the store's zone: 23:00 in New York is after the
// example menu's 22:00 (though noon the next day in Shanghai, when it is
// open), and noon there is inside.
func TestOpenCheckInTheStoresZone(t *testing.T) {
	r := newPhoneRig(t, newYorkStore)
	ny := newYork(t)
	r.clock.set(time.Date(2026, 12, 2, 23, 0, 0, 0, ny))
	status, body := r.order(1)
	if status != 400 || !strings.Contains(fmt.Sprint(body["non_field_errors"]), "不在营业时间") {
		t.Fatalf("23:00 in New York: %d %v, want 400 不在营业时间", status, body)
	}
	r.clock.set(time.Date(2026, 12, 2, 12, 0, 0, 0, ny))
	if status, body := r.order(1); status != 200 {
		t.Fatalf("noon in New York: %d %v", status, body)
	}
}

// Take codes start again at the store's day start: 05:59 and 06:00 in New
// York are two business days (in Shanghai both are the same evening).
func TestTakeCodesFollowTheStoresDay(t *testing.T) {
	r := newPhoneRig(t, newYorkStore)
	ny := newYork(t)
	var codes []string
	for _, at := range []time.Time{
		time.Date(2026, 12, 2, 5, 58, 0, 0, ny), time.Date(2026, 12, 2, 5, 59, 0, 0, ny),
		time.Date(2026, 12, 2, 6, 0, 0, 0, ny), time.Date(2026, 12, 2, 6, 1, 0, 0, ny),
	} {
		r.clock.set(at)
		status, body := r.order(2)
		if status != 200 {
			t.Fatalf("order at %s: %d %v", at, status, body)
		}
		codes = append(codes, fmt.Sprint(body["take_code"]))
	}
	if want := "5001 5002 5001 5002"; strings.Join(codes, " ") != want {
		t.Fatalf("take codes %v, want %s", codes, want)
	}
	o, err := r.db.OrderingOrdersByTakeCode(t.Context(), "2026-12-02", "5001")
	if err != nil || len(o) != 1 || o[0].BusinessDay != "2026-12-02" {
		t.Fatalf("the 06:00 order's business day: %v %+v", err, o)
	}
}

// Without a timezone or day_start the store's day is Asia/Shanghai from
// 04:00, as before.
func TestDefaultStoreDay(t *testing.T) {
	r := newPhoneRig(t, []config.StoreConfig{{ID: "7001", Name: "南翔一店"}})
	sh, _ := time.LoadLocation("Asia/Shanghai")
	r.clock.set(time.Date(2026, 12, 2, 3, 59, 0, 0, sh))
	_, info := r.get("/api/v1/frontend/restaurants/1?table_id=1")
	if info["today"] != "2026-12-01" || info["tz_offset"] != 480.0 || info["start_time"] != "04:00:00" {
		t.Fatalf("default day: today %v tz %v start %v", info["today"], info["tz_offset"], info["start_time"])
	}
}
