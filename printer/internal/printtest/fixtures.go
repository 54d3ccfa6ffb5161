// Package printtest holds the orders and printer configurations the printer
// packages' tests share, so every golden and preview is built from the same data.
package printtest

import (
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

var FixedTime = time.Date(2024, 5, 1, 4, 30, 0, 0, time.UTC) // 12:30 in Shanghai

// SampleOrder is a pickup order with every field a receipt shows.
func SampleOrder() *order.Order {
	return &order.Order{
		Code: "202405011230001234", StoreID: "s1", StoreName: "茶颜悦色 五一广场店",
		Channel: 2, Type: order.TypePickup, PickupNo: "A023", Note: "少冰 不要吸管 谢谢😀",
		Mobile: "13612349227", ActualPay: 4300, Original: 4800, Discount: 700, PackageFee: 200,
		PayChannelName: "微信支付", CreatedAt: FixedTime, ExpectAt: FixedTime.Add(20 * time.Minute),
		Items: []order.Item{
			{Seq: 1, ProductID: "p1", Name: "珍珠奶茶", Price: 1200, Quantity: 2, Spec: "大杯", Property: "少冰·半糖",
				Materials: []order.Item{{Name: "椰果", Price: 200, Quantity: 1}}},
			{Seq: 2, ProductID: "p2", ThirdProductID: "T-77", Name: "芝士葡萄多多冰沙（季节限定超长名字）", Price: 1800, Quantity: 1, Spec: "中杯"},
			{Seq: 3, ProductID: "p9", Name: "下午茶套餐", Price: 600, Quantity: 1, Children: []order.Item{
				{Name: "蛋挞", Quantity: 2}, {Name: "柠檬茶", ProductID: "p3", Quantity: 1, Spec: "小杯"},
			}},
		},
		Discounts: []order.Discount{{ActivityName: "满40减7", Amount: 700}},
	}
}

// DeliveryOrder is a reserved delivery order with a masked contact and address.
func DeliveryOrder() *order.Order {
	o := SampleOrder()
	o.Code, o.Type, o.PickupNo, o.Note = "20240501123000567890123", order.TypeDeliveryReserve, "", ""
	o.DeliverFee = 500
	o.Deliveries = []order.Contact{{Kind: 1, Name: "王先生", Mobile: "13812345678", Address: "长沙市天心区五一大道 1 号 3 栋 402"}}
	return o
}

// EmptyOrder has nothing but a code: documents must stay correct.
func EmptyOrder() *order.Order { return &order.Order{Code: "9"} }

var Profiles = map[string]config.PrinterConfig{
	"80mm":      {Name: "front", Role: "receipt", Paper: "80mm", Charset: "gbk"},
	"58raster":  {Name: "small", Role: "receipt", Paper: "58mm", Charset: "gb2312", QR: "raster", Barcode: "raster"},
	"kitchen":   {Name: "热饮档", Role: "kitchen", Paper: "80mm"},
	"tspl40":    {Name: "cup", Role: "label", Language: "tspl", Label: config.LabelConfig{WidthMM: 40, HeightMM: 30, GapMM: 2}},
	"tspl50":    {Name: "cup2", Role: "label", Language: "tspl", Label: config.LabelConfig{WidthMM: 50, HeightMM: 30, GapMM: 3, Sensor: "bline", OffsetX: 8, OffsetY: -4}},
	"escposlbl": {Name: "cup3", Role: "label", Language: "escpos", Label: config.LabelConfig{WidthMM: 50, HeightMM: 30}},
}

func PrintConfig() config.PrintConfig {
	return config.PrintConfig{Footer: "谢谢惠顾 欢迎再来"}
}
