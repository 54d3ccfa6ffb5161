package fake

import (
	"strconv"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/order"
)

// The platform's wire shapes (spec §3.1–§3.3), written the way the
// documents show them.

type wireHeader struct {
	OrderCode                    string `json:"orderCode"`
	ThirdOrderCode               string `json:"thirdOrderCode"`
	StoreID                      string `json:"storeId"`
	StoreName                    string `json:"storeName"`
	ActualPayAmount              int64  `json:"actualPayAmount"`
	OriginalAmount               int64  `json:"originalAmount"`
	DiscountAmount               int64  `json:"discountAmount"`
	BarCounter                   string `json:"barCounter"`
	NeedInvoice                  bool   `json:"needInvoice"`
	OrderClient                  int    `json:"orderClient"`
	Note                         string `json:"note"`
	OrderStatus                  int    `json:"orderStatus"`
	OrderType                    int    `json:"orderType"`
	PayChannel                   string `json:"payChannel"`
	PayChannelName               string `json:"payChannelName"`
	PayStatus                    int    `json:"payStatus"`
	PayType                      int    `json:"payType"`
	PayTime                      string `json:"payTime"`
	PosCode                      string `json:"posCode"`
	Operator                     string `json:"operator"`
	UserID                       string `json:"userId"`
	UserName                     string `json:"userName"`
	PickUpGoodsNo                string `json:"pickUpGoodsNo"`
	CreateTime                   string `json:"createTime"`
	AcceptTime                   string `json:"acceptTime"`
	PickUpTime                   string `json:"pickUpTime"`
	DeliveryTime                 string `json:"deliveryTime"`
	EstimateDeliveryCompleteTime string `json:"estimateDeliveryCompleteTime"`
	ActualArrivalTime            string `json:"actualArrivalTime"`
	ReceiveTime                  string `json:"receiveTime"`
	ExpectTime                   string `json:"expectTime"`
	Longitude                    string `json:"longitude"`
	Latitude                     string `json:"latitude"`
	DeliverFee                   int64  `json:"deliverFee"`
	PackageFee                   int64  `json:"packageFee"`
	Mobile                       string `json:"mobile"`
}

type wireDetail struct {
	wireHeader
	DriverFee               int64          `json:"driverFee"`
	DesensitizedMobile      string         `json:"desensitizedMobile"`
	PartnerID               string         `json:"partnerId,omitempty"`
	OrderItemList           []wireItem     `json:"orderItemList"`
	ApportionDetails        []wireDiscount `json:"apportionDetails"`
	DeliveryContactInfoList []wireContact  `json:"deliveryContactInfoList,omitempty"`
}

type wireItem struct {
	ProductSeq       int        `json:"productSeq"`
	ProductID        string     `json:"productId"`
	SkuID            string     `json:"skuId,omitempty"`
	ThirdProductID   string     `json:"thirdProductId"`
	ParentProductID  string     `json:"parentProductId,omitempty"`
	ProductName      string     `json:"productName"`
	ProductPrice     int64      `json:"productPrice"`
	ProductQuantity  int        `json:"productQuantity"`
	SharePrice       int64      `json:"sharePrice"`
	Unit             string     `json:"unit"`
	Weight           float64    `json:"weight"`
	ProductSpecName  string     `json:"productSpecName"`
	ProductProperty  string     `json:"productProperty"`
	ProductType      int        `json:"productType"`
	IsFixedProduct   bool       `json:"isFixedProduct,omitempty"`
	ProductComboList []wireItem `json:"productComboList,omitempty"`
	MaterialList     []wireItem `json:"materialList,omitempty"`
}

type wireDiscount struct {
	ActivityCode string `json:"activityCode"`
	ActivityName string `json:"activityName"`
	ActivityType string `json:"activityType"` // a string in the example
	ProductID    string `json:"productId"`
	ProductName  string `json:"productName"`
	Price        int64  `json:"price"`
}

type wireContact struct {
	RelateObjectType int    `json:"relateObjectType"`
	InfoType         int    `json:"infoType"`
	ContactsName     string `json:"contactsName"`
	Province         string `json:"province"`
	City             string `json:"city"`
	Region           string `json:"region"`
	Street           string `json:"street"`
	AddressDetail    string `json:"addressDetail"`
	Mobile           string `json:"mobile"`
}

