package kaigedian_test

import (
	"bufio"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

const (
	partner = "1864"
	app     = "2eb5c8f1170246429755e6dac313f89d"
	token   = "secret-gateway-token"
)

type rig struct {
	p      *fake.Platform
	base   string
	client *kaigedian.Client
	key    *rsa.PrivateKey
}

func config(base string, key *rsa.PrivateKey) kaigedian.Config {
	return kaigedian.Config{
		BaseURL: base, PartnerID: partner, AppID: app, AccessToken: token, PrivateKey: key,
		Timeout: time.Second, RatePerSecond: -1, RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond,
	}
}

func newRig(t *testing.T, mutate func(*kaigedian.Config)) *rig {
	t.Helper()
	merchant, platform := kaigedian.TestKeys(t)
	p, err := fake.New(fake.Options{MerchantKey: merchant, PlatformKey: platform, AccessToken: token,
		PartnerID: partner, AppID: app, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	base, err := p.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	cfg := config(base, merchant)
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := kaigedian.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{p: p, base: base, client: c, key: merchant}
}

// comparable strips what the wire cannot carry: sub-second times (the
// documented layout has seconds) and location pointers.
func comparable(o order.Order) order.Order {
	norm := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.Truncate(time.Second).In(kaigedian.Shanghai)
	}
	o.CreatedAt, o.PaidAt, o.AcceptedAt, o.ExpectAt = norm(o.CreatedAt), norm(o.PaidAt), norm(o.AcceptedAt), norm(o.ExpectAt)
	return o
}

func TestEveryEndpointRoundTrips(t *testing.T) {
	r := newRig(t, nil)
	ctx := t.Context()
	var made []order.Order
	for _, spec := range []fake.OrderSpec{
		{Menu: "tea", Type: order.TypePickup},
		{Menu: "restaurant", Type: order.TypeDelivery},
		{Menu: "restaurant", Type: order.TypeDineIn},
		{Menu: "tea", Type: order.TypePickupReserved},
	} {
		spec.NoPush = true
		made = append(made, r.p.NewOrder(spec))
	}
	made = append(made, r.p.Generate(20, fake.OrderSpec{NoPush: true, StoreID: "1862"})...)
	codes := make([]string, len(made))
	for i, o := range made {
		codes[i] = o.Code
	}

	page, err := r.client.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: "1862"})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != len(made) || len(page.Items) != 10 || page.NextStartTimestamp == 0 {
		t.Fatalf("batchQuery: total %d items %d next %d", page.Total, len(page.Items), page.NextStartTimestamp)
	}
	for _, h := range page.Items {
		if h.PlatformStatus != 1 || h.Code == "" || len(h.Raw) == 0 || len(h.Order.Items) != 0 {
			t.Fatalf("header %+v", h)
		}
	}

	details, err := r.client.QueryDetail(ctx, codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != len(made) {
		t.Fatalf("queryDetail returned %d of %d", len(details), len(made))
	}
	for i, d := range details {
		// queryDetail carries no address, as documented: historyOrders has it.
		wantDetail := made[i]
		wantDetail.Address, wantDetail.Deliveries = "", nil
		want, got := comparable(wantDetail), comparable(d.Order)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("order %s does not survive the wire:\n got %+v\nwant %+v", want.Code, got, want)
		}
		if got.Mobile != want.Mobile {
			t.Fatalf("phone numbers must survive the wire")
		}
	}

	hist, err := r.client.HistoryOrders(ctx, kaigedian.HistoryRequest{StoreID: "1862", Day: time.Now(), PageSize: 100})
	if err != nil || hist.Total != len(made) || len(hist.Items) != len(made) || hist.Items[0].Extra.PartnerID != partner {
		t.Fatalf("historyOrders: %+v %v", hist, err)
	}
	byCode := map[string]order.Order{}
	for _, d := range hist.Items {
		byCode[d.Order.Code] = d.Order
	}
	for _, o := range made {
		h := byCode[o.Code]
		if !reflect.DeepEqual(comparable(h), comparable(o)) {
			t.Fatalf("order %s does not survive historyOrders:\n got %+v\nwant %+v", o.Code, comparable(h), comparable(o))
		}
		if len(o.Deliveries) > 0 && (h.Address != o.Address || h.Deliveries[0].Mobile != o.Deliveries[0].Mobile) {
			t.Fatalf("the address and the courier's phone come with historyOrders: %+v", h)
		}
	}

	statuses, err := r.client.BatchOrderStatus(ctx, codes[:3])
	if err != nil || len(statuses) != 3 || statuses[0] != (kaigedian.OrderStatus{Code: codes[0], PlatformStatus: 1, Raw: "1"}) {
		t.Fatalf("batchOrderStatus: %+v %v", statuses, err)
	}

	accept := func(code, tx string) {
		t.Helper()
		if err := r.client.StatusOperation(ctx, tx, kaigedian.StatusOperationRequest{OrderCode: code, OrderStatus: 3, Operator: "店员"}); err != nil {
			t.Fatal(err)
		}
	}
	accept(codes[0], "tx-accept-0")
	accept(codes[1], "tx-accept-1")
	accept(codes[2], "tx-accept-2")
	snap, _ := r.p.Order(codes[0])
	if snap.PlatformStatus != 3 || snap.Operations[0].TransactionID != "tx-accept-0" || snap.Operations[0].Operator != "店员" {
		t.Fatalf("accept: %+v", snap)
	}
	if err := r.client.StatusOperation(ctx, "tx-made-0", kaigedian.StatusOperationRequest{OrderCode: codes[0], OrderStatus: 31}); err != nil {
		t.Fatal(err)
	}
	if err := r.client.StatusOperation(ctx, "tx-deliver-1", kaigedian.StatusOperationRequest{OrderCode: codes[1], OrderStatus: 4,
		Delivery: &kaigedian.DeliveryInfo{ContactsName: "王师傅", Mobile: "13800000000", ExpressChannelCode: "SelfDelivery"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.client.StatusOperation(ctx, "tx-done-1", kaigedian.StatusOperationRequest{OrderCode: codes[1], OrderStatus: 5}); err != nil {
		t.Fatal(err)
	}
	if err := r.client.StatusOperation(ctx, "tx-reject-3", kaigedian.StatusOperationRequest{OrderCode: codes[3], OrderStatus: 7, Reason: "门店已打烊"}); err != nil {
		t.Fatal(err)
	}
	if snap, _ := r.p.Order(codes[3]); snap.PlatformStatus != 7 || snap.CancelReason != "门店已打烊" {
		t.Fatalf("reject: %+v", snap)
	}

	if err := r.p.RequestRefund(codes[2], "不想要了"); err != nil {
		t.Fatal(err)
	}
	refunds, err := r.client.QueryRefundOrders(ctx, kaigedian.RefundQueryRequest{StoreID: "1862"})
	if err != nil || refunds.Total != 1 || refunds.Items[0] != (kaigedian.RefundItem{Code: codes[2], RefundStatus: 1}) || refunds.NextStartTimestamp == 0 {
		t.Fatalf("queryRefundOrders: %+v %v", refunds, err)
	}
	if err := r.client.RefundOperation(ctx, "tx-refund-2", kaigedian.RefundOperationRequest{OrderCode: codes[2], Action: kaigedian.RefundAgree}); err != nil {
		t.Fatal(err)
	}
	if snap, _ := r.p.Order(codes[2]); snap.PlatformStatus != 6 || snap.RefundStatus != 5 {
		t.Fatalf("refund agreed: %+v", snap)
	}
	if err := r.client.Cancel(ctx, "tx-cancel-1", kaigedian.CancelRequest{OrderCode: codes[1], Reason: "客诉：送错了"}); err != nil {
		t.Fatal(err)
	}
	if snap, _ := r.p.Order(codes[1]); snap.PlatformStatus != 6 || snap.CancelType != 3 {
		t.Fatalf("after-sales cancel: %+v", snap)
	}

	sub := kaigedian.SubmitRequest{
		StoreID: "1862", StoreName: "南翔一店", ActualPayAmount: 2700, OriginalAmount: 3000, DiscountAmount: 300,
		CanRefund: true, OrderClient: 15, OrderStatus: 5, OrderType: 1, PayType: 2, PayTime: "2024-05-01 12:30:00",
		UserID: "pos-user", NeedBonus: 0, BarCounter: "A01", Note: "线下 🌶",
		Items: []kaigedian.SubmitItem{
			{ProductSeq: 1, ProductID: "P1", ProductName: "珍珠奶茶", ProductPrice: 1500, ProductQuantity: 2, ProductSharePrice: 300,
				ProductUnit: "杯", ProductSpecName: "大杯", ProductProperty: "少冰,三分糖"},
		},
	}
	code, err := r.client.Submit(ctx, "tx-submit", sub)
	if err != nil || code == "" {
		t.Fatalf("submit: %q %v", code, err)
	}
	snap, ok := r.p.Order(code)
	if !ok || snap.PlatformStatus != 5 || snap.Order.ActualPay != 2700 || snap.Order.Items[0].Unit != "杯" ||
		snap.Order.Items[0].SharePrice != 300 || snap.Order.Note != "线下 🌶" {
		t.Fatalf("submitted order: %+v", snap)
	}
	body := r.p.CallsTo("submit")[0].Body
	line := body["orderItemList"].([]any)[0].(map[string]any)
	if line["productUnit"] != "杯" || line["productWeightUnit"] != "杯" || body["deliverAmount"] == nil {
		t.Fatalf("submit must send the unit under both names and the newest table's amounts: %v", body)
	}
}

func TestQueriesRetryUntilTheyAnswer(t *testing.T) {
	r := newRig(t, func(c *kaigedian.Config) { c.Timeout = 150 * time.Millisecond })
	ctx := t.Context()
	r.p.NewOrder(fake.OrderSpec{NoPush: true, StoreID: "1862"})
	for _, kind := range []fake.FaultKind{fake.FaultHTTP500, fake.FaultCode500, fake.FaultHang, fake.FaultMalformed} {
		t.Run(kind.String(), func(t *testing.T) {
			before := len(r.p.CallsTo("batchQuery"))
			r.p.SetFault("batchQuery", fake.Fault{Kind: kind, Times: 2})
			res, err := r.client.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: "1862"})
			if err != nil || res.Total != 1 {
				t.Fatalf("must succeed on the third attempt: %+v %v", res, err)
			}
			eventually(t, func() bool { return len(r.p.CallsTo("batchQuery")) >= before+3 })
			calls := r.p.CallsTo("batchQuery")[before:]
			if len(calls) != 3 {
				t.Fatalf("%d attempts, want 3", len(calls))
			}
			ids := map[string]bool{}
			for _, c := range calls {
				ids[c.TransactionID] = true
			}
			if len(ids) != 3 {
				t.Fatal("each attempt of a query carries a fresh x-transaction-id")
			}
		})
	}
	// A fault that never clears: the default three retries, then a retryable error.
	r.p.SetFault("*", fake.Fault{Kind: fake.FaultCode500})
	before := len(r.p.Calls())
	_, err := r.client.QueryDetail(ctx, []string{"1"})
	if err == nil || !kaigedian.IsRetryable(err) || !strings.Contains(err.Error(), "内部服务异常") {
		t.Fatalf("want a retryable platform error, got %v", err)
	}
	if n := len(r.p.Calls()) - before; n != 1+kaigedian.DefaultQueryRetries {
		t.Fatalf("%d attempts", n)
	}
	r.p.ClearFaults()
	// Code 21 is final: no retry.
	before = len(r.p.Calls())
	_, err = r.client.QueryDetail(ctx, []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"})
	if err != nil {
		t.Fatal(err)
	}
	r.p.SetFault("queryRefundOrders", fake.Fault{Kind: fake.FaultBadSign})
	_, err = r.client.QueryRefundOrders(ctx, kaigedian.RefundQueryRequest{StoreID: "1862"})
	var pe *kaigedian.PlatformError
	if !errors.As(err, &pe) || pe.Code != "401" || kaigedian.IsRetryable(err) {
		t.Fatalf("a refused signature is final: %v", err)
	}
	if n := len(r.p.Calls()) - before; n != 2 {
		t.Fatalf("%d calls, want 2 (no retry of a refusal)", n)
	}
}

func TestCommandsAreNotRetriedAndCarryTheGivenID(t *testing.T) {
	r := newRig(t, func(c *kaigedian.Config) { c.Timeout = 150 * time.Millisecond })
	ctx := t.Context()
	o := r.p.NewOrder(fake.OrderSpec{NoPush: true})
	req := kaigedian.StatusOperationRequest{OrderCode: o.Code, OrderStatus: 3}
	for i, kind := range []fake.FaultKind{fake.FaultHTTP500, fake.FaultCode500, fake.FaultHang, fake.FaultMalformed} {
		r.p.SetFault("statusOperation", fake.Fault{Kind: kind, Times: 1})
		err := r.client.StatusOperation(ctx, "outbox-row-17", req)
		if err == nil || !kaigedian.IsRetryable(err) {
			t.Fatalf("%s: want a retryable error for the outbox, got %v", kind, err)
		}
		// A hung request is recorded when the server notices the client left.
		eventually(t, func() bool { return len(r.p.CallsTo("statusOperation")) >= i+1 })
		calls := r.p.CallsTo("statusOperation")
		if len(calls) != i+1 || calls[i].TransactionID != "outbox-row-17" {
			t.Fatalf("%s: a command is sent once, with the caller's id: %+v", kind, calls)
		}
	}
	// The outbox retries with the same id; the platform applies it once.
	if err := r.client.StatusOperation(ctx, "outbox-row-17", req); err != nil {
		t.Fatal(err)
	}
	if snap, _ := r.p.Order(o.Code); len(snap.Operations) != 1 || snap.PlatformStatus != 3 {
		t.Fatalf("%+v", snap)
	}
	if err := r.client.Cancel(ctx, "", kaigedian.CancelRequest{OrderCode: o.Code, Reason: "x"}); !errors.Is(err, kaigedian.ErrInvalidRequest) {
		t.Fatalf("an empty transaction id is refused locally: %v", err)
	}
}

func TestValidationFailuresAreNeverSent(t *testing.T) {
	r := newRig(t, nil)
	ctx := t.Context()
	cases := []error{
		r.client.StatusOperation(ctx, "t1", kaigedian.StatusOperationRequest{OrderCode: "1", OrderStatus: 6}),
		r.client.StatusOperation(ctx, "t2", kaigedian.StatusOperationRequest{OrderCode: "1", OrderStatus: 4}),
		r.client.StatusOperation(ctx, "t3", kaigedian.StatusOperationRequest{OrderCode: "1", OrderStatus: 4, Delivery: &kaigedian.DeliveryInfo{ContactsName: "王"}}),
		r.client.StatusOperation(ctx, "t4", kaigedian.StatusOperationRequest{OrderStatus: 3}),
		r.client.RefundOperation(ctx, "t5", kaigedian.RefundOperationRequest{OrderCode: "1", Action: 3}),
		r.client.Cancel(ctx, "t6", kaigedian.CancelRequest{OrderCode: "1"}),
	}
	_, err := r.client.Submit(ctx, "t7", kaigedian.SubmitRequest{StoreID: "1862"})
	cases = append(cases, err)
	_, err = r.client.BatchQuery(ctx, kaigedian.BatchQueryRequest{StoreID: "1862", Count: 11})
	cases = append(cases, err)
	_, err = r.client.QueryDetail(ctx, []string{"1", " "})
	cases = append(cases, err)
	_, err = r.client.HistoryOrders(ctx, kaigedian.HistoryRequest{StoreID: "1862"})
	cases = append(cases, err)
	for i, err := range cases {
		var ve *kaigedian.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, kaigedian.ErrInvalidRequest) || kaigedian.IsRetryable(err) {
			t.Errorf("case %d: want a validation error, got %v", i, err)
		}
	}
	if n := len(r.p.Calls()); n != 0 {
		t.Fatalf("%d invalid requests reached the platform", n)
	}
}

func TestQueryDetailAndStatusSplitIntoTens(t *testing.T) {
	r := newRig(t, nil)
	ctx := t.Context()
	orders := r.p.Generate(23, fake.OrderSpec{NoPush: true})
	var codes []string
	for _, o := range orders {
		codes = append(codes, o.Code)
	}
	details, err := r.client.QueryDetail(ctx, append(codes, codes[0])) // a duplicate is asked once
	if err != nil || len(details) != 23 {
		t.Fatalf("%d details, %v", len(details), err)
	}
	var sizes []int
	for _, c := range r.p.CallsTo("queryDetail") {
		sizes = append(sizes, len(c.Body["orderCode"].([]any)))
	}
	if !slices.Equal(sizes, []int{10, 10, 3}) {
		t.Fatalf("batches %v", sizes)
	}
	st, err := r.client.BatchOrderStatus(ctx, codes[:12])
	if err != nil || len(st) != 12 || len(r.p.CallsTo("batchOrderStatus")) != 2 {
		t.Fatalf("batchOrderStatus: %d %v", len(st), err)
	}
}

func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 3s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// wireCapture is a minimal HTTP/1.1 server on a raw TCP listener that
// answers every request with a fixed success reply (or w.status).
type wireCapture struct {
	mu     sync.Mutex
	status string
}

func (w *wireCapture) serve(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go w.handle(conn)
		}
	}()
	return "http://" + ln.Addr().String()
}

