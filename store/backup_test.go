package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

// A paced copy keeps one snapshot while the daemon goes on writing: it
// finishes (the online backup restarts on every outside write unless the
// snapshot is held), it holds every order written before it started, none
// written after, and the writes meanwhile were not held up by it.
func TestBackupKeepsItsSnapshotWhileTheDaemonWrites(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	fillOrders(t, db, 4000) // ~5 MB: a few chunks at the slow rate below
	dest := filepath.Join(t.TempDir(), "copy.db")
	var writes atomic.Int64
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := db.Write(ctx, func(tx *Tx) error {
				return tx.SaveOrder(&OrderRecord{Code: fmt.Sprintf("AFTER%05d", i), Status: order.StatusNew, Day: "d"})
			}); err != nil {
				done <- err
				return
			}
			writes.Add(1)
		}
	}()
	// Wait for the writer to be going, so that the copy runs under writes.
	for writes.Load() < 5 {
	}
	before := writes.Load()
	// A copy that restarts on every write never ends: give it a deadline.
	bctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := db.BackupAt(bctx, dest, 2<<20)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if during := writes.Load() - before; during < 10 {
		t.Fatalf("only %d writes went through during the copy: the copy held the writer", during)
	}
	// Bytes 18 and 19 of the header: 1 is a rollback journal, 2 is WAL.
	head := make([]byte, 20)
	f, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadAt(head, 0); err != nil || head[18] != 1 || head[19] != 1 {
		t.Fatalf("copy header %v %v: a backup is one file, not a WAL database", head[18:20], err)
	}
	b, err := Open(ctx, dest, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
	var nB, nAfter int
	if err := b.reader.QueryRow("SELECT count(*) FROM orders WHERE code LIKE '1796%'").Scan(&nB); err != nil {
		t.Fatal(err)
	}
	if err := b.reader.QueryRow("SELECT count(*) FROM orders WHERE code LIKE 'AFTER%'").Scan(&nAfter); err != nil {
		t.Fatal(err)
	}
	if nB != 4000 {
		t.Fatalf("copy holds %d of the 4000 orders written before it", nB)
	}
	if int64(nAfter) > writes.Load() || nAfter < int(before) {
		t.Fatalf("copy holds %d of the writes (before %d, total %d): not one snapshot", nAfter, before, writes.Load())
	}
}

// A copy cut short (the daemon stops) leaves no file that could pass for a
// backup.
func TestBackupCancelledLeavesNothing(t *testing.T) {
	db := openTest(t)
	fillOrders(t, db, 1000)
	dest := filepath.Join(t.TempDir(), "copy.db")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := db.BackupAt(ctx, dest, 1<<20)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled backup: %v", err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatalf("a cancelled copy left %s: %v", dest, err)
	}
}