func wallTime(t time.Time) string { return kaigedian.FormatTime(t) }

func (p *Platform) header(fo *fakeOrder) wireHeader {
	o := fo.o
	h := wireHeader{
		OrderCode: o.Code, ThirdOrderCode: o.ThirdCode, StoreID: o.StoreID, StoreName: o.StoreName,
		ActualPayAmount: int64(o.ActualPay), OriginalAmount: int64(o.Original), DiscountAmount: int64(o.Discount),
		BarCounter: o.Table, NeedInvoice: o.NeedInvoice, OrderClient: int(o.Channel), Note: o.Note,
		OrderStatus: fo.status, OrderType: int(o.Type), PayChannel: o.PayChannel, PayChannelName: o.PayChannelName,
		PayStatus: o.PayStatus, PayType: o.PayType, UserID: o.UserID, UserName: o.UserName,
		PickUpGoodsNo: o.PickupNo, CreateTime: wallTime(o.CreatedAt), AcceptTime: wallTime(o.AcceptedAt),
		ExpectTime: wallTime(o.ExpectAt), DeliverFee: int64(o.DeliverFee), PackageFee: int64(o.PackageFee),
		Mobile: o.Mobile, PickUpTime: wallTime(o.PickupAt), DeliveryTime: wallTime(o.DeliveryAt),
		EstimateDeliveryCompleteTime: wallTime(o.EstimatedArrive), ActualArrivalTime: wallTime(o.ArrivedAt),
	}
	if !o.PaidAt.IsZero() {
		h.PayTime = wallTime(o.PaidAt)
		if !p.opts.PlainReplies {
			h.PayTime = strconv.FormatInt(o.PaidAt.UnixMilli(), 10) // 13-digit ms, as in 2019 replies
		}
	}
	return h
}

func (p *Platform) detail(fo *fakeOrder, history bool) wireDetail {
	o := fo.o
	d := wireDetail{
		wireHeader: p.header(fo), DriverFee: int64(o.DriverFee), DesensitizedMobile: order.MaskPhone(o.Mobile),
		OrderItemList: wireItems(o.Items), ApportionDetails: []wireDiscount{},
	}
	if history {
		d.PartnerID = p.opts.PartnerID
	}
	for _, disc := range o.Discounts {
		d.ApportionDetails = append(d.ApportionDetails, wireDiscount{
			ActivityCode: disc.ActivityCode, ActivityName: disc.ActivityName,
			ActivityType: strconv.Itoa(disc.ActivityType), ProductID: disc.ProductID,
			ProductName: disc.ProductName, Price: int64(disc.Amount),
		})
	}
	// The documented queryDetail has no deliveryContactInfoList (longitude
	// and latitude only); historyOrders has it (spec §3.2, §3.3).
	for _, c := range o.Deliveries {
		if !history {
			break
		}
		d.DeliveryContactInfoList = append(d.DeliveryContactInfoList, wireContact{
			RelateObjectType: c.Kind, InfoType: 2, ContactsName: c.Name, AddressDetail: c.Address, Mobile: c.Mobile,
		})
	}
	return d
}

func wireItems(items []order.Item) []wireItem {
	if len(items) == 0 {
		return nil
	}
	out := make([]wireItem, 0, len(items))
	for _, it := range items {
		out = append(out, wireItem{
			ProductSeq: it.Seq, ProductID: it.ProductID, SkuID: it.SkuID, ThirdProductID: it.ThirdProductID,
			ParentProductID: it.ParentProductID, ProductName: it.Name, ProductPrice: int64(it.Price),
			ProductQuantity: it.Quantity, SharePrice: int64(it.SharePrice), Unit: it.Unit, Weight: it.WeightGrams,
			ProductSpecName: it.Spec, ProductProperty: it.Property, ProductType: it.ProductType,
			IsFixedProduct: it.Fixed, ProductComboList: wireItems(it.Children), MaterialList: wireItems(it.Materials),
		})
	}
	return out
}
