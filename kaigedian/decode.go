package kaigedian

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Decoders of response bodies (Response.Body), exported so that stored raw
// JSON can be read again with the same rules as a live reply.

// DecodeOrder reads one order object of queryDetail, historyOrders or
// batchQuery (for example the raw JSON kept by the store).
func DecodeOrder(raw []byte) (Detail, error) {
	var w wireOrder
	if err := decodeLenient(bytes.TrimSpace(raw), &w); err != nil {
		return Detail{}, fmt.Errorf("order: %w", err)
	}
	return Detail{Order: w.toOrder(), Extra: w.extra(), Raw: append(json.RawMessage(nil), raw...)}, nil
}

// DecodeDetailBody reads a queryDetail body: the documented array, and
// tolerantly an object with itemList or a single order object.
func DecodeDetailBody(body []byte) ([]Detail, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, nil
	}
	var items []json.RawMessage
	if body[0] == '[' {
		if err := decodeLenient(body, &items); err != nil {
			return nil, err
		}
		return decodeOrders(items)
	}
	var obj struct {
		ItemList  []json.RawMessage `json:"itemList"`
		OrderCode *String           `json:"orderCode"`
	}
	if err := decodeLenient(body, &obj); err != nil {
		return nil, err
	}
	switch {
	case obj.ItemList != nil:
		return decodeOrders(obj.ItemList)
	case obj.OrderCode != nil:
		d, err := DecodeOrder(body)
		if err != nil {
			return nil, err
		}
		return []Detail{d}, nil
	}
	return nil, errors.New("responseBody is neither an order list nor an order")
}

// DecodeBatchQueryBody reads a batchQuery body.
func DecodeBatchQueryBody(body []byte) (*BatchQueryResult, error) {
	var w wireList
	if err := decodeBodyInto(body, &w); err != nil {
		return nil, err
	}
	res := &BatchQueryResult{
		Total: int(w.Total), Count: int(w.Count),
		NextStartTimestamp: cursorMillis(int64(w.NextStartTimestamp)), NextOrderCode: str(w.NextOrderCode),
	}
	details, err := decodeOrders(w.ItemList)
	if err != nil {
		return nil, err
	}
	for _, d := range details {
		res.Items = append(res.Items, OrderHeader{
			Code: d.Order.Code, StoreID: d.Order.StoreID, PlatformStatus: d.Order.PlatformStatus,
			OrderType: d.Order.Type, Order: d.Order, Raw: d.Raw,
		})
	}
	return res, nil
}

// DecodeHistoryBody reads a historyOrders body.
func DecodeHistoryBody(body []byte) (*HistoryResult, error) {
	var w wireList
	if err := decodeBodyInto(body, &w); err != nil {
		return nil, err
	}
	details, err := decodeOrders(w.ItemList)
	if err != nil {
		return nil, err
	}
	return &HistoryResult{Total: int(w.Total), Items: details}, nil
}

// DecodeRefundOrdersBody reads a queryRefundOrders body.
func DecodeRefundOrdersBody(body []byte) (*RefundQueryResult, error) {
	var w struct {
		Total              Int `json:"total"`
		NextStartTimestamp Int `json:"nextStartTimestamp"`
		ItemList           []struct {
			OrderCode    String `json:"orderCode"`
			RefundStatus Int    `json:"refundstatus"` // case-insensitive: refundStatus too
		} `json:"itemList"`
	}
	if err := decodeBodyInto(body, &w); err != nil {
		return nil, err
	}
	res := &RefundQueryResult{Total: int(w.Total), NextStartTimestamp: cursorMillis(int64(w.NextStartTimestamp))}
	for _, it := range w.ItemList {
		res.Items = append(res.Items, RefundItem{Code: str(it.OrderCode), RefundStatus: int(it.RefundStatus)})
	}
	return res, nil
}

// DecodeOrderStatusBody reads a batchOrderStatus body.
func DecodeOrderStatusBody(body []byte) ([]OrderStatus, error) {
	var w struct {
		ItemList []struct {
			OrderCode   String `json:"orderCode"`
			OrderStatus String `json:"orderStatus"`
		} `json:"itemList"`
	}
	if err := decodeBodyInto(body, &w); err != nil {
		return nil, err
	}
	out := make([]OrderStatus, 0, len(w.ItemList))
	for _, it := range w.ItemList {
		raw := str(it.OrderStatus)
		n, _ := parseIntText(raw)
		out = append(out, OrderStatus{Code: str(it.OrderCode), PlatformStatus: int(n), Raw: raw})
	}
	return out, nil
}

// DecodeSubmitBody reads the order code of a submit reply: {"orderCode":…}
// or, tolerantly, a bare code.
func DecodeSubmitBody(body []byte) (string, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", nil
	}
	if body[0] == '{' {
		var w struct {
			OrderCode String `json:"orderCode"`
		}
		if err := decodeLenient(body, &w); err != nil {
			return "", err
		}
		return str(w.OrderCode), nil
	}
	s, err := flexString(body)
	return strings.TrimSpace(s), err
}

// decodeBodyInto decodes an object body; an empty body leaves v zero.
func decodeBodyInto(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	return decodeLenient(body, v)
}

// cursorMillis reads a nextStartTimestamp in milliseconds: a value below
// 10^11 is epoch seconds, the unit of the lists until 2019-05 (§7 #9). Used
// as it came, a cursor in seconds lies decades before a start in
// milliseconds, so it never moved and every page after the first was lost.
func cursorMillis(n int64) int64 {
	if n > 0 && n < 1e11 {
		return n * 1000
	}
	return n
}
