package kaigedian

import (
	"testing"

	"github.com/posbridge/posbridge/order"
)

func TestStatusRoundTrip(t *testing.T) {
	for _, code := range []int{1, 2, 3, 31, 4, 5, 6, 7} {
		s, ok := StatusFromPlatform(code)
		if !ok || PlatformCode(s) != code {
			t.Errorf("code %d → %q → %d", code, s, PlatformCode(s))
		}
	}
	if _, ok := StatusFromPlatform(99); ok {
		t.Error("99 must be unknown")
	}
	if PlatformCode(order.StatusRefundRequested) != 0 {
		t.Error("refund_requested is local only")
	}
}
