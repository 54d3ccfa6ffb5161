package orders

import (
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/store"
)

func TestToOrderCarriesTakeCodeTableAndAmounts(t *testing.T) {
	m, err := menu.Parse(menu.Example())
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, cst)
	var req pricing.CalcFeeRequest
	if err := pricing.Decode([]byte(`{"table_id": -2, "eat_type": 3, "products": [
		{"product": 101, "pu": 1, "qty": 2, "condiments": [{"product": 201}]},
		{"product": 301, "pu": 0, "qty": 1, "children": [{"product": 105, "pu": 0, "qty": 2}, {"product": 101, "pu": 1, "qty": 1}, {"product": 103, "pu": 0, "qty": 1}]}]}`), &req); err != nil {
		t.Fatal(err)
	}
	q, err := pricing.CalcFee(m, &req, pricing.Env{Schedule: hours.Schedule{Location: cst}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	rec := FromQuote(q)
	rec.PaidType, rec.CustomerCount, rec.Remark = 1, 2, "少冰"
	rec.PlanTime = now.Add(2 * time.Hour)
	o := ToOrder(&store.OrderingOrder{TradeNo: "11796184000000", StoreID: "1862", TakeCode: "5003", TableName: "吧台等取", CreatedAt: now}, &rec, now, 30*time.Minute)
	if o.Code != "11796184000000" || o.PickupNo != "5003" || o.Table != "吧台等取" || o.Type != order.TypePickupReserved {
		t.Fatalf("%+v", o)
	}
	var sum order.Fen
	for _, it := range o.Items {
		sum += it.Amount()
	}
	if sum != rec.TotalPrice || o.ActualPay != rec.TotalFee || o.PackageFee != rec.TotalBoxFee || o.Original-o.Discount != o.ActualPay {
		t.Fatalf("lines %d, goods %d; pay %d fee %d; box %d; original %d discount %d", sum, rec.TotalPrice, o.ActualPay, rec.TotalFee, o.PackageFee, o.Original, o.Discount)
	}
	if len(o.Items[1].Children) != 3 || len(o.Items[0].Materials) != 1 {
		t.Fatalf("set meal children %d, condiments %d", len(o.Items[1].Children), len(o.Items[0].Materials))
	}
}
