package kaigedian

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

// signedPush wraps body in an envelope signed with key.
func signedPush(t *testing.T, body string) []byte {
	t.Helper()
	key, _ := testKeys(t)
	env, err := NewEnvelope(key, "1864", "app", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := env.Marshal()
	return raw
}

func pushStatus(err error) int {
	var pe *PushError
	if errors.As(err, &pe) {
		return pe.Status
	}
	return 0
}

func TestValidatePush(t *testing.T) {
	key, other := testKeys(t)
	orderBody := `{"orderCode":"14947740098045346600002","orderStatus":"1","timeStamp":"1562595367000"}`
	signed := signedPush(t, orderBody)

	var withObjectBody map[string]any
	_ = json.Unmarshal(signed, &withObjectBody)
	withObjectBody["requestBody"] = map[string]any{"orderCode": "7"}
	objectEnvelope, _ := json.Marshal(withObjectBody)

	var tampered map[string]any
	_ = json.Unmarshal(signed, &tampered)
	tampered["requestBody"] = `{"orderCode":"14947740098045346600003","orderStatus":"1"}`
	tamperedRaw, _ := json.Marshal(tampered)

	noSign := map[string]any{}
	_ = json.Unmarshal(signed, &noSign)
	delete(noSign, "sign")
	noSignRaw, _ := json.Marshal(noSign)

	cases := []struct {
		name   string
		kind   PushKind
		raw    string
		signed bool // verify with key
		status int
		code   string
		kindIs PushKind
	}{
		{name: "bare body", kind: PushOrder, raw: orderBody, code: "14947740098045346600002"},
		{name: "envelope unsigned mode", kind: PushOrder, raw: string(signed), code: "14947740098045346600002"},
		{name: "envelope verified", kind: PushOrder, raw: string(signed), signed: true, code: "14947740098045346600002"},
		{name: "numeric code", kind: PushOrder, raw: `{"orderCode":14947740098045346,"orderStatus":"1"}`, code: "14947740098045346"},
		{name: "object requestBody tolerated", kind: PushOrder, raw: string(objectEnvelope), code: "7"},
		{name: "delivery uses orderId", kind: PushDelivery, raw: `{"orderId":"1705","deliveryId":"68","deliveryStatus":7}`, code: "1705"},
		{name: "delivery push on the order path", kind: PushOrder, raw: `{"orderId":"1705","deliveryId":"68","deliveryStatus":7}`, code: "1705", kindIs: PushDelivery},
		{name: "refund push on the order path", kind: PushOrder, raw: `{"orderCode":"9","refundStatus":"1"}`, code: "9", kindIs: PushRefund},

		{name: "empty body", kind: PushOrder, raw: ``, status: 21},
		{name: "not JSON", kind: PushOrder, raw: `orderCode=1`, status: 21},
		{name: "truncated", kind: PushOrder, raw: `{"orderCode":"1"`, status: 21},
		{name: "array", kind: PushOrder, raw: `[{"orderCode":"1"}]`, status: 21},
		{name: "missing id", kind: PushOrder, raw: `{"orderStatus":"1"}`, status: 21},
		{name: "empty id", kind: PushOrder, raw: `{"orderCode":"  "}`, status: 21},
		{name: "null id", kind: PushOrder, raw: `{"orderCode":null}`, status: 21},
		{name: "object id", kind: PushOrder, raw: `{"orderCode":{"a":1}}`, status: 21},
		{name: "array id", kind: PushRefund, raw: `{"orderCode":["1"]}`, status: 21},
		{name: "bool id", kind: PushEvent, raw: `{"orderCode":true,"eventType":"1"}`, status: 21},
		{name: "delivery without orderId", kind: PushDelivery, raw: `{"orderCode":"1","deliveryStatus":1}`, status: 21},
		{name: "requestBody not JSON", kind: PushOrder, raw: `{"ver":"1","requestBody":"orderCode=1","sign":"x"}`, status: 21},
		{name: "requestBody empty", kind: PushOrder, raw: `{"ver":"1","requestBody":"","sign":"x"}`, status: 21},
		{name: "requestBody a number", kind: PushOrder, raw: `{"ver":"1","requestBody":5}`, status: 21},
		{name: "unknown kind", kind: PushKind("menu"), raw: orderBody, status: 21},

		{name: "bare body when a key is set", kind: PushOrder, raw: orderBody, signed: true, status: 401},
		{name: "sign missing", kind: PushOrder, raw: string(noSignRaw), signed: true, status: 401},
		{name: "tampered body", kind: PushOrder, raw: string(tamperedRaw), signed: true, status: 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var k = &key.PublicKey
			if !c.signed {
				k = nil
			}
			info, err := ValidatePush(c.kind, []byte(c.raw), k)
			if c.status != 0 {
				if got := pushStatus(err); got != c.status {
					t.Fatalf("want refusal %d, got %v (info %+v)", c.status, err, info)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Code != c.code {
				t.Errorf("code %q, want %q", info.Code, c.code)
			}
			want := c.kind
			if c.kindIs != "" {
				want = c.kindIs
			}
			if info.Kind != want {
				t.Errorf("kind %q, want %q", info.Kind, want)
			}
			if info.Signed != c.signed {
				t.Errorf("Signed = %v", info.Signed)
			}
			if !json.Valid(info.Body) {
				t.Errorf("Body is not JSON: %s", info.Body)
			}
		})
	}
	// A push signed by some other key is refused once a key is configured.
	env, _ := NewEnvelope(other, "1864", "app", []byte(orderBody))
	raw, _ := env.Marshal()
	if _, err := ValidatePush(PushOrder, raw, &key.PublicKey); pushStatus(err) != 401 {
		t.Fatalf("foreign signature: want 401, got %v", err)
	}
	if info, err := ValidatePush(PushOrder, signed, &key.PublicKey); err != nil || string(info.Body) != orderBody || !info.Envelope {
		t.Fatalf("Body must be the requestBody string: %s %v", info.Body, err)
	}
}

func TestDecodePush(t *testing.T) {
	ms := func(v int64) time.Time { return time.UnixMilli(v) }
	cases := []struct {
		name string
		kind PushKind
		body string
		want order.Change
	}{
		{"new order", PushOrder, `{"orderCode":"1","orderStatus":"1","timeStamp":"1562595367000"}`,
			order.Change{Kind: order.ChangeStatus, Code: "1", PlatformStatus: 1, At: ms(1562595367000)}},
		{"user cancel", PushOrder, `{"cancelReason":"商家取消","cancelStatus":"5","cancelType":"2","orderCode":"2","orderStatus":"6","timeStamp":"1562595367000"}`,
			order.Change{Kind: order.ChangeStatus, Code: "2", PlatformStatus: 6, CancelType: 2, CancelStatus: 5, Reason: "商家取消", At: ms(1562595367000)}},
		{"numbers as numbers, seconds", PushOrder, `{"orderCode":3,"orderStatus":31,"timeStamp":1562595367}`,
			order.Change{Kind: order.ChangeStatus, Code: "3", PlatformStatus: 31, At: time.Unix(1562595367, 0)}},
		{"unknown status kept raw", PushOrder, `{"orderCode":"4","orderStatus":"99","cancelType":"42","timeStamp":"1494953"}`,
			order.Change{Kind: order.ChangeStatus, Code: "4", Unknown: map[string]string{"orderStatus": "99", "cancelType": "42", "timeStamp": "1494953"}}},
		{"historical statusCode", PushOrder, `{"orderCode":"126673345","statusCode":"1","timeStamp":"1494953"}`,
			order.Change{Kind: order.ChangeStatus, Code: "126673345", PlatformStatus: 1, Unknown: map[string]string{"timeStamp": "1494953"}}},
		{"refund request", PushRefund, `{"orderCode":"5","refundStatus":"1","refundType":"2","refundReason":"不想要了","timeStamp":"1562595367000"}`,
			order.Change{Kind: order.ChangeRefund, Code: "5", CancelStatus: 1, CancelType: 2, Reason: "不想要了", At: ms(1562595367000)}},
		{"refund lower-case alias", PushRefund, `{"orderCode":"5","refundstatus":6}`,
			order.Change{Kind: order.ChangeRefund, Code: "5", CancelStatus: 6}},
		{"refund push on the order path", PushOrder, `{"orderCode":"5","refundStatus":"3"}`,
			order.Change{Kind: order.ChangeRefund, Code: "5", CancelStatus: 3}},
		{"delivery 2020-02", PushDelivery, `{"deliveryId":"68","deliveryStatus":7,"orderId":"1705","remark":"系统推单异常","updateTime":"2020-02-26 00:20:16"}`,
			order.Change{Kind: order.ChangeDelivery, Code: "1705", DeliveryStatus: 7, Reason: "系统推单异常", At: time.Date(2020, 2, 26, 0, 20, 16, 0, Shanghai),
				Waybill: &order.Waybill{ID: "68", Text: "运单异常：系统推单异常", NeedsStaff: true, Remark: "系统推单异常"}}},
		{"delivery rider", PushDelivery, `{"orderId":"1","deliveryId":"d","deliveryStatus":"2","riderName":"王明艳","riderPhone":"18260253511"}`,
			order.Change{Kind: order.ChangeDelivery, Code: "1", DeliveryStatus: 2, RiderName: "王明艳", RiderPhone: "18260253511",
				Waybill: &order.Waybill{ID: "d", Text: "已分配骑手"}}},
		{"event", PushEvent, `{"eventType":"1","orderCode":"6"}`,
			order.Change{Kind: order.ChangeEvent, Code: "6", EventType: 1}},
		{"unknown event", PushEvent, `{"eventType":"2","orderCode":"6"}`,
			order.Change{Kind: order.ChangeEvent, Code: "6", Unknown: map[string]string{"eventType": "2"}}},
		{"envelope given to DecodePush", PushOrder, `{"ver":"1","requestBody":"{\"orderCode\":\"8\",\"orderStatus\":\"3\"}","sign":"x"}`,
			order.Change{Kind: order.ChangeStatus, Code: "8", PlatformStatus: 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodePush(c.kind, []byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			c.want.Via, c.want.Source = order.ViaPush, order.SourceKaigedian
			if !got.At.Equal(c.want.At) {
				t.Errorf("At %v, want %v", got.At, c.want.At)
			}
			got.At, c.want.At = time.Time{}, time.Time{}
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(c.want)
			if string(gj) != string(wj) || got.RiderPhone != c.want.RiderPhone {
				t.Errorf("\n got %s\nwant %s", gj, wj)
			}
		})
	}
	for _, bad := range []string{``, `[]`, `{"orderStatus":"1"}`, `{"orderCode":{}}`, `{"requestBody":"x"}`} {
		if _, err := DecodePush(PushOrder, []byte(bad)); pushStatus(err) != 21 {
			t.Errorf("DecodePush(%q) = %v, want a 21 refusal", bad, err)
		}
	}
}

func TestPushReply(t *testing.T) {
	if got := string(PushReply(CodeSuccess, "success")); got != PushReplyOK {
		t.Fatalf("got %s", got)
	}
	r, err := DecodeResponse([]byte(PushReplyOK))
	if err != nil || !r.OK() {
		t.Fatalf("our own reply must read as success: %v", err)
	}
}
