package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/order"
)

// FillOrders writes n orders with a detail each, so that the file spans
// many pages (tests damage the middle of it).
func fillOrders(t *testing.T, db *DB, n int) {
	t.Helper()
	note := strings.Repeat("少冰，谢谢", 60)
	err := db.Write(context.Background(), func(tx *Tx) error {
		for i := range n {
			code := fmt.Sprintf("1796%016d", i)
			if err := tx.SaveOrder(&OrderRecord{Code: code, Status: order.StatusAccepted, StoreID: "1862",
				Detail: &order.Order{Code: code, StoreID: "1862", Note: note}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// damage writes random bytes over the middle of a file, as a failing disk
// or a power cut during a write would.
func damage(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, 16<<10)
	_, _ = rand.Read(junk)
	if _, err := f.WriteAt(junk, info.Size()/2); err != nil {
		t.Fatal(err)
	}
}

// Issue 13 item 15: a damaged database refuses to open for writing (the
// daemon does not start), with a *CorruptError, instead of starting and
// answering orders with "database disk image is malformed"; the landing
// beside it too.
func TestDamagedDatabaseDoesNotOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "posbridge.db")
	db := openAt(t, path)
	fillOrders(t, db, 400)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	damage(t, path)
	_, err := Open(ctx, path, Options{})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path || !IsCorrupt(err) {
		t.Fatalf("a damaged database opened: %v", err)
	}
	// Read-only (doctor, backup) still opens it, to report on it.
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.QuickCheck(ctx); !IsCorrupt(err) {
		t.Fatalf("quick_check of the damaged file: %v", err)
	}
	ro.Close()

	// The landing.
	dir2 := t.TempDir()
	path2 := filepath.Join(dir2, "posbridge.db")
	db2 := openAt(t, path2)
	for i := range 300 {
		if _, err := db2.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: fmt.Sprint(i), Body: []byte(strings.Repeat("x", 2000))}); err != nil {
			t.Fatal(err)
		}
	}
	// Keep the pushes in the landing: close without moving them.
	if err := db2.Close(); err != nil {
		t.Fatal(err)
	}
	damage(t, LandingPath(path2))
	if _, err := Open(ctx, path2, Options{}); !IsCorrupt(err) || !strings.Contains(err.Error(), "landing") {
		t.Fatalf("a damaged landing opened: %v", err)
	}
}

// A database too large to read before the start opens at once and is
// checked afterwards: the check still finds the damage.
func TestLargeDatabaseIsCheckedAfterTheStart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "posbridge.db")
	db := openAt(t, path)
	fillOrders(t, db, 400)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	small := openAt(t, path)
	if small.DeferredIntegrity() {
		t.Fatal("a small database's check was deferred")
	}
	small.Close()
	damage(t, path)
	defer func(was int64) { SyncIntegrityMaxBytes = was }(SyncIntegrityMaxBytes)
	SyncIntegrityMaxBytes = 64 << 10
	big, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("a large database did not open before its check: %v", err)
	}
	defer big.Close()
	if !big.DeferredIntegrity() {
		t.Fatal("the large database's check was neither run nor deferred")
	}
	if err := big.QuickCheck(ctx); !IsCorrupt(err) {
		t.Fatalf("the deferred check of the damaged file: %v", err)
	}
}
