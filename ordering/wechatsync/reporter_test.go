package wechatsync_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/wechatsync"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
	"github.com/posbridge/posbridge/wechatpay/fake"
)

// reporterOn is the reporter on a database of its own (no daemon), sending
// to the world's fake WeChat Pay.
func reporterOn(t *testing.T, w *payWorld, payments wechatsync.Payments) (*wechatsync.Reporter, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{})
	must(t, err)
	t.Cleanup(func() { db.Close() })
	creds, err := wechatpay.LoadCredentials(&w.cfg)
	must(t, err)
	client, err := wechatpay.NewClient(w.cfg, creds, wechatpay.ClientOptions{})
	must(t, err)
	tokens, err := customers.NewTokens([]byte("0123456789abcdef0123456789abcdef"), time.Hour, nil)
	must(t, err)
	return wechatsync.New(wechatsync.Options{DB: db, Config: w.cfg, Sender: client, Payments: payments,
		Identities: customers.NewService(db, nil, tokens, customers.Limits{}, nil),
		PublicURL:  func() string { return "https://order.example.com" }}), db
}

// The lifecycle of an order paid online: placed unpaid (CREATE_DEAL), then
// paid (PAY_SUCCESS); the transitions after it report nothing, and a
// transaction id that comes twice (a crash after the send) sends nothing
// again. Paid another way, the PAY_SUCCESS is not synced, with the reason.
func TestTheLifecycleOfAnOrderPaidOnline(t *testing.T) {
	w := newPayWorld(t, t.TempDir())
	payments := &paidOnline{paid: map[string]*wechatpay.SyncPayment{}}
	rep, db := reporterOn(t, w, payments)
	ctx := context.Background()
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000010", "page-token-10")
	code := placeOrder(t, db, cust, orders.Placed, nil)
	card := placeOrder(t, db, cust, orders.Placed, nil)
	at := time.Now()
	steps := []bridge.Transition{
		{From: "", To: order.StatusPendingPayment, Payment: order.PaymentUnpaid},
		{From: order.StatusPendingPayment, To: order.StatusNew, Payment: order.PaymentPaid},
		{From: order.StatusNew, To: order.StatusAccepted, Payment: order.PaymentPaid},
		{From: order.StatusAccepted, To: order.StatusCompleted, Payment: order.PaymentPaid},
	}
	payments.pay(code, &wechatpay.SyncPayment{PayTime: at, TransactionID: "4200000000202612020000000002", OutTradeNo: "SQB" + code})
	for _, c := range []string{code, card} {
		for i, s := range steps {
			s.Source, s.Code, s.At = order.SourceOrdering, c, at.Add(time.Duration(i)*time.Second)
			for range 2 { // the same transaction twice
				must(t, rep.Report(ctx, "tx", s))
			}
		}
	}
	for _, st := range []string{"CREATE_DEAL", "PAY_SUCCESS"} {
		if bodies, accepted := syncsOf(w.fake, code, st); len(bodies) != 1 || accepted != 1 {
			t.Errorf("%s: %d sent, %d accepted; want one", st, len(bodies), accepted)
		}
	}
	if bodies, _ := syncsOf(w.fake, card, "CREATE_DEAL"); len(bodies) != 1 {
		t.Errorf("the card order's CREATE_DEAL was sent %d times", len(bodies))
	}
	if bodies, _ := syncsOf(w.fake, card, "PAY_SUCCESS"); len(bodies) != 0 {
		t.Errorf("a member-card payment went as PAY_SUCCESS")
	}
	s, err := db.WeChatPaySync(ctx, card, "PAY_SUCCESS")
	must(t, err)
	if s.State != store.WeChatPaySyncNotSyncable || s.Reason != string(wechatpay.NotSyncableNoWeChatPayment) {
		t.Fatalf("the card order's PAY_SUCCESS: %+v", s)
	}
}

// A customer whose only WeChat login belongs to another account (钱方's
// official account) is not reported: the openid would name someone else.
func TestAnOpenidOfAnotherAccountIsNotSent(t *testing.T) {
	w := newPayWorld(t, t.TempDir())
	rep, db := reporterOn(t, w, nil)
	cust := weChatCustomer(t, db, "wxqfpay00000000000", "oQfOpenid00000000000000000001", "qf-token")
	code := placeOrder(t, db, cust, orders.Awaiting, nil)
	must(t, rep.Report(context.Background(), "tx", bridge.Transition{Source: order.SourceOrdering, Code: code, To: order.StatusNew,
		Payment: order.PaymentPaid, At: time.Now()}))
	s, err := db.WeChatPaySync(context.Background(), code, "CREATE_DEAL")
	must(t, err)
	if s.State != store.WeChatPaySyncNotSyncable || s.Reason != string(wechatpay.NotSyncableForeignOpenID) {
		t.Fatalf("%+v", s)
	}
	for _, r := range w.fake.Received() {
		if r.URI == fake.SyncPath {
			t.Fatalf("sent %s", r.Body)
		}
	}
}

