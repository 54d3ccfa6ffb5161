package fake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// The endpoint handlers run with p.mu held.

func (p *Platform) handleBatchQuery(b *body, _ string) result {
	storeID := b.str("storeId")
	if storeID == "" {
		return missing("storeId")
	}
	start, end := p.defaultWindow(b)
	clients, _ := b.ints("orderClients")
	statuses, _ := b.ints("orderStatus")
	count := p.count(b)
	matches := p.sortedOrders(func(fo *fakeOrder) bool {
		return fo.o.StoreID == storeID && fo.updatedMs >= start && fo.updatedMs <= end &&
			(len(clients) == 0 || slices.Contains(clients, int(fo.o.Channel))) &&
			(len(statuses) == 0 || slices.Contains(statuses, fo.status))
	}, byUpdated)
	page := matches[:min(count, len(matches))]
	// nextStartTimestamp is the newest update time of the page: the next
	// page starts at it, so the boundary orders come back (documented).
	next := start
	items := make([]wireHeader, 0, len(page))
	nextCode := ""
	for _, fo := range page {
		items = append(items, p.header(fo))
		next, nextCode = fo.updatedMs, fo.o.Code
	}
	res := struct {
		Total              int          `json:"total"`
		Count              int          `json:"count"`
		NextOrderCode      string       `json:"nextOrderCode"`
		NextStartTimestamp any          `json:"nextStartTimestamp"`
		ItemList           []wireHeader `json:"itemList"`
	}{len(matches), count, nextCode, p.quirkNumber(p.cursor(next)), items}
	return ok(res)
}

// defaultWindow reads start/end, defaulting to today 00:00:00.000 –
// 23:59:59.000 server time (Shanghai), as documented.
func (p *Platform) defaultWindow(b *body) (int64, int64) {
	day := kaigedian.StartOfDay(p.now())
	start, okStart := b.int("startTimestamp")
	if !okStart {
		start = day.UnixMilli()
	}
	end, okEnd := b.int("endTimestamp")
	if !okEnd {
		end = day.Add(24*time.Hour - time.Second).UnixMilli()
	}
	return start, end
}

func (p *Platform) count(b *body) int {
	n, okCount := b.int("count")
	if !okCount || n <= 0 {
		return kaigedian.MaxPerCall
	}
	return int(min(n, kaigedian.MaxPerCall))
}

// cursor is a nextStartTimestamp in the unit the platform is set to send.
func (p *Platform) cursor(ms int64) int64 {
	if p.opts.CursorSeconds {
		return ms / 1000
	}
	return ms
}

// quirkNumber sends a long as a string, as the documents' examples do.
func (p *Platform) quirkNumber(n int64) any {
	if p.opts.PlainReplies {
		return n
	}
	return strconv.FormatInt(n, 10)
}

func (p *Platform) handleQueryDetail(b *body, _ string) result {
	codes := b.codes("orderCode", "orderCodes")
	if len(codes) == 0 {
		return missing("orderCode")
	}
	if len(codes) > kaigedian.MaxPerCall {
		return result{code: kaigedian.CodeMissingParam, message: "每次查询订单数量最多10条"}
	}
	out := make([]wireDetail, 0, len(codes))
	for _, code := range codes {
		if fo, found := p.orders[code]; found {
			out = append(out, p.detail(fo, false))
		}
	}
	return ok(out)
}

func (p *Platform) handleHistoryOrders(b *body, _ string) result {
	ts, okTS := b.int("timestamp")
	if !okTS {
		return missing("timestamp")
	}
	storeID := b.str("storeId", "thirdStoreId")
	if storeID == "" {
		return missing("storeId")
	}
	size, okSize := b.int("pageSize")
	if !okSize || size <= 0 {
		size = kaigedian.MaxPerCall
	}
	if size > 100 {
		return result{code: kaigedian.CodeMissingParam, message: "pageSize最大100"}
	}
	num, okNum := b.int("pageNum")
	if !okNum || num <= 0 {
		num = 1
	}
	dayStart := kaigedian.StartOfDay(kaigedian.EpochTime(ts))
	dayEnd := dayStart.Add(24 * time.Hour)
	matches := p.sortedOrders(func(fo *fakeOrder) bool {
		return fo.o.StoreID == storeID && !fo.o.CreatedAt.Before(dayStart) && fo.o.CreatedAt.Before(dayEnd)
	}, byCreated)
	from := min(int((num-1)*size), len(matches))
	to := min(from+int(size), len(matches))
	items := make([]wireDetail, 0, to-from)
	for _, fo := range matches[from:to] {
		items = append(items, p.detail(fo, true))
	}
	return ok(struct {
		Total    int          `json:"total"`
		ItemList []wireDetail `json:"itemList"`
	}{len(matches), items})
}

