package kaigedian

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
)

// Endpoint paths (§3).
const (
	PathSubmit            = "/order/submit"
	PathBatchQuery        = "/order/batchQuery"
	PathQueryDetail       = "/order/queryDetail"
	PathHistoryOrders     = "/order/historyOrders"
	PathQueryRefundOrders = "/order/queryRefundOrders"
	PathBatchOrderStatus  = "/order/batchOrderStatus"
	PathStatusOperation   = "/order/statusOperation"
	PathRefundOperation   = "/order/refundOperation"
	PathCancel            = "/order/cancel"
)

// MaxPerCall is the documented limit of list counts and codes per call.
const MaxPerCall = 10

// AllOrderClients are the channels of §5.1, sent in batchQuery by default.
var AllOrderClients = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 24}

// AllOrderStatuses are the statuses of §5.2, sent in batchQuery by default.
var AllOrderStatuses = []int{1, 2, 3, 31, 4, 5, 6, 7}

// BatchQueryRequest asks for the orders of a store updated in [Start, End].
type BatchQueryRequest struct {
	StoreID string
	// Start and End bound the update time. A zero Start is the start of
	// End's day (Shanghai); a zero End is now. Both are always sent, in ms.
	Start, End   time.Time
	OrderClients []int // default: Config.OrderClients, else AllOrderClients
	OrderStatus  []int // default: Config.OrderStatuses, else AllOrderStatuses
	Count        int   // 1..10, default 10
}

// BatchQueryResult is one page of batchQuery.
type BatchQueryResult struct {
	Total int
	Count int
	// NextStartTimestamp (ms) is the newest update time of this page: the
	// next page starts there, so the boundary orders come back again.
	NextStartTimestamp int64
	NextOrderCode      string // deprecated by the platform
	Items              []OrderHeader
}

// OrderHeader is one batchQuery entry: the header of an order, no lines.
type OrderHeader struct {
	Code           string
	StoreID        string
	PlatformStatus int
	OrderType      order.Type
	Order          order.Order
	Raw            json.RawMessage
}

type wireBatchQuery struct {
	StartTimestamp int64  `json:"startTimestamp"`
	EndTimestamp   int64  `json:"endTimestamp"`
	OrderClients   []int  `json:"orderClients"`
	StoreID        string `json:"storeId"`
	OrderStatus    []int  `json:"orderStatus"`
	Count          int    `json:"count"`
}

type wireList struct {
	Total              Int               `json:"total"`
	Count              Int               `json:"count"`
	NextOrderCode      String            `json:"nextOrderCode"`
	NextStartTimestamp Int               `json:"nextStartTimestamp"`
	ItemList           []json.RawMessage `json:"itemList"`
}

// BatchQuery lists order headers by update time (§3.1). Fetch the lines with
// QueryDetail.
func (c *Client) BatchQuery(ctx context.Context, req BatchQueryRequest) (*BatchQueryResult, error) {
	start, end, problems := c.window(req.StoreID, req.Start, req.End)
	count, p := countParam(req.Count)
	problems = append(problems, p...)
	if err := invalid(PathBatchQuery, problems); err != nil {
		return nil, err
	}
	clients := firstList(req.OrderClients, c.cfg.OrderClients, AllOrderClients)
	statuses := firstList(req.OrderStatus, c.cfg.OrderStatuses, AllOrderStatuses)
	body := wireBatchQuery{
		StartTimestamp: start.UnixMilli(), EndTimestamp: end.UnixMilli(),
		OrderClients: clients, StoreID: strings.TrimSpace(req.StoreID), OrderStatus: statuses, Count: count,
	}
	var res *BatchQueryResult
	err := c.queryDecode(ctx, PathBatchQuery, body, func(b []byte) (err error) {
		res, err = DecodeBatchQueryBody(b)
		return err
	})
	return res, err
}

