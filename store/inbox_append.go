package store

import "context"

// AppendInbox commits a raw push body. It returns only after the commit is
// durable (synchronous=FULL), so the caller may then acknowledge the push.
// Concurrent pushes share commits through Write's group commit, each in its
// own savepoint: a row that cannot be written fails only its own push. A
// caller whose ctx has ended stores nothing.
func (db *DB) AppendInbox(ctx context.Context, it InboxItem) (int64, error) {
	if it.ReceivedAt.IsZero() {
		it.ReceivedAt = db.now() // the arrival, not the commit, is when it was received
	}
	var id int64
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.AppendInbox(it)
		return err
	})
	return id, err
}
