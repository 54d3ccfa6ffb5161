package bridge_test

import (
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
)

// The reconciliation of open orders goes through the channel registry:
// a tablet order whose cancel was never announced is caught by asking the
// tablet, and 开个店 is never asked about it (neither batchOrderStatus nor
// queryDetail), while the poller's reconcile loop runs as it does in the
// daemon.
func TestReconcileAsksEachOrdersOwnChannel(t *testing.T) {
	tab := newTablet()
	env := start(t, harness.Options{Channels: []bridge.Channel{tab}})

	code, kind, body := tab.place("1862")
	announceTablet(t, env, code, kind, body)
	_, err := env.WaitStatus(code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	waitTablet(t, tab, code, order.StatusAccepted)

	tab.set(code, order.StatusCancelled) // cancelled at the tablet; the announcement is lost
	if !harness.WaitFor(15*time.Second, func() bool {
		rec, err := env.Order(code)
		return err == nil && (rec.Status == order.StatusCancelled || rec.Status == order.StatusRefunded)
	}) {
		rec, _ := env.Order(code)
		t.Fatalf("the reconciliation never asked the tablet: %s is %v", code, rec.Status)
	}
	for _, c := range env.Fake.CallsTo("batchOrderStatus") {
		if strings.Contains(c.RawBody, code) {
			t.Fatalf("开个店's batchOrderStatus was asked about tablet order %s: %s", code, c.RawBody)
		}
	}
	if calls := env.Fake.CallsTo("queryDetail"); len(calls) != 0 {
		t.Fatalf("开个店 was asked for the details of tablet orders: %d calls", len(calls))
	}
}

// Health has an entry for every registered channel, and a channel's
// failure counts against it, not against 开个店's link.
func TestHealthCountsEveryChannel(t *testing.T) {
	tab := newTablet()
	env := start(t, harness.Options{Channels: []bridge.Channel{tab}})
	tab.mu.Lock()
	tab.failNext = true // the accept fails once, then goes through
	tab.mu.Unlock()

	code, kind, body := tab.place("1862")
	announceTablet(t, env, code, kind, body)
	waitTablet(t, tab, code, order.StatusAccepted)

	var h bridge.PlatformHealth
	if !harness.WaitFor(5*time.Second, func() bool {
		h = env.Daemon.Bridge.Health()
		return h.Channels[tabletSource].Calls >= 1
	}) {
		t.Fatalf("the tablet's answer was not counted: %+v", h.Channels)
	}
	for _, source := range []order.Source{order.SourceKaigedian, tabletSource} {
		if _, ok := h.Channels[source]; !ok {
			t.Errorf("health has no entry for %s: %+v", source, h.Channels)
		}
	}
	tb := h.Channels[tabletSource]
	if tb.Errors != 1 || !strings.Contains(tb.LastError, "tablet busy") || !strings.HasPrefix(tb.LastErrorHint, "点餐平板") || tb.LastOK.IsZero() {
		t.Errorf("the tablet's failure is not its own: %+v", tb)
	}
	if strings.Contains(h.LastError, "tablet") || strings.Contains(h.Channels[order.SourceKaigedian].LastError, "tablet") {
		t.Errorf("the tablet's failure counted against 开个店: %q", h.LastError)
	}
}

// A delivery order of a channel that keeps no order history (the tablet)
// never waits for an address from 开个店's historyOrders: its receipt
// prints at once, without one.
func TestAddressIsReadOnlyFromTheOrdersOwnChannel(t *testing.T) {
	tab := newTablet()
	env := start(t, harness.Options{Channels: []bridge.Channel{tab}})

	code, kind, body := tab.place("1862")
	tab.mu.Lock()
	tab.orders[code].o.Type = order.TypeDelivery // and no address
	tab.mu.Unlock()
	announceTablet(t, env, code, kind, body)
	_, err := env.WaitStatus(code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(code, 10*time.Second))
	if n := env.CountPrinted("front", "珍珠奶茶", "￥27.00"); n != 1 {
		t.Fatalf("receipt printed %d times:\n%s", n, strings.Join(env.Printed("front"), "\n----\n"))
	}
	rec, err := env.Order(code)
	must(t, err)
	if rec.NeedsAddress {
		t.Fatalf("the tablet's delivery order waits for an address no channel of its can give")
	}
	if calls := env.Fake.CallsTo("historyOrders"); len(calls) != 0 {
		t.Fatalf("开个店's historyOrders was read for a tablet order: %d calls", len(calls))
	}
}
