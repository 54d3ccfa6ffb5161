package sms

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
)

// SandboxCode is a code the sandbox "sent", for the console to show.
type SandboxCode struct {
	Phone        string // masked
	Code         string
	Context      string
	RestaurantID int64
	At           time.Time
}

// Sandbox is the sender of the sandbox and of stores without a gateway in
// test mode: it sends nothing and shows the code in the log and, through
// Recent, in the console. Never use it for a live store: anyone reading the
// log could log in as anyone.
type Sandbox struct {
	log *slog.Logger
	now func() time.Time

	mu     sync.Mutex
	recent []SandboxCode
}

const sandboxKeep = 50

// NewSandbox returns a sandbox sender logging to log.
func NewSandbox(log *slog.Logger, now func() time.Time) *Sandbox {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Sandbox{log: log, now: now}
}

// Send records m and logs its code.
func (s *Sandbox) Send(_ context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	c := SandboxCode{Phone: order.MaskPhone(m.Phone), Code: m.Code, Context: m.Context, RestaurantID: m.RestaurantID, At: s.now()}
	s.mu.Lock()
	s.recent = append(s.recent, c)
	if len(s.recent) > sandboxKeep {
		s.recent = append([]SandboxCode(nil), s.recent[len(s.recent)-sandboxKeep:]...)
	}
	s.mu.Unlock()
	s.log.Info("sandbox SMS (not sent; enter this code on the phone page)", "phone", c.Phone, "code", c.Code, "context", c.Context, "restaurant_id", c.RestaurantID)
	return nil
}

// Recent lists the latest codes, newest last.
func (s *Sandbox) Recent() []SandboxCode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SandboxCode(nil), s.recent...)
}
