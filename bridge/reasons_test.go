package bridge_test

import (
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// Issue 13 item 10: seed 001 makes the reason optional for a reject
// (statusOperation 7) and a refund refusal (refundOperation action 2), so
// the API takes both without one; an after-sales refund (/order/cancel)
// still needs one, as its table says.
func TestRejectAndRefundRefusalNeedNoReason(t *testing.T) {
	env := start(t, harness.Options{Accept: "mode: manual", NoPrinters: true})
	first := teaOrder(env, fake.OrderSpec{})
	_, err := env.WaitStatus(first.Code, order.StatusNew, 10*time.Second)
	must(t, err)
	var res map[string]any
	if s, _ := env.API("POST", "/api/orders/"+first.Code+"/reject", map[string]string{}, &res); s != 202 || res["status"] != "rejected" {
		t.Fatalf("reject without a reason: %d %v", s, res)
	}
	wantOps(t, env, first.Code, "7")
	if snap, _ := env.Fake.Order(first.Code); snap.Operations[0].Reason != "" {
		t.Fatalf("a reason was invented: %q", snap.Operations[0].Reason)
	}

	second := teaOrder(env, fake.OrderSpec{})
	_, err = env.WaitStatus(second.Code, order.StatusNew, 10*time.Second)
	must(t, err)
	if s, _ := env.API("POST", "/api/orders/"+second.Code+"/accept", nil, &res); s != 202 {
		t.Fatalf("accept: %d %v", s, res)
	}
	must(t, env.WaitPlatform(second.Code, kaigedian.PlatformAccepted, 10*time.Second))
	must(t, env.Fake.RequestRefund(second.Code, "不想要了"))
	_, err = env.WaitStatus(second.Code, order.StatusRefundRequested, 10*time.Second)
	must(t, err)
	if s, _ := env.API("POST", "/api/orders/"+second.Code+"/refund/reject", nil, &res); s != 202 || res["status"] != "accepted" {
		t.Fatalf("refund refusal without a reason: %d %v", s, res)
	}
	wantOps(t, env, second.Code, "3", "r2")

	if s, _ := env.API("POST", "/api/orders/"+second.Code+"/cancel", map[string]string{"reason": "  "}, &res); s != 400 {
		t.Fatalf("an after-sales refund without a reason: %d %v", s, res)
	}
}
