package bridge

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// What the rest of the 开个店 store adds to an order (issue 19): the
// waybill the delivery pushes tell, the 备餐提醒 received, the 围餐 lines a
// table added online, and the detail's fields the console did not show
// (invoice, the merchant's tip, 部分退款, the pick-up/delivery times).

// reminderWindow: a reminder within this of the last one is the platform
// repeating its push (the push has no time of its own to tell them apart).
const reminderWindow = time.Minute

// OrderExtras are those fields of an order.
type OrderExtras struct {
	Delivery        *Waybill
	Reminders       []time.Time
	Additions       []Addition
	NeedInvoice     bool
	DriverFee       order.Fen
	PartlyRefunded  bool
	PickupAt        time.Time
	DeliveryAt      time.Time
	EstimatedArrive time.Time
	ArrivedAt       time.Time
}

// Waybill is an order's waybill as staff see it (the phone masked).
type Waybill struct {
	Status      int // -1 unknown
	Text        string
	Alert       bool
	RiderName   string
	RiderPhone  string
	ChannelName string
	ExpressNo   string
	Remark      string
	ByStaff     bool
	UpdatedAt   time.Time
}

// Addition is one batch of 围餐 lines added online.
type Addition struct {
	Items      []order.Item
	ReceivedAt time.Time
}

func deliveryView(d store.Delivery) *Waybill {
	return &Waybill{Status: d.Status, Text: d.Text, Alert: d.Alert, RiderName: d.RiderName, RiderPhone: d.RiderPhoneMasked(),
		ChannelName: d.ChannelName, ExpressNo: d.ExpressNo, Remark: d.Remark, ByStaff: d.ByStaff, UpdatedAt: sh(d.UpdatedAt)}
}

// detailExtras are the extras the order's detail holds.
func detailExtras(rec *store.OrderRecord) *OrderExtras {
	o := rec.Detail
	if o == nil || (!o.NeedInvoice && o.DriverFee == 0 && !o.PartlyRefunded && o.PickupAt.IsZero() && o.DeliveryAt.IsZero() &&
		o.EstimatedArrive.IsZero() && o.ArrivedAt.IsZero()) {
		return nil
	}
	return &OrderExtras{NeedInvoice: o.NeedInvoice, DriverFee: o.DriverFee, PartlyRefunded: o.PartlyRefunded,
		PickupAt: sh(o.PickupAt), DeliveryAt: sh(o.DeliveryAt), EstimatedArrive: sh(o.EstimatedArrive), ArrivedAt: sh(o.ArrivedAt)}
}

// addExtras fills the extras of list views: the detail's, and waybills.
func (b *Bridge) addExtras(ctx context.Context, views []OrderDetail, recs []*store.OrderRecord) error {
	var delivery []string
	for i, r := range recs {
		views[i].Extras = detailExtras(r)
		if r.Type.IsDelivery() {
			delivery = append(delivery, r.Code)
		}
	}
	if len(delivery) == 0 {
		return nil
	}
	ds, err := b.db.DeliveriesOf(ctx, delivery)
	if err != nil {
		return err
	}
	for i := range views {
		if d, ok := ds[views[i].Code]; ok {
			if views[i].Extras == nil {
				views[i].Extras = &OrderExtras{}
			}
			views[i].Extras.Delivery = deliveryView(d)
		}
	}
	return nil
}

// addDetailExtras fills one order's extras, reminders and additions too.
func (b *Bridge) addDetailExtras(ctx context.Context, v *OrderDetail, rec *store.OrderRecord) error {
	x := detailExtras(rec)
	if x == nil {
		x = &OrderExtras{}
	}
	if d, err := b.db.DeliveryOf(ctx, rec.Code); err == nil {
		x.Delivery = deliveryView(d)
	}
	rs, err := b.db.Reminders(ctx, rec.Code)
	if err != nil {
		return err
	}
	for _, r := range rs {
		x.Reminders = append(x.Reminders, sh(r))
	}
	adds, err := b.db.TableAdditions(ctx, rec.Code)
	if err != nil {
		return err
	}
	for _, a := range adds {
		x.Additions = append(x.Additions, Addition{Items: a.Items, ReceivedAt: sh(a.ReceivedAt)})
	}
	if x.Delivery != nil || len(x.Reminders) > 0 || len(x.Additions) > 0 || detailExtras(rec) != nil {
		v.Extras = x
	}
	return nil
}

