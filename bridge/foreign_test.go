package bridge_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 item 2: a validly signed push for another merchant is refused;
// an order of a store this PC does not serve is held (no accept, no print)
// and put before staff with an alert; order codes no document could
// produce are refused with a clear reply.
func TestPushesForOthersAreRefusedOrHeld(t *testing.T) {
	platformKey, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	env := start(t, harness.Options{Fake: func(o *fake.Options) {
		o.PlatformKey = platformKey
		o.Stores = append(o.Stores, fake.Store{ID: "9999", Name: "别人的店"})
	}})
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()

	body := `{"orderCode":"1234567890123","orderStatus":"1","timeStamp":"1700000000000"}`
	for name, ids := range map[string][2]string{"partnerId": {"3001", "wxaa246"}, "appId": {"2282", "wx-other"}} {
		env2, err := kaigedian.NewEnvelope(platformKey, ids[0], ids[1], []byte(body))
		must(t, err)
		raw, _ := env2.Marshal()
		st, reply := pushTo(t, env.PushURL+"/kaigedian/push/order", raw)
		if st != 401 || !strings.Contains(reply, name) {
			t.Errorf("a signed push for another %s: %d %s", name, st, reply)
		}
	}
	for _, code := range []string{"../../etc/passwd", strings.Repeat("9", 65), "12 34", "订单1"} {
		b, _ := json.Marshal(map[string]string{"orderCode": code, "orderStatus": "1"})
		env3, _ := kaigedian.NewEnvelope(platformKey, "2282", "wxaa246", b)
		raw, _ := env3.Marshal()
		st, reply := pushTo(t, env.PushURL+"/kaigedian/push/order", raw)
		if st != 200 || !strings.Contains(reply, `"code":"21"`) || !strings.Contains(reply, "not an order code") {
			t.Errorf("order code %q: %d %s", code, st, reply)
		}
	}
	rejected, err := env.Daemon.DB.RejectedPushes(t.Context(), 100)
	must(t, err)
	if len(rejected) != 6 {
		t.Fatalf("%d refused pushes logged, want 6", len(rejected))
	}

	foreign := env.Fake.NewOrder(fake.OrderSpec{StoreID: "9999"})
	ours := teaOrder(env, fake.OrderSpec{StoreID: "1862"})
	_, err = env.WaitStatus(ours.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	if !harness.WaitFor(10*time.Second, func() bool {
		r, _ := env.Order(foreign.Code)
		return r != nil && r.Decision == "accept" && strings.HasPrefix(r.DecisionNote, "门店号不属于本机")
	}) {
		r, _ := env.Order(foreign.Code)
		t.Fatalf("the other store's order is not held for staff: %+v", r)
	}
	must(t, env.WaitJobsDone(ours.Code, 10*time.Second))
	time.Sleep(300 * time.Millisecond)
	if ops := env.OpsOf(foreign.Code); len(ops) != 0 {
		t.Fatalf("the other store's order was accepted: %v", ops)
	}
	if jobs, _ := env.Jobs(foreign.Code); len(jobs) != 0 {
		t.Fatalf("the other store's order printed %d jobs", len(jobs))
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Type == bridge.EvAlert && e.Kind == "foreign_store" && e.Code == foreign.Code {
				return
			}
		case <-deadline:
			t.Fatal("no alert for the other store's order")
		}
	}
}

func pushTo(t *testing.T, url string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	must(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}
