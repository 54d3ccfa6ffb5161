package fake

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// fakeOrder is the platform's record of one order.
type fakeOrder struct {
	o            order.Order
	status       int
	cancelType   int
	cancelStatus int
	cancelReason string
	refundStatus int // §5.4b; 0 = never asked
	refundType   int
	refundReason string
	updatedMs    int64 // batchQuery cursor time
	refundMs     int64 // queryRefundOrders cursor time
	deliveryID   string
	delivery     *kaigedian.DeliveryInfo
	ops          []Operation
}

// Operation is a merchant call applied to an order.
type Operation struct {
	Path          string
	TransactionID string
	OrderStatus   int // statusOperation
	Action        int // refundOperation
	Reason        string
	Operator      string
	Delivery      *kaigedian.DeliveryInfo
	At            time.Time
	// OrderClient is the orderClient the call sent ("" when absent); the
	// 围餐 calls and statusOperation for 围餐 orders send "19".
	OrderClient string
	// Items are the lines of updateOrderItem / payAfterSyncOrderInfo.
	Items []order.Item
	// Settlement is payAfterSyncOrderInfo's amounts.
	Settlement *Settlement
}

// Settlement is what payAfterSyncOrderInfo reported.
type Settlement struct {
	Original, Discount, ActualPay, Settlement order.Fen
	PosCode, PayChannel, PayChannelName       string
	PayTime                                   string
}

// OrderSnapshot is the platform-side state of an order, for tests.
type OrderSnapshot struct {
	Order          order.Order
	PlatformStatus int
	CancelType     int
	CancelStatus   int
	CancelReason   string
	RefundStatus   int
	RefundType     int
	RefundReason   string
	UpdatedAtMs    int64
	RefundAtMs     int64
	Operations     []Operation
}

func (fo *fakeOrder) snapshot() OrderSnapshot {
	o := fo.o
	o.Items = slices.Clone(o.Items)
	return OrderSnapshot{
		Order: o, PlatformStatus: fo.status, CancelType: fo.cancelType, CancelStatus: fo.cancelStatus,
		CancelReason: fo.cancelReason, RefundStatus: fo.refundStatus, RefundType: fo.refundType,
		RefundReason: fo.refundReason, UpdatedAtMs: fo.updatedMs, RefundAtMs: fo.refundMs,
		Operations: slices.Clone(fo.ops),
	}
}

// Order returns the platform state of code.
func (p *Platform) Order(code string) (OrderSnapshot, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return OrderSnapshot{}, false
	}
	return fo.snapshot(), true
}

// Orders returns every order, sorted by update time then code.
func (p *Platform) Orders() []OrderSnapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]OrderSnapshot, 0, len(p.orders))
	for _, fo := range p.sortedOrders(func(*fakeOrder) bool { return true }, byUpdated) {
		out = append(out, fo.snapshot())
	}
	return out
}

// touch records a change of the order now.
func (p *Platform) touch(fo *fakeOrder) {
	fo.updatedMs = p.now().UnixMilli()
}

func (p *Platform) setStatus(fo *fakeOrder, status int) {
	fo.status = status
	fo.o.PlatformStatus = status
	p.touch(fo)
}

// errState is an operation the platform state machine refuses (code 500).
type errState string

func (e errState) Error() string { return string(e) }

// CancelByUser is the customer cancelling before the store accepted: the
// platform refunds by itself and pushes status 6, cancelType 2, cancelStatus 5.
func (p *Platform) CancelByUser(code, reason string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	if fo.status != kaigedian.PlatformNew && fo.status != kaigedian.PlatformPendingPayment {
		return fmt.Errorf("fake: order %s is in status %d; after accept the customer asks for a refund (RequestRefund)", code, fo.status)
	}
	if reason == "" {
		reason = "用户取消"
	}
	fo.cancelType, fo.cancelStatus, fo.cancelReason = 2, 5, reason
	p.setStatus(fo, kaigedian.PlatformCancelled)
	p.pushStatus(fo)
	return nil
}