// remind handles a 备餐提醒: a short slip on the kitchens that printed the
// order, the sound and voice on the console, and, for a reserved order
// whose tickets are held until later, the tickets now. A repeat of the same
// push changes nothing.
func (b *Bridge) remind(tx *store.Tx, a *after, rec *store.OrderRecord, out outcome) error {
	at := out.change.At
	if at.IsZero() {
		at = tx.Now()
	}
	added, err := tx.AddReminder(rec.Code, at, reminderWindow)
	if err != nil || !added {
		return err
	}
	if _, err := b.queueToPrinted(tx, a, rec, printer.KindReminder, "", isKitchen); err != nil {
		return err
	}
	released := false
	if rec.PrintPending && !rec.PrintAt.IsZero() && rec.Detail != nil && (rec.Status == order.StatusAccepted || rec.Status == order.StatusMade) {
		if err := b.queueOrderPrints(tx, a, rec, true); err != nil {
			return err
		}
		released = true
		if err := tx.AppendHistory(store.History{Code: rec.Code, From: rec.Status, To: rec.Status, Actor: "platform",
			Source: "push", Reason: "备餐提醒：预约订单提前打印"}); err != nil {
			return err
		}
	}
	msg := "订单 " + pickupLabel(rec) + "：备餐提醒"
	if released {
		msg += "，预约单已打印"
	}
	a.event(Event{Type: EvAlert, Kind: "prep_remind", Code: rec.Code, Level: LevelWarn, Message: msg,
		Data: map[string]any{"pickup_no": rec.PickupNo, "released": released}})
	return nil
}

// recordWaybill keeps what a delivery push says about the courier; an
// abnormal or cancelled waybill is a critical alert (with sound): the food
// is ready and nobody will carry it.
func (b *Bridge) recordWaybill(tx *store.Tx, a *after, rec *store.OrderRecord, out outcome) error {
	ch := out.change
	d := store.Delivery{OrderCode: rec.Code, Status: -1, RiderName: ch.RiderName, RiderPhone: ch.RiderPhone,
		Remark: ch.Reason, Text: out.note, PlatformAt: ch.At}
	if _, unknown := ch.Unknown["deliveryStatus"]; !unknown {
		d.Status = ch.DeliveryStatus
	}
	if w := ch.Waybill; w != nil {
		d.DeliveryID, d.ChannelName, d.Text, d.Alert = w.ID, w.Channel, w.Text, w.NeedsStaff
		if w.Remark != "" {
			d.Remark = w.Remark
		}
	}
	applied, err := tx.SaveDelivery(d)
	if err != nil || !applied {
		return err
	}
	ev := Event{Type: EvOrder, Kind: "delivery", Code: rec.Code, Status: string(rec.Status), Message: "订单 " + pickupLabel(rec) + " 配送：" + d.Text}
	if d.Alert {
		ev.Type, ev.Kind, ev.Level = EvAlert, "delivery_alert", LevelCritical
		ev.Message += "，请联系配送平台或自行配送"
	}
	a.event(ev)
	return nil
}

// checkCourier bounds what staff type about a courier (it is stored and
// sent to the platform).
func checkCourier(c *Courier) error {
	for _, f := range []struct {
		label, v string
		max      int
	}{{"骑手姓名", c.Name, 20}, {"骑手手机号", c.Mobile, 20}, {"配送渠道", c.ChannelCode, 30}, {"配送渠道名称", c.ChannelName, 30},
		{"运单号", c.ExpressNo, 40}, {"备注", c.Remark, 100}} {
		if utf8.RuneCountInString(f.v) > f.max {
			return &Error{Code: EInvalid, Message: fmt.Sprintf("请填写%s（最多 %d 个字）", f.label, f.max)}
		}
	}
	return nil
}

