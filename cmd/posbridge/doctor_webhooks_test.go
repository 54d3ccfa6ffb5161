package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

func TestDoctorWebhooks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer up.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String() + "/gone"
	l.Close() // nothing listens there any more
	good, failing := up.URL+"/ok", up.URL+"/fails?token=abc"
	cfg := &config.Config{DataDir: dir, File: filepath.Join(dir, "posbridge.yaml"), Webhooks: []config.WebhookConfig{
		{URL: good, Secret: "0123456789abcdef"}, {URL: failing, Secret: "0123456789abcdef"}, {URL: down, Secret: "0123456789abcdef"}, {URL: ""}}}

	db, err := store.Open(ctx, databaseFile(cfg), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		for i, hook := range []string{good, failing, failing} {
			if _, err := tx.AddWebhookDelivery(store.WebhookDelivery{EventID: "e" + string(rune('0'+i)), Hook: hook, Event: "order.accepted", Body: []byte("{}")}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := db.ListWebhookDeliveries(ctx, "", 10)
	for _, d := range all {
		state, msg := store.WebhookDone, ""
		if d.Hook == failing {
			state, msg = store.WebhookFailed, "receiver answered 500: boom"
			if d.EventID == "e2" {
				state = store.WebhookPending
			}
		}
		if err := db.RecordWebhookAttempt(ctx, d.ID, state, time.Now().Add(time.Minute), msg); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	rows := checkWebhooks(ctx, &doctorEnv{cfg: cfg})
	if len(rows) != 3 {
		t.Fatalf("%d rows, want one per receiver that is on: %+v", len(rows), rows)
	}
	byCheck := map[string]checkRow{}
	for _, r := range rows {
		byCheck[r.Check] = r
	}
	expectRow(t, byCheck, "webhook "+good, statusOK, "1 event(s) delivered, none waiting", "")
	expectRow(t, byCheck, "webhook "+config.MaskURL(failing), statusFail, "1 event(s) were given up", "立即重发")
	expectRow(t, byCheck, "webhook "+down, statusFail, "cannot connect", "firewall")
	for _, r := range rows {
		if strings.Contains(r.Check+r.Result+r.Fix, "token=abc") {
			t.Fatalf("doctor shows a url's token: %+v", r)
		}
	}
	if r := checkWebhooks(ctx, &doctorEnv{cfg: &config.Config{DataDir: dir}}); len(r) != 1 || r[0].Status != statusSkip {
		t.Fatalf("no receivers: %+v", r)
	}
}
