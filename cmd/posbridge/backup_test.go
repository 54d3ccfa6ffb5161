package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/store"
)

// storeSetup is a config file whose data_dir holds a real database.
type storeSetup struct {
	dir, config, dbPath string
}

func newStoreSetup(t *testing.T) storeSetup {
	t.Helper()
	dir := t.TempDir()
	s := storeSetup{dir: dir, config: filepath.Join(dir, "posbridge.yaml"), dbPath: filepath.Join(dir, "data", databaseFileName)}
	mustWrite(t, s.config, daemonConfig(t, "./data"))
	return s
}

// openDaemonDB opens the database as the running daemon would.
func (s storeSetup) openDaemonDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), s.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func runBackup(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := backupCmd(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestBackupWhileDaemonRuns(t *testing.T) {
	s := newStoreSetup(t)
	db := s.openDaemonDB(t)
	ctx := context.Background()
	for i := range 50 {
		if _, err := db.AppendInbox(ctx, store.InboxItem{Kind: "order", OrderCode: "O" + string(rune('A'+i%26)), Body: []byte(`{"orderCode":"x"}`)}); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(s.dir, "backups", "copy.db")
	code, out, errOut := runBackup(dest, "--config", s.config)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "backup written to "+dest) {
		t.Errorf("output: %s", out)
	}
	// The daemon keeps writing after the copy.
	if _, err := db.AppendInbox(ctx, store.InboxItem{Kind: "order", OrderCode: "LATE", Body: []byte(`{}`)}); err != nil {
		t.Fatalf("daemon cannot write after backup: %v", err)
	}
	copyDB, err := store.Open(ctx, dest, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	stats, err := copyDB.InboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if total := stats["pending"]; total != 50 {
		t.Errorf("copy holds %v, want 50 pending inbox rows", stats)
	}

	// A second backup never overwrites the first.
	code, _, errOut = runBackup(dest, "--config", s.config)
	if code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("backup over an existing file: exit %d, %s", code, errOut)
	}
}

func TestBackupRefusesNewerDatabase(t *testing.T) {
	s := newStoreSetup(t)
	s.openDaemonDB(t).Close()
	raw, err := sql.Open("sqlite3", s.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 9999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	code, _, errOut := runBackup(filepath.Join(s.dir, "copy.db"), "--config", s.config)
	if code == 0 {
		t.Fatal("backup of a newer database succeeded")
	}
	for _, want := range []string{"schema version 9999", "newer posbridge", "install that version again"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("message lacks %q: %s", want, errOut)
		}
	}
}

func TestBackupWithoutDatabaseSaysWhy(t *testing.T) {
	s := newStoreSetup(t)
	code, _, errOut := runBackup(filepath.Join(s.dir, "copy.db"), "--config", s.config)
	if code == 0 || !strings.Contains(errOut, "has not run with data_dir") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(s.dbPath); !os.IsNotExist(err) {
		t.Error("backup created an empty database")
	}
}

func TestBackupUsage(t *testing.T) {
	if code, _, errOut := runBackup(); code != 2 || !strings.Contains(errOut, "give the backup FILE") {
		t.Errorf("no FILE: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runBackup("x.db", "--config", filepath.Join(t.TempDir(), "none.yaml")); code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Errorf("missing config: exit %d, %s", code, errOut)
	}
}