// QueryDetail fetches full orders (§3.2), ten codes per call. Codes the
// platform does not know are simply absent from the result.
func (c *Client) QueryDetail(ctx context.Context, codes []string) ([]Detail, error) {
	codes, problems := cleanCodes("orderCode", codes)
	if err := invalid(PathQueryDetail, problems); err != nil {
		return nil, err
	}
	var out []Detail
	for batch := range slices.Chunk(codes, MaxPerCall) {
		err := c.queryDecode(ctx, PathQueryDetail, map[string][]string{"orderCode": batch}, func(b []byte) error {
			details, err := DecodeDetailBody(b)
			if err == nil {
				out = append(out, details...)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HistoryRequest asks for one page of one day's orders (§3.3).
type HistoryRequest struct {
	StoreID  string
	Day      time.Time // any instant of the day (Shanghai calendar)
	PageNum  int       // from 1 (default 1)
	PageSize int       // 1..100 (default 10: the text also says "at most 10")
}

// HistoryResult is one page of historyOrders.
type HistoryResult struct {
	Total int
	Items []Detail
}

// HistoryOrders reads a day's orders with their lines (§3.3).
func (c *Client) HistoryOrders(ctx context.Context, req HistoryRequest) (*HistoryResult, error) {
	var problems []FieldError
	if strings.TrimSpace(req.StoreID) == "" {
		problems = append(problems, FieldError{"storeId", "is empty"})
	}
	if req.Day.IsZero() {
		problems = append(problems, FieldError{"timestamp", "no day given"})
	}
	if req.PageNum == 0 {
		req.PageNum = 1
	}
	if req.PageSize == 0 {
		req.PageSize = MaxPerCall
	}
	if req.PageNum < 1 {
		problems = append(problems, FieldError{"pageNum", "must be 1 or more"})
	}
	if req.PageSize < 1 || req.PageSize > 100 {
		problems = append(problems, FieldError{"pageSize", "must be 1..100"})
	}
	if err := invalid(PathHistoryOrders, problems); err != nil {
		return nil, err
	}
	body := struct {
		Timestamp int64  `json:"timestamp"`
		StoreID   string `json:"storeId"`
		PageSize  int    `json:"pageSize"`
		PageNum   int    `json:"pageNum"`
	}{req.Day.UnixMilli(), strings.TrimSpace(req.StoreID), req.PageSize, req.PageNum}
	var res *HistoryResult
	err := c.queryDecode(ctx, PathHistoryOrders, body, func(b []byte) (err error) {
		res, err = DecodeHistoryBody(b)
		return err
	})
	return res, err
}

// RefundQueryRequest asks for orders whose refund state changed in [Start, End].
type RefundQueryRequest struct {
	StoreID    string
	Start, End time.Time // zero Start = start of End's day; zero End = now
	Statuses   []int     // §5.4a: 1 pending, 3 refused, 5 done (default [1])
	Count      int       // 1..10, default 10
}

// RefundQueryResult is one page of queryRefundOrders.
type RefundQueryResult struct {
	Total              int
	NextStartTimestamp int64
	Items              []RefundItem
}

// RefundItem is one order with a refund.
type RefundItem struct {
	Code         string
	RefundStatus int
}

// QueryRefundOrders lists refund orders by update time (§3.4).
func (c *Client) QueryRefundOrders(ctx context.Context, req RefundQueryRequest) (*RefundQueryResult, error) {
	start, end, problems := c.window(req.StoreID, req.Start, req.End)
	count, p := countParam(req.Count)
	problems = append(problems, p...)
	if err := invalid(PathQueryRefundOrders, problems); err != nil {
		return nil, err
	}
	statuses := req.Statuses
	if len(statuses) == 0 {
		statuses = []int{1}
	}
	body := struct {
		StartTimestamp int64  `json:"startTimestamp"`
		EndTimestamp   int64  `json:"endTimestamp"`
		StoreID        string `json:"storeId"`
		RefundStatus   []int  `json:"refundstatus"`
		Count          int    `json:"count"`
	}{start.UnixMilli(), end.UnixMilli(), strings.TrimSpace(req.StoreID), statuses, count}
	var res *RefundQueryResult
	err := c.queryDecode(ctx, PathQueryRefundOrders, body, func(b []byte) (err error) {
		res, err = DecodeRefundOrdersBody(b)
		return err
	})
	return res, err
}

// OrderStatus is the platform status of one order.
type OrderStatus struct {
	Code           string
	PlatformStatus int
	Raw            string // orderStatus as sent (a String in this endpoint)
}

// BatchOrderStatus reads the current status of orders (§3.5), ten per call.
func (c *Client) BatchOrderStatus(ctx context.Context, codes []string) ([]OrderStatus, error) {
	codes, problems := cleanCodes("orderCodes", codes)
	if err := invalid(PathBatchOrderStatus, problems); err != nil {
		return nil, err
	}
	var out []OrderStatus
	for batch := range slices.Chunk(codes, MaxPerCall) {
		err := c.queryDecode(ctx, PathBatchOrderStatus, map[string][]string{"orderCodes": batch}, func(b []byte) error {
			items, err := DecodeOrderStatusBody(b)
			if err == nil {
				out = append(out, items...)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ProbeResult is what doctor needs: the platform clock and the round trip.
type ProbeResult struct {
	ServerTime time.Time // from the HTTP Date header; zero when absent
	Latency    time.Duration
}

// Probe sends one harmless signed query (a one-second batchQuery of
// storeID) without retries: it checks the address, credentials and
// signature, and measures clock skew. The result is filled whenever the
// platform answered, even with an error code.
func (c *Client) Probe(ctx context.Context, storeID string) (ProbeResult, error) {
	if strings.TrimSpace(storeID) == "" {
		return ProbeResult{}, invalid("probe", []FieldError{{"storeId", "is empty"}})
	}
	now := c.now()
	body := wireBatchQuery{
		StartTimestamp: now.Add(-time.Second).UnixMilli(), EndTimestamp: now.UnixMilli(),
		OrderClients: firstList(c.cfg.OrderClients, AllOrderClients), StoreID: storeID,
		OrderStatus: []int{PlatformNew}, Count: 1,
	}
	r, err := c.call(ctx, PathBatchQuery, NewTransactionID(), body)
	if r == nil {
		return ProbeResult{}, err
	}
	return ProbeResult{ServerTime: r.serverDate, Latency: r.latency}, err
}

// window resolves and checks a [start, end] update-time window.
func (c *Client) window(storeID string, start, end time.Time) (time.Time, time.Time, []FieldError) {
	var problems []FieldError
	if strings.TrimSpace(storeID) == "" {
		problems = append(problems, FieldError{"storeId", "is empty"})
	}
	if end.IsZero() {
		end = c.now()
	}
	if start.IsZero() {
		start = StartOfDay(end)
	}
	if start.After(end) {
		problems = append(problems, FieldError{"startTimestamp", "is after endTimestamp"})
	}
	return start, end, problems
}

func countParam(n int) (int, []FieldError) {
	switch {
	case n == 0:
		return MaxPerCall, nil
	case n < 0 || n > MaxPerCall:
		return 0, []FieldError{{"count", fmt.Sprintf("must be 1..%d", MaxPerCall)}}
	}
	return n, nil
}

// cleanCodes trims codes, drops duplicates and refuses empty ones.
func cleanCodes(field string, codes []string) ([]string, []FieldError) {
	out := make([]string, 0, len(codes))
	seen := make(map[string]bool, len(codes))
	var problems []FieldError
	for i, code := range codes {
		code = strings.TrimSpace(code)
		if code == "" {
			problems = append(problems, FieldError{fmt.Sprintf("%s[%d]", field, i), "is empty"})
			continue
		}
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	return out, problems
}

func firstList(lists ...[]int) []int {
	for _, l := range lists {
		if len(l) > 0 {
			return l
		}
	}
	return nil
}
