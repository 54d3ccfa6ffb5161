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

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// receiver is a real HTTP endpoint as an integrator writes one: it checks
// the signature, keeps the event ids it took, and answers 2xx only after
// failing the first few requests (500s and a dropped connection).
type receiver struct {
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

func newReceiver(t *testing.T, secret string, failFor int) *receiver {
	rc := &receiver{secret: secret, failFor: failFor, taken: map[string]int{}, events: map[string]string{}, attempts: map[string][]string{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
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
	case rc.requests == 2: // the connection drops without an answer
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

func (rc *receiver) snapshot() (events map[string]string, taken map[string]int, badSig int) {
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

func transition(t *testing.T, db *store.DB, code string, from, to order.Status) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		rec := &store.OrderRecord{Code: code, StoreID: "1862", Status: to, PickupNo: "1003", Day: "2026-12-01",
			Detail: &order.Order{Code: code, ActualPay: 2350, Mobile: "13812345678"}}
		if err := tx.SaveOrder(rec); err != nil {
			return err
		}
		return tx.AppendHistory(store.History{Code: code, From: from, To: to, Actor: "auto"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEventsAreSignedRetriedAndTakenOnce(t *testing.T) {
	db := openDB(t)
	orders := newReceiver(t, "order-secret-0123456789", 4)
	printers := newReceiver(t, "printer-secret-0123456789", 0)
	h := New(db, []config.WebhookConfig{
		{URL: orders.srv.URL + "/hook", Secret: orders.secret, Events: []string{"order.*"}},
		{URL: printers.srv.URL + "/p", Secret: printers.secret, Events: []string{"printer.*"}},
		{URL: "", Secret: ""}, // off
	}, slog.New(slog.DiscardHandler), Options{RetryMin: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond, Poll: 20 * time.Millisecond, Timeout: 2 * time.Second})
	if len(h.hooks) != 2 {
		t.Fatalf("%d receivers on, want 2", len(h.hooks))
	}
	// what happened before the first run is the store's past, not an event
	transition(t, db, "OLD", "", order.StatusCompleted)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	var start int64
	if !waitFor(5*time.Second, func() bool { v, ok, _ := db.Cursor(ctx, historyCursor); start = v; return ok }) {
		t.Fatal("the recorder never started")
	}
	transition(t, db, "A1", "", order.StatusNew)
	transition(t, db, "A1", order.StatusNew, order.StatusAccepted)
	transition(t, db, "A1", order.StatusAccepted, order.StatusAccepted) // a note, no change
	transition(t, db, "A1", order.StatusAccepted, order.StatusMade)
	transition(t, db, "A1", order.StatusMade, order.StatusCompleted)
	h.PrinterEvent(printer.Event{Kind: printer.EventStatus, Printer: "kitchen", State: printer.StateOnline, At: time.Now()}) // no fault yet: nothing
	h.PrinterEvent(printer.Event{Kind: printer.EventStatus, Printer: "kitchen", State: printer.StatePaperOut, At: time.Now()})
	h.PrinterEvent(printer.Event{Kind: printer.EventJobDone, Printer: "kitchen", At: time.Now()}) // not an event
	h.PrinterEvent(printer.Event{Kind: printer.EventStatus, Printer: "kitchen", State: printer.StateOnline, At: time.Now().Add(time.Millisecond)})

	settled := func() bool {
		st, _ := db.WebhookStats(ctx)
		return st[store.WebhookDone] == 6 && st[store.WebhookPending] == 0
	}
	if !waitFor(20*time.Second, settled) {
		st, _ := db.WebhookStats(ctx)
		t.Fatalf("deliveries %v, want 6 done", st)
	}
	all, _ := db.ListWebhookDeliveries(ctx, "", 100)
	for _, d := range all {
		if strings.Contains(string(d.Body), "13812345678") || strings.Contains(string(d.Body), "secret") {
			t.Fatalf("a delivery carries a phone number or a secret: %s", d.Body)
		}
	}
	events, taken, bad := orders.snapshot()
	if bad > 0 {
		t.Fatalf("%d deliveries had a signature the receiver could not verify", bad)
	}
	want := map[string]int{"order.new": 1, "order.accepted": 1, "order.made": 1, "order.completed": 1}
	got := map[string]int{}
	for id, ev := range events {
		got[ev]++
		if taken[id] != 1 {
			t.Errorf("event %s (%s) was taken %d times", id, ev, taken[id])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("order receiver got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("order receiver got %v, want %v", got, want)
		}
	}
	orders.mu.Lock()
	retried := 0
	for _, a := range orders.attempts {
		if len(a) > 1 {
			retried++
		}
	}
	orders.mu.Unlock()
	if retried == 0 {
		t.Error("no event was retried although the receiver failed its first requests")
	}
	pe, ptaken, _ := printers.snapshot()
	pgot := map[string]int{}
	for id, ev := range pe {
		pgot[ev]++
		if ptaken[id] != 1 {
			t.Errorf("printer event %s taken %d times", id, ptaken[id])
		}
	}
	if pgot["printer.fault"] != 1 || pgot["printer.recovered"] != 1 || len(pe) != 2 {
		t.Fatalf("printer receiver got %v", pgot)
	}

	// Recording the same transitions again (a crash before the cursor
	// moved) makes no new delivery: the event ids are the same.
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.SetCursor(historyCursor, start) }); err != nil {
		t.Fatal(err)
	}
	if !waitFor(5*time.Second, func() bool { v, _, _ := db.Cursor(ctx, historyCursor); return v > start }) {
		t.Fatal("cursor did not move again")
	}
	if st, _ := db.WebhookStats(ctx); st[store.WebhookDone] != 6 || st[store.WebhookPending] != 0 {
		t.Fatalf("re-recording made deliveries: %v", st)
	}
	if _, taken, _ := orders.snapshot(); len(taken) != 4 {
		t.Fatalf("receiver took %d events after re-recording, want 4", len(taken))
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

// Deliveries to a receiver taken out of the config stop counting as a backlog.
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
		t.Fatalf("deliveries of a removed receiver: %v", st)
	}
}