func (w *wireCapture) handle(conn net.Conn) {
	defer conn.Close()
	br := bufio.NewReader(conn)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, req.Body)
	w.mu.Lock()
	status := w.status
	w.mu.Unlock()
	body := `{"ver":"1","statusCode":"100","message":"success","responseBody":"{\"total\":0,\"itemList\":[]}"}`
	if status == "" {
		status = "200 OK"
	}
	fmt.Fprintf(conn, "HTTP/1.1 %s\r\nDate: Mon, 01 Jan 2024 04:00:00 GMT\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", status, len(body), body)
}

// rawHeaders captures request header lines byte for byte through a proxy
// listener in front of wireCapture.
func rawHeaders(t *testing.T, target string) (string, func() []string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	var mu sync.Mutex
	var heads []string
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				up, err := net.Dial("tcp", strings.TrimPrefix(target, "http://"))
				if err != nil {
					return
				}
				defer up.Close()
				br := bufio.NewReader(conn)
				var head strings.Builder
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					head.WriteString(line)
					if line == "\r\n" {
						break
					}
				}
				mu.Lock()
				heads = append(heads, head.String())
				mu.Unlock()
				_, _ = io.WriteString(up, head.String())
				go func() { _, _ = io.Copy(up, br) }()
				_, _ = io.Copy(conn, up)
			}()
		}
	}()
	return "http://" + ln.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), heads...)
	}
}

