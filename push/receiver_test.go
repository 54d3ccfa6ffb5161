package push_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

func startEnv(t *testing.T, opts harness.Options) *harness.Env {
	t.Helper()
	env, err := harness.Start(context.Background(), t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	return env
}

type reply struct {
	Ver        string `json:"ver"`
	StatusCode string `json:"statusCode"`
	Code       string `json:"code"`
	Message    string `json:"message"`
}

func post(t *testing.T, url string, body []byte, header map[string]string) (int, reply, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r reply
	_ = json.Unmarshal(raw, &r)
	return resp.StatusCode, r, string(raw)
}

func signed(t *testing.T, key *rsa.PrivateKey, body string) []byte {
	t.Helper()
	env, err := kaigedian.NewEnvelope(key, "2282", "wxaa246", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	b, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The push receiver's contract: durable before ack, the exact success
// reply, and every refusal of the table with its HTTP status and code, each
// kept in the rejected-push log without creating an order.
func TestPushReceiverContract(t *testing.T) {
	platformKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	env := startEnv(t, harness.Options{NoPrinters: true, Accept: "mode: manual",
		ExtraYAML: "", Fake: func(o *fake.Options) { o.PlatformKey = platformKey }})
	o := env.Fake.NewOrder(fake.OrderSpec{NoPush: true})
	good := `{"orderCode":"` + o.Code + `","orderStatus":"1","timeStamp":"1700000000000"}`
	url := env.PushURL + "/kaigedian/push/order"

	status, _, raw := post(t, url, signed(t, platformKey, good), nil)
	if status != 200 || raw != kaigedian.PushReplyOK {
		t.Fatalf("good push: %d %s", status, raw)
	}
	if _, err := env.WaitStatus(o.Code, order.StatusNew, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// Durable before ack: the body is in the inbox the moment the reply came.
	items, _ := env.Daemon.DB.ListInbox(context.Background(), 10)
	if len(items) == 0 || !strings.Contains(string(items[0].Body), o.Code) {
		t.Fatalf("acknowledged push not in the inbox: %+v", items)
	}
	// Duplicates are harmless.
	status, _, _ = post(t, url, signed(t, platformKey, good), nil)
	if status != 200 {
		t.Fatalf("duplicate push: %d", status)
	}

	cases := []struct {
		name   string
		path   string
		body   []byte
		status int
		code   string
	}{
		{"malformed JSON", "order", signed(t, platformKey, `{"orderCode":`), 200, "21"},
		{"not JSON at all", "order", []byte("<xml/>"), 200, "21"},
		{"missing orderCode", "order", signed(t, platformKey, `{"orderStatus":"1"}`), 200, "21"},
		{"orderCode is an object", "refund", signed(t, platformKey, `{"orderCode":{"a":1},"refundStatus":"1"}`), 200, "21"},
		{"delivery without orderId", "delivery", signed(t, platformKey, `{"orderCode":"1","deliveryStatus":2}`), 200, "21"},
		{"sign missing (bare body)", "order", []byte(good), 401, "401"},
		{"sign wrong", "order", signed(t, otherKey, good), 401, "401"},
		{"body over 1 MiB", "event", append([]byte(`{"orderCode":"1","eventType":1,"x":"`), bytes.Repeat([]byte("x"), 1<<20)...), 413, "413"},
	}
	for _, c := range cases {
		status, r, raw := post(t, env.PushURL+"/kaigedian/push/"+c.path, c.body, nil)
		if status != c.status || r.StatusCode != c.code || r.Code != c.code {
			t.Errorf("%s: HTTP %d %s, want %d code %s", c.name, status, raw, c.status, c.code)
		}
	}
	rejected, _ := env.Daemon.DB.RejectedPushes(context.Background(), 100)
	if len(rejected) != len(cases) {
		t.Fatalf("rejected-push log has %d entries, want %d", len(rejected), len(cases))
	}
	for _, r := range rejected {
		// A prefix of what was sent, to diagnose it by; nothing of a push
		// refused for its credentials (issue 13 item 4).
		if r.HTTPStatus != 401 && r.BodySize > 0 && len(r.Body) == 0 {
			t.Errorf("refused push %q kept without its body", r.Reason)
		}
		if r.HTTPStatus == 401 && len(r.Body) != 0 {
			t.Errorf("refused push %q kept %d bytes of a body that failed its credentials", r.Reason, len(r.Body))
		}
	}
	n, _ := env.Daemon.DB.CountOrders(context.Background(), "")
	total := 0
	for _, v := range n {
		total += v
	}
	if total != 1 {
		t.Fatalf("refused pushes created orders: %v", n)
	}

	// The push listener serves nothing of the console, and the console takes no pushes.
	if resp, err := http.Get(env.PushURL + "/api/orders"); err != nil || resp.StatusCode != 404 {
		t.Fatalf("push listener served the console: %v %v", resp, err)
	}
	if status, _, _ := post(t, env.ConsoleURL+"/kaigedian/push/order", signed(t, platformKey, good), nil); status != 404 {
		t.Fatalf("console accepted a push: %d", status)
	}
}

// push.token: neither header nor query matching is a 401; either one is enough.
func TestPushToken(t *testing.T) {
	env := startEnv(t, harness.Options{NoPrinters: true, UnsignedPush: true, Accept: "mode: manual", PushToken: "s3cret-token-123"})
	o := env.Fake.NewOrder(fake.OrderSpec{NoPush: true})
	body := []byte(`{"orderCode":"` + o.Code + `","orderStatus":"1"}`)
	url := env.PushURL + "/kaigedian/push/order"
	for name, h := range map[string]map[string]string{"none": nil, "wrong": {"X-Push-Token": "nope"}} {
		if status, r, _ := post(t, url, body, h); status != 401 || r.Code != "401" {
			t.Errorf("token %s: %d %+v", name, status, r)
		}
	}
	if status, _, _ := post(t, url, body, map[string]string{"X-Push-Token": "s3cret-token-123"}); status != 200 {
		t.Errorf("token in header refused: %d", status)
	}
	if status, _, _ := post(t, url+"?token=s3cret-token-123", body, nil); status != 200 {
		t.Errorf("token in query refused: %d", status)
	}
}

// The disk fills up: the push is answered 500 (the platform retries) and
// nothing is half-written; once space returns the push is taken.
func TestPushWhenDiskIsFull(t *testing.T) {
	env := startEnv(t, harness.Options{NoPrinters: true, UnsignedPush: true, Accept: "mode: manual"})
	db := env.Daemon.DB
	ctx := context.Background()
	pages, err := db.PageCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMaxPageCount(ctx, pages); err != nil {
		t.Fatal(err)
	}
	o := env.Fake.NewOrder(fake.OrderSpec{NoPush: true})
	body := []byte(`{"orderCode":"` + o.Code + `","orderStatus":"1","pad":"` + strings.Repeat("x", 8000) + `"}`)
	status, r, _ := post(t, env.PushURL+"/kaigedian/push/order", body, nil)
	if status != 500 || r.StatusCode != "500" {
		t.Fatalf("push on a full disk: %d %+v", status, r)
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMaxPageCount(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	status, _, _ = post(t, env.PushURL+"/kaigedian/push/order", body, nil)
	if status != 200 {
		t.Fatalf("push after space returned: %d", status)
	}
	if _, err := env.WaitStatus(o.Code, order.StatusNew, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}
