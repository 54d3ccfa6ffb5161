package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// API calls the console API and decodes the JSON answer into out (if non-nil).
func (e *Env) API(method, path string, body any, out any) (int, error) {
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		raw = b
	}
	return e.APIRaw(method, path, raw, out)
}

// APIRaw is API with a body sent byte for byte (documents' own examples,
// duplicate keys and all); headers, when given, are added to the request.
func (e *Env) APIRaw(method, path string, body []byte, out any, headers ...string) (int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ConsoleURL+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode %s %s answer %q: %w", method, path, raw, err)
		}
	}
	return resp.StatusCode, nil
}

// Order reads an order from the daemon's database.
func (e *Env) Order(code string) (*store.OrderRecord, error) {
	return e.Daemon.DB.GetOrder(context.Background(), code)
}

// WaitFor polls cond every 20 ms until it holds or timeout passes.
func WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitStatus waits until the order exists locally in status want.
func (e *Env) WaitStatus(code string, want order.Status, timeout time.Duration) (*store.OrderRecord, error) {
	var last *store.OrderRecord
	ok := WaitFor(timeout, func() bool {
		rec, err := e.Order(code)
		if err == nil {
			last = rec
		}
		return err == nil && rec.Status == want
	})
	if !ok {
		got := "absent"
		if last != nil {
			got = string(last.Status)
		}
		return last, fmt.Errorf("order %s: status %s, want %s after %s", code, got, want, timeout)
	}
	return last, nil
}

// WaitPlatform waits until the fake platform has the order in platform status want.
func (e *Env) WaitPlatform(code string, want int, timeout time.Duration) error {
	got := -1
	if WaitFor(timeout, func() bool {
		s, ok := e.Fake.Order(code)
		if ok {
			got = s.PlatformStatus
		}
		return ok && s.PlatformStatus == want
	}) {
		return nil
	}
	return fmt.Errorf("platform order %s: status %d, want %d", code, got, want)
}

// Jobs lists the daemon's print jobs of an order.
func (e *Env) Jobs(code string) ([]*store.PrintJob, error) {
	return e.Daemon.DB.ListPrintJobs(context.Background(), store.PrintJobFilter{OrderCode: code})
}

// WaitJobsDone waits until no job of the order is queued or sending.
func (e *Env) WaitJobsDone(code string, timeout time.Duration) error {
	if WaitFor(timeout, func() bool {
		jobs, err := e.Jobs(code)
		if err != nil {
			return false
		}
		for _, j := range jobs {
			if j.State == store.JobQueued || j.State == store.JobSending {
				return false
			}
		}
		return true
	}) {
		return nil
	}
	return fmt.Errorf("jobs of %s still queued after %s", code, timeout)
}

// Printed decodes what a fake printer received, one preview per job, as text.
func (e *Env) Printed(name string) []string {
	p := e.Printers[name]
	if p == nil {
		return nil
	}
	lang := "escpos"
	for _, pc := range e.Config.Printers {
		if pc.Name == name {
			lang = pc.Language
		}
	}
	var out []string
	for _, job := range p.Jobs() {
		out = append(out, printer.Decode(lang, job).Text())
	}
	return out
}

// CountPrinted counts jobs on a printer whose preview contains all of want.
func (e *Env) CountPrinted(name string, want ...string) int {
	n := 0
	for _, text := range e.Printed(name) {
		all := true
		for _, w := range want {
			if !strings.Contains(text, w) {
				all = false
			}
		}
		if all {
			n++
		}
	}
	return n
}

// OpsOf returns the statusOperation orderStatus values (and refundOperation
// actions as "r1"/"r2", cancels as "cancel") the platform applied to an order, in order.
func (e *Env) OpsOf(code string) []string {
	s, ok := e.Fake.Order(code)
	if !ok {
		return nil
	}
	var out []string
	for _, op := range s.Operations {
		switch {
		case strings.HasSuffix(op.Path, "statusOperation"):
			out = append(out, fmt.Sprint(op.OrderStatus))
		case strings.HasSuffix(op.Path, "refundOperation"):
			out = append(out, fmt.Sprintf("r%d", op.Action))
		default:
			out = append(out, "cancel")
		}
	}
	return out
}
