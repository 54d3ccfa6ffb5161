package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// CorruptError is a database file SQLite finds damaged: PRAGMA quick_check
// reports a problem, or a query met "database disk image is malformed".
// The fix is a restore from a backup (posbridge restore).
type CorruptError struct {
	Path   string
	Detail string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("database %s is damaged (%s)", e.Path, e.Detail)
}

// IsCorrupt reports whether err says a database file is damaged.
func IsCorrupt(err error) bool {
	if err == nil {
		return false
	}
	var ce *CorruptError
	if errors.As(err, &ce) {
		return true
	}
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database disk image is malformed") || strings.Contains(msg, "file is not a database")
}

// ErrAccess marks a database file this account may not open or write: a
// matter of ownership and permissions, not of the data.
var ErrAccess = errors.New("the database file cannot be opened or written by this account")

// IsAccess reports whether err is a permission problem with a database file.
func IsAccess(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrAccess) || errors.Is(err, fs.ErrPermission) {
		return true
	}
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrPerm || se.Code == sqlite3.ErrCantOpen) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "unable to open database file") || strings.Contains(msg, "readonly database") ||
		strings.Contains(msg, "permission denied")
}

// openProblem gives an error met while opening path its kind.
func openProblem(path string, err error) error {
	switch {
	case err == nil:
		return nil
	case IsCorrupt(err):
		var ce *CorruptError
		if errors.As(err, &ce) {
			return err
		}
		return &CorruptError{Path: path, Detail: err.Error()}
	case IsAccess(err):
		return fmt.Errorf("%w: %s: %v", ErrAccess, path, err)
	}
	return err
}

// integrity runs PRAGMA quick_check on the file's writer: the whole file is
// read, so a damaged page is found at start, not by the first order that
// touches it.
func (f *sqliteFile) integrity(ctx context.Context, path string) error {
	rows, err := f.writer.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return openProblem(path, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return openProblem(path, err)
		}
		if line != "ok" {
			found = append(found, line)
		}
	}
	if err := rows.Err(); err != nil {
		return openProblem(path, err)
	}
	if len(found) > 0 {
		return &CorruptError{Path: path, Detail: "quick_check: " + strings.Join(found, "; ")}
	}
	return nil
}

// MetaRestoredAt is the meta key a restore writes into the copy it puts in
// place: orders first seen after it that were accepted before it may have
// printed already.
const MetaRestoredAt = "restored_at"

// MarkRestored records in the database file at path (not open elsewhere)
// that it was put in place by a restore at at.
func MarkRestored(ctx context.Context, path string, at time.Time) error {
	conn, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		MetaRestoredAt, strconv.FormatInt(at.UnixMilli(), 10))
	if err != nil {
		return openProblem(path, err)
	}
	_, err = conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
