package bridge_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/store"
)

// Releasing and dropping a print job go through the rules: each decision
// is audited with who made it, announced on the live events, refused with
// 409 when the job's state does not allow it and 404 for no such job; a
// released job prints.
func TestReleaseAndDropPrintJobsAreAuditedAndAnnounced(t *testing.T) {
	env := start(t, harness.Options{})
	ctx := context.Background()
	db := env.Daemon.DB
	events, stop := env.Daemon.Bridge.Bus().Subscribe()
	defer stop()

	failed := func(title string) int64 {
		t.Helper()
		id, _, err := db.EnqueuePrintJob(ctx, store.PrintJob{Printer: "nowhere", Doc: "test", Title: title, Payload: []byte(`{}`)})
		must(t, err)
		must(t, db.MarkPrintFailed(ctx, id, "打印机没有响应"))
		return id
	}
	drop, release := failed("放弃的"), failed("放行的")

	var res map[string]any
	if s, _ := env.API("POST", fmt.Sprintf("/api/jobs/%d/drop", drop), nil, &res); s != 202 {
		t.Fatalf("drop: %d %v", s, res)
	}
	if j, err := db.GetPrintJob(ctx, drop); err != nil || j.State != store.JobDropped {
		t.Fatalf("dropped job: %+v %v", j, err)
	}
	if s, _ := env.API("POST", fmt.Sprintf("/api/jobs/%d/release", drop), nil, &res); s != 409 || !strings.Contains(fmt.Sprint(res["error"]), "不能") {
		t.Fatalf("release of a dropped job: %d %v, want 409", s, res)
	}
	if s, _ := env.API("POST", fmt.Sprintf("/api/jobs/%d/release", release), nil, &res); s != 202 {
		t.Fatalf("release: %d %v", s, res)
	}
	if j, err := db.GetPrintJob(ctx, release); err != nil || j.State != store.JobQueued {
		t.Fatalf("released job: %+v %v", j, err)
	}
	if s, _ := env.API("POST", "/api/jobs/999999/drop", nil, &res); s != 404 {
		t.Fatalf("drop of no such job: %d %v, want 404", s, res)
	}

	audit, err := db.AuditLog(ctx, 20)
	must(t, err)
	seen := map[string]bool{}
	for _, a := range audit {
		if (a.Action == "job_drop" || a.Action == "job_release") && a.Actor != "" {
			seen[a.Action+" "+strings.Fields(a.Detail)[0]] = true
		}
	}
	if !seen[fmt.Sprintf("job_drop %d", drop)] || !seen[fmt.Sprintf("job_release %d", release)] || len(seen) != 2 {
		t.Fatalf("audit of the decisions: %+v", audit)
	}
	kinds := map[string]bool{}
	deadline := time.After(5 * time.Second)
	for !kinds["job_drop"] || !kinds["job_release"] {
		select {
		case e := <-events:
			if e.Type == bridge.EvPrinter {
				kinds[e.Kind] = true
			}
		case <-deadline:
			t.Fatalf("events announced: %v, want job_drop and job_release", kinds)
		}
	}
}
