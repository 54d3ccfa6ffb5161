package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// WriteValue gives back the result of the run that committed: while a
// filling disk makes shared transactions fail and callbacks run again, the
// counts the writers are given add up to the rows committed, never more.
func TestWriteValueCountsOnlyTheCommittedRun(t *testing.T) {
	db := openTest(t)
	capDisk(t, db, 8)
	var runs atomic.Int64
	var wg sync.WaitGroup
	counts := make([]int, 60)
	errs := make([]error, 60)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], errs[i] = WriteValue(context.Background(), db, func(tx *Tx) (int, error) {
				runs.Add(1)
				n := 0
				for range 2 {
					if err := tx.AppendAudit(Audit{Actor: "test", Action: "row", Detail: strings.Repeat("x", 1500)}); err != nil {
						return n, err
					}
					n++
				}
				return n, nil
			})
		}()
	}
	wg.Wait()
	given := 0
	for i, err := range errs {
		if err != nil && !errors.Is(err, ErrDiskFull) {
			t.Fatalf("writer %d: %v", i, err)
		}
		if err != nil && counts[i] != 0 {
			t.Fatalf("writer %d failed yet was given %d", i, counts[i])
		}
		given += counts[i]
	}
	if got := committedActions(t, db)["row"]; got != given {
		t.Fatalf("writers were given %d rows, %d committed", given, got)
	}
	if runs.Load() <= 60 {
		t.Logf("no callback ran twice this time (%d runs)", runs.Load())
	}
}
