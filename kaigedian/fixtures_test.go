package kaigedian

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

// fixtureDir holds the documents' own examples, verbatim (see its README).
const fixtureDir = "../testdata/kaigedian"

// fixtureChecks decode every reply, response body and push example through
// the real decoders. Request examples are checked by the fake platform's
// tests, which own the request reader.
var fixtureChecks = map[string]func(t *testing.T, raw []byte){
	"seed001-order-2019-07-10-059e0d7/02-submit.response.json": func(t *testing.T, raw []byte) {
		r := mustResponse(t, raw)
		code, err := DecodeSubmitBody(r.Body)
		eq(t, err, nil)
		eq(t, code, "1889943343")
	},
	"seed001-order-2019-07-10-059e0d7/04-batchQuery.response-body.json": func(t *testing.T, raw []byte) {
		res, err := DecodeBatchQueryBody(raw)
		eq(t, err, nil)
		eq(t, res.Total, 1000)
		eq(t, res.Count, 10)
		eq(t, res.NextStartTimestamp, int64(1559201308000)) // sent as a string
		eq(t, len(res.Items), 1)
		h := res.Items[0]
		eq(t, h.Code, "1384186324074979")
		eq(t, h.StoreID, "1001")
		eq(t, h.PlatformStatus, 1)
		eq(t, h.OrderType, order.TypeDineIn)
		eq(t, h.Order.ActualPay, order.Fen(1200))
		eq(t, h.Order.PickupNo, "4578")
		eq(t, h.Order.Table, "10")
		eq(t, h.Order.DeliverFee, order.Fen(5))
		eq(t, h.Order.CreatedAt.Equal(time.Unix(1557367505, 0)), true) // 10-digit seconds
		eq(t, len(h.Order.Items), 0)
		eq(t, strings.Contains(string(h.Raw), `"orderCode": "1384186324074979"`), true)
	},
	"seed001-order-2019-07-10-059e0d7/06-queryDetail.response-body.json": func(t *testing.T, raw []byte) {
		ds, err := DecodeDetailBody(raw)
		eq(t, err, nil)
		eq(t, len(ds), 1)
		o := ds[0].Order
		eq(t, o.Code, "21343343")
		eq(t, o.ThirdCode, "1343534298")
		eq(t, o.StoreName, "开个店徐汇店")
		eq(t, o.Original, order.Fen(2500))
		eq(t, o.PaidAt.IsZero(), true) // "12545445" is junk
		eq(t, o.AcceptedAt.Equal(time.Unix(1557368643, 0)), true)
		eq(t, ds[0].Extra.PickUpAt.IsZero(), true) // ""
		eq(t, ds[0].Extra.DeliveryAt.Equal(time.Unix(1557398566, 0)), true)
		eq(t, ds[0].Extra.Latitude, "121.3434334")
		eq(t, len(o.Items), 1)
		it := o.Items[0]
		eq(t, it.Name, "测试商品")
		eq(t, it.Price, order.Fen(2000))
		eq(t, it.Quantity, 1)
		eq(t, it.SharePrice, order.Fen(1800)) // productSharePrice alias
		eq(t, it.Unit, "杯")
		eq(t, it.WeightGrams, 1500.0)
		eq(t, it.Options(), "大杯 / 三分糖")
	},
	"seed001-order-2019-07-10-059e0d7/08-queryRefundOrders.response-body.json": func(t *testing.T, raw []byte) {
		res, err := DecodeRefundOrdersBody(raw) // trailing comma
		eq(t, err, nil)
		eq(t, res.Total, 1) // "1"
		eq(t, res.NextStartTimestamp, int64(1559201308000))
		eq(t, len(res.Items), 1)
		eq(t, res.Items[0].Code, "12355556")
	},
	"seed001-order-2019-07-10-059e0d7/10-batchOrderStatus.response-body.json": func(t *testing.T, raw []byte) {
		st, err := DecodeOrderStatusBody(raw) // trailing comma
		eq(t, err, nil)
		eq(t, len(st), 1)
		eq(t, st[0], OrderStatus{Code: "12355556", PlatformStatus: 1, Raw: "1"})
	},
	"seed001-order-2019-07-10-059e0d7/13-statusOperation.response.json": checkEmptySuccess,
	"seed001-order-2019-07-10-059e0d7/15-refundOperation.response.json": checkEmptySuccess,
	"seed001-order-2019-07-10-059e0d7/17-cancel.response.json":          checkEmptySuccess,
	"seed001-order-2019-07-10-059e0d7/18-push-order.body.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushOrder, raw, "14947740098045346600002")
		eq(t, c.PlatformStatus, 6)
		eq(t, c.CancelType, order.CancelType(2))
		eq(t, c.CancelStatus, order.RefundDone)
		eq(t, c.Reason, "商家取消")
		eq(t, c.At.Equal(time.UnixMilli(1562595367000)), true)
	},
	"seed001-order-2019-07-10-059e0d7/19-push-order.reply.json": checkEmptySuccess,
	"seed001-order-2019-07-10-059e0d7/20-push-refund.body.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushRefund, raw, "14947740098045346600002")
		eq(t, c.Kind, order.ChangeRefund)
		eq(t, c.CancelStatus, order.RefundDone)
		eq(t, c.CancelType, order.CancelType(2))
		eq(t, c.Reason, "商家取消")
	},
	"seed001-order-2019-07-10-059e0d7/21-push-refund.reply.json": checkEmptySuccess,

	"order-2020-12-08-28bd2c4/02-submit.response.json": func(t *testing.T, raw []byte) {
		r := mustResponse(t, raw)
		eq(t, r.Sign, "<sign>")
		code, err := DecodeSubmitBody(r.Body) // JSON inside a string
		eq(t, err, nil)
		eq(t, code, "1889943343")
	},
	"order-2020-12-08-28bd2c4/04-batchQuery.response.json": func(t *testing.T, raw []byte) {
		res, err := DecodeBatchQueryBody(mustResponse(t, raw).Body)
		eq(t, err, nil)
		eq(t, res.NextStartTimestamp, int64(1559201308000))
		eq(t, res.Items[0].Order.Original, order.Fen(1100))
		eq(t, res.Items[0].Order.Discount, order.Fen(100))
		eq(t, res.Items[0].Order.UserName, "MRX")
	},
	"order-2020-12-08-28bd2c4/06-historyOrders.response.json": checkRefusedInvalid,
	"order-2020-12-08-28bd2c4/06-historyOrders.response.repaired.json": func(t *testing.T, raw []byte) {
		res, err := DecodeHistoryBody(mustResponse(t, raw).Body)
		eq(t, err, nil)
		eq(t, res.Total, 50)
		eq(t, len(res.Items), 1)
		it := res.Items[0].Order.Items[0]
		eq(t, it.SkuID, "138418632407497998")
		eq(t, it.SharePrice, order.Fen(1800))
		eq(t, it.Unit, "杯")
	},
	"order-2020-12-08-28bd2c4/08-queryDetail.response.json": checkRefusedInvalid,
	"order-2020-12-08-28bd2c4/08-queryDetail.response.repaired.json": func(t *testing.T, raw []byte) {
		ds, err := DecodeDetailBody(mustResponse(t, raw).Body)
		eq(t, err, nil)
		eq(t, len(ds), 1)
		o := ds[0].Order
		eq(t, o.Discount, order.Fen(500))
		eq(t, o.Items[0].SharePrice, order.Fen(500)) // sharePrice
		eq(t, o.Items[0].Price, order.Fen(2500))
		eq(t, o.Mobile, "13602109227")
		eq(t, o.MaskedMobile(), "136****9227")
		eq(t, len(o.Discounts), 1)
		d := o.Discounts[0]
		eq(t, d.ActivityCode, "DPTJ20190812001")
		eq(t, d.ActivityType, 1) // "1"
		eq(t, d.Amount, order.Fen(500))
		// activityName appears twice; the second was meant as productName
		// (spec §7 #6): Go keeps the last one, and the raw JSON keeps both.
		eq(t, d.ActivityName, "测试商品")
		eq(t, strings.Contains(string(ds[0].Raw), "单品特价"), true)
	},
	"order-2020-12-08-28bd2c4/10-queryRefundOrders.response.json": func(t *testing.T, raw []byte) {
		res, err := DecodeRefundOrdersBody(mustResponse(t, raw).Body)
		eq(t, err, nil)
		eq(t, len(res.Items), 1)
		eq(t, res.Items[0], RefundItem{Code: "12355556", RefundStatus: 1}) // refundstatus
	},
	"order-2020-12-08-28bd2c4/12-batchOrderStatus.response.json": func(t *testing.T, raw []byte) {
		st, err := DecodeOrderStatusBody(mustResponse(t, raw).Body)
		eq(t, err, nil)
		eq(t, len(st), 1)
		eq(t, st[0], OrderStatus{Code: "12355556", PlatformStatus: 1, Raw: "1"})
	},
	"order-2020-12-08-28bd2c4/15-statusOperation.response.json": checkEmptySuccess,
	"order-2020-12-08-28bd2c4/17-refundOperation.response.json": checkEmptySuccess,
	"order-2020-12-08-28bd2c4/19-cancel.response.json":          checkEmptySuccess,
	"order-2020-12-08-28bd2c4/20-push-order.envelope.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushOrder, raw, "14947740098045346600002")
		eq(t, c.PlatformStatus, 6)
		eq(t, c.CancelStatus, order.RefundDone)
		checkPlaceholderSignRefused(t, PushOrder, raw)
	},
	"order-2020-12-08-28bd2c4/21-push-order.reply.json": checkEmptySuccess,
	"order-2020-12-08-28bd2c4/22-push-refund.envelope.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushRefund, raw, "14947740098045346600002")
		eq(t, c.Kind, order.ChangeRefund)
		eq(t, c.CancelStatus, order.RefundDone)
		checkPlaceholderSignRefused(t, PushRefund, raw)
	},
	"order-2020-12-08-28bd2c4/23-push-refund.reply.json": checkEmptySuccess,
	"order-2020-12-08-28bd2c4/24-push-event.envelope.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushEvent, raw, "14947740098045346600002")
		eq(t, c.Kind, order.ChangeEvent)
		eq(t, c.EventType, 1)
	},
	"order-2020-12-08-28bd2c4/25-push-event.reply.json": checkEmptySuccess,

	"order-2020-02-27-2beff80/push-delivery.body.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushDelivery, raw, "17050475918114082900006")
		eq(t, c.Kind, order.ChangeDelivery)
		eq(t, c.DeliveryStatus, 7)
		eq(t, c.Reason, "系统推单异常")
		eq(t, c.At.Equal(time.Date(2020, 2, 26, 0, 20, 16, 0, Shanghai)), true)
	},
	"distribution-2020-11-13-f88118a/push-delivery.envelope.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushDelivery, raw, "14947740098045346600002")
		eq(t, c.DeliveryStatus, 8)
		eq(t, c.Unknown == nil, true)
	},
	"distribution-2020-11-13-f88118a/push-delivery-callback.envelope.json": func(t *testing.T, raw []byte) {
		in, err := ParseIncoming(raw)
		eq(t, err, nil)
		eq(t, in.Params["ver"], "1")          // "ver": 1
		eq(t, in.Params["partnerId"], "1864") // "partnerId": 1864
		c := mustPush(t, PushDelivery, raw, "213188750773378667828")
		eq(t, c.DeliveryStatus, 7)
		eq(t, c.RiderName, "王明艳")
		eq(t, c.RiderPhone, "18260253511")
		eq(t, c.Reason, "联系不上顾客")
	},
	"distribution-2020-11-13-f88118a/push-delivery.reply.json": checkEmptySuccess,
	"order-2019-05-13-82ce862/push-callback.body.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushOrder, raw, "1494953")
		eq(t, c.Kind, order.ChangeStatus)
		eq(t, c.PlatformStatus, 0) // the callback carries no status: fetch the detail
		eq(t, c.Unknown["timeStamp"], "12354545")
	},
	"order-2019-05-13-82ce862/push-statusChange.body.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushOrder, raw, "126673345")
		eq(t, c.PlatformStatus, 1) // the status was named statusCode then
		eq(t, c.At.IsZero(), true)
	},
	"order-2019-05-13-d84c324/push-statusChange.body.json": func(t *testing.T, raw []byte) {
		c := mustPush(t, PushOrder, raw, "126673345")
		eq(t, c.PlatformStatus, 1)
	},
}

