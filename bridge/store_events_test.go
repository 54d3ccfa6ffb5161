package bridge_test

import (
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// 备餐提醒 (eventType 1) end to end: the kitchen that printed the order gets
// a 备餐提醒 slip, the order shows the reminder, the label says 备餐提醒
// (not 顾客催单), and the platform repeating the push prints nothing more.
// A reserved order whose tickets are held prints them at the reminder.
func TestPrepareReminder(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: auto\nhold_reserved: true\nhold_lead: 1m"})
	o := teaOrder(env, fake.OrderSpec{})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	must(t, env.Fake.RemindPrepare(o.Code))
	must(t, env.Fake.RemindPrepare(o.Code)) // the platform's retry
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("kitchen", "备餐提醒", o.PickupNo) == 1 }) {
		t.Fatalf("kitchen printed: %q", env.Printed("kitchen"))
	}
	must(t, env.Fake.WaitPushes(t.Context()))
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("kitchen", "备餐提醒"); n != 1 {
		t.Fatalf("%d reminder slips for one reminder pushed twice", n)
	}
	if n := env.CountPrinted("front", "备餐提醒"); n != 0 {
		t.Fatalf("the receipt printer got %d reminder slips; only kitchens make the order", n)
	}
	var v struct {
		Extras struct {
			Reminders []time.Time `json:"reminders"`
		} `json:"extras"`
		History []struct {
			Reason string `json:"reason"`
		} `json:"history"`
	}
	if st, err := env.API("GET", "/api/orders/"+o.Code, nil, &v); err != nil || st != 200 {
		t.Fatalf("order: %d %v", st, err)
	}
	if len(v.Extras.Reminders) != 1 {
		t.Fatalf("reminders on the order: %v", v.Extras.Reminders)
	}
	notes := ""
	for _, h := range v.History {
		notes += h.Reason + "|"
	}
	if !strings.Contains(notes, "备餐提醒") || strings.Contains(notes, "催单") {
		t.Fatalf("history: %s", notes)
	}

	// A reserved order (15 minutes ahead at least, printed 1 minute before):
	// accepted, tickets held, released by the reminder.
	r := teaOrder(env, fake.OrderSpec{Type: order.TypePickupReserved})
	rec, err := env.WaitStatus(r.Code, order.StatusAccepted, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !harness.WaitFor(5*time.Second, func() bool { rec, _ = env.Order(r.Code); return rec.PrintPending && !rec.PrintAt.IsZero() }) {
		t.Fatalf("the reserved order's tickets are not held: pending %v at %v (expect %v)", rec.PrintPending, rec.PrintAt, r.ExpectAt)
	}
	must(t, env.Fake.RemindPrepare(r.Code))
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("kitchen", r.PickupNo) >= 1 }) {
		t.Fatalf("the held tickets did not print at the reminder: %q", env.Printed("kitchen"))
	}
	if rec, _ = env.Order(r.Code); rec.PrintPending {
		t.Fatal("still held after the reminder")
	}
}

// Delivery pushes end to end: the courier and the status land on the
// order (phone masked), and an abnormal waybill is flagged with its reason
// in the documents' words.
func TestDeliveryPushShowsCourier(t *testing.T) {
	env := start(t, harness.Options{})
	o := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypeDelivery, Menu: "restaurant"})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	type view struct {
		Extras *struct {
			Delivery *struct {
				Status      int    `json:"status"`
				Text        string `json:"text"`
				Alert       bool   `json:"alert"`
				RiderName   string `json:"rider_name"`
				RiderPhone  string `json:"rider_phone"`
				ChannelName string `json:"channel_name"`
			} `json:"delivery"`
		} `json:"extras"`
	}
	get := func() view {
		var v view
		env.API("GET", "/api/orders/"+o.Code, nil, &v)
		return v
	}
	must(t, env.Fake.Deliver(o.Code, fake.DeliveryEvent{Status: 2, RiderName: "王明艳", RiderPhone: "18260253511", ChannelCode: "MeiTuan", ChannelName: "美团"}))
	var v view
	if !harness.WaitFor(10*time.Second, func() bool { v = get(); return v.Extras != nil && v.Extras.Delivery != nil }) {
		t.Fatal("no waybill on the order")
	}
	d := v.Extras.Delivery
	if d.Text != "已分配骑手" || d.RiderName != "王明艳" || d.RiderPhone != "182****3511" || d.ChannelName != "美团" || d.Alert {
		t.Fatalf("waybill: %+v", d)
	}
	must(t, env.Fake.Deliver(o.Code, fake.DeliveryEvent{Status: 7, RiderName: "王明艳", ExceptionReasonID: 10001, Remark: "联系不上顾客", ChannelCode: "MeiTuan", ChannelName: "美团"}))
	if !harness.WaitFor(10*time.Second, func() bool { v = get(); return v.Extras.Delivery.Alert }) {
		t.Fatalf("abnormal waybill not flagged: %+v", v.Extras.Delivery)
	}
	if got := v.Extras.Delivery.Text; got != "运单异常（顾客电话关机）：联系不上顾客" {
		t.Fatalf("text %q", got)
	}
}

// 部分退款 end to end: the platform marks part of an accepted order refunded
// (payStatus 4, seen by the poll); posbridge fetches the detail again, the
// printers that printed the order get a 部分退款 slip saying the amount is in
// the 开个店 back office (never the order's amount as refunded), the order
// stays where it was and shows 部分退款.
func TestPartialRefund(t *testing.T) {
	env := start(t, harness.Options{})
	o := teaOrder(env, fake.OrderSpec{})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	must(t, env.Fake.PartialRefund(o.Code))
	if !harness.WaitFor(15*time.Second, func() bool { return env.CountPrinted("front", "部分退款", "开个店后台") == 1 }) {
		t.Fatalf("receipt printer: %q", env.Printed("front"))
	}
	for _, text := range env.Printed("front") {
		if strings.Contains(text, "部分退款") && strings.Contains(text, o.ActualPay.String()) && strings.Contains(text, "退款金额") && !strings.Contains(text, "开个店后台") {
			t.Fatalf("the slip shows the whole amount as refunded:\n%s", text)
		}
	}
	if !harness.WaitFor(5*time.Second, func() bool { return env.CountPrinted("kitchen", "部分退款") == 1 }) {
		t.Fatalf("kitchen printer: %q", env.Printed("kitchen"))
	}
	rec, err := env.Order(o.Code)
	if err != nil || rec.Status != order.StatusAccepted {
		t.Fatalf("the order moved: %v %v", rec.Status, err)
	}
	var v struct {
		Extras struct {
			PartlyRefunded bool `json:"partly_refunded"`
		} `json:"extras"`
	}
	if _, err := env.API("GET", "/api/orders/"+o.Code, nil, &v); err != nil || !v.Extras.PartlyRefunded {
		t.Fatalf("order view: %+v %v", v, err)
	}
	must(t, env.WaitJobsDone(o.Code, 10*time.Second))
	if n := env.CountPrinted("front", "部分退款"); n != 1 {
		t.Fatalf("%d partial refund slips", n)
	}
}
