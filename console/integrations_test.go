package console_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/internal/zbar"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/webhook"
)

// sampleLine is one sample of the text exposition format.
var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$`)

// scrape reads /metrics and checks every line is valid exposition format:
// HELP and TYPE before a family's samples, samples that parse.
func scrape(t *testing.T, env *harness.Env, token string) map[string]float64 {
	t.Helper()
	req, _ := http.NewRequest("GET", env.ConsoleURL+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("/metrics: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	out := map[string]float64{}
	typed := map[string]string{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# TYPE ") {
			f := strings.Fields(line)
			typed[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not exposition format: %q", line)
		}
		family := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "_bucket"), "_sum"), "_count")
		if typed[m[1]] == "" && typed[family] == "" {
			t.Fatalf("sample %q before its TYPE line", line)
		}
		v, _ := strconv.ParseFloat(strings.Replace(m[3], "+Inf", "Inf", 1), 64)
		out[m[1]+m[2]] = v
	}
	return out
}

// /metrics on the running daemon: orders by status, the push-ack
// histogram of real pushes, printer states as a printer runs out of
// paper, the outbox and webhook backlogs.
func TestMetricsOfTheRunningDaemon(t *testing.T) {
	env := startEnv(t, harness.Options{Console: `api_token: "tok-0123456789abcdef"`})
	var o order.Order
	var day string
	for try := 0; try < 2; try++ { // an order placed at midnight counts in the next day's scrape
		o = teaOrder(env, order.TypePickup, "")
		rec, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if day = rec.Day; day == bridge.BusinessDay(time.Now()) {
			break
		}
	}
	key := `posbridge_orders{status="accepted",source="kaigedian"}`
	var m map[string]float64
	if !harness.WaitFor(10*time.Second, func() bool { m = scrape(t, env, ""); return m[key] >= 1 }) {
		t.Fatalf("%s = %v", key, m[key])
	}
	if n := m[`posbridge_push_ack_seconds_count{kind="order"}`]; n < 1 || m[`posbridge_push_ack_seconds_bucket{kind="order",le="+Inf"}`] != n {
		t.Fatalf("push ack histogram: count %v, +Inf bucket %v", n, m[`posbridge_push_ack_seconds_bucket{kind="order",le="+Inf"}`])
	}
	prev := -1.0
	for _, le := range []string{"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"} {
		v := m[`posbridge_push_ack_seconds_bucket{kind="order",le="`+le+`"}`]
		if v < prev {
			t.Fatalf("bucket le=%s is %v, below the one before (%v)", le, v, prev)
		}
		prev = v
	}
	if m[`posbridge_push_requests_total{kind="order",code="200"}`] < 1 {
		t.Errorf("no answered order push counted: %v", m)
	}
	if m[`posbridge_printer_up{printer="front",role="receipt"}`] != 1 {
		t.Errorf("front printer not up: %v", m)
	}
	if _, ok := m[`posbridge_outbox_calls{state="pending"}`]; !ok {
		t.Errorf("no outbox gauge")
	}
	env.Printers["kitchen"].SetState(printer.StatePaperOut)
	if !harness.WaitFor(20*time.Second, func() bool {
		m = scrape(t, env, "tok-0123456789abcdef") // the API token is accepted too
		return m[`posbridge_printer_state{printer="kitchen",state="paper_out"}`] == 1 && m[`posbridge_printer_up{printer="kitchen",role="kitchen"}`] == 0
	}) {
		var states []string
		for k, v := range m {
			if strings.HasPrefix(k, "posbridge_printer_") && v == 1 {
				states = append(states, k)
			}
		}
		st, _ := env.API("GET", "/api/printers", nil, nil)
		t.Fatalf("the kitchen printer's paper_out never showed (printers API %d): %v", st, states)
	}
	if m[`posbridge_printer_state{printer="kitchen",state="online"}`] != 0 {
		t.Error("kitchen shows online and paper_out at once")
	}
}

// The daemon's webhooks: a receiver on this PC that fails its first
// requests gets the order's transitions (through the outbox) and the
// kitchen printer's fault (through the delivery rows), each signed and
// each event id taken once.
func TestWebhooksFromTheRunningDaemon(t *testing.T) {
	const secret = "shop-secret-0123456789"
	var mu sync.Mutex
	got := map[string]string{} // event id → event
	seen := map[string]int{}
	bad, requests := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !webhook.Verify(secret, body, r.Header.Get(webhook.HeaderSignature)) {
			bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var env webhook.Envelope
		_ = json.Unmarshal(body, &env)
		if requests++; requests <= 3 { // down for its first requests: every event comes again
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		seen[env.ID]++
		got[env.ID] = env.Event
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	env := startEnv(t, harness.Options{ExtraYAML: "webhooks:\n  - url: " + srv.URL + "/hooks\n    secret: " + secret + "\n    events: [order.*, printer.fault]\n"})
	o := teaOrder(env, order.TypePickup, "")
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	env.Printers["kitchen"].SetState(printer.StatePaperOut)
	has := func(event string) bool {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range got {
			if e == event {
				return true
			}
		}
		return false
	}
	if !harness.WaitFor(20*time.Second, func() bool { return has("order.new") && has("order.accepted") && has("printer.fault") }) {
		mu.Lock()
		t.Fatalf("receiver got %v (bad signatures %d)", got, bad)
	}
	mu.Lock()
	defer mu.Unlock()
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s (%s) arrived %d times", id, got[id], n)
		}
	}
	if bad > 0 {
		t.Errorf("%d deliveries were not signed with the secret", bad)
	}
}

// A job's picture is served as PNG at the paper's width in dots, and the
// order barcode on it scans as the order code.
func TestJobPicturePNG(t *testing.T) {
	env := startEnv(t, harness.Options{})
	o := teaOrder(env, order.TypePickup, "")
	var id int64
	if !harness.WaitFor(10*time.Second, func() bool {
		jobs, _ := env.Jobs(o.Code)
		for _, j := range jobs {
			if j.Doc == "receipt" && j.State == "done" {
				id = j.ID
			}
		}
		return id != 0
	}) {
		t.Fatal("the receipt never printed")
	}
	get := func(q string) (*http.Response, []byte) {
		resp, err := http.Get(env.ConsoleURL + "/api/jobs/" + strconv.FormatInt(id, 10) + "/preview.png" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get("?scale=2")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("preview.png: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != 2*576 {
		t.Fatalf("receipt picture %d px wide at scale 2, want 1152 (576 dots of 80 mm paper)", w)
	}
	if codes := zbar.Codes(t, body); !slices.Contains(codes, "CODE-128:"+o.Code) {
		t.Fatalf("the receipt's barcode reads %q, want the order code %s", codes, o.Code)
	}
	if resp, _ := get("?scale=9"); resp.StatusCode != 400 {
		t.Fatalf("scale 9: %d", resp.StatusCode)
	}
}
