package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// `posbridge run` without a config starts a simulated WeChat Pay beside
// the simulated 开个店: the sandbox guests' scan-to-order orders are
// reported to it, signed and verified, and the console shows them synced.
func TestTheSandboxSyncsItsScanToOrderOrdersToASimulatedWeChatPay(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Sandbox()
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.Console.Listen, cfg.Push.Listen, cfg.Ordering.Listen = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	for i := range cfg.Ordering.Restaurants {
		cfg.Ordering.Restaurants[i].MenuFile = filepath.Join(dir, cfg.Ordering.Restaurants[i].MenuFile)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan *Daemon, 1)
	done := make(chan error, 1)
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("POSBRIDGE_TEST_LOG") == "1" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	go func() { done <- Run(ctx, cfg, log, Options{Ready: func(d *Daemon) { ready <- d }}) }()
	var d *Daemon
	select {
	case d = <-ready:
	case err := <-done:
		t.Fatalf("the sandbox did not start: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the sandbox did not start within 30 s")
	}
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		recs, _, err := d.DB.ListOrders(ctx, store.OrderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.Source != order.SourceOrdering {
				continue
			}
			s, err := d.DB.WeChatPaySync(ctx, r.Code, "CREATE_DEAL")
			if err == nil && s.State == store.WeChatPaySyncDone {
				res, err := http.Get("http://" + d.ConsoleAddr + "/api/orders/" + r.Code + "/wechatpay")
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var view struct {
					Enabled bool `json:"enabled"`
					Syncs   []struct {
						State      string `json:"state"`
						StateLabel string `json:"state_label"`
					} `json:"syncs"`
				}
				if err := json.NewDecoder(res.Body).Decode(&view); err != nil || !view.Enabled || len(view.Syncs) == 0 ||
					view.Syncs[0].State != "done" || view.Syncs[0].StateLabel != "已同步" {
					t.Fatalf("the console shows %d %+v (%v)", res.StatusCode, view, err)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no sandbox scan-to-order order was synced within 60 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
