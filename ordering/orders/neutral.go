package orders

import (
	"strconv"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/store"
)

// ToOrder is the order in the shared vocabulary, as bridge, the printers
// and the console see it. hold is accept.hold_lead: a plan_time later than
// now + hold makes it reserved.
func ToOrder(o *store.OrderingOrder, r *Record, now time.Time, hold time.Duration) order.Order {
	reserved := !r.PlanTime.IsZero() && r.PlanTime.After(now.Add(hold))
	typ := order.TypeDineIn
	switch r.EatType {
	case 0:
		if reserved {
			typ = order.TypeDineInReserved
		}
	case 1:
		typ = order.TypeDelivery
		if reserved {
			typ = order.TypeDeliveryReserve
		}
	default: // pickup, and wait-pickup (等取) treated as pickup
		typ = order.TypePickup
		if reserved {
			typ = order.TypePickupReserved
		}
	}
	out := order.Order{
		Code: o.TradeNo, StoreID: o.StoreID, Type: typ, PlatformStatus: o.Status,
		PickupNo: o.TakeCode, Table: o.TableName, People: r.CustomerCount, Note: r.Remark, UserName: r.CustomerName, Mobile: r.CustomerPhone,
		Address:   r.CustomerAddress,
		ActualPay: r.TotalFee, Original: r.TotalPrice + r.TotalBoxFee + r.DeliveryFee + r.ServiceFee, Discount: r.DiscountFee,
		DeliverFee: r.DeliveryFee, PackageFee: r.TotalBoxFee,
		PayType: r.PaidType, PayChannelName: paidTypeName(r.PaidType),
		CreatedAt: o.CreatedAt, ExpectAt: r.PlanTime,
	}
	if !r.TaxIncluded {
		out.Original += r.TaxFee
	}
	for i, l := range r.Lines {
		out.Items = append(out.Items, item(i+1, &l))
	}
	for _, d := range r.Discounts {
		out.Discounts = append(out.Discounts, order.Discount{ActivityName: d.Name, Amount: d.Value})
	}
	return out
}

// item is one line: condiments as add-ons, set-meal choices as children;
// the unit price is the line's with its extras (what the customer pays per
// one, UnitPrice × Qty under either pricing method, digest §16.5), so the
// receipt's lines add up.
func item(seq int, l *pricing.PricedLine) order.Item {
	it := order.Item{
		Seq: seq, ProductID: strconv.FormatInt(l.ProductID, 10), ThirdProductID: l.CustomerCode, ProductCode: l.CustomerCode,
		Name: l.Name, Price: l.UnitPrice, Quantity: l.Qty, Unit: l.Unit, Spec: l.Unit, Property: l.Req,
	}
	if l.IsSetMeal {
		it.ProductType = 2
	}
	for _, c := range l.Condiments {
		it.Materials = append(it.Materials, order.Item{ProductID: strconv.FormatInt(c.ID, 10), Name: c.Name, Price: c.Price, Quantity: 1})
	}
	for _, ch := range l.Children {
		child := order.Item{ProductID: strconv.FormatInt(ch.ProductID, 10), Name: ch.Name, Price: ch.Surcharge, Quantity: ch.Qty,
			Unit: ch.Unit, Spec: ch.Unit, ParentProductID: it.ProductID}
		for _, c := range ch.Condiments {
			child.Materials = append(child.Materials, order.Item{ProductID: strconv.FormatInt(c.ID, 10), Name: c.Name, Price: c.Price, Quantity: 1})
		}
		it.Children = append(it.Children, child)
	}
	return it
}

func paidTypeName(p int) string {
	switch p {
	case 1:
		return "线下支付"
	case 2:
		return "微信支付"
	case 3:
		return "会员卡"
	}
	return "支付方式 " + strconv.Itoa(p)
}
