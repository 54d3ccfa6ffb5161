package kaigedian_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
)

// Calls made at once (the outbox's workers, the detail fetch, the poller)
// reuse their connections: a connection per call would be a TLS handshake
// per call against the real platform.
func TestConcurrentCallsReuseConnections(t *testing.T) {
	merchant, _ := kaigedian.TestKeys(t)
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond) // a platform's answer time: the calls overlap
		_, _ = io.WriteString(w, `{"statusCode":"100","responseBody":""}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	cfg := config(srv.URL, merchant)
	c, err := kaigedian.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const callers, calls = 8, 25
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range calls {
				if _, err := c.Probe(t.Context(), "1862"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := opened.Load(); n > 2*callers {
		t.Fatalf("%d calls from %d callers opened %d connections", callers*calls, callers, n)
	}
}
