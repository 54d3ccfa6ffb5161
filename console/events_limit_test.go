package console

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
)

// Issue 13 item 6: event streams are capped per client (64) and in all
// (512); a stream that closes frees its place.
func TestEventStreamsAreCapped(t *testing.T) {
	cfg := &config.Config{}
	s := &Server{Bridge: bridge.New(bridge.Deps{Config: cfg}), Config: cfg}
	// The client's address comes from the test, as if from many machines.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = r.Header.Get("X-Test-Remote")
		s.events(w, r)
	}))
	defer srv.Close()
	ctx, cancelAll := context.WithCancel(context.Background())
	defer cancelAll()
	open := func(ctx context.Context, client string) (int, context.CancelFunc) {
		t.Helper()
		sctx, cancel := context.WithCancel(ctx)
		req, _ := http.NewRequestWithContext(sctx, "GET", srv.URL, nil)
		req.Header.Set("X-Test-Remote", client+":5000")
		resp, err := srv.Client().Do(req)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
		}
		return resp.StatusCode, func() { cancel(); resp.Body.Close() }
	}
	var first context.CancelFunc
	for i := range maxStreamsPerClient {
		st, cancel := open(ctx, "192.168.1.20")
		if st != http.StatusOK {
			t.Fatalf("stream %d of one tablet: %d", i+1, st)
		}
		if i == 0 {
			first = cancel
		}
	}
	if st, _ := open(ctx, "192.168.1.20"); st != http.StatusTooManyRequests {
		t.Fatalf("stream %d of one tablet: %d, want 429", maxStreamsPerClient+1, st)
	}
	for c := 0; c < maxStreams/maxStreamsPerClient-1; c++ {
		for range maxStreamsPerClient {
			if st, _ := open(ctx, fmt.Sprintf("192.168.1.%d", 30+c)); st != http.StatusOK {
				t.Fatalf("client %d: %d before the overall cap", c, st)
			}
		}
	}
	if st, _ := open(ctx, "192.168.1.99"); st != http.StatusTooManyRequests {
		t.Fatalf("a new client past %d streams in all: %d, want 429", maxStreams, st)
	}
	// Closing a page frees its place.
	first()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, _ := open(ctx, "192.168.1.20")
		if st == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed stream never freed its place: %d", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
