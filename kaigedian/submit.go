package kaigedian

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/posbridge/posbridge/internal/textutil"
	"github.com/posbridge/posbridge/order"
)

// SubmitRequest uploads an offline (POS-paid) order (§3.9, seed 001
// /order/submit with the current field names). JSON tags are the wire names.
type SubmitRequest struct {
	ThirdOrderCode  string       `json:"thirdOrderCode,omitempty"`
	StoreID         string       `json:"storeId"`
	StoreName       string       `json:"storeName"`
	ActualPayAmount order.Fen    `json:"actualPayAmount"`
	OriginalAmount  order.Fen    `json:"originalAmount"`
	DeliverAmount   order.Fen    `json:"deliverAmount"`
	DiscountAmount  order.Fen    `json:"discountAmount"`
	BarCounter      string       `json:"barCounter,omitempty"`
	CanRefund       bool         `json:"canRefund"`
	NeedInvoice     bool         `json:"needInvoice"`
	OrderClient     int          `json:"orderClient"`
	Note            string       `json:"note,omitempty"`
	OrderStatus     int          `json:"orderStatus"`
	OrderType       int          `json:"orderType"`
	PayChannel      string       `json:"payChannel,omitempty"`
	PayChannelName  string       `json:"payChannelName,omitempty"`
	PayStatus       int          `json:"payStatus,omitempty"`
	PayType         int          `json:"payType,omitempty"`
	PayTime         string       `json:"payTime,omitempty"` // yyyy-MM-dd HH:mm:ss
	PosCode         string       `json:"posCode,omitempty"`
	Operator        string       `json:"operator,omitempty"`
	UserID          string       `json:"userId"`
	UserName        string       `json:"userName,omitempty"`
	NeedBonus       int          `json:"needBonus"` // 0 = give points, 1 = don't
	Items           []SubmitItem `json:"orderItemList"`
	PayList         []SubmitPay  `json:"payList,omitempty"`
}

// SubmitItem is one line of an offline order.
type SubmitItem struct {
	ProductSeq        int       `json:"productSeq"`
	ProductID         string    `json:"productId"`
	ThirdProductID    string    `json:"thirdProductId,omitempty"`
	ProductName       string    `json:"productName"`
	ProductPrice      order.Fen `json:"productPrice"`
	ProductQuantity   int       `json:"productQuantity"`
	ProductSharePrice order.Fen `json:"productSharePrice,omitempty"`
	// ProductUnit goes out under both names: productUnit (the table since
	// 2020-11-04) and productWeightUnit (seed 001's), whichever the
	// platform reads.
	ProductUnit       string  `json:"productUnit,omitempty"`
	ProductWeightUnit string  `json:"productWeightUnit,omitempty"`
	Weight            float64 `json:"weight,omitempty"`
	ProductSpecName   string  `json:"productSpecName,omitempty"`
	ProductProperty   string  `json:"productProperty,omitempty"`
	ThirdCateCode     string  `json:"thirdCateCode,omitempty"`
	NeedBonus         string  `json:"needBonus,omitempty"`
}

// SubmitPay is one payment of an offline order (all Strings on the wire).
type SubmitPay struct {
	PayChannel     string `json:"payChannel,omitempty"`
	PayChannelName string `json:"payChannelName,omitempty"`
	PayType        string `json:"payType,omitempty"`
	PayAmount      string `json:"payAmount,omitempty"` // fen
	PayStatus      string `json:"payStatus,omitempty"`
	PayTime        string `json:"payTime,omitempty"`
}

// submitRequired are the top-level keys a submit request must carry: seed
// 001's table. deliverAmount and discountAmount, which later tables require,
// default to 0 and are always sent (SubmitWireRequired).
var submitRequired = []string{
	"storeId", "storeName", "actualPayAmount", "originalAmount",
	"canRefund", "orderClient", "orderStatus", "orderType", "userId", "needBonus",
}

// SubmitWireRequired are the keys the newest table requires of what is sent
// to the platform: seed 001's plus deliverAmount and discountAmount.
var SubmitWireRequired = append(slices.Clone(submitRequired), "deliverAmount", "discountAmount")

var submitItemRequired = []string{"productSeq", "productId", "productName", "productPrice", "productQuantity"}

