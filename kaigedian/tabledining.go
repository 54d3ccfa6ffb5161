package kaigedian

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
)

// 围餐 (table dining) calls (order.md, since 2019-09-19). The documents
// write both paths without a leading slash; endpoint() joins either way.
const (
	PathUpdateOrderItem       = "/order/updateOrderItem"
	PathPayAfterSyncOrderInfo = "/order/payAfterSyncOrderInfo"
)

// OrderClientTableDining is orderClient 19 (围餐) in the 围餐 calls, where the
// documents say "默认值 2  2:i点餐 19围餐".
const OrderClientTableDining = 19

// orderClientText is orderClient as the String the tables ask for; 0 is
// left out so that the platform's default applies.
func orderClientText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// TableItem is one line of updateOrderItem and payAfterSyncOrderInfo. The
// tables mark productProperty, productType, productPrice and unit required,
// so they are always sent (an empty property as "").
type TableItem struct {
	ProductID        string      `json:"productId,omitempty"`
	ParentProductID  string      `json:"parentProductId,omitempty"`
	ThirdProductID   string      `json:"thirdProductId,omitempty"`
	ProductName      string      `json:"productName,omitempty"` // payAfterSyncOrderInfo only
	ProductProperty  string      `json:"productProperty"`
	Weight           float64     `json:"weight,omitempty"` // grams, as in queryDetail
	ProductQuantity  int         `json:"productQuantity"`
	ProductSeq       int         `json:"productSeq,omitempty"`
	ProductType      int         `json:"productType"`
	ProductPrice     order.Fen   `json:"productPrice"` // unit price; a set meal's is the sum of its parts
	Unit             string      `json:"unit"`
	ProductPicURL    string      `json:"productPicUrl,omitempty"`
	ProductComboList []TableItem `json:"productComboList,omitempty"`
}

// TableItemsFrom renders order lines as 围餐 lines. A set meal's unit
// price is the sum of its parts, as the tables require; names are kept
// for payAfterSyncOrderInfo (updateOrderItem drops them).
func TableItemsFrom(items []order.Item) []TableItem {
	out := make([]TableItem, 0, len(items))
	for _, it := range items {
		ti := TableItem{
			ProductID: it.ProductID, ParentProductID: it.ParentProductID, ThirdProductID: it.ThirdProductID,
			ProductName: it.Name, ProductProperty: it.Options(), Weight: it.WeightGrams,
			ProductQuantity: it.Quantity, ProductSeq: it.Seq, ProductType: it.ProductType,
			ProductPrice: it.Price, Unit: it.Unit,
		}
		if ti.ProductType == 0 {
			ti.ProductType = 1 // 普通商品: the field is required
		}
		if len(it.Children) > 0 {
			ti.ProductComboList = TableItemsFrom(it.Children)
			var sum order.Fen
			for _, c := range it.Children {
				sum += c.Amount()
			}
			ti.ProductPrice = sum
		}
		out = append(out, ti)
	}
	return out
}

func validateTableItems(prefix string, items []TableItem) []FieldError {
	var p []FieldError
	for i, it := range items {
		at := fmt.Sprintf("%s[%d]", prefix, i)
		if strings.TrimSpace(it.ProductID) == "" && strings.TrimSpace(it.ThirdProductID) == "" {
			p = append(p, FieldError{at + ".productId", "is empty: pass productId or thirdProductId"})
		}
		if it.ProductType <= 0 {
			p = append(p, FieldError{at + ".productType", "is required"})
		}
		if it.ProductPrice < 0 {
			p = append(p, FieldError{at + ".productPrice", "is negative"})
		}
		if it.ProductQuantity < 0 {
			p = append(p, FieldError{at + ".productQuantity", "is negative"})
		}
		if it.Weight < 0 {
			p = append(p, FieldError{at + ".weight", "is negative"})
		}
		p = append(p, validateTableItems(at+".productComboList", it.ProductComboList)...)
	}
	return p
}

func validateTableOrder(orderCode, thirdCode string, items []TableItem) []FieldError {
	var p []FieldError
	if strings.TrimSpace(orderCode) == "" && strings.TrimSpace(thirdCode) == "" {
		p = append(p, FieldError{"orderCode", "is empty: pass orderCode or thirdOrderCode"})
	}
	if len(items) == 0 {
		p = append(p, FieldError{"orderItemList", "is empty"})
	}
	return append(p, validateTableItems("orderItemList", items)...)
}

// UpdateOrderItemRequest replaces the lines of a 围餐 order (staff added or
// removed items, or weighed them).
type UpdateOrderItemRequest struct {
	OrderCode      string
	ThirdOrderCode string
	OrderClient    int // 0 = OrderClientTableDining
	Items          []TableItem
}

