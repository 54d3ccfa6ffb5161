package bridge_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// announceTablet commits a tablet announcement to the inbox, as a
// receiver of that channel would, and wakes the bridge.
func announceTablet(t *testing.T, env *harness.Env, code, kind string, body []byte) {
	t.Helper()
	_, err := env.Daemon.DB.AppendInbox(context.Background(), store.InboxItem{Source: tabletSource, Kind: kind,
		OrderCode: code, Body: body, Signed: true})
	must(t, err)
	env.Daemon.Bridge.NotifyInbox()
}

func waitTablet(t *testing.T, tab *tablet, code string, want order.Status) {
	t.Helper()
	if !harness.WaitFor(10*time.Second, func() bool { return tab.status(code) == want }) {
		t.Fatalf("the tablet has %s in %s, want %s", code, tab.status(code), want)
	}
}

// A second source goes through the same flow as 开个店's orders: its
// order is accepted automatically (the accept goes to the tablet, not to
// 开个店), printed on the store's printers, made and completed by scans
// of its code, and a cancel staff start reaches the tablet and ends the
// order with a refund slip where it printed. 开个店 hears of none of it.
func TestSecondChannelAcceptPrintScanCancel(t *testing.T) {
	tab := newTablet()
	env := start(t, harness.Options{Channels: []bridge.Channel{tab}, ExtraYAML: "scanner:\n  double_scan_window: 300ms\n"})

	code, kind, body := tab.place("1862")
	announceTablet(t, env, code, kind, body)
	rec, err := env.WaitStatus(code, order.StatusAccepted, 10*time.Second)
	must(t, err)
	if rec.Source != tabletSource {
		t.Fatalf("order %s stored as %q's, want the tablet's", code, rec.Source)
	}
	waitTablet(t, tab, code, order.StatusAccepted)
	must(t, env.WaitJobsDone(code, 10*time.Second))
	if n := env.CountPrinted("front", "珍珠奶茶", "鸡米花", "￥27.00"); n != 1 {
		t.Fatalf("receipt printed %d times:\n%s", n, strings.Join(env.Printed("front"), "\n----\n"))
	}
	if n := env.CountPrinted("kitchen", "鸡米花"); n != 1 {
		t.Fatalf("kitchen ticket printed %d times:\n%s", n, strings.Join(env.Printed("kitchen"), "\n----\n"))
	}

	var res map[string]any
	status, err := env.API("POST", "/api/scan", map[string]string{"code": code}, &res)
	must(t, err)
	if status != 202 || res["action"] != "made" {
		t.Fatalf("first scan: %d %v", status, res)
	}
	waitTablet(t, tab, code, order.StatusMade)
	if !harness.WaitFor(5*time.Second, func() bool {
		status, _ = env.API("POST", "/api/scan", map[string]string{"code": code}, &res)
		return status == 202 && res["action"] == "completed"
	}) {
		t.Fatalf("second scan: %d %v", status, res)
	}
	waitTablet(t, tab, code, order.StatusCompleted)
	if got := tab.sentFor(code); !slices.Equal(got, []string{"accept", "made", "complete"}) {
		t.Fatalf("the tablet got %v, want accept, made, complete", got)
	}

	// A second order: accepted and printed, then staff cancel it.
	other, kind, body := tab.place("1862")
	announceTablet(t, env, other, kind, body)
	_, err = env.WaitStatus(other, order.StatusAccepted, 10*time.Second)
	must(t, err)
	must(t, env.WaitJobsDone(other, 10*time.Second))
	status, err = env.API("POST", "/api/orders/"+other+"/cancel", map[string]string{"reason": "顾客不要了"}, &res)
	must(t, err)
	if status != 202 {
		t.Fatalf("cancel: %d %v", status, res)
	}
	waitTablet(t, tab, other, order.StatusCancelled)
	// The tablet announces the end; the order is refunded (it was
	// accepted) and the printers that printed it get a refund slip.
	announceTablet(t, env, other, "order", tab.announce(other))
	_, err = env.WaitStatus(other, order.StatusRefunded, 10*time.Second)
	must(t, err)
	if !harness.WaitFor(10*time.Second, func() bool {
		return env.CountPrinted("front", "退单", "顾客不要了") == 1 && env.CountPrinted("kitchen", "退单") == 1
	}) {
		t.Fatalf("refund slips:\n%s\n----\n%s", strings.Join(env.Printed("front"), "\n----\n"), strings.Join(env.Printed("kitchen"), "\n----\n"))
	}
	if ops := env.OpsOf(code); len(ops) != 0 {
		t.Fatalf("开个店 got calls for a tablet order: %v", ops)
	}
	if calls := env.Fake.CallsTo("queryDetail"); len(calls) != 0 {
		t.Fatalf("开个店 was asked for the details of tablet orders: %d calls", len(calls))
	}
}