// ValidateSubmit lists every wrong or empty field of req. Zero is a valid
// value for the required amounts and needBonus; use DecodeSubmitRequest to
// also catch keys missing from a JSON document.
func ValidateSubmit(req SubmitRequest) []FieldError {
	var p []FieldError
	add := func(field, problem string) { p = append(p, FieldError{field, problem}) }
	if strings.TrimSpace(req.StoreID) == "" {
		add("storeId", "is empty")
	}
	if strings.TrimSpace(req.StoreName) == "" {
		add("storeName", "is empty")
	}
	if strings.TrimSpace(req.UserID) == "" {
		add("userId", "is empty")
	}
	for name, v := range map[string]order.Fen{
		"actualPayAmount": req.ActualPayAmount, "originalAmount": req.OriginalAmount,
		"deliverAmount": req.DeliverAmount, "discountAmount": req.DiscountAmount,
	} {
		if v < 0 {
			add(name, "must not be negative (fen)")
		}
	}
	if req.OrderClient <= 0 {
		add("orderClient", "must be a channel code (15 = POS)")
	}
	if !slices.Contains(AllOrderStatuses, req.OrderStatus) {
		add("orderStatus", fmt.Sprintf("%d is not a documented status (1,2,3,31,4,5,6,7)", req.OrderStatus))
	}
	if req.OrderType < 1 || req.OrderType > 6 {
		add("orderType", fmt.Sprintf("%d is not 1..6", req.OrderType))
	}
	if req.NeedBonus != 0 && req.NeedBonus != 1 {
		add("needBonus", "must be 0 (give points) or 1 (don't)")
	}
	if req.PayStatus != 0 && (req.PayStatus < 1 || req.PayStatus > 4) {
		add("payStatus", "must be 1..4")
	}
	if req.PayType != 0 && req.PayType != 1 && req.PayType != 2 {
		add("payType", "must be 1 (online) or 2 (offline)")
	}
	if req.PayTime != "" && !isDocumentedTime(req.PayTime) {
		add("payTime", "must be yyyy-MM-dd HH:mm:ss")
	}
	if len(req.Items) == 0 {
		add("orderItemList", "has no items")
	}
	for i, it := range req.Items {
		f := func(name string) string { return fmt.Sprintf("orderItemList[%d].%s", i, name) }
		if it.ProductSeq < 1 {
			add(f("productSeq"), "must be 1 or more")
		}
		if strings.TrimSpace(it.ProductID) == "" {
			add(f("productId"), "is empty")
		}
		if strings.TrimSpace(it.ProductName) == "" {
			add(f("productName"), "is empty")
		}
		if it.ProductPrice < 0 {
			add(f("productPrice"), "must not be negative (fen)")
		}
		if it.ProductQuantity < 1 {
			add(f("productQuantity"), "must be 1 or more")
		}
		if it.ProductSharePrice < 0 {
			add(f("productSharePrice"), "must not be negative (fen)")
		}
		if it.Weight < 0 {
			add(f("weight"), "must not be negative (grams)")
		}
	}
	for i, pay := range req.PayList {
		if pay.PayAmount != "" && !textutil.Digits(strings.TrimSpace(pay.PayAmount)) {
			add(fmt.Sprintf("payList[%d].payAmount", i), "must be whole fen, e.g. \"2000\"")
		}
		if pay.PayTime != "" && !isDocumentedTime(pay.PayTime) {
			add(fmt.Sprintf("payList[%d].payTime", i), "must be yyyy-MM-dd HH:mm:ss")
		}
	}
	return append(p, submitTotals(req)...)
}

// submitTotals checks that the amounts of an offline order add up: the
// items make originalAmount, and originalAmount − discountAmount +
// deliverAmount is what was paid (and what payList says was paid). The
// platform keeps these for points and reconciliation, so a mismatch is money
// booked wrong, and is refused rather than sent.
func submitTotals(req SubmitRequest) []FieldError {
	var p []FieldError
	var items order.Fen
	for _, it := range req.Items {
		if it.ProductPrice < 0 || it.ProductQuantity < 1 {
			return nil // already reported; a sum of bad lines says nothing
		}
		items += it.ProductPrice * order.Fen(it.ProductQuantity)
	}
	if len(req.Items) > 0 && items != req.OriginalAmount {
		p = append(p, FieldError{"originalAmount", fmt.Sprintf("is %d fen but the items add up to %d (orderItemList: productPrice × productQuantity)",
			req.OriginalAmount, items)})
	}
	if due := req.OriginalAmount - req.DiscountAmount + req.DeliverAmount; due != req.ActualPayAmount {
		p = append(p, FieldError{"actualPayAmount", fmt.Sprintf("is %d fen but originalAmount − discountAmount + deliverAmount is %d − %d + %d = %d",
			req.ActualPayAmount, req.OriginalAmount, req.DiscountAmount, req.DeliverAmount, due)})
	}
	var paid order.Fen
	for _, pay := range req.PayList {
		n, ok := parseIntText(strings.TrimSpace(pay.PayAmount))
		if !ok || strings.TrimSpace(pay.PayAmount) == "" {
			return p // already reported, or a payment without its amount: nothing to add up
		}
		paid += order.Fen(n)
	}
	if len(req.PayList) > 0 && paid != req.ActualPayAmount {
		p = append(p, FieldError{"payList", fmt.Sprintf("payments add up to %d fen, actualPayAmount is %d", paid, req.ActualPayAmount)})
	}
	return p
}

