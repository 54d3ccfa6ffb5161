package drills

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/internal/loadtest"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
)

// The disk fills up (SQLite max_page_count capped at the current size) while
// orders arrive: pushes that cannot be stored are answered 500 so the
// platform retries them, the database stays intact (quick_check), and once
// space returns every order goes through exactly once.
func TestDiskFullThenSpaceReturns(t *testing.T) {
	s := drillScenario("disk", 80, 5*time.Second)
	platformKey, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	rig := startRig(t, loadtest.ModeInProcess, harnessFor(s, func(o *harness.Options) {
		base := o.Fake
		o.Fake = func(fo *fake.Options) { base(fo); fo.PlatformKey = platformKey }
	}))
	ctx := context.Background()
	db := rig.Env.Daemon.DB
	rec := loadtest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, rig, rec) }()

	time.Sleep(time.Second)
	before := rig.Env.Fake.PushStats()
	must(t, db.SetMaxPageCount(ctx, 1)) // SQLite keeps it at the current size: no page more
	rec.Mark("disk full")
	time.Sleep(2 * time.Second)
	during := rig.Env.Fake.PushStats()
	// A push as the platform sends it gets a clear 500, so that it retries.
	// (Large enough to need new pages: a small row may still fit a page's free space.)
	probe := fmt.Appendf(nil, `{"orderCode":"DISKFULL0001","orderStatus":"1","timeStamp":"1700000000000","remark":%q}`, strings.Repeat("满", 60000))
	env, err := kaigedian.NewEnvelope(platformKey, "2282", "wxaa246", probe)
	must(t, err)
	body, err := env.Marshal()
	must(t, err)
	resp, err := http.Post(rig.Env.PushURL+"/kaigedian/push/order", "application/json", bytes.NewReader(body))
	must(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || !strings.Contains(string(raw), `"statusCode":"500"`) || !strings.Contains(string(raw), "disk") {
		t.Errorf("push while the disk is full: HTTP %d %s; want 500 saying the disk is full", resp.StatusCode, raw)
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Errorf("database damaged while full: %v", err)
	}
	must(t, db.SetMaxPageCount(ctx, 1<<30))
	rec.Mark("space returned")
	must(t, <-done)
	res := settleAndCheck(t, rig, 90*time.Second)
	if res.Stored != 80 {
		t.Fatalf("%d of 80 orders stored after the space returned", res.Stored)
	}
	refused := (during.Attempts - before.Attempts) - (during.Acked - before.Acked)
	if refused == 0 {
		t.Fatal("no push was refused while the disk was full: the drill did not fill it")
	}
	t.Logf("%d push attempts refused while the disk was full, all retried and stored later", refused)
	if err := db.QuickCheck(ctx); err != nil {
		t.Errorf("database damaged after recovery: %v", err)
	}
}
