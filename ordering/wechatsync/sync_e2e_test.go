package wechatsync_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	kfake "github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay/fake"
)

func startDaemon(t *testing.T) (*harness.Env, *payWorld) {
	t.Helper()
	dir := t.TempDir()
	w := newPayWorld(t, dir)
	env, err := harness.Start(context.Background(), dir, harness.Options{ExtraYAML: w.yaml})
	must(t, err)
	t.Cleanup(func() { _ = env.Stop() })
	return env, w
}

func syncState(t *testing.T, db *store.DB, code, action string) *store.WeChatPaySync {
	s, err := db.WeChatPaySync(context.Background(), code, action)
	if err != nil {
		return nil
	}
	return s
}

func waitSynced(t *testing.T, db *store.DB, code, action string, within time.Duration) *store.WeChatPaySync {
	t.Helper()
	var s *store.WeChatPaySync
	if !waitFor(within, func() bool {
		s = syncState(t, db, code, action)
		return s != nil && s.State != store.WeChatPaySyncPending
	}) {
		t.Fatalf("%s %s is still %+v after %s", code, action, s, within)
	}
	return s
}

// A scan-to-order order placed by a customer logged in with WeChat is
// reported to WeChat Pay once, signed (the fake checks the signature as
// WeChat Pay does and signs its 204), with the customer's sub_openid and
// page token, the dish and the amounts in fen; the console shows it
// synced. An order placed without a WeChat login is never sent: its sync
// says why, and so does its history.
func TestScanToOrderOrdersAreReportedOnceAndTheConsoleShowsIt(t *testing.T) {
	env, w := startDaemon(t)
	db := env.Daemon.DB
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000001", "page-token-1")
	code := placeOrder(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)
	anon := placeOrder(t, db, 0, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)

	if s := waitSynced(t, db, code, "CREATE_DEAL", 15*time.Second); s.State != store.WeChatPaySyncDone {
		t.Fatalf("the sync ended %s: %s (%s)", s.State, s.Message, s.Error)
	}
	bodies, accepted := syncsOf(w.fake, code, "CREATE_DEAL")
	if len(bodies) != 1 || accepted != 1 {
		t.Fatalf("the fake got %d bodies, accepted %d; want one", len(bodies), accepted)
	}
	var body map[string]any
	must(t, json.Unmarshal([]byte(bodies[0]), &body))
	dish := body["dish_list"].([]any)[0].(map[string]any)
	for k, want := range map[string]any{"sp_mchid": spMchID, "sub_mchid": subMchID, "sub_appid": subAppID, "sub_openid": "oSubOpenid0000000000000001",
		"login_token": "page-token-1", "out_order_no": code, "out_table_no": "A1", "total_amount": 3600.0, "discount_amount": 300.0,
		"user_amount": 3300.0, "people_count": 2.0, "order_entry": "https://order.example.com/?rid=1&tid=1&ver=" + qrVersion(w)} {
		if body[k] != want {
			t.Errorf("body %s = %v, want %v", k, body[k], want)
		}
	}
	if dish["price"] != 1800.0 || dish["count"] != 2.0 || dish["unit"] != "BY_SHARE" || dish["type"] != "FAST_FOOD" || dish["priority"] != 1.0 {
		t.Errorf("dish %v", dish)
	}
	if !strings.HasSuffix(body["action_time"].(string), "+08:00") {
		t.Errorf("action_time %v is not in +08:00", body["action_time"])
	}

	s := waitSynced(t, db, anon, "CREATE_DEAL", 15*time.Second)
	if s.State != store.WeChatPaySyncNotSyncable || s.Reason != "no_wechat_login" || !strings.Contains(s.Message, "未用微信登录") {
		t.Fatalf("an order without a WeChat login: %+v", s)
	}
	if bodies, _ := syncsOf(w.fake, anon, "CREATE_DEAL"); len(bodies) != 0 {
		t.Fatalf("an order without a WeChat login was sent: %v", bodies)
	}
	hist, err := db.History(context.Background(), anon)
	must(t, err)
	if !historySays(hist, "未用微信登录") {
		t.Fatalf("the history does not say why the order is not synced: %+v", hist)
	}

	var view struct {
		Enabled bool `json:"enabled"`
		Syncs   []struct {
			Action, State, StateLabel string
			CanRetry                  bool `json:"can_retry"`
		} `json:"syncs"`
	}
	status, err := env.API("GET", "/api/orders/"+code+"/wechatpay", nil, &view)
	must(t, err)
	if status != http.StatusOK || !view.Enabled || len(view.Syncs) != 1 || view.Syncs[0].State != "done" || view.Syncs[0].CanRetry {
		t.Fatalf("console view %d %+v", status, view)
	}
	if status, _ := env.API("POST", "/api/orders/"+code+"/wechatpay/retry", map[string]any{}, nil); status != http.StatusNotFound {
		t.Fatalf("retrying a synced order answered %d, want 404", status)
	}
}

