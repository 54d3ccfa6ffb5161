package wechatsync_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/wechatsync"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
	"github.com/posbridge/posbridge/wechatpay/fake"
)

// paidOnline stands in for the online payments of issue 16 (not on this
// branch): the WeChat Pay payments the provider confirmed, by order.
type paidOnline struct {
	mu   sync.Mutex
	paid map[string]*wechatpay.SyncPayment
}

func (p *paidOnline) WeChatPayment(_ context.Context, code string) (*wechatpay.SyncPayment, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paid[code], nil
}

func (p *paidOnline) pay(code string, sp *wechatpay.SyncPayment) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paid[code] = sp
}

// An order paid through WeChat Pay is reported twice, in order, even while
// WeChat Pay fails: CREATE_DEAL, then PAY_SUCCESS with WeChat's transaction
// number, the provider's order number and the pay time; the PAY_SUCCESS
// never overtakes its CREATE_DEAL, and the order's own flow goes on.
func TestPaySuccessFollowsCreateDealUnderAnOutage(t *testing.T) {
	paidAt := time.Date(2026, 12, 2, 3, 4, 5, 0, time.UTC)
	dir := t.TempDir()
	w := newPayWorld(t, dir)
	env, err := harness.Prepare(dir, harness.Options{ExtraYAML: w.yaml})
	must(t, err)
	t.Cleanup(func() { _ = env.Stop() })
	db, err := store.Open(context.Background(), filepath.Join(env.Config.DataDir, "posbridge.db"), store.Options{})
	must(t, err)
	t.Cleanup(func() { db.Close() })

	// The daemon's reporter, as it is wired, with the payments port filled.
	wcfg := env.Config.WeChatPay
	creds, err := wechatpay.LoadCredentials(&wcfg)
	must(t, err)
	client, err := wechatpay.NewClient(wcfg, creds, wechatpay.ClientOptions{})
	must(t, err)
	tokens, err := customers.NewTokens([]byte("0123456789abcdef0123456789abcdef"), time.Hour, nil)
	must(t, err)
	payments := &paidOnline{paid: map[string]*wechatpay.SyncPayment{}}
	rep := wechatsync.New(wechatsync.Options{DB: db, Config: wcfg, Sender: client, Payments: payments,
		Identities: customers.NewService(db, nil, tokens, customers.Limits{}, nil),
		PublicURL:  func() string { return "https://order.example.com" }})
	must(t, env.Run(context.Background(), harness.Options{Reporters: []bridge.Reporter{rep}}))

	cust := weChatCustomer(t, db, spAppID, "oSpOpenid00000000000000001", "page-token-sp")
	w.fake.SetFault(fake.Fault{Kind: fake.FaultSystemError, Path: fake.SyncPath, Times: 4})
	// Paid before the hand-over (the unpaid state was never announced):
	// both syncs are due at the order's first transition.
	code := placeOrderThen(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox, func(code string) {
		payments.pay(code, &wechatpay.SyncPayment{PayTime: paidAt, TransactionID: "4200001234202612020000000001", OutTradeNo: "QF" + code})
	})
	if _, err := env.WaitStatus(code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatalf("the paid order waited for WeChat Pay: %v", err)
	}

	var pay *store.WeChatPaySync
	if !waitFor(30*time.Second, func() bool {
		pay, _ = db.WeChatPaySync(context.Background(), code, "PAY_SUCCESS")
		return pay != nil && pay.State == store.WeChatPaySyncDone
	}) {
		t.Fatalf("PAY_SUCCESS: %+v", pay)
	}
	var accepted []string
	var payBody map[string]any
	for _, r := range w.fake.Received() {
		var head map[string]any
		if r.URI != fake.SyncPath || !r.Accepted || json.Unmarshal(r.Body, &head) != nil || head["out_order_no"] != code {
			continue
		}
		accepted = append(accepted, head["status"].(string))
		if head["status"] == "PAY_SUCCESS" {
			payBody = head
		}
	}
	if strings.Join(accepted, ",") != "CREATE_DEAL,PAY_SUCCESS" {
		t.Fatalf("WeChat Pay accepted %v, want CREATE_DEAL then PAY_SUCCESS once each", accepted)
	}
	for k, want := range map[string]any{"openid": "oSpOpenid00000000000000001", "transaction_id": "4200001234202612020000000001",
		"out_trade_no": "QF" + code, "pay_time": "2026-12-02T11:04:05+08:00", "user_amount": 3300.0} {
		if payBody[k] != want {
			t.Errorf("PAY_SUCCESS %s = %v, want %v", k, payBody[k], want)
		}
	}
	if _, ok := payBody["sub_openid"]; ok {
		t.Errorf("an openid of sp_appid went as sub_openid: %v", payBody)
	}

	if !strings.HasPrefix(payBody["action_time"].(string), "2026-") {
		t.Errorf("action_time %v", payBody["action_time"])
	}
}
