package bridge

import (
	"fmt"

	"github.com/posbridge/posbridge/order"
)

// StoreRules is what the channel that makes store calls (沽清 and the
// store status) says about them before one is written: the product codes
// and sales channels it knows and how many codes one call carries. The
// rules check a change against them so that staff hear what is wrong at
// once, not from a failed call. kaigedian/channel implements it.
type StoreRules interface {
	// ValidProductCode reports a product code the channel can name.
	ValidProductCode(code string) bool
	// ProductCodeRule says what a valid code looks like, for staff.
	ProductCodeRule() string
	// MaxSellOutCodes is how many codes one sell-out call carries.
	MaxSellOutCodes() int
	// SellChannels are the sales channels a change may name ("" is the
	// channel's default and always allowed); SellChannelName is the name
	// staff know one by.
	SellChannels() []string
	SellChannelName(id string) string
}

// Hints explains, for staff, an error a channel's call left as text on
// its outbox row (the outbox and store-call pages show it). A channel
// that does not implement it shows the text as it is.
type Hints interface {
	Hint(lastError string) string
}

// storeRules are the rules of the store calls' channel.
func (b *Bridge) storeRules() (StoreRules, error) {
	ch, err := b.storeChannel()
	if err != nil {
		return nil, err
	}
	r, ok := ch.(StoreRules)
	if !ok {
		return nil, fmt.Errorf("bridge: the %s channel makes no store calls", ch.Source())
	}
	return r, nil
}

// hint is the staff's sentence for a row's stored error, from the channel
// of source.
func (b *Bridge) hint(source order.Source, lastError string) string {
	if lastError == "" {
		return ""
	}
	if ch, err := b.channels.get(source); err == nil {
		if h, ok := ch.(Hints); ok {
			return h.Hint(lastError)
		}
	}
	return lastError
}
