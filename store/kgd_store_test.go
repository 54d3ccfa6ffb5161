package store

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

func TestStoreExtras(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *Tx) error {
		if err := tx.SetSoldOut("1862", "saas", []string{"T1001", "T1002"}, map[string]string{"T1001": "珍珠奶茶"}, true, "小王"); err != nil {
			return err
		}
		if err := tx.SetSoldOut("1862", "saas", []string{"T1002"}, nil, false, "小王"); err != nil {
			return err
		}
		if err := tx.SetStoreStatus(StoreStatus{StoreID: "1862", Event: 3, Actor: "店长", OutboxID: 7}); err != nil {
			return err
		}
		if err := tx.ConfirmStoreStatus(7); err != nil {
			return err
		}
		at := time.UnixMilli(1_700_000_000_000)
		if ok, err := tx.SaveDelivery(Delivery{OrderCode: "A1", Status: 5, RiderName: "王", RiderPhone: "13812345678", Text: "配送中", PlatformAt: at}); err != nil || !ok {
			return err
		}
		// An older push changes nothing.
		if ok, err := tx.SaveDelivery(Delivery{OrderCode: "A1", Status: 2, Text: "已分配骑手", PlatformAt: at.Add(-time.Minute)}); err != nil || ok {
			t.Errorf("older waybill applied: %v %v", ok, err)
		}
		if _, added, err := tx.AddTableAddition("A1", "h5", []order.Item{{Name: "扬州炒饭", Quantity: 2}}, time.Minute); err != nil || !added {
			return err
		}
		if _, added, _ := tx.AddTableAddition("A1", "h5", nil, time.Minute); added {
			t.Error("the same batch twice was added twice")
		}
		if added, err := tx.AddReminder("A1", at, time.Minute); err != nil || !added {
			return err
		}
		if added, _ := tx.AddReminder("A1", at.Add(20*time.Second), time.Minute); added {
			t.Error("a repeat within the window was added")
		}
		if added, _ := tx.AddReminder("A1", at.Add(2*time.Minute), time.Minute); !added {
			t.Error("a later reminder was not added")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	so, err := db.SoldOutList(ctx)
	if err != nil || len(so) != 1 || so[0].Code != "T1001" || so[0].Name != "珍珠奶茶" || so[0].Actor != "小王" {
		t.Fatalf("sold out = %+v, %v", so, err)
	}
	st, err := db.StoreStatuses(ctx)
	if err != nil || len(st) != 1 || st[0].Event != 3 || !st[0].Confirmed {
		t.Fatalf("store status = %+v, %v", st, err)
	}
	d, err := db.DeliveryOf(ctx, "A1")
	if err != nil || d.Status != 5 || d.RiderPhoneMasked() != "138****5678" {
		t.Fatalf("delivery = %+v, %v", d, err)
	}
	if m, err := db.DeliveriesOf(ctx, []string{"A1", "B2"}); err != nil || len(m) != 1 {
		t.Fatalf("deliveries = %v, %v", m, err)
	}
	adds, err := db.TableAdditions(ctx, "A1")
	if err != nil || len(adds) != 1 || adds[0].Items[0].Name != "扬州炒饭" {
		t.Fatalf("additions = %+v, %v", adds, err)
	}
	if rs, err := db.Reminders(ctx, "A1"); err != nil || len(rs) != 2 {
		t.Fatalf("reminders = %v, %v", rs, err)
	}
}
