package store

import (
	"errors"
	"fmt"
)

// ErrTxBroken marks a savepoint SQLite could not open, release or undo: the
// transaction is unusable and the write holding it must fail.
var ErrTxBroken = errors.New("transaction broken")

// Savepoint runs fn inside a savepoint of the transaction: when fn fails,
// only its own work is undone, fn's error is returned and the transaction
// goes on. Used to apply a batch of independent steps (pushes, details) in
// one commit, where one bad step must not take the others with it. When
// SQLite itself fails, the error wraps ErrTxBroken.
func (tx *Tx) Savepoint(fn func() error) error {
	broken := func(err error) error { return fmt.Errorf("%w: %w", ErrTxBroken, classify(err)) }
	if _, err := tx.tx.ExecContext(tx.ctx, "SAVEPOINT step"); err != nil {
		return broken(err)
	}
	ferr := fn()
	if ferr == nil {
		if _, err := tx.tx.ExecContext(tx.ctx, "RELEASE step"); err != nil {
			return broken(err)
		}
		return nil
	}
	if _, err := tx.tx.ExecContext(tx.ctx, "ROLLBACK TO step"); err != nil {
		return broken(err)
	}
	if _, err := tx.tx.ExecContext(tx.ctx, "RELEASE step"); err != nil {
		return broken(err)
	}
	return classify(ferr)
}
