package push_test

import (
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 items 1 and 4: a store upgraded with its push listener on the
// LAN and nothing to authenticate pushes by still starts, refuses every
// push (a forged cancel included), takes its orders by polling, and the
// console says what to set.
func TestOpenPushListenerRefusesPushesAndPolls(t *testing.T) {
	env := startEnv(t, harness.Options{NoPrinters: true, UnsignedPush: true, PushOnLAN: true})
	if !env.Config.PushOpenWithoutAuth() {
		t.Fatal("the test config must be a push listener open without authentication")
	}
	o := env.Fake.NewOrder(fake.OrderSpec{})
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	// The platform's own pushes were refused: the order came by polling.
	if st := env.Fake.PushStats(); st.Acked != 0 {
		t.Fatalf("pushes acknowledged by an unauthenticated listener: %+v", st)
	}
	rec, _ := env.Order(o.Code)
	if rec.PushSeen {
		t.Fatal("the order was taken from a push")
	}
	forged := `{"orderCode":"` + o.Code + `","orderStatus":"6","cancelStatus":"5","cancelType":"2","timeStamp":"` +
		strings.Repeat("9", 13) + `"}`
	status, r, _ := post(t, env.PushURL+"/kaigedian/push/order", []byte(forged), nil)
	if status != 401 || r.Code != "401" || !strings.Contains(r.Message, "push.token") {
		t.Fatalf("a push to an open listener: %d %+v", status, r)
	}
	time.Sleep(300 * time.Millisecond)
	if rec, _ := env.Order(o.Code); rec.Status != order.StatusAccepted {
		t.Fatalf("a refused push moved the order to %s", rec.Status)
	}
	var plat struct {
		Health struct {
			Problems []struct {
				Key, Level, Title, Message string
			} `json:"problems"`
		} `json:"health"`
	}
	if _, err := env.API("GET", "/api/platform", nil, &plat); err != nil {
		t.Fatal(err)
	}
	if len(plat.Health.Problems) != 1 || plat.Health.Problems[0].Key != "push_auth" || plat.Health.Problems[0].Level != "critical" ||
		!strings.Contains(plat.Health.Problems[0].Message, "push.token") {
		t.Fatalf("the console does not say what to set: %+v", plat.Health.Problems)
	}
	rejected, _ := env.Daemon.DB.RejectedPushes(t.Context(), 100)
	for _, rj := range rejected {
		if len(rj.Body) != 0 {
			t.Fatalf("a 401 kept %d bytes of body", len(rj.Body))
		}
	}
}
