package store

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

// Offline orders' keys and unconfirmed push claims do not pile up for ever:
// retention removes them with the rest, and keeps those still in use.
func TestOldKeysAndClaimsArePruned(t *testing.T) {
	ctx := context.Background()
	var clock atomic.Int64
	clock.Store(time.Now().Add(-100 * 24 * time.Hour).UnixMilli())
	db, err := Open(ctx, filepath.Join(t.TempDir(), "posbridge.db"), Options{Now: func() time.Time { return time.UnixMilli(clock.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var live int64
	err = db.Write(ctx, func(tx *Tx) error {
		if err := tx.SavePOSKey(POSKey{Key: "third:S1:GONE", OutboxID: 999999, BodyHash: "h"}); err != nil {
			return err
		}
		if live, err = tx.EnqueueOutbox(OutboxRow{OrderCode: "K1", Kind: "submit", Lane: "pos:1", Payload: []byte("{}")}); err != nil {
			return err
		}
		if err := tx.SavePOSKey(POSKey{Key: "third:S1:LIVE", OutboxID: live, BodyHash: "h"}); err != nil {
			return err
		}
		return tx.SaveClaim(PushClaim{Code: "OLDCLAIM", Change: order.Change{Code: "OLDCLAIM"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	clock.Store(time.Now().UnixMilli())
	if err := db.Write(ctx, func(tx *Tx) error {
		return tx.SaveClaim(PushClaim{Code: "NEWCLAIM", Change: order.Change{Code: "NEWCLAIM"}})
	}); err != nil {
		t.Fatal(err)
	}
	keys, claims, err := db.PruneKeysAndClaims(ctx, time.Now().Add(-90*24*time.Hour))
	if err != nil || keys != 1 || claims != 1 {
		t.Fatalf("pruned %d keys, %d claims, %v; want 1, 1", keys, claims, err)
	}
	_ = db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.POSKeyOf("third:S1:LIVE"); err != nil {
			t.Errorf("the key of a call still in the outbox was pruned: %v", err)
		}
		if _, err := tx.GetClaim("NEWCLAIM"); err != nil {
			t.Errorf("a recent claim was pruned: %v", err)
		}
		return nil
	})
}