// wireSubmit reads a submit request tolerantly (numbers as strings, the
// old item names productWeightUnit and sharePrice).
type wireSubmit struct {
	ThirdOrderCode  String `json:"thirdOrderCode"`
	StoreID         String `json:"storeId"`
	StoreName       String `json:"storeName"`
	ActualPayAmount Int    `json:"actualPayAmount"`
	OriginalAmount  Int    `json:"originalAmount"`
	DeliverAmount   Int    `json:"deliverAmount"`
	DiscountAmount  Int    `json:"discountAmount"`
	BarCounter      String `json:"barCounter"`
	CanRefund       Bool   `json:"canRefund"`
	NeedInvoice     Bool   `json:"needInvoice"`
	OrderClient     Int    `json:"orderClient"`
	Note            String `json:"note"`
	OrderStatus     Int    `json:"orderStatus"`
	OrderType       Int    `json:"orderType"`
	PayChannel      String `json:"payChannel"`
	PayChannelName  String `json:"payChannelName"`
	PayStatus       Int    `json:"payStatus"`
	PayType         Int    `json:"payType"`
	PayTime         String `json:"payTime"`
	PosCode         String `json:"posCode"`
	Operator        String `json:"operator"`
	UserID          String `json:"userId"`
	UserName        String `json:"userName"`
	NeedBonus       Int    `json:"needBonus"`
	Items           []struct {
		wireItem
		ThirdCateCode String `json:"thirdCateCode"`
		NeedBonus     String `json:"needBonus"`
	} `json:"orderItemList"`
	PayList []struct {
		PayChannel     String `json:"payChannel"`
		PayChannelName String `json:"payChannelName"`
		PayType        String `json:"payType"`
		PayAmount      String `json:"payAmount"`
		PayStatus      String `json:"payStatus"`
		PayTime        String `json:"payTime"`
	} `json:"payList"`
}

// numeric keys whose value must be a number (or a numeric string).
var (
	submitNumeric = []string{"actualPayAmount", "originalAmount", "deliverAmount", "discountAmount",
		"orderClient", "orderStatus", "orderType", "needBonus", "payStatus", "payType"}
	submitItemNumeric = []string{"productSeq", "productPrice", "productQuantity", "productSharePrice", "weight"}
)

