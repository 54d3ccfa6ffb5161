// Package store keeps every byte that must survive a crash: the push inbox,
// orders and their history, the outbox of platform calls, print jobs, cursors
// and the audit log, in one SQLite database (WAL, synchronous=FULL), and
// the pushes acknowledged but not yet moved into the inbox in a second file
// beside it, the landing (landing.go), whose writer does nothing else.
//
// There is one writer connection per file (SQLite allows one writer anyway; a single
// connection makes the queueing explicit and avoids SQLITE_BUSY storms) and a
// pool of readers that see the last committed state.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// DB is the posbridge database.
type DB struct {
	sqliteFile
	path string
	now  func() time.Time
	// landing holds acknowledged pushes not yet moved into the inbox (landing.go).
	landing *landing
	// integrityDeferred: the file was too large to check before starting.
	integrityDeferred bool
}

// Options tune Open.
type Options struct {
	// MaxPageCount caps the database size in pages (tests simulate a full disk
	// with it). 0 = unlimited.
	MaxPageCount int
	// Now is the clock used for timestamps; default time.Now.
	Now func() time.Time
	// ReadOnly opens without migrating (doctor, backup of a running daemon).
	ReadOnly bool
	// SkipIntegrity skips the quick_check a writable open runs (tests that
	// open and close a database many times).
	SkipIntegrity bool
}

// ErrDiskFull is returned when SQLite cannot grow the database file.
var ErrDiskFull = errors.New("database is full: free disk space on the data drive, nothing was lost")

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// Open opens (creating if needed) the database at path and migrates it forward.
// A database written by a newer posbridge is refused with a clear message.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	db := &DB{path: path, now: opt.Now}
	if db.now == nil {
		db.now = time.Now
	}
	if err := db.openWriter(path, db.now); err != nil {
		return nil, err
	}
	if err := db.openReader(path, max(4, runtime.NumCPU())); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.writer.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, openProblem(path, err))
	}
	if !opt.ReadOnly && !opt.SkipIntegrity {
		// A damaged file refuses to start, with what to do, rather than
		// answering orders with "database disk image is malformed". A large
		// file is checked after the start instead (DeferredIntegrity): a
		// year of orders takes seconds to read, and the pushes cannot wait.
		if fi, err := os.Stat(path); err == nil && fi.Size() > SyncIntegrityMaxBytes {
			db.integrityDeferred = true
		} else if err := db.integrity(ctx, path); err != nil {
			db.Close()
			return nil, err
		}
	}
	if opt.MaxPageCount > 0 {
		if err := db.setMaxPageCount(ctx, opt.MaxPageCount); err != nil {
			db.Close()
			return nil, err
		}
	}
	if !opt.ReadOnly {
		if err := db.migrate(ctx); err != nil {
			db.Close()
			return nil, openProblem(path, err)
		}
	} else if err := db.checkVersion(ctx); err != nil {
		db.Close()
		return nil, openProblem(path, err)
	}
	if err := db.openLanding(ctx, opt); err != nil {
		db.Close()
		return nil, openProblem(LandingPath(path), err)
	}
	return db, nil
}

// SyncIntegrityMaxBytes is the largest database whose quick_check runs
// before Open returns (about 0.4 s on a store PC's disk: quick_check reads
// some 1.3 GB a second).
var SyncIntegrityMaxBytes int64 = 512 << 20

// DeferredIntegrity says Open left the file's quick_check for after the
// start: the caller runs QuickCheck in the background and raises what it
// finds.
func (db *DB) DeferredIntegrity() bool { return db.integrityDeferred }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close checkpoints the WAL and closes every connection.
func (db *DB) Close() error {
	return errors.Join(db.landing.close(), db.sqliteFile.close())
}

// PageCount is the database's size in pages.
func (db *DB) PageCount(ctx context.Context) (int, error) { return db.pageCount(ctx) }

// SetMaxPageCount changes the size cap at run time (disk-full drills). The
// push landing, on the same disk, gets the same room above its own size.
func (db *DB) SetMaxPageCount(ctx context.Context, pages int) error {
	cur, err := db.pageCount(ctx)
	if err != nil {
		return err
	}
	if err := db.setMaxPageCount(ctx, pages); err != nil {
		return err
	}
	if l := db.landing; l != nil && l.writer != nil {
		lcur, err := l.pageCount(ctx)
		if err != nil {
			return err
		}
		return l.setMaxPageCount(ctx, max(1, lcur+pages-cur))
	}
	return nil
}

// Tx is a write transaction. Every write goes through one.
type Tx struct {
	tx    *sql.Tx
	ctx   context.Context
	now   time.Time
	stmts *stmtCache
}

// Now is the time the transaction started, used for every timestamp it writes.
func (tx *Tx) Now() time.Time { return tx.now }

// classify turns SQLite's full-disk errors into ErrDiskFull so that callers
// can answer a clear 500 and keep the pusher retrying.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrFull {
		return fmt.Errorf("%w (%v)", ErrDiskFull, err)
	}
	if strings.Contains(err.Error(), "database or disk is full") {
		return fmt.Errorf("%w (%v)", ErrDiskFull, err)
	}
	return err
}

// QuickCheck runs PRAGMA quick_check and returns its first problem, if any
// (a *CorruptError when the file is damaged).
func (db *DB) QuickCheck(ctx context.Context) error {
	var res string
	if err := db.reader.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return openProblem(db.path, err)
	}
	if res != "ok" {
		return &CorruptError{Path: db.path, Detail: "quick_check: " + res}
	}
	return nil
}

// LandingQuickCheck runs PRAGMA quick_check on the push landing, when there is one.
func (db *DB) LandingQuickCheck(ctx context.Context) error {
	l := db.landing
	if l == nil || l.reader == nil {
		return nil
	}
	var res string
	if err := l.reader.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return openProblem(l.path, err)
	}
	if res != "ok" {
		return &CorruptError{Path: l.path, Detail: "quick_check: " + res}
	}
	return nil
}

// ms converts a time to Unix milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts Unix milliseconds to a time; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
