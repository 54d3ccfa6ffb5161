package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// withOrders writes n orders into the setup's database (enough pages to
// damage the middle of the file).
func (s storeSetup) withOrders(t *testing.T, n int) {
	t.Helper()
	db, err := store.Open(context.Background(), s.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	note := strings.Repeat("少冰，谢谢", 60)
	if err := db.Write(context.Background(), func(tx *store.Tx) error {
		for i := range n {
			code := fmt.Sprintf("1796%016d", i)
			if err := tx.SaveOrder(&store.OrderRecord{Code: code, Status: order.StatusCompleted, StoreID: "1862",
				Detail: &order.Order{Code: code, Note: note}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func damageFile(t *testing.T, path string) {
	t.Helper()
	if err := harness.DamageFile(path, 16<<10); err != nil {
		t.Fatal(err)
	}
}

func loadSetup(t *testing.T, s storeSetup) *config.Config {
	t.Helper()
	cfg, err := loadConfig(s.config, config.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Issue 13 item 15: a damaged database stops the daemon at start, and its
// refusal says what doctor would: restore the newest backup.
func TestDamagedDatabaseRefusesToStartWithTheFix(t *testing.T) {
	s := newStoreSetup(t)
	s.withOrders(t, 400)
	damageFile(t, s.dbPath)
	exe := installCopy(t, filepath.Join(s.dir, "bin"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := posbridgeCommand(exe, s.dir, "run", "--config", s.config)
	cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	cmd.Dir, cmd.Env = s.dir, append(os.Environ(), helperEnv+"=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("posbridge run started on a damaged database:\n%s", errOut.String())
	}
	if err == nil || !strings.Contains(errOut.String(), "is damaged") || !strings.Contains(errOut.String(), "FIX:") ||
		!strings.Contains(errOut.String(), "posbridge restore") {
		t.Fatalf("refusal without the fix (%v):\n%s", err, errOut.String())
	}
}

// Nightly backups are written, checked and rotated; `posbridge restore`
// puts the newest in place of a damaged database, keeping the damaged file
// and its -wal beside it, and refuses while the daemon runs.
func TestBackupsRotateAndRestoreReplacesADamagedDatabase(t *testing.T) {
	s := newStoreSetup(t)
	s.withOrders(t, 300)
	cfg := loadSetup(t, s)
	if want := filepath.Join(cfg.DataDir, "backups"); cfg.BackupDir() != want || cfg.Backup.Keep != 7 {
		t.Fatalf("backup defaults: %s keep %d", cfg.BackupDir(), cfg.Backup.Keep)
	}
	db, err := store.Open(context.Background(), s.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 11, 20, 3, 30, 0, 0, time.UTC)
	ab := newAutoBackup(db, cfg, slog.New(slog.DiscardHandler))
	ab.keep, ab.now = 2, func() time.Time { return clock }
	var made []string
	for range 3 {
		p, err := ab.once(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
		clock = clock.Add(24 * time.Hour)
	}
	copies, _ := listBackups(cfg.BackupDir())
	if len(copies) != 2 || copies[0] != made[2] || copies[1] != made[1] {
		t.Fatalf("rotation kept %v of %v", copies, made)
	}
	if n := ab.untilNext(); n <= 0 || n > 24*time.Hour {
		t.Fatalf("next backup in %s", n)
	}

	// While the daemon runs, nothing is replaced.
	release, err := lockDataDir(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := restoreDatabase(context.Background(), cfg, "", clock); err == nil || !strings.Contains(err.Error(), "stop it first") {
		t.Fatalf("restore while running: %v", err)
	}
	release()
	db.Close()

	damageFile(t, s.dbPath)
	mustWrite(t, s.dbPath+"-wal", "the damaged database's log")
	var out, errOut bytes.Buffer
	if code := restoreCmd(context.Background(), []string{"--config", s.config}, &out, &errOut); code != 0 {
		t.Fatalf("restore: exit %d %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), made[2]) {
		t.Fatalf("not the newest backup: %s", out.String())
	}
	if _, err := os.Stat(s.dbPath + "-wal"); !os.IsNotExist(err) {
		t.Fatal("the damaged database's -wal would be applied to the restored one")
	}
	kept, _ := filepath.Glob(s.dbPath + ".replaced-*")
	if len(kept) != 2 {
		t.Fatalf("the damaged files are not kept: %v", kept)
	}
	restored, err := store.Open(context.Background(), s.dbPath, store.Options{})
	if err != nil {
		t.Fatalf("the restored database: %v", err)
	}
	defer restored.Close()
	n, err := restored.CountOrders(context.Background(), "")
	if err != nil || n[string(order.StatusCompleted)] != 300 {
		t.Fatalf("restored orders: %v %v", n, err)
	}
}

// doctor checks the push landing too, and never tells the operator to
// replace a database that only has a permission problem.
func TestDoctorChecksTheLandingAndTellsPermissionsFromDamage(t *testing.T) {
	s := newStoreSetup(t)
	db, err := store.Open(context.Background(), s.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 300 {
		if _, err := db.AppendInbox(context.Background(), store.InboxItem{Kind: "order", OrderCode: "1", Body: bytes.Repeat([]byte("x"), 2000)}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	cfg := loadSetup(t, s)
	env := &doctorEnv{cfg: cfg, now: time.Now}
	if rows := checkLanding(context.Background(), env); rows[0].Status != statusOK {
		t.Fatalf("a healthy landing: %+v", rows)
	}
	damageFile(t, store.LandingPath(s.dbPath))
	rows := checkLanding(context.Background(), env)
	if rows[0].Status != statusFail || !strings.Contains(rows[0].Fix, "aside") {
		t.Fatalf("a damaged landing: %+v", rows)
	}
	if db := checkDatabase(context.Background(), env); db[0].Status != statusOK {
		t.Fatalf("the database itself is fine: %+v", db)
	}

	denied := &fs.PathError{Op: "open", Path: s.dbPath, Err: fs.ErrPermission}
	for _, err := range []error{denied, fmt.Errorf("open database: %w", store.ErrAccess)} {
		if fix := databaseFix(cfg, err); strings.Contains(fix, "restore") || strings.Contains(fix, "backup") ||
			!(strings.Contains(fix, "chown") || strings.Contains(fix, "Modify rights")) {
			t.Fatalf("the fix of a permission problem: %q", fix)
		}
	}
	if fix := databaseFix(cfg, &store.CorruptError{Path: s.dbPath, Detail: "x"}); !strings.Contains(fix, "posbridge restore") {
		t.Fatalf("the fix of a damaged database: %q", fix)
	}
}

// Issue 13 items 4 and 6: doctor says what to set for a push listener open
// without authentication (an error, though the daemon starts), and warns of
// secrets every account can read.
func TestDoctorSaysWhatToSetForAnOpenPushListener(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "posbridge.yaml")
	mustWrite(t, path, "data_dir: ./data\n"+
		"console: { listen: 127.0.0.1:"+fmt.Sprint(freePort(t))+", api_token: tok-0123456789abcdef }\n"+
		"push: { listen: 0.0.0.0:"+fmt.Sprint(freePort(t))+" }\n"+
		"platform: { mode: sandbox }\n"+
		"stores: [ { id: \"1862\", name: 南翔一店 } ]\n")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path, config.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Check(); err != nil {
		t.Fatalf("the daemon must still start: %v", err)
	}
	rows := checkConfig(context.Background(), &doctorEnv{cfg: cfg, now: time.Now})
	var push, secret bool
	for _, r := range rows {
		if r.Status == statusFail && strings.Contains(r.Result, "push.listen") && strings.Contains(r.Result, "push.token") {
			push = true
		}
		if r.Status == statusWarn && strings.Contains(r.Result, "console.api_token") && strings.Contains(r.Result, "chmod 640") {
			secret = true
		}
	}
	if !push || !secret {
		t.Fatalf("doctor rows: %+v", rows)
	}
}
