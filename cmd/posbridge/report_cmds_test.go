package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/report"
)

// stdoutOf runs f with os.Stdout going to a pipe and returns what it wrote.
func stdoutOf(t *testing.T, f func() int) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	code := f()
	os.Stdout = old
	w.Close()
	return <-done, code
}

func TestReportCommands(t *testing.T) {
	env, err := harness.Start(context.Background(), t.TempDir(), harness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop()
	cfg := []string{"--config", env.ConfigFile}
	o := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup})
	rec, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !harness.WaitFor(10*time.Second, func() bool { r, _ := env.Order(o.Code); return r != nil && r.Detail != nil }) {
		t.Fatal("no detail")
	}
	rec, _ = env.Order(o.Code)
	day := report.RuleFor(env.Config, rec.StoreID).DayOf(rec.CreatedAt)
	out, code := stdoutOf(t, func() int { return dispatch(append([]string{"report", "day", day}, cfg...)) })
	if code != 0 || !strings.Contains(out, "日结单 "+day) || !strings.Contains(out, rec.Detail.ActualPay.String()) {
		t.Fatalf("report day: exit %d\n%s", code, out)
	}
	out, code = stdoutOf(t, func() int { return dispatch(append([]string{"report", "day", day, "--csv"}, cfg...)) })
	if code != 0 || !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "实收,"+rec.Detail.ActualPay.Yuan()) {
		t.Fatalf("report day --csv: exit %d\n%s", code, out)
	}
	if code := dispatch(append([]string{"report", "day", "12/01"}, cfg...)); code != 1 {
		t.Fatalf("a malformed date: exit %d", code)
	}
	if code := dispatch(append([]string{"report", "day", day, "--print"}, cfg...)); code != 0 {
		t.Fatalf("report day --print: exit %d", code)
	}
	if !harness.WaitFor(10*time.Second, func() bool { return env.CountPrinted("front", "日结单 "+day) == 1 }) {
		t.Fatal("no 日结单 printed")
	}
	if _, code := stdoutOf(t, func() int { return dispatch(append([]string{"report", "shift"}, cfg...)) }); code != 0 {
		t.Fatalf("report shift: exit %d", code)
	}
}