// Validate lists what is wrong with the request.
func (r UpdateOrderItemRequest) Validate() []FieldError {
	return validateTableOrder(r.OrderCode, r.ThirdOrderCode, r.Items)
}

// UpdateOrderItem sends order/updateOrderItem once with transaction id txID.
func (c *Client) UpdateOrderItem(ctx context.Context, txID string, req UpdateOrderItemRequest) error {
	if err := invalid(PathUpdateOrderItem, req.Validate()); err != nil {
		return err
	}
	body := struct {
		OrderCode      string      `json:"orderCode,omitempty"`
		ThirdOrderCode string      `json:"thirdOrderCode,omitempty"`
		OrderClient    string      `json:"orderClient"`
		OrderItemList  []TableItem `json:"orderItemList"`
	}{strings.TrimSpace(req.OrderCode), strings.TrimSpace(req.ThirdOrderCode),
		orderClientText(cmpOr(req.OrderClient, OrderClientTableDining)), withoutNames(req.Items)}
	_, err := c.command(ctx, PathUpdateOrderItem, txID, body)
	return err
}

// withoutNames drops productName, which updateOrderItem's table lacks.
func withoutNames(items []TableItem) []TableItem {
	out := make([]TableItem, len(items))
	for i, it := range items {
		it.ProductName = ""
		it.ProductComboList = withoutNames(it.ProductComboList)
		if len(it.ProductComboList) == 0 {
			it.ProductComboList = nil
		}
		out[i] = it
	}
	return out
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// PayInfo is how a 围餐 order was paid at the counter.
type PayInfo struct {
	PayChannel     string
	PayChannelName string
	PayTime        time.Time
}

// PayAfterSyncRequest settles a 围餐 order paid offline, with its final
// lines. Amounts are fen; Settlement is what the customer saw to pay.
type PayAfterSyncRequest struct {
	OrderCode      string
	ThirdOrderCode string
	OrderClient    int // 0 = OrderClientTableDining
	PosCode        string
	Original       order.Fen
	Discount       order.Fen
	ActualPay      order.Fen
	Settlement     order.Fen
	Pay            *PayInfo
	Items          []TableItem
}

// Validate lists what is wrong with the request.
func (r PayAfterSyncRequest) Validate() []FieldError {
	p := validateTableOrder(r.OrderCode, r.ThirdOrderCode, r.Items)
	for _, f := range []struct {
		name string
		v    order.Fen
	}{{"originalAmount", r.Original}, {"discountAmount", r.Discount}, {"actualPayAmount", r.ActualPay}, {"settlementAmount", r.Settlement}} {
		if f.v < 0 {
			p = append(p, FieldError{f.name, "is negative"})
		}
	}
	return p
}

type wirePayInfo struct {
	PayChannel     string `json:"payChannel,omitempty"`
	PayChannelName string `json:"payChannelName,omitempty"`
	PayTime        string `json:"payTime,omitempty"` // yyyy-MM-dd HH:mm:ss
}

// PayAfterSyncOrderInfo sends order/payAfterSyncOrderInfo once with txID.
func (c *Client) PayAfterSyncOrderInfo(ctx context.Context, txID string, req PayAfterSyncRequest) error {
	if err := invalid(PathPayAfterSyncOrderInfo, req.Validate()); err != nil {
		return err
	}
	var pay *wirePayInfo
	if req.Pay != nil {
		pay = &wirePayInfo{PayChannel: req.Pay.PayChannel, PayChannelName: req.Pay.PayChannelName}
		if !req.Pay.PayTime.IsZero() {
			pay.PayTime = FormatTime(req.Pay.PayTime)
		}
	}
	body := struct {
		OrderCode        string       `json:"orderCode,omitempty"`
		ThirdOrderCode   string       `json:"thirdOrderCode,omitempty"`
		OrderClient      string       `json:"orderClient"`
		PosCode          string       `json:"posCode,omitempty"`
		OriginalAmount   order.Fen    `json:"originalAmount"`
		DiscountAmount   order.Fen    `json:"discountAmount"`
		ActualPayAmount  order.Fen    `json:"actualPayAmount"`
		SettlementAmount order.Fen    `json:"settlementAmount"`
		PayInfo          *wirePayInfo `json:"payInfo,omitempty"`
		OrderItemList    []TableItem  `json:"orderItemList"`
	}{strings.TrimSpace(req.OrderCode), strings.TrimSpace(req.ThirdOrderCode),
		orderClientText(cmpOr(req.OrderClient, OrderClientTableDining)), req.PosCode,
		req.Original, req.Discount, req.ActualPay, req.Settlement, pay, req.Items}
	_, err := c.command(ctx, PathPayAfterSyncOrderInfo, txID, body)
	return err
}
