package kaigedian

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
)

// wireOrder is an order as queryDetail, historyOrders and batchQuery send it
// (§3.1–§3.3). Go's decoder matches names case-insensitively, which already
// absorbs refundstatus/refundStatus-style drift; real renames are aliases.
type wireOrder struct {
	OrderCode                    String `json:"orderCode"`
	ThirdOrderCode               String `json:"thirdOrderCode"`
	StoreID                      String `json:"storeId"`
	StoreName                    String `json:"storeName"`
	ThirdStoreID                 String `json:"thirdStoreId"`
	PartnerID                    String `json:"partnerId"`
	ActualPayAmount              Int    `json:"actualPayAmount"`
	OriginalAmount               Int    `json:"originalAmount"`
	DiscountAmount               Int    `json:"discountAmount"`
	BarCounter                   String `json:"barCounter"`
	NeedInvoice                  Bool   `json:"needInvoice"`
	OrderClient                  Int    `json:"orderClient"`
	Note                         String `json:"note"`
	OrderStatus                  *Int   `json:"orderStatus"`
	OrderState                   *Int   `json:"orderState"` // before 2019-05-13
	OrderType                    Int    `json:"orderType"`
	PayChannel                   String `json:"payChannel"`
	PayChannelName               String `json:"payChannelName"`
	PayStatus                    *Int   `json:"payStatus"`
	PayState                     *Int   `json:"payState"` // before 2019-05-13
	PayType                      Int    `json:"payType"`
	PayTime                      String `json:"payTime"`
	PosCode                      String `json:"posCode"`
	Operator                     String `json:"operator"`
	UserID                       String `json:"userId"`
	UserName                     String `json:"userName"`
	PickUpGoodsNo                String `json:"pickUpGoodsNo"`
	CreateTime                   String `json:"createTime"`
	AcceptTime                   String `json:"acceptTime"`
	PickUpTime                   String `json:"pickUpTime"`
	DeliveryTime                 String `json:"deliveryTime"`
	EstimateDeliveryCompleteTime String `json:"estimateDeliveryCompleteTime"`
	ActualArrivalTime            String `json:"actualArrivalTime"`
	ReceiveTime                  String `json:"receiveTime"`
	ExpectTime                   String `json:"expectTime"`
	Longitude                    String `json:"longitude"`
	Latitude                     String `json:"latitude"`
	DeliverFee                   Int    `json:"deliverFee"`
	PackageFee                   Int    `json:"packageFee"`
	DriverFee                    Int    `json:"driverFee"`
	Mobile                       String `json:"mobile"`
	DesensitizedMobile           String `json:"desensitizedMobile"`
	ParkingInfo                  *struct {
		ParkingAreaID String `json:"parkingAreaId"`
		CarNumber     String `json:"carNumber"`
		InTime        String `json:"inTime"`
		OutTime       String `json:"outTime"`
	} `json:"parkingInfo"`
	OrderItemList           []wireItem     `json:"orderItemList"`
	ApportionDetails        []wireDiscount `json:"apportionDetails"`
	DeliveryContactInfoList []wireContact  `json:"deliveryContactInfoList"`
}

// wireItem is one order line; productComboList and materialList nest it.
type wireItem struct {
	ProductSeq             Int        `json:"productSeq"`
	ProductID              String     `json:"productId"`
	SkuID                  String     `json:"skuId"`
	ThirdProductID         String     `json:"thirdProductId"`
	ParentProductID        String     `json:"parentProductId"`
	ProductCode            String     `json:"productCode"`
	ProductName            String     `json:"productName"`
	ProductPrice           Int        `json:"productPrice"`
	ProductQuantity        Int        `json:"productQuantity"`
	SharePrice             *Int       `json:"sharePrice"`
	ProductSharePrice      *Int       `json:"productSharePrice"` // submit and old examples
	Unit                   String     `json:"unit"`
	ProductUnit            String     `json:"productUnit"`       // submit since 2020-11-04
	ProductWeightUnit      String     `json:"productWeightUnit"` // submit before
	Weight                 Float      `json:"weight"`
	ProductSpecName        String     `json:"productSpecName"`
	ProductProperty        String     `json:"productProperty"`
	ThirdProductSpecID     String     `json:"thirdProductSpecId"`
	ThirdProductPropertyID String     `json:"thirdProductPropertyId"`
	ProductType            Int        `json:"productType"`
	IsFixedProduct         Bool       `json:"isFixedProduct"`
	ProductComboList       []wireItem `json:"productComboList"`
	MaterialList           []wireItem `json:"materialList"`
}

