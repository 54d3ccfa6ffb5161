package order

import "strconv"

// Type is the platform orderType (§5.3).
type Type int

const (
	TypeDineIn          Type = 1 // 常规堂食
	TypeDineInReserved  Type = 2 // 预约堂食
	TypeDelivery        Type = 3 // 常规外送
	TypeDeliveryReserve Type = 4 // 预约外送
	TypePickup          Type = 5 // 常规自取
	TypePickupReserved  Type = 6 // 预约自取
)

// IsDelivery reports whether a courier takes the order away (types 3 and 4).
func (t Type) IsDelivery() bool { return t == TypeDelivery || t == TypeDeliveryReserve }

// IsDineInOrPickup reports whether the customer collects the order in the store
// (types 1, 2, 5, 6): the second scan completes these.
func (t Type) IsDineInOrPickup() bool {
	switch t {
	case TypeDineIn, TypeDineInReserved, TypePickup, TypePickupReserved:
		return true
	}
	return false
}

// IsReserved reports whether the customer booked a later time (types 2, 4, 6).
func (t Type) IsReserved() bool {
	return t == TypeDineInReserved || t == TypeDeliveryReserve || t == TypePickupReserved
}

// Kind is the coarse kind used by accept rules: dine_in, pickup or delivery.
func (t Type) Kind() string {
	switch t {
	case TypeDineIn, TypeDineInReserved:
		return "dine_in"
	case TypePickup, TypePickupReserved:
		return "pickup"
	case TypeDelivery, TypeDeliveryReserve:
		return "delivery"
	}
	return "unknown"
}

// Label is the Chinese name printed on tickets.
func (t Type) Label() string {
	switch t {
	case TypeDineIn:
		return "堂食"
	case TypeDineInReserved:
		return "预约堂食"
	case TypeDelivery:
		return "外送"
	case TypeDeliveryReserve:
		return "预约外送"
	case TypePickup:
		return "自取"
	case TypePickupReserved:
		return "预约自取"
	}
	return "未知类型(" + strconv.Itoa(int(t)) + ")"
}

// Channel is the platform orderClient (§5.1).
type Channel int

// Label is the Chinese name of the channel.
func (c Channel) Label() string {
	names := map[Channel]string{
		1: "自营微信小程序", 2: "微信小程序", 3: "支付宝小程序", 4: "自营H5", 5: "自营安卓APP",
		6: "自营苹果APP", 7: "自营PC-WEB", 8: "饿了么", 9: "饿百", 10: "京东", 11: "美团外卖",
		12: "自营APP", 13: "开个店会员", 14: "开个店订货", 15: "POS", 19: "围餐", 24: "美团点评智慧餐厅",
	}
	if n, ok := names[c]; ok {
		return n
	}
	return "渠道" + strconv.Itoa(int(c))
}