// A 401 SIGN_ERROR is retried slowly: the next attempts within
// AlertRetryInterval send nothing and say what the installer must check.
func TestASignErrorIsRetriedSlowly(t *testing.T) {
	w := newPayWorld(t, t.TempDir())
	rep, db := reporterOn(t, w, nil)
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000011", "page-token-11")
	code := placeOrder(t, db, cust, orders.Awaiting, nil)
	w.fake.SetFault(fake.Fault{Kind: fake.FaultSignError, Path: fake.SyncPath})
	tr := bridge.Transition{Source: order.SourceOrdering, Code: code, To: order.StatusNew, Payment: order.PaymentPaid, At: time.Now()}
	err := rep.Report(context.Background(), "tx", tr)
	if v := rep.Classify(err); err == nil || !v.Retry || !v.Refused {
		t.Fatalf("a SIGN_ERROR: %v %+v", err, v)
	}
	err = rep.Report(context.Background(), "tx", tr)
	v := rep.Classify(err)
	if err == nil || !v.Retry || v.Message == "" {
		t.Fatalf("the second attempt: %v %+v", err, v)
	}
	if bodies, _ := syncsOf(w.fake, code, "CREATE_DEAL"); len(bodies) != 1 {
		t.Fatalf("a SIGN_ERROR was retried at once: %d sends", len(bodies))
	}
	s, err := db.WeChatPaySync(context.Background(), code, "CREATE_DEAL")
	must(t, err)
	if s.State != store.WeChatPaySyncPending || s.NextAt.Before(time.Now().Add(wechatpay.AlertRetryInterval-time.Minute)) {
		t.Fatalf("%+v", s)
	}
}

// A PAY_SUCCESS never goes before its CREATE_DEAL, also when WeChat Pay
// refused the CREATE_DEAL for good: it waits (retried, nothing sent)
// until a staff retry got the CREATE_DEAL through.
func TestPaySuccessWaitsForARefusedCreateDeal(t *testing.T) {
	w := newPayWorld(t, t.TempDir())
	payments := &paidOnline{paid: map[string]*wechatpay.SyncPayment{}}
	rep, db := reporterOn(t, w, payments)
	ctx := context.Background()
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000012", "page-token-12")
	code := placeOrder(t, db, cust, orders.Placed, nil)
	payments.pay(code, &wechatpay.SyncPayment{PayTime: time.Now(), TransactionID: "4200000000202612020000000003", OutTradeNo: "QF" + code})
	placed := bridge.Transition{Source: order.SourceOrdering, Code: code, To: order.StatusPendingPayment, Payment: order.PaymentUnpaid, At: time.Now()}
	paid := bridge.Transition{Source: order.SourceOrdering, Code: code, From: order.StatusPendingPayment, To: order.StatusNew,
		Payment: order.PaymentPaid, At: time.Now().Add(time.Second)}

	w.fake.SetFault(fake.Fault{Kind: fake.FaultParamError, Path: fake.SyncPath, Times: 1})
	if err := rep.Report(ctx, "t1", placed); err == nil || rep.Classify(err).Retry {
		t.Fatalf("a PARAM_ERROR: %v %+v", err, rep.Classify(err))
	}
	err := rep.Report(ctx, "t2", paid)
	if v := rep.Classify(err); err == nil || !v.Retry || !strings.Contains(v.Message, "等待下单") {
		t.Fatalf("a PAY_SUCCESS behind a refused CREATE_DEAL: %v %+v", err, v)
	}
	if bodies, _ := syncsOf(w.fake, code, "PAY_SUCCESS"); len(bodies) != 0 {
		t.Fatalf("PAY_SUCCESS went before its CREATE_DEAL")
	}
	must(t, rep.Report(ctx, "t1", placed)) // staff pressed 重试
	must(t, rep.Report(ctx, "t2", paid))
	var statuses []string
	for _, r := range w.fake.Received() {
		if r.Accepted {
			var head struct{ Status string }
			must(t, json.Unmarshal(r.Body, &head))
			statuses = append(statuses, head.Status)
		}
	}
	if strings.Join(statuses, ",") != "CREATE_DEAL,PAY_SUCCESS" {
		t.Fatalf("accepted %v", statuses)
	}
}
