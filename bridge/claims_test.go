package bridge_test

import (
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 item 1: on a push listener that authenticates nothing (127.0.0.1,
// no public key, no token), a push is a claim the platform must confirm. A
// forged cancel or refund request changes nothing and prints nothing; a
// forged new order for a code the platform does not know never becomes an
// order; the platform's own pushes still work, with their reasons.
func TestUnauthenticatedPushesAreConfirmedFirst(t *testing.T) {
	env := start(t, harness.Options{UnsignedPush: true})
	paid := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(paid.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitPlatform(paid.Code, kaigedian.PlatformAccepted, 5*time.Second))
	must(t, env.WaitJobsDone(paid.Code, 10*time.Second))

	url := env.PushURL + "/kaigedian/push/order"
	future := "1999999999999"
	for _, forged := range []string{
		`{"orderCode":"` + paid.Code + `","orderStatus":"6","cancelStatus":"5","cancelType":"2","cancelReason":"伪造","timeStamp":"` + future + `"}`,
		`{"orderCode":"` + paid.Code + `","orderStatus":"3","cancelStatus":"1","cancelReason":"伪造退款","timeStamp":"` + future + `"}`,
		`{"orderCode":"99990000111122223333","orderStatus":"1","timeStamp":"` + future + `"}`,
	} {
		if st, reply := pushTo(t, url, []byte(forged)); st != 200 || !strings.Contains(reply, `"100"`) {
			t.Fatalf("a push the listener cannot authenticate is acknowledged (kept as a claim): %d %s", st, reply)
		}
	}
	refund := env.Fake.RequestRefund // the platform's own refund request, later
	// The platform is asked; nothing happens to the paid order.
	if !harness.WaitFor(15*time.Second, func() bool {
		left, _ := env.Daemon.DB.DueClaims(t.Context(), order.SourceKaigedian, time.Now().Add(time.Hour), 10)
		return len(left) == 0
	}) {
		t.Fatal("claims never settled")
	}
	rec, _ := env.Order(paid.Code)
	if rec.Status != order.StatusAccepted {
		t.Fatalf("a forged push moved the paid order to %s", rec.Status)
	}
	must(t, env.WaitJobsDone(paid.Code, 5*time.Second))
	for _, p := range []string{"front", "kitchen"} {
		if n := env.CountPrinted(p, "退单") + env.CountPrinted(p, "暂停制作") + env.CountPrinted(p, "取消单"); n != 0 {
			t.Fatalf("%s printed %d slips for forged pushes", p, n)
		}
	}
	if _, err := env.Order("99990000111122223333"); err == nil {
		t.Fatal("a code the platform does not know became an order")
	}

	// The platform's own pushes, unsigned too, are confirmed and applied.
	must(t, refund(paid.Code, "等太久了"))
	_, err = env.WaitStatus(paid.Code, order.StatusRefundRequested, 15*time.Second)
	must(t, err)
	other := teaOrder(env, fake.OrderSpec{})
	_, err = env.WaitStatus(other.Code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitPlatform(other.Code, kaigedian.PlatformAccepted, 5*time.Second))
	must(t, env.WaitJobsDone(other.Code, 10*time.Second))
	must(t, env.Fake.SetStatus(other.Code, kaigedian.PlatformCancelled))
	_, err = env.WaitStatus(other.Code, order.StatusRefunded, 15*time.Second)
	must(t, err)
	// Reconciliation may see the cancel first; the confirmed push adds its reason.
	harness.WaitFor(10*time.Second, func() bool { rec, _ = env.Order(other.Code); return rec.Reason != "" })
	if rec.Reason != "系统取消" || rec.CancelType != 9 {
		t.Fatalf("a confirmed cancel keeps the push's reason and type: %q %d", rec.Reason, rec.CancelType)
	}
	must(t, env.WaitJobsDone(other.Code, 10*time.Second))
	if n := env.CountPrinted("front", "退单", other.PickupNo); n != 1 {
		t.Fatalf("the confirmed cancel printed %d refund slips", n)
	}
}
