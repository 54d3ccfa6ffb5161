package bridge_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
)

// menusSeen stands in for the scan-to-order channel (issue 15), which is
// not on this branch: it records what the bridge asks of the linked menus.
type menusSeen struct {
	mu     sync.Mutex
	calls  []string
	menu   map[string]bool // customer codes on the menu
	failAt string
}

func (m *menusSeen) SellOutLinked(_ context.Context, storeID string, codes []string, out bool, actor string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var linked []string
	for _, c := range codes {
		if m.menu[c] {
			linked = append(linked, c)
		}
	}
	m.calls = append(m.calls, fmt.Sprintf("sell %s %v %v %s", storeID, linked, out, actor))
	if m.failAt == "sell" {
		return nil, fmt.Errorf("menu file is read-only")
	}
	return linked, nil
}

func (m *menusSeen) PauseOrdering(_ context.Context, storeID string, paused bool, reason, actor string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, fmt.Sprintf("pause %s %v %s", storeID, paused, reason))
	return nil
}

// 沽清 reaches the linked menus by customer code, and 置休 / 开启 pause
// and reopen scan-to-order, whatever the platform answers.
func TestLinkedMenusFollowSoldOutAndRest(t *testing.T) {
	env := start(t, harness.Options{})
	m := &menusSeen{menu: map[string]bool{"T1001": true}}
	env.Daemon.Bridge.SetLinkedMenus(m)
	ctx := context.Background()
	if _, err := env.Daemon.Bridge.ChangeGoods(ctx, bridgeGoods([]string{"T1001", "T1002"}, true)); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Daemon.Bridge.SetStoreStatus(ctx, "", "rest", "staff:店长"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Daemon.Bridge.SetStoreStatus(ctx, "", "reopen", "staff:店长"); err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	got := slices.Clone(m.calls)
	m.mu.Unlock()
	want := []string{"sell 1862 [T1001] true staff:小王", "pause 1862 true 门店置休，暂停接单", "pause 1862 false "}
	if !slices.Equal(got, want) {
		t.Fatalf("linked menu calls:\n%q\nwant\n%q", got, want)
	}
}

func bridgeGoods(codes []string, out bool) bridge.GoodsChange {
	return bridge.GoodsChange{Codes: codes, Out: out, Actor: "staff:小王"}
}
