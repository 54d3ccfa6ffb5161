package api

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pausedRig is a rig whose store can be paused (置休 on 开个店).
func pausedRig(t *testing.T) (*rig, *atomic.Value) {
	var notice atomic.Value
	notice.Store("")
	r := newRig(t, "", func(o *Options) {
		o.Restaurants[0].Paused = func() string { return notice.Load().(string) }
	})
	return r, &notice
}

// While the store is paused the restaurant info carries the notice, and
// calc-fee and create refuse with it (400 non_field_errors) though the hour
// is open; lifted, the same order is taken.
func TestPausedStoreRefusesOrders(t *testing.T) {
	r, notice := pausedRig(t)
	notice.Store("门店置休，暂停接单")
	info := r.want(r.do("GET", prefix+"restaurants/1?table_id=1", ""), 200).body
	if info["pause_notice"] != "门店置休，暂停接单" {
		t.Fatalf("pause_notice %v", info["pause_notice"])
	}
	calc := r.want(r.do("POST", prefix+"orders/calc-fee?res_id=1", `{"restaurant": 1, "table_id": 1, "eat_type": 0, `+cart+`}`), 400).body
	if fmt.Sprint(calc["non_field_errors"]) != "[门店置休，暂停接单]" {
		t.Fatalf("calc-fee while paused: %v", calc)
	}
	created := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40"), "Idempotency-Key", "pause-test-0001"), 400).body
	if fmt.Sprint(created["non_field_errors"]) != "[门店置休，暂停接单]" {
		t.Fatalf("create while paused: %v", created)
	}
	notice.Store("")
	info = r.want(r.do("GET", prefix+"restaurants/1?table_id=1", ""), 200).body
	if _, ok := info["pause_notice"]; ok {
		t.Fatalf("pause_notice after reopening: %v", info["pause_notice"])
	}
	r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40"), "Idempotency-Key", "pause-test-0002"), 200)
}

// The phone page shows the pause notice and offers no ordering.
func TestPhonePausedStore(t *testing.T) {
	r, notice := pausedRig(t)
	notice.Store("门店置休，暂停接单")
	p := newPhone(t)
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=1&ver=1"))
	p.wait("pause notice", `document.getElementById('notice').textContent.includes('门店置休，暂停接单')`, 10*time.Second)
	if !evalJS[bool](p, `Array.from(document.querySelectorAll('.item button.add')).every(b => b.disabled)`) {
		t.Error("ordering is offered while the store rests")
	}
	if got := evalJS[string](p, `document.getElementById('notice').textContent`); !strings.Contains(got, "暂时不能下单") {
		t.Errorf("notice %q", got)
	}
	p.shot("09-paused")
}
