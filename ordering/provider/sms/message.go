package sms

import (
	"errors"
	"fmt"

	"github.com/posbridge/posbridge/internal/textutil"
)

// Contexts of seed §3.1.
const (
	ContextLogin    = "login"
	ContextRegister = "register"
)

// Message is one code for one phone.
type Message struct {
	Phone        string `json:"phone"` // as stored: 11 digits, or +<country><number>
	Code         string `json:"code"`
	Context      string `json:"context"`
	RestaurantID int64  `json:"restaurant_id"`
}

// ErrInvalidMessage is a message we refuse to send (our bug, not the gateway's).
var ErrInvalidMessage = errors.New("sms: invalid message")

func (m Message) check() error {
	switch {
	case m.Phone == "":
		return fmt.Errorf("%w: no phone", ErrInvalidMessage)
	case len(m.Code) < 4 || len(m.Code) > 8 || !textutil.Digits(m.Code):
		return fmt.Errorf("%w: the code must be 4 to 8 digits", ErrInvalidMessage)
	case m.Context != ContextLogin && m.Context != ContextRegister:
		return fmt.Errorf("%w: context %q is neither login nor register", ErrInvalidMessage, m.Context)
	case m.RestaurantID <= 0:
		return fmt.Errorf("%w: no restaurant", ErrInvalidMessage)
	}
	return nil
}
