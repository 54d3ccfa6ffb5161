package store

import (
	"context"
	"sync"
	"sync/atomic"
)

// maxInboxBatch bounds one group commit, so that a flood of pushes never
// holds the single writer for long against the bridge's own writes.
const maxInboxBatch = 256

// inboxBatcher is the group commit of pushes: pushes that arrive while a
// commit is on its way to disk wait together and share the next commit (one
// fsync), instead of queueing for one fsync each. Every caller still returns
// only after the transaction holding its row is durable.
type inboxBatcher struct {
	mu      sync.Mutex
	queue   []*inboxRequest
	running bool

	commits atomic.Int64 // transactions that committed inbox rows (InboxCommits)
}

type inboxRequest struct {
	item InboxItem
	id   int64
	err  error
	done chan struct{}
}

// AppendInbox commits a raw push body. It returns only after the commit is
// durable (synchronous=FULL), so the caller may then acknowledge the push.
// Concurrent calls share one transaction. A caller whose ctx ends first gets
// ctx's error although its row may still be committed: the pusher then
// retries, and a duplicate push is harmless.
func (db *DB) AppendInbox(ctx context.Context, it InboxItem) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err // gone already: do not store what nobody will acknowledge
	}
	if it.ReceivedAt.IsZero() {
		it.ReceivedAt = db.now() // the arrival, not the commit, is when it was received
	}
	req := &inboxRequest{item: it, done: make(chan struct{})}
	b := &db.inbox
	b.mu.Lock()
	b.queue = append(b.queue, req)
	start := !b.running
	b.running = true
	b.mu.Unlock()
	if start {
		go db.commitInbox()
	}
	select {
	case <-req.done:
		return req.id, req.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// InboxCommits is how many transactions have committed pushes so far (fewer
// than the pushes when group commit works).
func (db *DB) InboxCommits() int64 { return db.inbox.commits.Load() }

// commitInbox drains the queue, one transaction per batch, until it is empty.
func (db *DB) commitInbox() {
	b := &db.inbox
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxInboxBatch)
		if n == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		batch := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		db.commitInboxBatch(batch)
	}
}

// commitInboxBatch writes a batch in one transaction. If it fails, each row
// is tried on its own, so that one row that cannot be written fails only its
// own push. The transaction uses no caller's ctx: one pusher hanging up must
// not roll back the others' rows.
func (db *DB) commitInboxBatch(batch []*inboxRequest) {
	defer func() {
		for _, r := range batch {
			close(r.done)
		}
	}()
	ctx := context.Background()
	ids := make([]int64, len(batch))
	err := db.Write(ctx, func(tx *Tx) error {
		for i, r := range batch {
			id, err := tx.AppendInbox(r.item)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	if err == nil {
		db.inbox.commits.Add(1)
		for i, r := range batch {
			r.id = ids[i]
		}
		return
	}
	if len(batch) == 1 {
		batch[0].err = err
		return
	}
	for _, r := range batch {
		r.err = db.Write(ctx, func(tx *Tx) error {
			var err error
			r.id, err = tx.AppendInbox(r.item)
			return err
		})
		if r.err == nil {
			db.inbox.commits.Add(1)
		}
	}
}
