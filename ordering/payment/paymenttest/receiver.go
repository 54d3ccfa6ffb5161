// Package paymenttest is the contract every payment.Provider passes (the
// sandbox, 钱方 and 收钱吧 against their fakes), and the pieces its tests
// need: a notification receiver and a browser that clicks a pay page's
// buttons.
package paymenttest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/payment"
)

// Receiver takes notifications at URL and answers them with Ack.
type Receiver struct {
	URL string
	C   chan payment.Notification
	srv *httptest.Server

	mu  sync.Mutex
	ack string
}

// NewReceiver starts a receiver answering ack (the provider's NotificationAck).
func NewReceiver(t testing.TB, ack string) *Receiver {
	r := &Receiver{C: make(chan payment.Notification, 64), ack: ack}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		// The answer is fixed before the test can see the notification, so
		// a SetAck after receiving one applies to the next delivery only.
		r.mu.Lock()
		ack := r.ack
		r.mu.Unlock()
		n := payment.Notification{Header: req.Header.Clone(), Query: req.URL.Query(), Body: body}
		select {
		case r.C <- n:
		default:
		}
		_, _ = io.WriteString(w, ack)
	}))
	r.URL = r.srv.URL + "/notify"
	t.Cleanup(r.srv.Close)
	return r
}

// Next waits for the next notification (failing the test after 20 s).
func (r *Receiver) Next(t testing.TB) payment.Notification {
	t.Helper()
	select {
	case n := <-r.C:
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("no notification arrived in 20 s")
	}
	return payment.Notification{}
}

// SetAck changes the answer (e.g. "" to make the provider retry).
func (r *Receiver) SetAck(ack string) {
	r.mu.Lock()
	r.ack = ack
	r.mu.Unlock()
}