type wireDiscount struct {
	ActivityCode String `json:"activityCode"`
	ActivityName String `json:"activityName"`
	ActivityType Int    `json:"activityType"`
	ProductID    String `json:"productId"`
	ProductName  String `json:"productName"`
	Price        Int    `json:"price"`
}

type wireContact struct {
	RelateObjectType Int    `json:"relateObjectType"`
	InfoType         Int    `json:"infoType"`
	ThirdDeliveryID  String `json:"thirdDeliveryId"`
	ContactsName     String `json:"contactsName"`
	Province         String `json:"province"`
	City             String `json:"city"`
	Region           String `json:"region"`
	Street           String `json:"street"`
	AddressDetail    String `json:"addressDetail"`
	Mobile           String `json:"mobile"`
	Telephone        String `json:"telephone"`
	Longitude        String `json:"longitude"`
	Latitude         String `json:"latitude"`
	ExpressNo        String `json:"expressNo"`
}

// Detail is one order of queryDetail or historyOrders.
type Detail struct {
	Order order.Order
	// Extra holds the detail fields order.Order has no place for.
	Extra DetailExtra
	// Raw is the order object exactly as the platform sent it.
	Raw json.RawMessage
}

// DetailExtra are the documented fields beyond order.Order. Times that could
// not be read are zero; their raw text is in Detail.Raw.
type DetailExtra struct {
	PartnerID          string
	ThirdStoreID       string
	PosCode            string
	Operator           string
	PickUpAt           time.Time
	DeliveryAt         time.Time
	EstimateDeliveryAt time.Time
	ArrivedAt          time.Time
	ReceivedAt         time.Time
	Longitude          string
	Latitude           string
	Parking            *Parking
}

// Parking is parkingInfo (drive-through orders).
type Parking struct {
	AreaID    string
	CarNumber string
	InTime    string
	OutTime   string
}

// toOrder maps the wire order to the shared vocabulary.
func (w *wireOrder) toOrder() order.Order {
	o := order.Order{
		Code:           str(w.OrderCode),
		ThirdCode:      str(w.ThirdOrderCode),
		StoreID:        str(w.StoreID),
		StoreName:      str(w.StoreName),
		Channel:        order.Channel(w.OrderClient),
		Type:           order.Type(w.OrderType),
		PlatformStatus: w.status(),
		PickupNo:       str(w.PickUpGoodsNo),
		Table:          str(w.BarCounter),
		Note:           str(w.Note),
		UserID:         str(w.UserID),
		UserName:       str(w.UserName),
		Mobile:         str(w.Mobile),
		ActualPay:      order.Fen(w.ActualPayAmount),
		Original:       order.Fen(w.OriginalAmount),
		Discount:       order.Fen(w.DiscountAmount),
		DeliverFee:     order.Fen(w.DeliverFee),
		PackageFee:     order.Fen(w.PackageFee),
		DriverFee:      order.Fen(w.DriverFee),
		PayChannel:     str(w.PayChannel),
		PayChannelName: str(w.PayChannelName),
		PayType:        int(w.PayType),
		PayStatus:      w.payStatus(),
		NeedInvoice:    bool(w.NeedInvoice),
		PartlyRefunded: w.payStatus() == PayStatusPartlyRefunded,
		CreatedAt:      parseTimeField(w.CreateTime),
		PaidAt:         parseTimeField(w.PayTime),
		AcceptedAt:     parseTimeField(w.AcceptTime),
		ExpectAt:       parseTimeField(w.ExpectTime),

		PickupAt:        parseTimeField(w.PickUpTime),
		DeliveryAt:      parseTimeField(w.DeliveryTime),
		EstimatedArrive: parseTimeField(w.EstimateDeliveryCompleteTime),
		ArrivedAt:       parseTimeField(w.ActualArrivalTime),
	}
	if o.Mobile == "" {
		o.Mobile = str(w.DesensitizedMobile)
	}
	o.Items = make([]order.Item, 0, len(w.OrderItemList))
	for i := range w.OrderItemList {
		o.Items = append(o.Items, w.OrderItemList[i].toItem())
	}
	for _, d := range w.ApportionDetails {
		o.Discounts = append(o.Discounts, order.Discount{
			ActivityCode: str(d.ActivityCode),
			ActivityName: str(d.ActivityName),
			ActivityType: int(d.ActivityType),
			ProductID:    str(d.ProductID),
			ProductName:  str(d.ProductName),
			Amount:       order.Fen(d.Price),
		})
	}
	for _, c := range w.DeliveryContactInfoList {
		mobile := str(c.Mobile)
		if mobile == "" {
			mobile = str(c.Telephone)
		}
		contact := order.Contact{
			Kind:    int(c.RelateObjectType),
			Name:    str(c.ContactsName),
			Mobile:  mobile,
			Address: c.address(),
		}
		o.Deliveries = append(o.Deliveries, contact)
		// The receiving address of the order itself is the delivery address.
		if o.Address == "" && contact.Address != "" && (c.RelateObjectType == 0 || c.RelateObjectType == 1) && c.InfoType != 1 {
			o.Address = contact.Address
		}
	}
	return o
}

