package store

import (
	"context"
	"errors"

	"github.com/posbridge/posbridge/order"
)

// AppendInbox commits a raw push body to the landing (landing.go). It
// returns only after the commit is durable (synchronous=FULL), so the caller
// may then acknowledge the push. Concurrent pushes share commits through the
// landing's group commit, each in its own savepoint: a row that cannot be
// written fails only its own push. The id returned is the push's inbox id.
// A caller whose ctx has ended stores nothing.
func (db *DB) AppendInbox(ctx context.Context, it InboxItem) (int64, error) {
	if db.landing == nil || db.landing.writer == nil {
		return 0, errors.New("store: opened read-only, pushes cannot be stored")
	}
	if it.ReceivedAt.IsZero() {
		it.ReceivedAt = db.now() // the arrival, not the commit, is when it was received
	}
	var id int64
	err := db.landing.writes.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`INSERT INTO landing(kind, order_code, body, signed, remote, received_at, source)
			VALUES(?,?,?,?,?,?,?)`, it.Kind, it.OrderCode, it.Body, it.authBits(), it.Remote, ms(it.ReceivedAt),
			string(it.Source.Or(order.SourceKaigedian)))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}
