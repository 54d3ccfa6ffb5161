package kaigedian

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Delivery statuses of distribution.md's 运单状态 (§5.10).
const (
	DeliveryAwaiting  = 0 // 待接单
	DeliveryAccepted  = 1 // 系统接单
	DeliveryAssigned  = 2 // 分配骑手
	DeliveryAtStore   = 3 // 骑手到店
	DeliveryPickedUp  = 4 // 骑手取餐
	DeliveryOnTheWay  = 5 // 开始配送
	DeliveryDelivered = 6 // 运单送达
	DeliveryAbnormal  = 7 // 运单异常
	DeliveryCancelled = 8 // 运单取消
)

var deliveryStatusText = map[int]string{
	DeliveryAwaiting: "待接单", DeliveryAccepted: "系统接单", DeliveryAssigned: "已分配骑手", DeliveryAtStore: "骑手已到店",
	DeliveryPickedUp: "骑手已取餐", DeliveryOnTheWay: "配送中", DeliveryDelivered: "已送达", DeliveryAbnormal: "运单异常",
	DeliveryCancelled: "运单已取消",
}

// DeliveryStatusText is the status in the documents' words.
func DeliveryStatusText(n int) string {
	if s, ok := deliveryStatusText[n]; ok {
		return s
	}
	return "未知配送状态 " + strconv.Itoa(n)
}

// DeliveryNeedsStaff reports whether a waybill status needs a person: an
// abnormal (7) or cancelled (8) waybill leaves the food with nobody to carry it.
func DeliveryNeedsStaff(n int) bool { return n == DeliveryAbnormal || n == DeliveryCancelled }

// deliveryCancelReasons is distribution.md's 取消原因 (§5.11).
var deliveryCancelReasons = map[int]string{
	1: "没有配送员接单", 2: "配送员没来取货", 3: "配送员态度太差", 4: "顾客取消订单", 5: "商户取消订单",
	6: "配送员让我取消此单", 7: "我不需要配送了", 8: "商户发错单", 9: "门店原因导致无法派单", 10: "订单填写错误",
	11: "顾客自取/不在家/要求另改时间配送", 12: "异常取消", 13: "第三方接单超时取消",
}

// deliveryExceptionReasons is the callback's exceptionReasonId list.
var deliveryExceptionReasons = map[int]string{
	10001: "顾客电话关机", 10002: "顾客电话已停机", 10003: "顾客电话无人接听", 10004: "顾客电话为空号",
	10005: "顾客留错电话", 10006: "联系不上顾客", 10101: "顾客更改收货地址", 10201: "送货地址超区",
	10202: "顾客拒收货品", 10203: "顾客要求延迟配送", 10401: "商家关店/未营业",
}

// DeliveryCancelReason is cancelReasonId in words ("" when absent).
func DeliveryCancelReason(n int) string {
	if n == 0 {
		return ""
	}
	if s, ok := deliveryCancelReasons[n]; ok {
		return s
	}
	return "取消原因 " + strconv.Itoa(n)
}

// DeliveryExceptionReason is exceptionReasonId (or exceptionType 5) in words.
func DeliveryExceptionReason(id, exceptionType int) string {
	if s, ok := deliveryExceptionReasons[id]; ok {
		return s
	}
	if id != 0 {
		return "异常原因 " + strconv.Itoa(id)
	}
	if exceptionType == 5 {
		return "骑手未接单"
	}
	return ""
}

// deliveryChannels is distribution.md's 配送渠道.
var deliveryChannels = map[string]string{
	"SelfDelivery": "自配送", "ShunFeng": "顺丰", "MeiTuan": "美团", "DaDa": "达达", "FengNiao": "蜂鸟",
	"DianWoDa": "点我达", "DingDing": "叮叮", "CanTingBao": "餐厅宝", "ShanSong": "闪送",
}

// DeliveryChannelName is a channel code's name ("" for an unknown code).
func DeliveryChannelName(code string) string { return deliveryChannels[code] }