// RequestRefund is the customer asking for a refund after the store
// accepted: cancelStatus 1 on the order push and refundStatus 1 on the
// refund push (seed 000 flow 3).
func (p *Platform) RequestRefund(code, reason string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	switch fo.status {
	case kaigedian.PlatformAccepted, kaigedian.PlatformMade, kaigedian.PlatformDelivering, kaigedian.PlatformCompleted:
	default:
		return fmt.Errorf("fake: order %s is in status %d; a refund can be asked only after accept", code, fo.status)
	}
	if fo.refundStatus == 1 {
		return fmt.Errorf("fake: order %s already has a pending refund request", code)
	}
	if reason == "" {
		reason = "不想要了"
	}
	refundType := 2
	if fo.status == kaigedian.PlatformCompleted {
		refundType = 8 // after-sales
	}
	fo.refundStatus, fo.refundType, fo.refundReason = 1, refundType, reason
	fo.cancelStatus, fo.cancelType, fo.cancelReason = 1, refundType, reason
	p.touch(fo)
	fo.refundMs = fo.updatedMs
	p.pushStatus(fo)
	p.pushRefund(fo)
	return nil
}

// WithdrawRefund is the customer taking back a pending refund request.
func (p *Platform) WithdrawRefund(code string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	if fo.refundStatus != 1 {
		return fmt.Errorf("fake: order %s has no pending refund request", code)
	}
	fo.refundStatus, fo.cancelStatus = 6, 6
	p.touch(fo)
	fo.refundMs = fo.updatedMs
	p.pushStatus(fo)
	p.pushRefund(fo)
	return nil
}

// SetRefund puts an order's refund in status (1 pending, 3 refused, 5 done:
// then the order is cancelled) as of at, without a push: what the refund
// poll finds after pushes were lost, many refunds sharing one millisecond.
func (p *Platform) SetRefund(code string, status int, at time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	switch status {
	case 1, 3:
	case 5:
		fo.status, fo.o.PlatformStatus = kaigedian.PlatformCancelled, kaigedian.PlatformCancelled
	default:
		return fmt.Errorf("fake: refund status %d is not 1, 3 or 5", status)
	}
	if fo.refundType == 0 {
		fo.refundType, fo.refundReason = 2, "不想要了"
	}
	fo.refundStatus, fo.cancelStatus, fo.cancelType, fo.cancelReason = status, status, fo.refundType, fo.refundReason
	fo.refundMs, fo.updatedMs = at.UnixMilli(), at.UnixMilli()
	return nil
}

// SetStatus moves an order on the platform side (auto-complete timers,
// accept-timeout cancel, staff in the 开个店 back office) and pushes it.
func (p *Platform) SetStatus(code string, status int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	if status == kaigedian.PlatformCancelled && fo.cancelType == 0 {
		fo.cancelType, fo.cancelStatus, fo.cancelReason = 9, 5, "系统取消"
		if fo.status == kaigedian.PlatformNew {
			fo.cancelType, fo.cancelReason = 5, "商户接单超时取消"
		}
	}
	p.setStatus(fo, status)
	p.pushStatus(fo)
	return nil
}

// Push sends the current status push of an order again.
func (p *Platform) Push(code string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	p.pushStatus(fo)
	return nil
}

// RemindPrepare sends an order event push (eventType 1, 备餐提醒).
func (p *Platform) RemindPrepare(code string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.orders[code]; !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	p.pushEvent(code, 1)
	return nil
}

// applyStatusOperation is the platform state machine for /order/statusOperation.
func (p *Platform) applyStatusOperation(fo *fakeOrder, op Operation) error {
	switch fo.status {
	case kaigedian.PlatformCancelled:
		return errState(fmt.Sprintf("订单已取消，不能%s", opVerb(op.OrderStatus)))
	case kaigedian.PlatformRejected:
		return errState(fmt.Sprintf("订单已拒单，不能%s", opVerb(op.OrderStatus)))
	}
	if fo.refundStatus == 1 && op.OrderStatus != kaigedian.PlatformAccepted {
		return errState("订单有待处理的退款申请，请先处理退款")
	}
	allowed := map[int][]int{
		kaigedian.PlatformAccepted:   {kaigedian.PlatformNew},
		kaigedian.PlatformRejected:   {kaigedian.PlatformNew},
		kaigedian.PlatformMade:       {kaigedian.PlatformAccepted},
		kaigedian.PlatformDelivering: {kaigedian.PlatformAccepted, kaigedian.PlatformMade},
		kaigedian.PlatformCompleted:  {kaigedian.PlatformAccepted, kaigedian.PlatformMade, kaigedian.PlatformDelivering},
	}[op.OrderStatus]
	if !slices.Contains(allowed, fo.status) {
		return errState(fmt.Sprintf("订单当前状态为%s，不能%s", statusName(fo.status), opVerb(op.OrderStatus)))
	}
	switch op.OrderStatus {
	case kaigedian.PlatformRejected:
		fo.cancelType, fo.cancelStatus, fo.cancelReason = 6, 5, op.Reason
	case kaigedian.PlatformAccepted:
		fo.o.AcceptedAt = p.now()
	case kaigedian.PlatformDelivering:
		fo.delivery = op.Delivery
		fo.deliveryID = fmt.Sprintf("D%s", fo.o.Code)
	}
	fo.ops = append(fo.ops, op)
	p.setStatus(fo, op.OrderStatus)
	p.pushStatus(fo)
	if op.OrderStatus == kaigedian.PlatformDelivering {
		p.pushDelivery(fo, 5)
	}
	return nil
}

