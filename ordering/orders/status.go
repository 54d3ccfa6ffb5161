package orders

import "strconv"

// Status is an order's status of seed 002 §6.1.
type Status int

// The statuses; 0 and -1 belong to online payment (the next issue).
const (
	Placed     Status = 0  // 用户下单 (awaiting online payment)
	Awaiting   Status = 1  // 待商家确认
	Preparing  Status = 2  // 商家制作中
	Ready      Status = 3  // 商家制作完成
	Delivering Status = 4  // 配送中
	Delivered  Status = 5  // 已送达
	Completed  Status = 9  // 已完成
	UserCancel Status = -1 // 用户取消
	Rejected   Status = -2 // 商家取消 (not accepted)
	// StoreCancelled is posbridge's own: the store cancelled an order it
	// had accepted. The rules tell it from a reject; the phone reads -2.
	StoreCancelled Status = -3
)

// Label is the status in the phone's words.
func (s Status) Label() string {
	switch s {
	case Placed:
		return "待支付"
	case Awaiting:
		return "待商家确认"
	case Preparing:
		return "制作中"
	case Ready:
		return "制作完成"
	case Delivering:
		return "配送中"
	case Delivered:
		return "已送达"
	case Completed:
		return "已完成"
	case UserCancel:
		return "已取消"
	case Rejected, StoreCancelled:
		return "商家已取消"
	}
	return "状态 " + strconv.Itoa(int(s))
}

// Open reports an order not finished: it counts against its table's cap.
func (s Status) Open() bool { return s >= Placed && s <= Delivered }

// Eat types that get a take code (seed §6.1: 0, 2, 3; delivery has none).
func HasTakeCode(eatType int) bool { return eatType == 0 || eatType == 2 || eatType == 3 }

// Seed is the status as seed 002 shows it: a store's cancel is -2.
func (s Status) Seed() Status {
	if s == StoreCancelled {
		return Rejected
	}
	return s
}