// DecodeSubmitRequest reads a submit request in the wire shape (the shape
// of seed 001, old item names included). It reports required keys that are
// absent, numeric fields that are not numbers, and everything
// ValidateSubmit finds. Duplicate keys keep the last value.
func DecodeSubmitRequest(raw []byte) (SubmitRequest, []FieldError) {
	var top map[string]json.RawMessage
	if err := decodeLenient(bytes.TrimSpace(raw), &top); err != nil || top == nil {
		return SubmitRequest{}, []FieldError{{"body", "is not a JSON object"}}
	}
	// A value of the wrong JSON type stops the typed decoder; the key pass
	// below names the field, so the partial result is still used.
	var w wireSubmit
	decodeErr := decodeLenient(bytes.TrimSpace(raw), &w)
	req := SubmitRequest{
		ThirdOrderCode: str(w.ThirdOrderCode), StoreID: str(w.StoreID), StoreName: str(w.StoreName),
		ActualPayAmount: order.Fen(w.ActualPayAmount), OriginalAmount: order.Fen(w.OriginalAmount),
		DeliverAmount: order.Fen(w.DeliverAmount), DiscountAmount: order.Fen(w.DiscountAmount),
		BarCounter: str(w.BarCounter), CanRefund: bool(w.CanRefund), NeedInvoice: bool(w.NeedInvoice),
		OrderClient: int(w.OrderClient), Note: string(w.Note), OrderStatus: int(w.OrderStatus),
		OrderType: int(w.OrderType), PayChannel: str(w.PayChannel), PayChannelName: str(w.PayChannelName),
		PayStatus: int(w.PayStatus), PayType: int(w.PayType), PayTime: str(w.PayTime), PosCode: str(w.PosCode),
		Operator: str(w.Operator), UserID: str(w.UserID), UserName: str(w.UserName), NeedBonus: int(w.NeedBonus),
	}
	for _, it := range w.Items {
		item := it.wireItem.toItem()
		req.Items = append(req.Items, SubmitItem{
			ProductSeq: item.Seq, ProductID: item.ProductID, ThirdProductID: item.ThirdProductID,
			ProductName: item.Name, ProductPrice: item.Price, ProductQuantity: item.Quantity,
			ProductSharePrice: item.SharePrice, ProductUnit: item.Unit, ProductWeightUnit: item.Unit, Weight: item.WeightGrams,
			ProductSpecName: item.Spec, ProductProperty: item.Property,
			ThirdCateCode: str(it.ThirdCateCode), NeedBonus: str(it.NeedBonus),
		})
	}
	for _, pay := range w.PayList {
		req.PayList = append(req.PayList, SubmitPay{
			PayChannel: str(pay.PayChannel), PayChannelName: str(pay.PayChannelName), PayType: str(pay.PayType),
			PayAmount: str(pay.PayAmount), PayStatus: str(pay.PayStatus), PayTime: str(pay.PayTime),
		})
	}

	var items []map[string]json.RawMessage
	_ = json.Unmarshal(top["orderItemList"], &items)
	var p []FieldError
	for _, k := range submitRequired {
		if _, ok := top[k]; !ok {
			p = append(p, FieldError{k, "is required"})
		}
	}
	p = append(p, notNumbers("", top, submitNumeric)...)
	for i, it := range items {
		prefix := fmt.Sprintf("orderItemList[%d].", i)
		for _, k := range submitItemRequired {
			if _, ok := it[k]; !ok {
				p = append(p, FieldError{prefix + k, "is required"})
			}
		}
		p = append(p, notNumbers(prefix, it, submitItemNumeric)...)
	}
	if decodeErr != nil && len(p) == 0 {
		p = append(p, FieldError{"body", "is not a submit request: " + decodeErr.Error()})
	}
	for _, f := range ValidateSubmit(req) {
		if !slices.ContainsFunc(p, func(x FieldError) bool { return x.Field == f.Field }) {
			p = append(p, f)
		}
	}
	return req, p
}

// notNumbers reports the keys of obj whose value is present but not a number.
func notNumbers(prefix string, obj map[string]json.RawMessage, keys []string) []FieldError {
	var p []FieldError
	for _, k := range keys {
		v, ok := obj[k]
		if !ok {
			continue
		}
		s, err := flexString(v)
		s = strings.TrimSpace(s)
		if _, numeric := parseIntText(s); err != nil || s == "" || !numeric {
			p = append(p, FieldError{prefix + k, "must be a number"})
		}
	}
	return p
}

// Submit uploads an offline order once with transaction id txID and returns
// the platform's order code.
func (c *Client) Submit(ctx context.Context, txID string, req SubmitRequest) (string, error) {
	if err := invalid(PathSubmit, ValidateSubmit(req)); err != nil {
		return "", err
	}
	req.Items = slices.Clone(req.Items)
	for i := range req.Items {
		it := &req.Items[i]
		it.ProductUnit = firstNonEmpty(it.ProductUnit, it.ProductWeightUnit)
		it.ProductWeightUnit = it.ProductUnit
	}
	r, err := c.command(ctx, PathSubmit, txID, req)
	if err != nil {
		return "", err
	}
	code, derr := DecodeSubmitBody(r.resp.Body)
	if derr != nil || code == "" {
		// Accepted but no readable code: the order exists; reconciliation finds it.
		c.log.Warn("kaigedian submit accepted without a readable orderCode", "tx", txID, "err", derr)
		return "", nil
	}
	return code, nil
}

func isDocumentedTime(s string) bool {
	_, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(s), Shanghai)
	return err == nil
}
