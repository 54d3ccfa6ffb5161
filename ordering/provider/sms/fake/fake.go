// Package fake is an SMS gateway for tests and the sandbox: it checks the
// Bearer token and the body the way the store's gateway contract says,
// records every message, and can be told to fail or to hang.
package fake

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/posbridge/posbridge/ordering/provider/internal/fakesrv"
)

// Message is what the gateway received.
type Message struct {
	Phone        string `json:"phone"`
	Code         string `json:"code"`
	Context      string `json:"context"`
	RestaurantID int64  `json:"restaurant_id"`
}

// Gateway is a running fake gateway.
type Gateway struct {
	token string
	srv   *fakesrv.Server
	done  chan struct{}
	once  sync.Once

	mu       sync.Mutex
	messages []Message
	failNext []int // statuses for the next requests
	hang     bool
	refused  int
}

// Start serves a gateway that accepts token on addr ("127.0.0.1:0").
func Start(addr, token string) (*Gateway, error) {
	if token == "" {
		return nil, fmt.Errorf("fake sms: a token is required")
	}
	g := &Gateway{token: token, done: make(chan struct{})}
	srv, err := fakesrv.Start(addr, http.HandlerFunc(g.serve))
	if err != nil {
		return nil, err
	}
	g.srv = srv
	return g, nil
}

// URL is the webhook address.
func (g *Gateway) URL() string { return g.srv.URL + "/send" }

// Close releases hanging requests and stops the server.
func (g *Gateway) Close() error {
	g.once.Do(func() { close(g.done) })
	return g.srv.Close()
}

// Messages lists what was accepted, oldest first.
func (g *Gateway) Messages() []Message {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Message(nil), g.messages...)
}

// LastCode is the newest code sent to phone ("" when none).
func (g *Gateway) LastCode(phone string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := len(g.messages) - 1; i >= 0; i-- {
		if g.messages[i].Phone == phone {
			return g.messages[i].Code
		}
	}
	return ""
}

// Refused counts requests turned away (bad token or body).
func (g *Gateway) Refused() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refused
}

// FailNext makes the next len(statuses) requests answer those statuses
// without recording the message.
func (g *Gateway) FailNext(statuses ...int) {
	g.mu.Lock()
	g.failNext = append(g.failNext, statuses...)
	g.mu.Unlock()
}

// Hang makes requests wait (until Hang(false) is too late for them: they
// wait for the client to give up or the gateway to close).
func (g *Gateway) Hang(on bool) {
	g.mu.Lock()
	g.hang = on
	g.mu.Unlock()
}

var codeRE = regexp.MustCompile(`^[0-9]{4,8}$`)

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/send" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	g.mu.Lock()
	hang := g.hang
	var fail int
	if len(g.failNext) > 0 {
		fail, g.failNext = g.failNext[0], g.failNext[1:]
	}
	g.mu.Unlock()
	if hang {
		select {
		case <-r.Context().Done():
		case <-g.done:
		}
		return
	}
	auth := r.Header.Get("Authorization")
	want := "Bearer " + g.token
	if subtle.ConstantTimeCompare([]byte(auth), []byte(want)) != 1 {
		g.refuse(w, http.StatusUnauthorized, "bad or missing Bearer token")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		g.refuse(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	var m Message
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		g.refuse(w, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	if problem := check(m); problem != "" {
		g.refuse(w, http.StatusBadRequest, problem)
		return
	}
	if fail != 0 {
		w.WriteHeader(fail)
		_, _ = w.Write([]byte(`{"ok":false,"error":"injected failure"}`))
		return
	}
	g.mu.Lock()
	g.messages = append(g.messages, m)
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func check(m Message) string {
	switch {
	case m.Phone == "" || bytes.ContainsAny([]byte(m.Phone), " *"):
		return "phone missing or masked"
	case !codeRE.MatchString(m.Code):
		return "code must be 4 to 8 digits"
	case m.Context != "login" && m.Context != "register":
		return "context must be login or register"
	case m.RestaurantID <= 0:
		return "restaurant_id must be a positive number"
	}
	return ""
}

func (g *Gateway) refuse(w http.ResponseWriter, status int, why string) {
	g.mu.Lock()
	g.refused++
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": why})
}
