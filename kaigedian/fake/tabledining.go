package fake

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// The 围餐 calls (order.md "修改订单商品信息" and "线下支付信息同步").

// wireTableItem reads a line of either call, and the example's shape
// (products[] with customerCode) that contradicts the table.
type wireTableItem struct {
	ProductID        kaigedian.String  `json:"productId"`
	ParentProductID  kaigedian.String  `json:"parentProductId"`
	ThirdProductID   kaigedian.String  `json:"thirdProductId"`
	CustomerCode     kaigedian.String  `json:"customerCode"`
	ProductName      kaigedian.String  `json:"productName"`
	ProductProperty  *kaigedian.String `json:"productProperty"`
	Weight           kaigedian.Float   `json:"weight"`
	ProductQuantity  kaigedian.Int     `json:"productQuantity"`
	ProductSeq       kaigedian.Int     `json:"productSeq"`
	ProductType      *kaigedian.Int    `json:"productType"`
	ProductPrice     *kaigedian.Int    `json:"productPrice"`
	Unit             *kaigedian.String `json:"unit"`
	ProductComboList []wireTableItem   `json:"productComboList"`
}

// tableItems reads orderItemList (strictly: the table's required fields
// must be present) or the example's products (leniently).
func tableItems(b *body) ([]order.Item, result, bool) {
	strict := true
	raw, present := b.fields["orderItemList"]
	if !present {
		if raw, present = b.fields["products"]; !present {
			return nil, missing("orderItemList"), false
		}
		strict = false
	}
	var lines []wireTableItem
	if err := json.Unmarshal(raw, &lines); err != nil || len(lines) == 0 {
		return nil, missing("orderItemList"), false
	}
	items, problem := convertTableItems(lines, strict, "orderItemList")
	if problem != "" {
		return nil, missing("%s", problem), false
	}
	return items, result{}, true
}

func convertTableItems(lines []wireTableItem, strict bool, at string) ([]order.Item, string) {
	var out []order.Item
	for i, l := range lines {
		here := fmt.Sprintf("%s[%d]", at, i)
		third := string(l.ThirdProductID)
		if third == "" {
			third = string(l.CustomerCode)
		}
		if l.ProductID == "" && third == "" {
			return nil, here + ".productId 或 thirdProductId"
		}
		if strict {
			switch {
			case l.ProductProperty == nil:
				return nil, here + ".productProperty"
			case l.ProductType == nil:
				return nil, here + ".productType"
			case l.ProductPrice == nil:
				return nil, here + ".productPrice"
			case l.Unit == nil:
				return nil, here + ".unit"
			}
		}
		it := order.Item{Seq: l.ProductSeq.Int(), ProductID: string(l.ProductID), ThirdProductID: third,
			ParentProductID: string(l.ParentProductID), Name: string(l.ProductName), Quantity: l.ProductQuantity.Int(),
			WeightGrams: float64(l.Weight)}
		if l.ProductProperty != nil {
			it.Property = string(*l.ProductProperty)
		}
		if l.ProductType != nil {
			it.ProductType = l.ProductType.Int()
		}
		if l.ProductPrice != nil {
			it.Price = order.Fen(*l.ProductPrice)
		}
		if l.Unit != nil {
			it.Unit = string(*l.Unit)
		}
		if len(l.ProductComboList) > 0 {
			children, problem := convertTableItems(l.ProductComboList, strict, here+".productComboList")
			if problem != "" {
				return nil, problem
			}
			it.Children = children
		}
		out = append(out, it)
	}
	return out, ""
}

// open refuses changes to an order that is over.
func tableOrderOpen(fo *fakeOrder) (result, bool) {
	switch fo.status {
	case kaigedian.PlatformCancelled:
		return refused("订单已取消，不能修改"), false
	case kaigedian.PlatformRejected:
		return refused("订单已拒单，不能修改"), false
	case kaigedian.PlatformCompleted:
		return refused("订单已完成，不能修改"), false
	}
	return result{}, true
}

func (p *Platform) handleUpdateOrderItem(b *body, txID string) result {
	fo, res, found := p.target(b)
	if !found {
		return res
	}
	if res, open := tableOrderOpen(fo); !open {
		return res
	}
	items, res, okItems := tableItems(b)
	if !okItems {
		return res
	}
	p.nameLines(fo, items)
	fo.o.Items = items
	fo.ops = append(fo.ops, Operation{Path: kaigedian.PathUpdateOrderItem, TransactionID: txID, At: p.now(),
		OrderClient: b.str("orderClient"), Items: slices.Clone(items)})
	p.touch(fo)
	return ok(nil)
}

func (p *Platform) handlePayAfterSync(b *body, txID string) result {
	fo, res, found := p.target(b)
	if !found {
		return res
	}
	if res, open := tableOrderOpen(fo); !open {
		return res
	}
	for _, k := range []string{"discountAmount", "actualPayAmount", "settlementAmount"} {
		if _, okAmount := b.int(k); !okAmount {
			return missing("%s", k)
		}
	}
	items, res, okItems := tableItems(b)
	if !okItems {
		return res
	}
	amount := func(k string) order.Fen { n, _ := b.int(k); return order.Fen(n) }
	st := &Settlement{Original: amount("originalAmount"), Discount: amount("discountAmount"),
		ActualPay: amount("actualPayAmount"), Settlement: amount("settlementAmount"), PosCode: b.str("posCode")}
	if v, present := b.fields["payInfo"]; present {
		var pi struct {
			PayChannel     kaigedian.String `json:"payChannel"`
			PayChannelName kaigedian.String `json:"payChannelName"`
			PayTime        kaigedian.String `json:"payTime"`
		}
		if json.Unmarshal(v, &pi) != nil {
			return missing("payInfo (对象)")
		}
		st.PayChannel, st.PayChannelName, st.PayTime = string(pi.PayChannel), string(pi.PayChannelName), string(pi.PayTime)
	}
	p.nameLines(fo, items)
	fo.o.Items = items
	fo.o.ActualPay, fo.o.Discount = st.ActualPay, st.Discount
	if st.Original > 0 {
		fo.o.Original = st.Original
	}
	fo.o.PayType, fo.o.PayStatus = 2, 2 // offline, paid
	if st.PayChannel != "" {
		fo.o.PayChannel, fo.o.PayChannelName = st.PayChannel, st.PayChannelName
	}
	fo.ops = append(fo.ops, Operation{Path: kaigedian.PathPayAfterSyncOrderInfo, TransactionID: txID, At: p.now(),
		OrderClient: b.str("orderClient"), Items: slices.Clone(items), Settlement: st})
	p.touch(fo)
	return ok(nil)
}

// nameLines gives lines without a productName the platform's name of the
// product ("不传以非码商品名称为准").
func (p *Platform) nameLines(fo *fakeOrder, items []order.Item) {
	for i := range items {
		if items[i].Name == "" {
			if n, known := p.products[items[i].ThirdProductID]; known {
				items[i].Name = n
			}
			for _, old := range fo.o.Items {
				if items[i].Name == "" && old.ProductID != "" && old.ProductID == items[i].ProductID {
					items[i].Name = old.Name
				}
			}
		}
		p.nameLines(fo, items[i].Children)
	}
}
