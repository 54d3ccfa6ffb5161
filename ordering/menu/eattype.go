package menu

// EatType is seed 002's eat_type.
type EatType int

// The eat types of §6.1.
const (
	DineIn     EatType = 0 // 堂食
	Delivery   EatType = 1 // 外卖配送
	Pickup     EatType = 2 // 外卖自取
	WaitPickup EatType = 3 // 等取
)

// EatTypes is every eat type in order.
var EatTypes = []EatType{DineIn, Delivery, Pickup, WaitPickup}

// Valid reports one of the four eat types.
func (e EatType) Valid() bool { return e >= DineIn && e <= WaitPickup }

// Name is the Chinese name shown to customers and staff.
func (e EatType) Name() string {
	switch e {
	case DineIn:
		return "堂食"
	case Delivery:
		return "外卖配送"
	case Pickup:
		return "外卖自取"
	case WaitPickup:
		return "等取"
	}
	return "未知用餐方式"
}
