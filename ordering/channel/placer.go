package channel

import (
	"context"
	"strings"

	"github.com/posbridge/posbridge/store"
)

// Placer hands a stored order to the flow as a push would: its
// announcement committed to the inbox, and bridge woken to apply it (the
// prompt and sound, the accept policy, tickets). Placing the same order
// twice is harmless: bridge converges on one order by (source, code).
type Placer struct {
	DB   *store.DB
	Wake func() // bridge.NotifyInbox
}

// Place implements api.Placer.
func (p Placer) Place(ctx context.Context, o *store.OrderingOrder) error {
	if _, err := p.DB.AppendInbox(ctx, Announce(o)); err != nil {
		return err
	}
	if p.Wake != nil {
		p.Wake()
	}
	return nil
}

// noteFor is the sentence the phone shows with a store's refusal: staff's
// reason after what happened, or a whole sentence as it is (the accept
// deadline's).
func noteFor(what, reason string) string {
	switch {
	case reason == "":
		return what + "，请到柜台咨询。"
	case strings.HasSuffix(reason, "。"):
		return reason
	}
	return what + "：" + reason
}
