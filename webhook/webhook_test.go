package webhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// endpoint is a real HTTP endpoint as an integrator writes one: it checks
// the signature, keeps the event ids it took, and answers 2xx only after
// failing the first few requests (500s and a dropped connection).
type endpoint struct {
	secret string
	srv    *httptest.Server

	mu       sync.Mutex
	requests int
	failFor  int
	badSig   int
	taken    map[string]int // event id → 2xx answers
	events   map[string]string
	attempts map[string][]string
}

func newEndpoint(t *testing.T, secret string, failFor int) *endpoint {
	rc := &endpoint{secret: secret, failFor: failFor, taken: map[string]int{}, events: map[string]string{}, attempts: map[string][]string{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *endpoint) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	if !Verify(rc.secret, body, r.Header.Get(HeaderSignature)) {
		rc.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var env struct {
		ID    string `json:"id"`
		Event string `json:"event"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.ID != r.Header.Get(HeaderEventID) || env.Event != r.Header.Get(HeaderEvent) {
		http.Error(w, "bad envelope", http.StatusBadRequest)
		return
	}
	rc.attempts[env.ID] = append(rc.attempts[env.ID], r.Header.Get(HeaderAttempt))
	switch {
	case rc.requests == 2 && rc.failFor >= 2: // the connection drops without an answer
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		fallthrough
	case rc.requests <= rc.failFor:
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	if rc.taken[env.ID] > 0 {
		w.WriteHeader(http.StatusOK) // a duplicate: acknowledged and dropped, as receivers do
		rc.taken[env.ID]++
		return
	}
	rc.taken[env.ID] = 1
	rc.events[env.ID] = env.Event
	w.WriteHeader(http.StatusNoContent)
}

func (rc *endpoint) snapshot() (events map[string]string, taken map[string]int, badSig int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	events, taken = map[string]string{}, map[string]int{}
	for k, v := range rc.events {
		events[k] = v
	}
	for k, v := range rc.taken {
		taken[k] = v
	}
	return events, taken, rc.badSig
}

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Printer faults go out from posbridge's own delivery rows: signed, retried
// while the receiver fails, each taken once by its id; events a receiver did
// not subscribe to are not sent to it.
func TestPrinterEventsAreSignedRetriedAndTakenOnce(t *testing.T) {
	db := openDB(t)
	ops := newEndpoint(t, "printer-secret-0123456789", 4)
	orders := newEndpoint(t, "order-secret-0123456789", 0)
	h := New(db, []config.WebhookConfig{
		{URL: ops.srv.URL + "/p", Secret: ops.secret, Events: []string{"printer.*"}},
		{URL: orders.srv.URL + "/hook", Secret: orders.secret, Events: []string{"order.*"}},
		{URL: "", Secret: ""}, // off
	}, slog.New(slog.DiscardHandler), Options{RetryMin: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond, Poll: 20 * time.Millisecond, Timeout: 2 * time.Second})
	if len(h.hooks) != 2 || len(h.Reporters()) != 2 {
		t.Fatalf("%d receivers on, want 2", len(h.hooks))
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	now := time.Now()
	h.PrinterEvent(printer.Event{Kind: printer.EventStatus, Printer: "kitchen", State: printer.StateOnline, At: now}) // no fault yet: nothing
	h.PrinterEvent(printer.Event{Kind: printer.EventStatus, Printer: "kitchen", State: printer.StatePaperOut, At: now.Add(time.Millisecond)})
	h.PrinterEvent(printer.Event{Kind: printer.EventJobDone, Printer: "kitchen", At: now}) // not an event
	h.PrinterEvent(printer.Event{Kind: printer.EventJobFailed, Printer: "front", JobID: 7, Err: "bad document", At: now.Add(2 * time.Millisecond)})
	h.PrinterEvent(printer.Event{Kind: printer.EventStatus, Printer: "kitchen", State: printer.StateOnline, At: now.Add(3 * time.Millisecond)})

	settled := func() bool {
		st, _ := db.WebhookStats(ctx)
		return st[store.WebhookDone] == 3 && st[store.WebhookPending] == 0
	}
	if !waitFor(20*time.Second, settled) {
		st, _ := db.WebhookStats(ctx)
		t.Fatalf("deliveries %v, want 3 done", st)
	}
	events, taken, bad := ops.snapshot()
	if bad > 0 {
		t.Fatalf("%d deliveries had a signature the receiver could not verify", bad)
	}
	got := map[string]int{}
	for id, ev := range events {
		got[ev]++
		if taken[id] != 1 {
			t.Errorf("event %s (%s) was taken %d times", id, ev, taken[id])
		}
	}
	if got["printer.fault"] != 2 || got["printer.recovered"] != 1 || len(events) != 3 {
		t.Fatalf("printer receiver got %v", got)
	}
	ops.mu.Lock()
	retried := 0
	for _, a := range ops.attempts {
		if len(a) > 1 {
			retried++
		}
	}
	ops.mu.Unlock()
	if retried == 0 {
		t.Error("no event was retried although the receiver failed its first requests")
	}
	if e, _, _ := orders.snapshot(); len(e) != 0 {
		t.Fatalf("the order receiver got printer events: %v", e)
	}
}

// An order transition reaches a receiver through bridge's outbox: Report
// signs it, names it by the outbox row (the same id on every retry), leaves
// out events the receiver did not ask for, and returns the receiver's
// failure so that the outbox retries.
func TestReceiverReportsTransitions(t *testing.T) {
	db := openDB(t)
	ep := newEndpoint(t, "order-secret-0123456789", 1)
	h := New(db, []config.WebhookConfig{{URL: ep.srv.URL + "/hook?token=abc", Secret: ep.secret, Events: []string{"order.accepted"}}},
		slog.New(slog.DiscardHandler), Options{})
	r := h.Reporters()[0]
	if strings.Contains(r.Name(), "token") || !r.Follows(order.SourceOrdering) {
		t.Fatalf("receiver %q", r.Name())
	}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		return tx.SaveOrder(&store.OrderRecord{Code: "A1", StoreID: "1862", Status: order.StatusAccepted, PickupNo: "1003",
			Detail: &order.Order{Code: "A1", ActualPay: 2350, Mobile: "13812345678"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	tr := bridge.Transition{Source: order.SourceKaigedian, Code: "A1", StoreID: "1862", From: order.StatusNew, To: order.StatusAccepted, At: time.Now(), Actor: "auto"}
	ctx := context.Background()
	if err := r.Report(ctx, "tx-1", tr); err == nil {
		t.Fatal("the receiver's 500 was not returned: the outbox would not retry")
	} else if v := r.Classify(err); !v.Retry || v.Message == "" {
		t.Fatalf("verdict %+v", v)
	}
	if err := r.Report(ctx, "tx-1", tr); err != nil {
		t.Fatal(err)
	}
	made := tr
	made.From, made.To = order.StatusAccepted, order.StatusMade
	if err := r.Report(ctx, "tx-2", made); err != nil {
		t.Fatal(err)
	}
	events, taken, bad := ep.snapshot()
	if bad > 0 || len(events) != 1 || events["evt_tx-1"] != "order.accepted" || taken["evt_tx-1"] != 1 {
		t.Fatalf("receiver got %v %v (bad signatures %d)", events, taken, bad)
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if a := ep.attempts["evt_tx-1"]; len(a) != 2 {
		t.Fatalf("attempts of evt_tx-1: %v", a)
	}
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

// Deliveries to a endpoint taken out of the config stop counting as a backlog.
func TestRemovedReceiverIsGivenUp(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.AddWebhookDelivery(store.WebhookDelivery{EventID: "e1", Hook: "https://old.example.com/h", Event: "order.new", Body: []byte("{}")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h := New(db, nil, slog.New(slog.DiscardHandler), Options{})
	if err := h.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.WebhookStats(ctx); st[store.WebhookPending] != 0 || st[store.WebhookFailed] != 1 {
		t.Fatalf("deliveries of a removed endpoint: %v", st)
	}
}