func TestHeadersOnTheWire(t *testing.T) {
	merchant, _ := kaigedian.TestKeys(t)
	w := &wireCapture{}
	proxy, heads := rawHeaders(t, w.serve(t))
	c, err := kaigedian.NewClient(config(proxy+"/openapi/", merchant))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Probe(t.Context(), "1862")
	if err != nil {
		t.Fatal(err)
	}
	if !res.ServerTime.Equal(time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)) || res.Latency <= 0 {
		t.Fatalf("probe result %+v", res)
	}
	h := heads()[0]
	for _, want := range []string{
		"POST /openapi/order/batchQuery HTTP/1.1\r\n",
		"\r\naccess_token: " + token + "\r\n",
		"\r\nx-transaction-id: ",
		"\r\nContent-Type: application/json;charset=utf-8\r\n",
		"\r\nAccept: application/json;charset=utf-8\r\n",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("request head lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "Access_token") || strings.Contains(h, "Access-Token") {
		t.Errorf("access_token must keep its documented spelling:\n%s", h)
	}

	// Failures never carry the token.
	w.mu.Lock()
	w.status = "502 Bad Gateway"
	w.mu.Unlock()
	_, err = c.BatchQuery(t.Context(), kaigedian.BatchQueryRequest{StoreID: "1862"})
	if err == nil || strings.Contains(err.Error(), token) {
		t.Fatalf("error %v", err)
	}
	dead, _ := kaigedian.NewClient(config("http://user:"+token+"@127.0.0.1:1/openapi", merchant))
	_, err = dead.Probe(context.Background(), "1862")
	var te *kaigedian.TransportError
	if !errors.As(err, &te) || strings.Contains(err.Error(), token) {
		t.Fatalf("transport error %v", err)
	}
}

