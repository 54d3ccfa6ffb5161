package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeRows has n goroutines each write one audit row through Write; fail
// says which of them return an error from fn (after writing) and bodySize
// makes rows big. It returns each caller's outcome.
func writeRows(t *testing.T, db *DB, n int, fail func(i int) bool, bodySize int) []error {
	t.Helper()
	out := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = db.Write(context.Background(), func(tx *Tx) error {
				if err := tx.AppendAudit(Audit{Actor: "test", Action: fmt.Sprint("w", i), Detail: strings.Repeat("x", bodySize)}); err != nil {
					return err
				}
				if fail(i) {
					return fmt.Errorf("writer %d refuses", i)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	return out
}

// committedActions lists the audit actions in the database.
func committedActions(t *testing.T, db *DB) map[string]int {
	t.Helper()
	rows, err := db.reader.Query(`SELECT action FROM audit`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		got[a]++
	}
	return got
}

// Concurrent writers share commits; a writer whose fn fails loses only its
// own work; every caller told "nil" finds its row committed, every caller
// told an error finds nothing of its own.
func TestWritesShareCommitsAndFailAlone(t *testing.T) {
	db := openTest(t)
	before := db.WriteCommits()
	const n = 200
	out := writeRows(t, db, n, func(i int) bool { return i%7 == 3 }, 0)
	got := committedActions(t, db)
	for i, err := range out {
		want := i%7 != 3
		if (err == nil) != want || got[fmt.Sprint("w", i)] != map[bool]int{true: 1, false: 0}[want] {
			t.Fatalf("writer %d: err %v, committed %d times", i, err, got[fmt.Sprint("w", i)])
		}
	}
	commits := db.WriteCommits() - before
	if commits >= n {
		t.Fatalf("%d commits for %d writes: no group commit", commits, n)
	}
	t.Logf("%d writes in %d commits", n, commits)
}

// A full disk in the middle of a shared commit: each caller's answer still
// matches what is in the database, nothing is corrupt, and writes succeed
// again once there is space.
func TestWritesOnAFullDiskTellTheTruth(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	capDisk(t, db, 6)
	out := writeRows(t, db, 60, func(int) bool { return false }, 3000)
	got := committedActions(t, db)
	full := 0
	for i, err := range out {
		if err != nil && !errors.Is(err, ErrDiskFull) {
			t.Fatalf("writer %d: %v, want ErrDiskFull", i, err)
		}
		if err != nil {
			full++
		}
		if (err == nil) != (got[fmt.Sprint("w", i)] == 1) {
			t.Fatalf("writer %d told %v but committed %d times", i, err, got[fmt.Sprint("w", i)])
		}
	}
	if full == 0 {
		t.Fatal("the disk never filled")
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMaxPageCount(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if out := writeRows(t, db, 5, func(int) bool { return false }, 3000); errors.Join(out...) != nil {
		t.Fatalf("no recovery after space returned: %v", errors.Join(out...))
	}
}

// A panic in one writer's fn reaches that caller, on its own goroutine; the
// writers sharing its commit are not affected.
func TestWritePanicStaysWithItsCaller(t *testing.T) {
	db := openTest(t)
	var wg sync.WaitGroup
	var recovered any
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					recovered = p
				}
			}()
			_ = db.Write(context.Background(), func(tx *Tx) error {
				if err := tx.AppendAudit(Audit{Actor: "test", Action: fmt.Sprint("w", i)}); err != nil {
					return err
				}
				if i == 5 {
					panic("writer 5 breaks")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	if recovered != "writer 5 breaks" {
		t.Fatalf("recovered %v", recovered)
	}
	got := committedActions(t, db)
	if len(got) != 19 || got["w5"] != 0 {
		t.Fatalf("committed %v, want every writer but w5", got)
	}
}

// A caller that gives up while its write waits in the queue gets its ctx's
// error and its fn never runs.
func TestAbandonedWriteNeverRuns(t *testing.T) {
	db := openTest(t)
	hold := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_ = db.Write(context.Background(), func(tx *Tx) error { close(started); <-hold; return nil })
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err := db.Write(ctx, func(tx *Tx) error { ran = true; return nil })
	close(hold)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the deadline, got %v", err)
	}
	if err := db.Write(context.Background(), func(tx *Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Fatal("an abandoned write ran")
	}
}

// capDisk leaves the database room for only extra more pages: a full disk
// without root.
func capDisk(t *testing.T, db *DB, extra int) {
	t.Helper()
	pages, err := db.PageCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMaxPageCount(context.Background(), pages+extra); err != nil {
		t.Fatal(err)
	}
}