func (p *Platform) handleQueryRefundOrders(b *body, _ string) result {
	storeID := b.str("storeId")
	start, okStart := b.int("startTimestamp")
	end, okEnd := b.int("endTimestamp")
	statuses, okStatus := b.ints("refundstatus", "refundStatus")
	switch {
	case storeID == "":
		return missing("storeId")
	case !okStart || !okEnd:
		return missing("startTimestamp, endTimestamp")
	case !okStatus || len(statuses) == 0:
		return missing("refundstatus")
	}
	count := p.count(b)
	matches := p.sortedOrders(func(fo *fakeOrder) bool {
		return fo.o.StoreID == storeID && fo.refundStatus != 0 && fo.refundMs >= start && fo.refundMs <= end &&
			slices.Contains(statuses, fo.refundStatus)
	}, byRefund)
	page := matches[:min(count, len(matches))]
	next := start
	type item struct {
		OrderCode    string `json:"orderCode"`
		RefundStatus int    `json:"refundstatus,omitempty"`
	}
	items := make([]item, 0, len(page))
	for _, fo := range page {
		it := item{fo.o.Code, fo.refundStatus}
		if p.opts.RefundItemsBare {
			it.RefundStatus = 0
		}
		items = append(items, it)
		next = fo.refundMs
	}
	res := struct {
		Total              any    `json:"total"`
		NextStartTimestamp any    `json:"nextStartTimestamp"`
		ItemList           []item `json:"itemList"`
	}{p.quirkNumber(int64(len(matches))), p.quirkNumber(p.cursor(next)), items}
	if p.opts.PlainReplies {
		return ok(res)
	}
	// The seed's example ends its itemList with "],\n}": so does the fake.
	text, _ := json.Marshal(res)
	return ok(string(text[:len(text)-1]) + ",\n}")
}

func (p *Platform) handleBatchOrderStatus(b *body, _ string) result {
	codes := b.codes("orderCodes", "orderCode")
	if len(codes) == 0 {
		return missing("orderCodes")
	}
	type item struct {
		OrderCode   string `json:"orderCode"`
		OrderStatus string `json:"orderStatus"` // a String in this endpoint
	}
	items := make([]item, 0, len(codes))
	for _, code := range codes {
		if fo, found := p.orders[code]; found {
			items = append(items, item{code, strconv.Itoa(fo.status)})
		}
	}
	return ok(struct {
		ItemList []item `json:"itemList"`
	}{items})
}

// target finds the order a command names: orderCode, orderCodes (the
// examples' name, a string) or thirdOrderCode.
func (p *Platform) target(b *body) (*fakeOrder, result, bool) {
	codes := b.codes("orderCode", "orderCodes")
	if len(codes) == 0 {
		if third := b.str("thirdOrderCode"); third != "" {
			for _, fo := range p.orders {
				if fo.o.ThirdCode == third {
					return fo, result{}, true
				}
			}
			return nil, refused("订单不存在"), false
		}
		return nil, missing("orderCode"), false
	}
	if len(codes) > 1 {
		return nil, result{code: kaigedian.CodeMissingParam, message: "一次只能操作一个订单"}, false
	}
	fo, found := p.orders[codes[0]]
	if !found {
		return nil, refused("订单不存在"), false
	}
	return fo, result{}, true
}

func (p *Platform) handleStatusOperation(b *body, txID string) result {
	fo, res, found := p.target(b)
	if !found {
		return res
	}
	status, reason, hasStatus := b.statusAndReason()
	if !hasStatus {
		return missing("orderStatus")
	}
	if !slices.Contains([]int{3, 4, 5, 7, 31}, status) {
		return result{code: kaigedian.CodeMissingParam, message: fmt.Sprintf("orderStatus参数错误: %d", status)}
	}
	op := Operation{Path: kaigedian.PathStatusOperation, TransactionID: txID, OrderStatus: status,
		Reason: reason, Operator: b.str("operator"), At: p.now(), OrderClient: b.str("orderClient")}
	if status == kaigedian.PlatformDelivering {
		info, okInfo := deliveryInfo(b)
		if !okInfo {
			return missing("deliveryInfo.contactsName, deliveryInfo.mobile")
		}
		op.Delivery = info
	}
	if err := p.applyStatusOperation(fo, op); err != nil {
		return refused(err.Error())
	}
	return ok(nil)
}

