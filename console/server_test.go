package console

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"
)

// A page's event stream must end when the daemon stops, or the page sits on
// a dead connection and never reconnects to the next daemon.
func TestServeEndsEventStreamsOnShutdown(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // like /api/events: nothing ends it but the request
	})
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, stream, nil, slog.New(slog.DiscardHandler)) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ended := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, resp.Body); close(ended) }()

	start := time.Now()
	cancel()
	select {
	case <-ended:
		t.Logf("stream ended %v after the stop", time.Since(start).Round(time.Millisecond))
	case <-time.After(2 * time.Second):
		t.Fatal("the event stream stayed open after the daemon stopped")
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return")
	}
}
