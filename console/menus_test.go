package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/console"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/service"
	"github.com/posbridge/posbridge/store"
)

// The 菜单 view's API: a price, 沽清 and back, a new table, a raised QR
// version — each checked, written to the menu file with its comments kept,
// loaded at once by the channel and audited; a bad value changes nothing.
func TestMenuDeskEditsTheFile(t *testing.T) {
	dir := t.TempDir()
	menuFile := filepath.Join(dir, "menu-1862.yaml")
	if err := os.WriteFile(menuFile, menu.Example(), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.File, cfg.DataDir = filepath.Join(dir, "posbridge.yaml"), dir
	cfg.Stores = []config.StoreConfig{{ID: "1862", Name: "南翔一店"}}
	cfg.Ordering.PublicURL = "https://order.example.com"
	cfg.Ordering.Restaurants = []config.RestaurantConfig{{ID: 1, StoreID: "1862", MenuFile: menuFile}}
	db, err := store.Open(context.Background(), filepath.Join(dir, "posbridge.db"), store.Options{SkipIntegrity: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ch, err := service.Open(t.Context(), service.Options{Config: cfg, DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	srv := &console.Server{Config: cfg, Menus: ch}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	post := func(path, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", hs.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Staff-Name", "%E5%B0%8F%E7%8E%8B") // 小王
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var v map[string]any
		json.NewDecoder(res.Body).Decode(&v)
		return res.StatusCode, v
	}
	if code, v := post("/api/menus/1/products/101/price", `{"pu": 1, "price": "15.50"}`); code != 200 {
		t.Fatalf("price: %d %v", code, v)
	}
	if code, v := post("/api/menus/1/products/101/price", `{"pu": 1, "price": "15.505"}`); code != 400 {
		t.Fatalf("three decimals: %d %v", code, v)
	}
	if code, v := post("/api/menus/1/products/104/sold-out", `{"sold_out": true}`); code != 200 {
		t.Fatalf("sold out: %d %v", code, v)
	}
	if code, v := post("/api/menus/1/condiments/201/sold-out", `{"sold_out": true}`); code != 200 {
		t.Fatalf("condiment: %d %v", code, v)
	}
	if code, v := post("/api/menus/1/tables", `{"table_id": 9, "table_name": "C9", "seat_num": 2}`); code != 200 {
		t.Fatalf("add table: %d %v", code, v)
	}
	if code, _ := post("/api/menus/1/tables", `{"table_id": 9, "table_name": "C9", "seat_num": 2}`); code != 400 {
		t.Fatalf("the same table twice: %d", code)
	}
	if code, v := post("/api/menus/1/tables/1/raise-qr", `{}`); code != 200 {
		t.Fatalf("raise: %d %v", code, v)
	}
	m, _, _ := ch.Menu(1)
	p, _ := m.Product(101)
	if sp, _ := p.Spec(1); sp.Price != 1550 {
		t.Errorf("the channel did not load the new price: %d", sp.Price)
	}
	if p4, _ := m.Product(104); !m.SoldOut(p4) {
		t.Error("杨枝甘露 not sold out")
	}
	if tb, ok := m.Table(1); !ok || tb.QRCodeVersion != 2 {
		t.Errorf("table 1 version %v", tb)
	}
	if _, ok := m.Table(9); !ok {
		t.Error("table 9 not added")
	}
	data, _ := os.ReadFile(menuFile)
	if !strings.Contains(string(data), "# 桌台：table_id 与收银系统一致") || !strings.Contains(string(data), "15.50") {
		t.Errorf("the file lost its comments or the price:\n%s", data)
	}
	audit, _ := db.AuditLog(t.Context(), 20)
	if len(audit) != 5 || audit[0].Actor != "staff:小王" || !strings.Contains(audit[0].Detail, "二维码版本 1 → 2") {
		t.Fatalf("audit: %+v", audit)
	}
	res, err := http.Get(hs.URL + "/api/menus/1/tables/1/sticker.png")
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("sticker: %v %v", err, res)
	}
	res.Body.Close()
	res, _ = http.Get(hs.URL + "/api/menus")
	var list struct {
		Restaurants []struct {
			Tables []struct {
				ID  int64  `json:"table_id"`
				URL string `json:"url"`
			} `json:"tables"`
		} `json:"restaurants"`
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if len(list.Restaurants) != 1 || !strings.Contains(list.Restaurants[0].Tables[0].URL, "ver=2") {
		t.Fatalf("list: %+v", list)
	}
}
