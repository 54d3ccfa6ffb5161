package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// A pairing code works once and only until it expires; a revoked device's
// token and code are gone; the table is bounded.
func TestDevicePairingCodeOnceUntilExpiryAndRevoke(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	db, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	add := func(pair string, expires time.Time) *Device {
		d := &Device{Name: "热菜平板", Kind: "kitchen", Station: "hot", PairHash: pair, PairExpires: expires}
		if err := db.Write(ctx, func(tx *Tx) error { return tx.AddDevice(d) }); err != nil {
			t.Fatal(err)
		}
		return d
	}
	pair := func(code, token string) (*Device, error) {
		var d *Device
		err := db.Write(ctx, func(tx *Tx) error {
			var err error
			d, err = tx.Pair(code, token, "10.0.0.9")
			return err
		})
		return d, err
	}
	live := add("code-a", now.Add(30*time.Minute))
	add("code-old", now.Add(-time.Second))

	if _, err := pair("code-old", "tok-old"); !errors.Is(err, ErrNotFound) {
		t.Errorf("an expired code paired: %v", err)
	}
	d, err := pair("code-a", "tok-a")
	if err != nil || d.ID != live.ID {
		t.Fatalf("pair: %v %+v", err, d)
	}
	if _, err := pair("code-a", "tok-b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a spent code paired again: %v", err)
	}
	if got, err := db.DeviceByToken(ctx, "tok-a"); err != nil || got.ID != live.ID || got.LastIP != "10.0.0.9" {
		t.Fatalf("device by token: %v %+v", err, got)
	}
	if st, _ := db.ScreenStations(ctx); !st["hot"] {
		t.Errorf("screen stations %v lack the paired hot station", st)
	}
	if err := db.Write(ctx, func(tx *Tx) error { return tx.RevokeDevice(live.ID) }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeviceByToken(ctx, "tok-a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a revoked device's token still works: %v", err)
	}
	if st, _ := db.ScreenStations(ctx); st["hot"] {
		t.Error("a revoked tablet still counts as the station's screen")
	}

	for i := 0; ; i++ {
		err := db.Write(ctx, func(tx *Tx) error {
			return tx.AddDevice(&Device{Name: "x", Kind: "pickup", PairHash: "c" + time.Duration(i).String(), PairExpires: now})
		})
		if errors.Is(err, ErrTooManyDevices) {
			break
		}
		if err != nil || i > MaxDevices {
			t.Fatalf("device %d: %v (the table must be bounded at %d)", i, err, MaxDevices)
		}
	}
}
