package wire

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
)

func TestDoErrorNamesNoURLOrSecret(t *testing.T) {
	c := &Caller{Provider: "x", HTTP: NewHTTPClient(time.Second), Timeout: time.Second, Secrets: []string{"s3cr|et"}}
	_, err := c.Do(context.Background(), "op", func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:1/x?secret=s3cr%7Cet", nil)
	})
	if !provider.IsTransport(err) {
		t.Fatalf("err = %v, want a transport error", err)
	}
	if strings.Contains(err.Error(), "s3cr") || strings.Contains(err.Error(), "secret=") {
		t.Fatalf("error leaks the URL: %v", err)
	}
}

func TestDoTimeoutOnHangingServer(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := &Caller{Provider: "x", HTTP: NewHTTPClient(time.Minute), Timeout: 100 * time.Millisecond}
	_, err := c.Do(context.Background(), "op", func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	})
	var te *provider.TransportError
	if !errors.As(err, &te) || !te.Timeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

func TestDoBoundsTheReply(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("a", 2000)))
	}))
	defer srv.Close()
	c := &Caller{Provider: "x", HTTP: srv.Client(), MaxReply: 1000}
	_, err := c.Do(context.Background(), "op", func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	})
	if !provider.IsTransport(err) {
		t.Fatalf("err = %v, want a transport error for an oversized reply", err)
	}
}

func TestNoRedirectFollowed(t *testing.T) {
	var hits int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL, http.StatusFound))
	defer srv.Close()
	c := &Caller{Provider: "x", HTTP: NewHTTPClient(time.Second)}
	r, err := c.Do(context.Background(), "op", func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, "GET", srv.URL+"?secret=x", nil)
	})
	if err != nil || r.Status != http.StatusFound || hits != 0 {
		t.Fatalf("status %v err %v hits %d: a redirect was followed", r, err, hits)
	}
}

func TestNonce(t *testing.T) {
	a, b := Nonce(16), Nonce(16)
	if len(a) != 16 || a == b || strings.Trim(a, alnum) != "" {
		t.Fatalf("nonces %q %q", a, b)
	}
}

func TestScrubEscapedForms(t *testing.T) {
	got := Scrub("a=id%7Csec b=id|sec", "id|sec")
	if strings.Contains(got, "sec") {
		t.Fatal(got)
	}
}
