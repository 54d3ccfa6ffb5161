package fake

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// renewBefore is when stable_token starts handing out the next token (both
// stay valid until their own expiry).
const renewBefore = 5 * time.Minute

func (s *Server) stableToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		s.errReply(w, 47001, "")
		return
	}
	switch {
	case req.GrantType != "client_credential":
		s.errReply(w, 40002, "")
		return
	case req.AppID == "":
		s.errReply(w, 41002, "")
		return
	case req.AppID != s.opts.AppID:
		s.errReply(w, 40013, "")
		return
	case req.Secret == "":
		s.errReply(w, 41004, "")
		return
	case req.Secret != s.opts.AppSecret:
		s.errReply(w, 40125, "")
		return
	}
	s.mu.Lock()
	now := s.opts.Now()
	if req.ForceRefresh {
		day := now.Format("2006-01-02")
		if s.forced[day] >= 20 {
			s.mu.Unlock()
			s.errReply(w, 45009, "")
			return
		}
		s.forced[day]++
		s.basic = map[string]time.Time{} // force_refresh invalidates the previous token
		s.latestBasic = ""
	}
	tok := s.latestBasic
	exp, ok := s.basic[tok]
	if !ok || exp.Sub(now) <= renewBefore {
		tok = wire.Nonce(136)
		exp = now.Add(s.opts.TokenTTL)
		s.basic[tok] = exp
		s.latestBasic = tok
	}
	s.mu.Unlock()
	s.json(w, map[string]any{"access_token": tok, "expires_in": int(exp.Sub(now).Seconds())})
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	now := s.opts.Now()
	exp, ok := s.basic[q.Get("access_token")]
	switch {
	case !ok:
		s.mu.Unlock()
		s.errReply(w, 40001, "")
		return
	case now.After(exp):
		s.mu.Unlock()
		s.errReply(w, 42001, "")
		return
	case q.Get("type") != "jsapi":
		s.mu.Unlock()
		s.errReply(w, 40097, "")
		return
	}
	if s.ticket == "" || s.ticketUntil.Sub(now) <= renewBefore {
		s.ticket = wire.Nonce(86)
		s.ticketUntil = now.Add(s.opts.TicketTTL)
	}
	tk, left := s.ticket, int(s.ticketUntil.Sub(now).Seconds())
	s.mu.Unlock()
	s.json(w, map[string]any{"errcode": 0, "errmsg": "ok", "ticket": tk, "expires_in": left})
}

// Ticket is the current jsapi_ticket (to check a signature in tests).
func (s *Server) Ticket() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ticket
}
