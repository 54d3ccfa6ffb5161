package poller_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
)

// A platform that refuses connections is never shown as healthy: with no
// open orders the reconcile poll asks nothing, and asking nothing is not an
// answer. The 平台 page gets a Chinese sentence for every failure, the raw
// error stays beside it for the installer.
func TestUnreachablePlatformIsNeverHealthy(t *testing.T) {
	env, err := harness.Prepare(t.TempDir(), harness.Options{NoPrinters: true})
	if err != nil {
		t.Fatal(err)
	}
	env.Fake.Close() // base_url now refuses connections
	if err := env.Run(context.Background(), harness.Options{}); err != nil {
		t.Fatal(err)
	}
	defer env.Stop()

	var h bridge.PlatformHealth
	if !harness.WaitFor(20*time.Second, func() bool {
		h = env.Daemon.Bridge.Health()
		return h.Polls["orders/1862"].LastError != "" && h.Polls["refunds/1862"].LastError != "" && h.Polls["reconcile"].Idle
	}) {
		t.Fatalf("polls never reported: %+v", h.Polls)
	}
	if !h.LastPlatformOK.IsZero() {
		t.Errorf("platform shown healthy at %s though it was never reached", h.LastPlatformOK)
	}
	if r := h.Polls["reconcile"]; !r.LastSuccess.IsZero() {
		t.Errorf("a reconcile that asked nothing counted as a success: %+v", r)
	}
	english := regexp.MustCompile(`(?i)dial|refused|kaigedian|tcp`)
	for key, p := range h.Polls {
		if p.LastError == "" {
			continue
		}
		if !strings.Contains(p.LastErrorHint, "连不上平台") || english.MatchString(p.LastErrorHint) {
			t.Errorf("poll %s: hint %q for %q, want a Chinese sentence", key, p.LastErrorHint, p.LastError)
		}
	}

	var api struct {
		Health map[string]any `json:"health"`
	}
	if status, err := env.API("GET", "/api/platform", nil, &api); err != nil || status != 200 {
		t.Fatalf("GET /api/platform: %d %v", status, err)
	}
	if _, ok := api.Health["last_platform_ok"]; ok {
		t.Errorf("/api/platform reports last_platform_ok for a platform never reached: %v", api.Health)
	}
}

// The same daemon against a platform that answers shows it healthy from the
// first real answer.
func TestAnsweringPlatformIsHealthy(t *testing.T) {
	env, err := harness.Start(context.Background(), t.TempDir(), harness.Options{NoPrinters: true})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	if !harness.WaitFor(20*time.Second, func() bool { return !env.Daemon.Bridge.Health().LastPlatformOK.IsZero() }) {
		t.Fatalf("platform never shown healthy: %+v", env.Daemon.Bridge.Health())
	}
}
