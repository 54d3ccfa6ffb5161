package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

// The state machine works on order.State; every column it moves must go
// back into the row, and the row's identity and type stay the row's.
func TestOrderStateRoundTrip(t *testing.T) {
	at := time.UnixMilli(1_700_000_000_000)
	rec := &OrderRecord{Source: order.SourceKaigedian, Code: "C1", Type: order.TypeDelivery, Status: order.StatusRefundRequested,
		StatusBeforeRefund: order.StatusMade, PlatformStatus: 31, RawStatus: "99", PlatformAt: at, RefundStatus: order.RefundRequested,
		RefundAt: at.Add(time.Second), CancelType: 2, Reason: "不想要了", CancelRequested: true, PickupNo: "1001"}
	before := *rec
	rec.SetState(rec.State())
	if !reflect.DeepEqual(*rec, before) {
		t.Fatalf("a round trip changed the row:\n%+v\n%+v", *rec, before)
	}
	st := rec.State()
	st.Code, st.Type = "OTHER", order.TypePickup
	st.Status, st.StatusBeforeRefund, st.PlatformStatus, st.RawStatus = order.StatusRefunded, "", 6, ""
	st.RefundStatus, st.Reason, st.CancelRequested = order.RefundDone, "退款完成", false
	rec.SetState(st)
	if rec.Code != "C1" || rec.Type != order.TypeDelivery {
		t.Fatalf("SetState moved the row's identity or type: %s %v", rec.Code, rec.Type)
	}
	if rec.Status != order.StatusRefunded || rec.PlatformStatus != 6 || rec.RefundStatus != order.RefundDone || rec.Reason != "退款完成" ||
		rec.CancelRequested || rec.StatusBeforeRefund != "" {
		t.Fatalf("SetState lost a column: %+v", rec)
	}
}