func TestFixturesDecode(t *testing.T) {
	seen := map[string]bool{}
	err := filepath.WalkDir(fixtureDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		rel, _ := filepath.Rel(fixtureDir, path)
		rel = filepath.ToSlash(rel)
		if strings.Contains(filepath.Base(rel), ".request") {
			return nil // the fake platform's request reader checks these
		}
		seen[rel] = true
		check, ok := fixtureChecks[rel]
		if !ok {
			t.Errorf("%s has no assertions: add it to fixtureChecks", rel)
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		t.Run(rel, func(t *testing.T) { check(t, raw) })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range fixtureChecks {
		if !seen[name] {
			t.Errorf("fixture %s is missing", name)
		}
	}
}

func eq[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func mustResponse(t *testing.T, raw []byte) *Response {
	t.Helper()
	r, err := DecodeResponse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("code %s", r.Code)
	}
	return r
}

func checkEmptySuccess(t *testing.T, raw []byte) {
	r := mustResponse(t, raw)
	eq(t, r.Ver, "1")
	eq(t, len(r.Body), 0)
}

// checkRefusedInvalid: the invalid newest examples (spec §7 #11) are refused
// with a clear error rather than half read.
func checkRefusedInvalid(t *testing.T, raw []byte) {
	_, err := DecodeResponse(raw)
	if err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Fatalf("want a clear refusal, got %v", err)
	}
}

func mustPush(t *testing.T, kind PushKind, raw []byte, code string) order.Change {
	t.Helper()
	info, err := ValidatePush(kind, raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, info.Code, code)
	eq(t, info.Kind, kind)
	c, err := DecodePush(kind, info.Body)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, c.Code, code)
	eq(t, c.Via, order.ViaPush)
	eq(t, c.Source, order.SourceKaigedian)
	return c
}

// The documents' "<sign>" placeholder must not pass once a key is configured.
func checkPlaceholderSignRefused(t *testing.T, kind PushKind, raw []byte) {
	t.Helper()
	key, _ := testKeys(t)
	_, err := ValidatePush(kind, raw, &key.PublicKey)
	eq(t, pushStatus(err), PushStatusUnauthorized)
}
