package customers

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/posbridge/posbridge/store"
)

func ptr(f float64) *float64 { return &f }

// One default per customer; another customer's address is not found; bad
// fields are named; the distance is computed, never taken from the page.
func TestAddresses(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	var alice, bob int64
	if err := r.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if alice, err = tx.InsertCustomer(1, "13800000001"); err != nil {
			return err
		}
		bob, err = tx.InsertCustomer(1, "13800000002")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	home, err := r.svc.AddAddress(ctx, alice, AddressInput{Name: "张三", Phone: "+8613800000001", Address: "南翔镇 1 号",
		Longitude: ptr(121.31), Latitude: ptr(31.30)})
	if err != nil || !home.IsDefault || home.Phone != "13800000001" {
		t.Fatalf("the first address: %+v %v", home, err)
	}
	work, err := r.svc.AddAddress(ctx, alice, AddressInput{Name: "张三", Phone: "13800000001", Address: "公司", IsDefault: true})
	if err != nil || !work.IsDefault {
		t.Fatalf("a second, default address: %+v %v", work, err)
	}
	list, _ := r.svc.Addresses(ctx, alice)
	if len(list) != 2 || list[0].ID != work.ID || list[1].IsDefault {
		t.Fatalf("one default, first: %+v", list)
	}
	if _, err := r.svc.SetDefaultAddress(ctx, alice, home.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ = r.svc.Addresses(ctx, alice); list[0].ID != home.ID || list[1].IsDefault {
		t.Fatalf("after set-default: %+v", list)
	}
	if _, err := r.svc.SetDefaultAddress(ctx, bob, home.ID); !errors.Is(err, ErrNoAddress) {
		t.Fatalf("bob sets alice's address as default: %v", err)
	}
	if err := r.svc.DeleteAddress(ctx, bob, home.ID); !errors.Is(err, ErrNoAddress) {
		t.Fatalf("bob deletes alice's address: %v", err)
	}
	if _, err := r.svc.UpdateAddress(ctx, bob, home.ID, AddressInput{Name: "x", Phone: "13800000002", Address: "y"}); !errors.Is(err, ErrNoAddress) {
		t.Fatalf("bob edits alice's address: %v", err)
	}
	_, err = r.svc.AddAddress(ctx, alice, AddressInput{Name: "", Phone: "irweirweiriwe", Address: "x", Longitude: ptr(200), Latitude: ptr(1)})
	var fe FieldErrors
	if !errors.As(err, &fe) || fe["name"] == nil || fe["phone"] == nil || fe["longitude"] == nil {
		t.Fatalf("bad fields: %v", err)
	}
	// One degree of latitude is 111.2 km.
	if d := DistanceKm(home, 121.31, 32.30); math.Abs(d-111.2) > 0.2 {
		t.Fatalf("distance %.2f km, want 111.2", d)
	}
	if d := DistanceKm(work, 121.31, 31.30); d != -1 {
		t.Fatalf("an address without coordinates: %v, want -1 (unknown)", d)
	}
	if err := r.svc.DeleteAddress(ctx, alice, work.ID); err != nil {
		t.Fatal(err)
	}
}
