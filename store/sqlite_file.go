package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// sqliteFile is one SQLite file: its writer (one connection, group commit)
// and its pool of readers, each with its prepared statements. The database
// and the push landing are one each.
type sqliteFile struct {
	writer    *sql.DB
	reader    *sql.DB
	writes    writeBatcher // group commit of every write (write_batch.go)
	readStmts *stmtCache
}

// openWriter opens the file's writer: WAL, synchronous=FULL (a power cut
// after a push ack must lose nothing), immediate transactions, and a single
// connection, which makes the queueing explicit and avoids SQLITE_BUSY storms.
func (f *sqliteFile) openWriter(path string, now func() time.Time) error {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	f.writer = w
	f.writes = writeBatcher{pool: w, stmts: newStmtCache(w), now: now}
	return nil
}

// openReader opens conns query-only connections that see the last commit.
func (f *sqliteFile) openReader(path string, conns int) error {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_query_only", "true")
	r, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	r.SetMaxOpenConns(conns)
	f.reader = r
	f.readStmts = newStmtCache(r)
	return nil
}

// close checkpoints the WAL and closes every statement and connection.
func (f *sqliteFile) close() error {
	f.writes.stmts.close()
	f.readStmts.close()
	var errs []error
	if f.writer != nil {
		_, _ = f.writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, f.writer.Close())
	}
	if f.reader != nil {
		errs = append(errs, f.reader.Close())
	}
	return errors.Join(errs...)
}

// pageCount is the file's size in pages.
func (f *sqliteFile) pageCount(ctx context.Context) (int, error) {
	var n int
	err := f.writer.QueryRowContext(ctx, "PRAGMA page_count").Scan(&n)
	return n, err
}

// setMaxPageCount caps the file's size in pages.
func (f *sqliteFile) setMaxPageCount(ctx context.Context, pages int) error {
	_, err := f.writer.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages))
	return err
}

// readQuery and readRow run a query on the reader pool, prepared once.
func (f *sqliteFile) readQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := f.readStmts.prepare(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return f.reader.QueryContext(ctx, query, args...)
}

func (f *sqliteFile) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s := f.readStmts.prepare(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return f.reader.QueryRowContext(ctx, query, args...)
}