func qrVersion(w *payWorld) string {
	if t, ok := w.menu.Table(1); ok {
		return strconv.Itoa(t.QRCodeVersion)
	}
	return "0"
}

func historySays(hist []store.History, text string) bool {
	for _, h := range hist {
		if strings.Contains(h.Reason, text) {
			return true
		}
	}
	return false
}

// While WeChat Pay answers 500 and 429, the sync is retried with backoff,
// each time with the same bytes, until it is accepted once; meanwhile the
// order itself is accepted and printed, another order's sync goes out,
// and a 开个店 order goes through its whole flow.
func TestAnOutageOfWeChatPayIsRetriedWithTheSameBodyAndBlocksNothing(t *testing.T) {
	env, w := startDaemon(t)
	db := env.Daemon.DB
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000002", "page-token-2")
	w.fake.SetFault(fake.Fault{Kind: fake.FaultSystemError, Path: fake.SyncPath, Times: 3})
	w.fake.SetFault(fake.Fault{Kind: fake.FaultRateLimit, Path: fake.SyncPath, Times: 1})
	code := placeOrder(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)
	kgd := env.Fake.NewOrder(kfake.OrderSpec{StoreID: "1862", Type: order.TypePickup,
		Items: []order.Item{{Seq: 1, ProductID: "p1", Name: "珍珠奶茶", Price: 1500, Quantity: 1}}})

	if _, err := env.WaitStatus(code, order.StatusAccepted, 15*time.Second); err != nil {
		t.Fatalf("the scan-to-order order waited for WeChat Pay: %v", err)
	}
	if _, err := env.WaitStatus(kgd.Code, order.StatusAccepted, 15*time.Second); err != nil {
		t.Fatalf("the 开个店 order waited for WeChat Pay: %v", err)
	}
	if s := waitSynced(t, db, code, "CREATE_DEAL", 30*time.Second); s.State != store.WeChatPaySyncDone || s.Attempts != 5 {
		t.Fatalf("after the outage the sync is %s after %d attempts (%s), want done after 5", s.State, s.Attempts, s.Message)
	}
	bodies, accepted := syncsOf(w.fake, code, "CREATE_DEAL")
	if len(bodies) != 5 || accepted != 1 {
		t.Fatalf("the fake got %d bodies and accepted %d, want 5 and 1", len(bodies), accepted)
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Fatalf("a retry sent another body:\n%s\n%s", bodies[0], b)
		}
	}
	other := placeOrder(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)
	if s := waitSynced(t, db, other, "CREATE_DEAL", 15*time.Second); s.State != store.WeChatPaySyncDone {
		t.Fatalf("the next order's sync: %+v", s)
	}
}

