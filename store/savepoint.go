package store

import (
	"context"
	"database/sql"
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
	_, ferr, cmdErr := inSavepoint(tx.ctx, tx.tx, "step", fn)
	if cmdErr != nil {
		return fmt.Errorf("%w: %w", ErrTxBroken, classify(cmdErr))
	}
	return classify(ferr)
}

// inSavepoint runs fn inside SAVEPOINT name of sqlTx, released when fn
// succeeds and rolled back to when it fails. begun reports whether the
// savepoint was opened (fn ran only then); cmdErr is a savepoint command's
// failure, after which the transaction is unusable. Group commit (one per
// writer) and Savepoint (one per step of a writer) both stand on it.
func inSavepoint(ctx context.Context, sqlTx *sql.Tx, name string, fn func() error) (begun bool, fnErr, cmdErr error) {
	if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return false, nil, err
	}
	if fnErr = fn(); fnErr == nil {
		_, cmdErr = sqlTx.ExecContext(ctx, "RELEASE "+name)
		return true, nil, cmdErr
	}
	if _, cmdErr = sqlTx.ExecContext(ctx, "ROLLBACK TO "+name); cmdErr == nil {
		_, cmdErr = sqlTx.ExecContext(ctx, "RELEASE "+name)
	}
	return true, fnErr, cmdErr
}
