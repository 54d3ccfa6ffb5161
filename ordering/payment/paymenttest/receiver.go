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
		n := payment.Notification{Header: req.Header.Clone(), Query: req.URL.Query(), Body: body}
		select {
		case r.C <- n:
		default:
		}
		r.mu.Lock()
		ack := r.ack
		r.mu.Unlock()
		_, _ = io.WriteString(w, ack)
	}))
	r.URL = r.srv.URL + "/notify"
	t.Cleanup(r.srv.Close)
	return r
}

// SetAck changes the answer (e.g. "" to make the provider retry).
func (r *Receiver) SetAck(ack string) {
	r.mu.Lock()
	r.ack = ack
	r.mu.Unlock()
}