// DeliveryChannelCodes are the documented channel codes, for staff to pick from.
var DeliveryChannelCodes = []string{"SelfDelivery", "ShunFeng", "MeiTuan", "DaDa", "FengNiao", "DianWoDa", "DingDing", "CanTingBao", "ShanSong"}

// DeliveryUpdate is every field of a delivery push (both documented
// shapes, §4.3), bounded for storage.
type DeliveryUpdate struct {
	OrderID           string
	DeliveryID        string
	Status            int
	StatusKnown       bool
	RiderName         string
	RiderPhone        string // never logged; shown masked
	Remark            string
	ChannelDeliveryID string
	ChannelCode       string
	ChannelName       string
	CancelReasonID    int
	ExceptionReasonID int
	ExceptionType     int
	At                time.Time
}

// Text is the update as staff read it, e.g. "运单异常（顾客电话关机）：联系不上顾客".
func (u DeliveryUpdate) Text() string {
	s := DeliveryStatusText(u.Status)
	if !u.StatusKnown {
		s = "配送状态未知"
	}
	why := DeliveryCancelReason(u.CancelReasonID)
	if u.Status == DeliveryAbnormal || why == "" {
		if e := DeliveryExceptionReason(u.ExceptionReasonID, u.ExceptionType); e != "" {
			why = e
		}
	}
	if why != "" {
		s += "（" + why + "）"
	}
	if r := strings.TrimSpace(u.Remark); r != "" && r != why {
		s += "：" + r
	}
	return s
}

// Channel is the channel's name as sent, else the documented name of its code.
func (u DeliveryUpdate) Channel() string {
	if u.ChannelName != "" {
		return u.ChannelName
	}
	return DeliveryChannelName(u.ChannelCode)
}

// DecodeDeliveryPush reads a delivery push (business JSON or a whole
// envelope). orderId is required; everything else is optional and bounded.
func DecodeDeliveryPush(body []byte) (u DeliveryUpdate, err error) {
	defer func() {
		if r := recover(); r != nil {
			u, err = DeliveryUpdate{}, badPush("unreadable push: %v", r)
		}
	}()
	body = bytes.TrimSpace(body)
	fields, ferr := objectFields(body)
	if ferr != nil {
		return DeliveryUpdate{}, badPush("malformed JSON: %v", ferr)
	}
	if _, ok := fields["requestBody"]; ok {
		in, perr := ParseIncoming(body)
		if perr != nil || len(in.Body) == 0 {
			return DeliveryUpdate{}, badPush("requestBody is unreadable")
		}
		if fields, ferr = objectFields(in.Body); ferr != nil {
			return DeliveryUpdate{}, badPush("requestBody is not a JSON object: %v", ferr)
		}
	}
	if u.OrderID, err = pushID(fields, "orderId"); err != nil {
		return DeliveryUpdate{}, err
	}
	d := pushDecoder{fields: fields}
	num := func(name string) int {
		if _, s, ok := d.first(name); ok {
			if n, ok := parseIntText(s); ok {
				return int(n)
			}
		}
		return 0
	}
	u.DeliveryID = cut(d.text("deliveryId"), 64)
	if v, ok := d.enum(knownDeliveryStatus, "deliveryStatus"); ok {
		u.Status, u.StatusKnown = v, true
	}
	u.RiderName = cut(d.text("riderName"), 30)
	u.RiderPhone = cut(d.text("riderPhone"), 20)
	u.Remark = cut(d.text("remark"), 100)
	u.ChannelDeliveryID = cut(d.text("channelDeliveryId"), 64)
	u.ChannelCode = cut(d.text("channelCode"), 30)
	u.ChannelName = cut(d.text("channelName"), 30)
	u.CancelReasonID = num("cancelReasonId")
	u.ExceptionReasonID = num("exceptionReasonId")
	u.ExceptionType = num("exceptionType")
	u.At = d.time("updateTime", "timeStamp")
	return u, nil
}