// applyRefundOperation answers a pending refund request.
func (p *Platform) applyRefundOperation(fo *fakeOrder, op Operation) error {
	if fo.refundStatus != 1 {
		return errState("订单没有待处理的退款申请")
	}
	fo.ops = append(fo.ops, op)
	if op.Action == 1 {
		fo.refundStatus, fo.cancelStatus = 5, 5
		fo.status, fo.o.PlatformStatus = kaigedian.PlatformCancelled, kaigedian.PlatformCancelled
	} else {
		fo.refundStatus, fo.cancelStatus = 3, 3
		fo.refundReason = op.Reason
	}
	p.touch(fo)
	fo.refundMs = fo.updatedMs
	p.pushStatus(fo)
	p.pushRefund(fo)
	return nil
}

// applyCancel is the merchant's after-sales refund (/order/cancel).
func (p *Platform) applyCancel(fo *fakeOrder, op Operation) error {
	switch fo.status {
	case kaigedian.PlatformCancelled:
		return errState("订单已取消，不能重复取消")
	case kaigedian.PlatformDelivering:
		return errState("配送中的订单不能取消，请骑手完成配送后再退款")
	case kaigedian.PlatformRejected:
		return errState("订单已拒单，不能取消")
	}
	fo.ops = append(fo.ops, op)
	fo.cancelType, fo.cancelStatus, fo.cancelReason = 3, 5, op.Reason
	if fo.refundStatus == 1 {
		fo.refundStatus = 5
		fo.refundMs = p.now().UnixMilli()
	}
	p.setStatus(fo, kaigedian.PlatformCancelled)
	p.pushStatus(fo)
	return nil
}

func opVerb(status int) string {
	switch status {
	case kaigedian.PlatformAccepted:
		return "接单"
	case kaigedian.PlatformRejected:
		return "拒单"
	case kaigedian.PlatformMade:
		return "制作完成"
	case kaigedian.PlatformDelivering:
		return "配送"
	case kaigedian.PlatformCompleted:
		return "完成"
	}
	return "操作"
}

func statusName(status int) string {
	switch status {
	case kaigedian.PlatformNew:
		return "支付未接单"
	case kaigedian.PlatformPendingPayment:
		return "待支付"
	case kaigedian.PlatformAccepted:
		return "已接单"
	case kaigedian.PlatformMade:
		return "制作完成"
	case kaigedian.PlatformDelivering:
		return "配送中"
	case kaigedian.PlatformCompleted:
		return "已完成"
	case kaigedian.PlatformCancelled:
		return "已取消"
	case kaigedian.PlatformRejected:
		return "已拒单"
	}
	return fmt.Sprintf("%d", status)
}

// sortedOrders returns the orders matching keep, sorted by less.
func (p *Platform) sortedOrders(keep func(*fakeOrder) bool, less func(a, b *fakeOrder) int) []*fakeOrder {
	var out []*fakeOrder
	for _, fo := range p.orders {
		if keep(fo) {
			out = append(out, fo)
		}
	}
	slices.SortFunc(out, less)
	return out
}

func byUpdated(a, b *fakeOrder) int {
	if a.updatedMs != b.updatedMs {
		return cmp.Compare(a.updatedMs, b.updatedMs)
	}
	return cmp.Compare(a.o.Code, b.o.Code)
}

func byRefund(a, b *fakeOrder) int {
	if a.refundMs != b.refundMs {
		return cmp.Compare(a.refundMs, b.refundMs)
	}
	return cmp.Compare(a.o.Code, b.o.Code)
}

func byCreated(a, b *fakeOrder) int {
	if !a.o.CreatedAt.Equal(b.o.CreatedAt) {
		return a.o.CreatedAt.Compare(b.o.CreatedAt)
	}
	return cmp.Compare(a.o.Code, b.o.Code)
}