func (w *wireOrder) extra() DetailExtra {
	x := DetailExtra{
		PartnerID:          str(w.PartnerID),
		ThirdStoreID:       str(w.ThirdStoreID),
		PosCode:            str(w.PosCode),
		Operator:           str(w.Operator),
		PickUpAt:           parseTimeField(w.PickUpTime),
		DeliveryAt:         parseTimeField(w.DeliveryTime),
		EstimateDeliveryAt: parseTimeField(w.EstimateDeliveryCompleteTime),
		ArrivedAt:          parseTimeField(w.ActualArrivalTime),
		ReceivedAt:         parseTimeField(w.ReceiveTime),
		Longitude:          str(w.Longitude),
		Latitude:           str(w.Latitude),
	}
	if p := w.ParkingInfo; p != nil {
		x.Parking = &Parking{AreaID: str(p.ParkingAreaID), CarNumber: str(p.CarNumber), InTime: str(p.InTime), OutTime: str(p.OutTime)}
	}
	return x
}

func (w *wireOrder) status() int {
	if w.OrderStatus != nil {
		return int(*w.OrderStatus)
	}
	if w.OrderState != nil {
		return int(*w.OrderState)
	}
	return 0
}

func (w *wireOrder) payStatus() int {
	if w.PayStatus != nil {
		return int(*w.PayStatus)
	}
	if w.PayState != nil {
		return int(*w.PayState)
	}
	return 0
}

func (w *wireItem) toItem() order.Item {
	it := order.Item{
		Seq:             int(w.ProductSeq),
		ProductID:       str(w.ProductID),
		ThirdProductID:  str(w.ThirdProductID),
		SkuID:           str(w.SkuID),
		ParentProductID: str(w.ParentProductID),
		ProductCode:     str(w.ProductCode),
		Name:            str(w.ProductName),
		Price:           order.Fen(w.ProductPrice),
		Quantity:        int(w.ProductQuantity),
		Unit:            firstNonEmpty(str(w.Unit), str(w.ProductUnit), str(w.ProductWeightUnit)),
		WeightGrams:     float64(w.Weight),
		Spec:            str(w.ProductSpecName),
		Property:        str(w.ProductProperty),
		ProductType:     int(w.ProductType),
		Fixed:           bool(w.IsFixedProduct),
	}
	switch {
	case w.SharePrice != nil:
		it.SharePrice = order.Fen(*w.SharePrice)
	case w.ProductSharePrice != nil:
		it.SharePrice = order.Fen(*w.ProductSharePrice)
	}
	for i := range w.ProductComboList {
		it.Children = append(it.Children, w.ProductComboList[i].toItem())
	}
	for i := range w.MaterialList {
		it.Materials = append(it.Materials, w.MaterialList[i].toItem())
	}
	return it
}

// address joins the parts of a contact's address, skipping parts that the
// detail line already repeats (the platform often sends the full text twice).
func (c *wireContact) address() string {
	detail := str(c.AddressDetail)
	var b strings.Builder
	for _, part := range []String{c.Province, c.City, c.Region, c.Street} {
		p := str(part)
		if p == "" || strings.Contains(detail, p) || strings.Contains(b.String(), p) {
			continue
		}
		b.WriteString(p)
	}
	b.WriteString(detail)
	return b.String()
}

func str(s String) string { return strings.TrimSpace(string(s)) }

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func parseTimeField(s String) time.Time {
	t, _ := ParseTime(string(s))
	return t
}

// decodeOrders reads an array of orders, keeping each one's raw JSON.
func decodeOrders(items []json.RawMessage) ([]Detail, error) {
	out := make([]Detail, 0, len(items))
	for _, raw := range items {
		var w wireOrder
		if err := decodeLenient(raw, &w); err != nil {
			return nil, err
		}
		out = append(out, Detail{Order: w.toOrder(), Extra: w.extra(), Raw: raw})
	}
	return out, nil
}