func TestBaseURLJoin(t *testing.T) {
	merchant, _ := kaigedian.TestKeys(t)
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		_, _ = io.WriteString(w, `{"statusCode":"100","responseBody":""}`)
	}))
	defer srv.Close()
	for _, base := range []string{srv.URL + "/openapi", srv.URL + "/openapi/", srv.URL + "/openapi//"} {
		c, err := kaigedian.NewClient(config(base, merchant))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Probe(t.Context(), "1862"); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := kaigedian.NewClient(config(srv.URL, merchant))
	_, _ = c.Probe(t.Context(), "1862")
	want := []string{"/openapi/order/batchQuery", "/openapi/order/batchQuery", "/openapi/order/batchQuery", "/order/batchQuery"}
	if !slices.Equal(paths, want) {
		t.Fatalf("paths %v", paths)
	}
}

func TestProbeAgainstThePlatform(t *testing.T) {
	r := newRig(t, nil)
	res, err := r.client.Probe(t.Context(), "1862")
	if err != nil {
		t.Fatal(err)
	}
	if skew := time.Since(res.ServerTime); skew < -2*time.Second || skew > 2*time.Second || res.Latency <= 0 {
		t.Fatalf("probe %+v", res)
	}
	_, stranger := kaigedian.TestKeys(t)
	wrong, _ := kaigedian.NewClient(config(r.base, stranger))
	res, err = wrong.Probe(t.Context(), "1862")
	var pe *kaigedian.PlatformError
	if !errors.As(err, &pe) || pe.Code != "401" || res.ServerTime.IsZero() {
		t.Fatalf("a wrong key shows in the probe: %+v %v", res, err)
	}
}

func TestNewClientConfigProblems(t *testing.T) {
	_, err := kaigedian.NewClient(kaigedian.Config{AccessToken: token})
	var ve *kaigedian.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 4 || strings.Contains(err.Error(), token) {
		t.Fatalf("want four problems without the token: %v", err)
	}
	merchant, _ := kaigedian.TestKeys(t)
	if _, err := kaigedian.NewClient(kaigedian.Config{BaseURL: "ftp://x", PartnerID: "1", AppID: "a", PrivateKey: merchant}); err == nil {
		t.Fatal("an ftp URL is refused")
	}
}

func TestRateLimitSpacesCalls(t *testing.T) {
	r := newRig(t, func(c *kaigedian.Config) { c.RatePerSecond = 10 }) // burst 5
	start := time.Now()
	for range 8 {
		if _, err := r.client.Probe(t.Context(), "1862"); err != nil {
			t.Fatal(err)
		}
	}
	// Three calls beyond the burst wait ~100ms each; only a lower bound is checked.
	if elapsed := time.Since(start); elapsed < 250*time.Millisecond {
		t.Fatalf("8 calls at 10/s took only %v", elapsed)
	}
}