// Couriers is what a channel whose orders staff deliver says of couriers:
// the name of a delivery channel code staff pick, and the delivery status
// its delivery rows keep for a courier on the way. kaigedian/channel
// implements it.
type Couriers interface {
	CourierChannelName(code string) string
	OnTheWayStatus() int
}

// couriers is the Couriers of source's channel (nil: none).
func (b *Bridge) couriers(source order.Source) Couriers {
	ch, err := b.channels.get(source)
	if err != nil {
		return nil
	}
	c, _ := ch.(Couriers)
	return c
}

// nameCourierChannel fills the name of a delivery channel staff gave by
// code only, as the order's channel names it.
func (b *Bridge) nameCourierChannel(source order.Source, c *Courier) {
	if c == nil || c.ChannelName != "" || c.ChannelCode == "" {
		return
	}
	if cs := b.couriers(source); cs != nil {
		c.ChannelName = cs.CourierChannelName(c.ChannelCode)
	}
}

// courierText is the courier as the order's history says it.
func courierText(c *Courier) string {
	s := "骑手 " + c.Name + " " + order.MaskPhone(c.Mobile)
	if c.ChannelName != "" {
		s += "（" + c.ChannelName + "）"
	}
	if c.ExpressNo != "" {
		s += " 运单号 " + c.ExpressNo
	}
	return s
}

// recordStaffCourier shows the courier staff entered on the order and the board.
func (b *Bridge) recordStaffCourier(tx *store.Tx, rec *store.OrderRecord, out outcome) error {
	c := out.courier
	if c == nil {
		return nil
	}
	status := -1 // unknown
	if cs := b.couriers(rec.Source); cs != nil {
		status = cs.OnTheWayStatus()
	}
	_, err := tx.SaveDelivery(store.Delivery{OrderCode: rec.Code, Status: status, RiderName: c.Name,
		RiderPhone: c.Mobile, ChannelCode: c.ChannelCode, ChannelName: c.ChannelName, ExpressNo: c.ExpressNo, Remark: c.Remark,
		Text: "配送中（店员填写）", ByStaff: true})
	return err
}

// partlyRefundedNow reports a detail that newly says part of the payment
// went back (payStatus 4): only the detail says so, no push does.
func partlyRefundedNow(before, now *order.Order) bool {
	return now.PartlyRefunded && (before == nil || !before.PartlyRefunded)
}

// partialRefund prints 部分退款 on the printers that printed the order and
// tells staff. No document gives the amount or the items refunded, so the
// slip and the alert say where to find them.
func (b *Bridge) partialRefund(tx *store.Tx, a *after, rec *store.OrderRecord) error {
	if err := b.queueSlips(tx, a, rec, printer.KindPartialRefund, ""); err != nil {
		return err
	}
	a.event(Event{Type: EvAlert, Kind: "partial_refund", Code: rec.Code, Level: LevelWarn,
		Message: "订单 " + pickupLabel(rec) + " 部分退款：退款金额与商品请在开个店后台查看"})
	return nil
}

// refetchPartlyRefunded asks for the detail again of an order a poll lists
// as partly refunded (payStatus 4) while its stored detail is not: the
// detail is where the change lands (and the 部分退款 slip prints from).
func (b *Bridge) refetchPartlyRefunded(tx *store.Tx, a *after, code string) error {
	rec, err := tx.GetOrder(code)
	if err != nil {
		return err
	}
	if rec.Detail == nil || rec.Detail.PartlyRefunded || rec.NeedsDetail {
		return nil
	}
	rec.NeedsDetail, rec.DetailAttempts, rec.DetailNextAt = true, 0, zeroTime
	a.detail = true
	return tx.SaveOrder(rec)
}
