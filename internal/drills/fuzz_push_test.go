package drills

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/push"
	"github.com/posbridge/posbridge/store"
)

// countingSink counts acknowledged pushes.
type countingSink struct{ acked int }

func (s *countingSink) NotifyInbox()           {}
func (s *countingSink) PushReceived(time.Time) { s.acked++ }
func (s *countingSink) PushRefused()           {}

// FuzzPushHandler posts arbitrary bodies to the real push handler on a real
// database: the answer is always the documented JSON; 100 comes only with a
// new inbox row, and every refusal leaves the inbox untouched and lands in
// the rejected-push log, unless it is past the rate limit of refusals.
//
//	go test -run '^$' -fuzz FuzzPushHandler ./internal/drills/
func FuzzPushHandler(f *testing.F) {
	for _, seed := range []string{
		`{"orderCode":"17000000000000001","orderStatus":"1","timeStamp":"1700000000000"}`,
		`{"orderId":"17000000000000001","deliveryStatus":5}`,
		`{"eventType":"1","orderCode":"17000000000000001"}`,
		`{"ver":"1","partnerId":"2282","appId":"a","requestBody":"{\"orderCode\":\"1\"}","sign":"x"}`,
		`{"orderCode":""}`, `{"orderCode":{}}`, `[]`, `null`, ``, "\xff\xfe", `{"orderCode":"1",}`,
	} {
		for k := range kaigedian.PushKinds {
			f.Add(uint8(k), []byte(seed))
		}
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	sink := &countingSink{}
	h := (&push.Receiver{DB: db, Sink: sink, Log: slog.New(slog.DiscardHandler)}).Handler()
	f.Fuzz(func(t *testing.T, k uint8, body []byte) {
		kind := kaigedian.PushKinds[int(k)%len(kaigedian.PushKinds)]
		before, err := db.InboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		refusedBefore, err := db.RejectedPushes(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/kaigedian/push/"+string(kind), bytes.NewReader(body)))
		var reply struct {
			Ver, StatusCode, Code, Message string
		}
		if err := json.Unmarshal(w.Body.Bytes(), &reply); err != nil || reply.StatusCode != reply.Code {
			t.Fatalf("answer is not the documented JSON: HTTP %d %q", w.Code, w.Body.String())
		}
		after, err := db.InboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		grew := after["pending"] - before["pending"]
		switch {
		case w.Code == http.StatusOK && reply.Code == "100":
			if grew != 1 {
				t.Fatalf("acknowledged but %d inbox rows added", grew)
			}
		case w.Code == http.StatusOK && reply.Code == "21", w.Code == 413 && reply.Code == "413":
			if grew != 0 {
				t.Fatalf("refused (%s) but %d inbox rows added", reply.Code, grew)
			}
			refused, err := db.RejectedPushes(ctx, 1)
			if err != nil || len(refused) != 1 || len(refusedBefore) == 1 && refused[0].ID == refusedBefore[0].ID {
				t.Fatalf("refusal not in the rejected-push log: %v %v", refused, err)
			}
		case w.Code == http.StatusTooManyRequests && reply.Code == "429":
			// Refusals past the sender's rate limit are only counted
			// (issue 13 item 4): nothing reaches the inbox or the log.
			if grew != 0 {
				t.Fatalf("rate-limited refusal but %d inbox rows added", grew)
			}
			refused, err := db.RejectedPushes(ctx, 1)
			if err != nil || len(refused) != len(refusedBefore) || len(refused) == 1 && refused[0].ID != refusedBefore[0].ID {
				t.Fatalf("a rate-limited refusal was logged: %v %v", refused, err)
			}
		default:
			t.Fatalf("unexpected answer HTTP %d %+v", w.Code, reply)
		}
	})
}