// deliveryInfo reads the courier: an object per the table, or the array
// of the 2019-07-05 example (spec §7 #16).
func deliveryInfo(b *body) (*kaigedian.DeliveryInfo, bool) {
	raw, present := b.fields["deliveryInfo"]
	if !present {
		return nil, false
	}
	var list []kaigedian.DeliveryInfo
	var one kaigedian.DeliveryInfo
	switch {
	case json.Unmarshal(raw, &one) == nil:
	case json.Unmarshal(raw, &list) == nil && len(list) > 0:
		one = list[0]
	default:
		return nil, false
	}
	if strings.TrimSpace(one.ContactsName) == "" || strings.TrimSpace(one.Mobile) == "" {
		return nil, false
	}
	return &one, true
}

func (p *Platform) handleRefundOperation(b *body, txID string) result {
	fo, res, found := p.target(b)
	if !found {
		return res
	}
	action, okAction := b.int("action")
	if !okAction || (action != 1 && action != 2) {
		return missing("action (1 同意, 2 拒绝)")
	}
	op := Operation{Path: kaigedian.PathRefundOperation, TransactionID: txID, Action: int(action),
		Reason: b.str("reason"), Operator: b.str("operator"), At: p.now()}
	if err := p.applyRefundOperation(fo, op); err != nil {
		return refused(err.Error())
	}
	return ok(nil)
}

func (p *Platform) handleCancel(b *body, txID string) result {
	fo, res, found := p.target(b)
	if !found {
		return res
	}
	reason := b.str("reason")
	if reason == "" {
		return missing("reason")
	}
	op := Operation{Path: kaigedian.PathCancel, TransactionID: txID, Reason: reason, Operator: b.str("operator"), At: p.now(),
		OrderClient: b.str("orderClient")}
	if err := p.applyCancel(fo, op); err != nil {
		return refused(err.Error())
	}
	return ok(nil)
}

func (p *Platform) handleSubmit(b *body, _ string) result {
	raw, _ := json.Marshal(b.fields)
	req, problems := kaigedian.DecodeSubmitRequest(raw)
	var missingFields []string
	// The newest table's required keys: deliverAmount and discountAmount
	// too, which seed 001's example lacks.
	for _, k := range kaigedian.SubmitWireRequired {
		if _, present := b.fields[k]; !present {
			missingFields = append(missingFields, k)
		}
	}
	for _, f := range problems {
		// The platform checks presence and types; formats and sums are the merchant's business.
		if (f.Problem == "is required" || f.Problem == "must be a number" || f.Field == "body") && !slices.Contains(missingFields, f.Field) {
			missingFields = append(missingFields, f.Field)
		}
	}
	if len(missingFields) > 0 {
		return missing("%s", strings.Join(missingFields, ", "))
	}
	o := order.Order{
		StoreID: req.StoreID, StoreName: req.StoreName, ThirdCode: req.ThirdOrderCode,
		Channel: order.Channel(req.OrderClient), Type: order.Type(req.OrderType), PlatformStatus: req.OrderStatus,
		Table: req.BarCounter, Note: req.Note, UserID: req.UserID, UserName: req.UserName,
		ActualPay: req.ActualPayAmount, Original: req.OriginalAmount, Discount: req.DiscountAmount,
		DeliverFee: req.DeliverAmount, PayChannel: req.PayChannel, PayChannelName: req.PayChannelName,
		PayType: req.PayType, PayStatus: req.PayStatus, NeedInvoice: req.NeedInvoice, CreatedAt: p.now(),
	}
	if t, okTime := kaigedian.ParseTime(req.PayTime); okTime {
		o.PaidAt = t
	}
	for _, it := range req.Items {
		o.Items = append(o.Items, order.Item{
			Seq: it.ProductSeq, ProductID: it.ProductID, ThirdProductID: it.ThirdProductID, Name: it.ProductName,
			Price: it.ProductPrice, Quantity: it.ProductQuantity, SharePrice: it.ProductSharePrice,
			Unit: it.ProductUnit, WeightGrams: it.Weight, Spec: it.ProductSpecName, Property: it.ProductProperty,
			ProductType: 1,
		})
	}
	fo := p.insert(o, time.Time{})
	return ok(map[string]string{"orderCode": fo.o.Code})
}
