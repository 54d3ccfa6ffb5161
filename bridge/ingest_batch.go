package bridge

import (
	"context"
	"errors"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// decodedPush is an inbox item with what it announces.
type decodedPush struct {
	item store.InboxItem
	ch   order.Change
	err  error // the body could not be decoded: marked failed, never applied
}

// applyInboxItems applies committed pushes in arrival order, as many as it
// can in one transaction: one commit (one fsync) for a burst instead of one
// per push, which is what lets ingest keep up with a platform pushing
// hundreds a second. Each push runs in a savepoint of its own; the first one
// that fails ends the batch there (the pushes after it wait, as they would
// have), and is retried alone with its error logged. When the transaction
// itself fails, every push is applied alone.
func (b *Bridge) applyInboxItems(ctx context.Context, items []store.InboxItem) {
	for start := 0; start < len(items) && ctx.Err() == nil; start += inboxBatch {
		b.applyInboxBatch(ctx, items[start:min(start+inboxBatch, len(items))])
	}
}

// inboxBatch is how many pushes share one transaction: enough that a burst
// costs a few commits, few enough that the transaction stays short (the
// order work queued behind it waits for it).
const inboxBatch = 25

func (b *Bridge) applyInboxBatch(ctx context.Context, items []store.InboxItem) {
	pushes := make([]decodedPush, len(items))
	for i, it := range items {
		pushes[i] = b.decodeInboxItem(it)
	}
	applied, _ := writeValue(ctx, b, func(tx *store.Tx, a *after) (int, error) {
		applied := 0
		for _, p := range pushes {
			err := inStep(tx, a, func() error { return b.applyPushTx(tx, a, p) })
			if errors.Is(err, store.ErrTxBroken) {
				return 0, err
			}
			if err != nil {
				break
			}
			applied++
		}
		return applied, nil
	})
	for _, p := range pushes[:applied] {
		b.logPush(p)
	}
	// The rest, alone: the push that failed logs why and is retried later.
	for _, it := range items[applied:] {
		if ctx.Err() != nil {
			return
		}
		b.applyInboxItem(ctx, it)
	}
}

// decodeInboxItem reads an item with its source's channel. An item of a
// source no channel is registered for is kept, marked failed with why,
// like one that cannot be read: it never holds up the items after it.
func (b *Bridge) decodeInboxItem(it store.InboxItem) decodedPush {
	c, err := b.channels.get(it.Source)
	if err != nil {
		return decodedPush{item: it, err: err}
	}
	ch, err := c.Decode(it.Kind, it.Body)
	ch.Source = c.Source()
	return decodedPush{item: it, ch: ch, err: err}
}

// applyPushTx applies one push and marks its inbox item: done, or failed
// when its body could not be decoded (kept for diagnosis, never applied).
func (b *Bridge) applyPushTx(tx *store.Tx, a *after, p decodedPush) error {
	if p.err != nil {
		return tx.MarkInboxFailed(p.item.ID, p.err.Error())
	}
	switch {
	case p.ch.Code == "":
	case claimOnly(p):
		if err := b.claim(tx, a, p); err != nil {
			return err
		}
	default:
		err := b.applyChangeTx(tx, a, p.ch, nil)
		if errors.Is(err, store.ErrCodeTaken) {
			// Never applicable: kept for diagnosis, like an unreadable item.
			return tx.MarkInboxFailed(p.item.ID, err.Error())
		}
		if err != nil {
			return err
		}
	}
	return tx.MarkInboxDone(p.item.ID)
}

// logPush logs what a push carried that needs a note.
func (b *Bridge) logPush(p decodedPush) {
	if p.err != nil {
		b.log.Warn("push kept in inbox but not applied", "inbox_id", p.item.ID, "kind", p.item.Kind, "err", p.err)
		return
	}
	for k, v := range p.ch.Unknown {
		b.log.Warn("unknown platform value stored raw", "order", p.ch.Code, "field", k, "value", v)
	}
}