// A 204 whose signature does not verify, or that is five minutes stale,
// is not success: the sync stays pending with the staff sentence and
// goes out again (slowly: the key or the clock is wrong); a PARAM_ERROR
// is never retried by itself, and the console's retry sends it again.
func TestARefusedReplyIsNeverSuccess(t *testing.T) {
	env, w := startDaemon(t)
	db := env.Daemon.DB
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000003", "page-token-3")
	w.fake.SetFault(fake.Fault{Kind: fake.FaultTamperedReply, Path: fake.SyncPath, Times: 1})
	code := placeOrder(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)
	var s *store.WeChatPaySync
	if !waitFor(15*time.Second, func() bool { s = syncState(t, db, code, "CREATE_DEAL"); return s != nil && s.Attempts == 1 }) {
		t.Fatalf("no attempt recorded: %+v", s)
	}
	if s.State != store.WeChatPaySyncPending || !strings.Contains(s.Message, "验签失败") || s.NextAt.Before(time.Now().Add(5*time.Minute)) {
		t.Fatalf("a tampered 204 left the sync %s, next %s: %s", s.State, s.NextAt, s.Message)
	}
	var view struct {
		Syncs []struct {
			State    string `json:"state"`
			Message  string `json:"message"`
			CanRetry bool   `json:"can_retry"`
		} `json:"syncs"`
	}
	_, err := env.API("GET", "/api/orders/"+code+"/wechatpay", nil, &view)
	must(t, err)
	if len(view.Syncs) != 1 || !view.Syncs[0].CanRetry || !strings.Contains(view.Syncs[0].Message, "验签失败") {
		t.Fatalf("console view %+v", view)
	}
	// Staff press 重试 once the installer fixed it: sent now, accepted.
	if status, _ := env.API("POST", "/api/orders/"+code+"/wechatpay/retry", map[string]any{}, nil); status != http.StatusAccepted {
		t.Fatalf("retry answered %d", status)
	}
	if !waitFor(15*time.Second, func() bool {
		s = syncState(t, db, code, "CREATE_DEAL")
		return s != nil && s.State == store.WeChatPaySyncDone
	}) {
		t.Fatalf("after the retry: %s %s", s.State, s.Message)
	}
	if bodies, accepted := syncsOf(w.fake, code, "CREATE_DEAL"); len(bodies) != 2 || accepted != 2 || bodies[0] != bodies[1] {
		t.Fatalf("the fake got %d bodies (%d accepted), want the same one twice", len(bodies), accepted)
	}

	w.fake.SetFault(fake.Fault{Kind: fake.FaultParamError, Path: fake.SyncPath, Times: 1})
	bad := placeOrder(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)
	if s := waitSynced(t, db, bad, "CREATE_DEAL", 15*time.Second); s.State != store.WeChatPaySyncFailed || !strings.Contains(s.Message, "不会重试") {
		t.Fatalf("a PARAM_ERROR: %+v", s)
	}
	time.Sleep(time.Second)
	if bodies, _ := syncsOf(w.fake, bad, "CREATE_DEAL"); len(bodies) != 1 {
		t.Fatalf("a PARAM_ERROR was retried by itself: %d sends", len(bodies))
	}
	if status, _ := env.API("POST", "/api/orders/"+bad+"/wechatpay/retry", map[string]any{}, nil); status != http.StatusAccepted {
		t.Fatalf("retry of a refused sync answered %d", status)
	}
	if !waitFor(15*time.Second, func() bool {
		s = syncState(t, db, bad, "CREATE_DEAL")
		return s != nil && s.State == store.WeChatPaySyncDone
	}) {
		t.Fatalf("a refused sync retried by staff: %s %s", s.State, s.Message)
	}
}

// While WeChat Pay hangs on one order's sync, that order is accepted and
// printed, the next order's sync goes out and a 开个店 order goes through;
// once the hanging call times out the sync is sent again, the same bytes,
// and accepted once.
func TestAHangingWeChatPayHoldsUpNothing(t *testing.T) {
	env, w := startDaemon(t)
	db := env.Daemon.DB
	cust := weChatCustomer(t, db, subAppID, "oSubOpenid0000000000000005", "page-token-5")
	w.fake.SetFault(fake.Fault{Kind: fake.FaultHang, Path: fake.SyncPath, Times: 1})
	hung := placeOrder(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)
	if !waitFor(10*time.Second, func() bool { b, _ := syncsOf(w.fake, hung, "CREATE_DEAL"); return len(b) == 1 }) {
		t.Fatal("the first sync never reached WeChat Pay")
	}
	next := placeOrder(t, db, cust, orders.Awaiting, env.Daemon.Bridge.NotifyInbox)
	kgd := env.Fake.NewOrder(kfake.OrderSpec{StoreID: "1862", Type: order.TypePickup,
		Items: []order.Item{{Seq: 1, ProductID: "p1", Name: "珍珠奶茶", Price: 1500, Quantity: 1}}})
	for _, c := range []string{hung, next, kgd.Code} {
		if _, err := env.WaitStatus(c, order.StatusAccepted, 15*time.Second); err != nil {
			t.Fatalf("an order waited for the hanging WeChat Pay: %v", err)
		}
	}
	if s := waitSynced(t, db, next, "CREATE_DEAL", 15*time.Second); s.State != store.WeChatPaySyncDone {
		t.Fatalf("the next order's sync waited behind the hanging one: %+v", s)
	}
	if s := syncState(t, db, hung, "CREATE_DEAL"); s == nil || s.State != store.WeChatPaySyncPending {
		t.Fatalf("the hanging sync: %+v", s)
	}
	// The client gives up after its 30 s timeout and tries again.
	if s := waitSynced(t, db, hung, "CREATE_DEAL", 60*time.Second); s.State != store.WeChatPaySyncDone {
		t.Fatalf("after the hang: %+v", s)
	}
	bodies, accepted := syncsOf(w.fake, hung, "CREATE_DEAL")
	if len(bodies) != 2 || accepted != 1 || bodies[0] != bodies[1] {
		t.Fatalf("%d bodies, %d accepted; want the same body twice, accepted once", len(bodies), accepted)
	}
}
