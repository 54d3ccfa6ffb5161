package wechatsync_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/app"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay/fake"
)

// killChildEnv names the config file the child daemon runs.
const killChildEnv = "POSBRIDGE_WECHATSYNC_KILL_CHILD_CONFIG"

// The daemon is killed with SIGKILL while its sync of a new order hangs at
// WeChat Pay: after a restart the sync goes out again with the same bytes
// (stored before the first send), WeChat Pay accepts the order's
// CREATE_DEAL exactly once, and the console shows it synced.
func TestKillNineMidSyncSendsTheSameBodyAfterRestart(t *testing.T) {
	if path := os.Getenv(killChildEnv); path != "" {
		runChildDaemon(path)
		return
	}
	dir := t.TempDir()
	w := newPayWorld(t, dir)
	env, err := harness.Prepare(dir, harness.Options{ExtraYAML: w.yaml})
	must(t, err)
	t.Cleanup(env.Close)

	// The order and its customer are in the database before the daemon
	// starts, as a phone's create would have left them.
	db, err := store.Open(context.Background(), filepath.Join(env.Config.DataDir, "posbridge.db"), store.Options{})
	must(t, err)
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000009", "page-token-9")
	code := placeOrder(t, db, cust, orders.Awaiting, nil)
	must(t, db.Close())

	w.fake.SetFault(fake.Fault{Kind: fake.FaultHang, Path: fake.SyncPath, Times: 1})
	first := startChild(t, env.ConfigFile)
	if !waitFor(30*time.Second, func() bool { b, _ := syncsOf(w.fake, code, "CREATE_DEAL"); return len(b) == 1 }) {
		_ = first.cmd.Process.Kill()
		t.Fatalf("the sync never reached WeChat Pay:\n%s", first.logs.String())
	}
	must(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.cmd.Wait()
	if _, accepted := syncsOf(w.fake, code, "CREATE_DEAL"); accepted != 0 {
		t.Fatalf("the hanging sync was accepted (%d)", accepted)
	}
	// The customer logs in again meanwhile (a new page token): the resend
	// is still the snapshot of the first queueing, not a body rebuilt now.
	db, err = store.Open(context.Background(), filepath.Join(env.Config.DataDir, "posbridge.db"), store.Options{})
	must(t, err)
	must(t, db.Write(context.Background(), func(tx *store.Tx) error {
		return tx.SaveCustomerIdentity(store.CustomerIdentity{CustomerID: cust, Provider: "wechat", AppID: subAppID,
			Subject: "1:oSubOpenid0000000000000009", AccessToken: "page-token-9-again", RefreshToken: "r"})
	}))
	must(t, db.Close())

	second := startChild(t, env.ConfigFile)
	defer stopChild(second)
	var view struct {
		Syncs []struct {
			State string `json:"state"`
		} `json:"syncs"`
	}
	if !waitFor(30*time.Second, func() bool {
		status, err := env.API("GET", "/api/orders/"+code+"/wechatpay", nil, &view)
		return err == nil && status == 200 && len(view.Syncs) == 1 && view.Syncs[0].State == "done"
	}) {
		t.Fatalf("after the restart the console shows %+v:\n%s", view, second.logs.String())
	}
	bodies, accepted := syncsOf(w.fake, code, "CREATE_DEAL")
	if accepted != 1 {
		t.Fatalf("WeChat Pay accepted the CREATE_DEAL %d times, want once", accepted)
	}
	if len(bodies) != 2 || bodies[0] != bodies[1] {
		t.Fatalf("sent %d bodies, want the same one twice:\n%v", len(bodies), bodies)
	}
}

type child struct {
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

func startChild(t *testing.T, cfgFile string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillNineMidSyncSendsTheSameBodyAfterRestart$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+cfgFile)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	must(t, cmd.Start())
	return &child{cmd: cmd, logs: &logs}
}

func stopChild(c *child) {
	_ = c.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// runChildDaemon runs the daemon on the config until interrupted (or
// killed).
func runChildDaemon(path string) {
	cfg, err := config.Load(config.LoadOptions{Path: path, Env: []string{}})
	if err != nil {
		slog.Error("config", "err", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := app.Run(ctx, cfg, log, app.Options{}); err != nil {
		log.Error("run", "err", err)
		os.Exit(1)
	}
}
