package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// The store-side commands talk to the running daemon: scan, reprint, test
// print, printers list and offline orders.
func TestCommandsAgainstARunningDaemon(t *testing.T) {
	dir := t.TempDir()
	env, err := harness.Start(context.Background(), dir, harness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	cfg := []string{"--config", env.ConfigFile}
	o := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if code := dispatch(append([]string{"scan", o.Code}, cfg...)); code != 0 {
		t.Fatalf("scan exit %d", code)
	}
	if _, err := env.WaitStatus(o.Code, order.StatusMade, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if code := dispatch(append([]string{"scan", "no-such-order"}, cfg...)); code != 1 {
		t.Fatalf("scan of an unknown code: exit %d", code)
	}
	if code := dispatch(append([]string{"orders", "reprint", o.Code, "--doc", "receipt"}, cfg...)); code != 0 {
		t.Fatalf("reprint exit %d", code)
	}
	jobs, _ := env.Daemon.DB.ListPrintJobs(context.Background(), store.PrintJobFilter{OrderCode: o.Code, Docs: []string{"receipt"}})
	reprints := 0
	for _, j := range jobs {
		if j.Reprint {
			reprints++
		}
	}
	if reprints != 1 {
		t.Fatalf("reprint jobs: %d", reprints)
	}
	if code := dispatch(append([]string{"orders", "show", o.Code}, cfg...)); code != 0 {
		t.Fatalf("orders show exit %d", code)
	}
	if code := dispatch(append([]string{"print", "test", "front"}, cfg...)); code != 0 {
		t.Fatalf("print test exit %d", code)
	}
	if !harness.WaitFor(5*time.Second, func() bool {
		js, _ := env.Daemon.DB.ListPrintJobs(context.Background(), store.PrintJobFilter{Printer: "front", Docs: []string{"test"}, States: []string{store.JobDone}})
		return len(js) == 1
	}) {
		t.Fatal("test page not printed")
	}
	if code := dispatch(append([]string{"printers", "list"}, cfg...)); code != 0 {
		t.Fatalf("printers list exit %d", code)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"storeId":"1862"}`), 0o600)
	if code := dispatch(append([]string{"submit", bad}, cfg...)); code != 1 {
		t.Fatalf("submit of an incomplete order: exit %d", code)
	}
}

// A console that wants a token gets console.api_token from the CLI, and a
// CLI holding another token is refused with a clear error, not a crash.
func TestCommandsSendTheAPIToken(t *testing.T) {
	dir := t.TempDir()
	const token = "0123456789abcdef0123"
	env, err := harness.Start(context.Background(), dir, harness.Options{Console: "api_token: " + token})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	o := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(env.ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(dir, "wrong-token.yaml")
	if err := os.WriteFile(wrong, bytes.Replace(raw, []byte(token), []byte("ffffffffffffffffffff"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(wrong, config.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = newDaemonClient(cfg).call("GET", "/api/orders/"+o.Code, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "refused console.api_token") {
		t.Fatalf("a wrong token: %v", err)
	}
	if code := dispatch([]string{"scan", o.Code, "--config", wrong}); code == 0 {
		t.Fatal("scan with a wrong token succeeded")
	}
	if code := dispatch([]string{"scan", o.Code, "--config", env.ConfigFile}); code != 0 {
		t.Fatalf("scan with the token: exit %d", code)
	}
	if _, err := env.WaitStatus(o.Code, order.StatusMade, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

// Without a daemon, printers list asks the printers directly, and the other
// commands say how to start posbridge.
func TestCommandsWithoutDaemon(t *testing.T) {
	env, err := harness.Prepare(t.TempDir(), harness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	cfg := []string{"--config", env.ConfigFile}
	if code := dispatch(append([]string{"printers", "list"}, cfg...)); code != 0 {
		t.Fatalf("printers list without daemon: exit %d", code)
	}
	env.Printers["kitchen"].Down()
	if code := dispatch(append([]string{"printers", "list"}, cfg...)); code != 1 {
		t.Fatalf("printers list with a dead printer: exit %d", code)
	}
	if code := dispatch(append([]string{"scan", "123"}, cfg...)); code != 1 {
		t.Fatalf("scan without daemon: exit %d", code)
	}
}
