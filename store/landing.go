package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The landing is where a push is committed before it is acknowledged
// (invariant 1): a SQLite file of its own next to the database
// (posbridge-landing.db), holding only pushes not yet moved into the inbox.
//
// Why a file of its own: SQLite has one writer per file. With pushes in the
// main database, a push's acknowledgement waited for whatever order work was
// being committed at that moment (details, accepts, print jobs), and under a
// burst that wait dominated the answer time the platform sees, and with it
// how fast the platform could deliver. The landing's writer does nothing but
// pushes, so an acknowledgement waits only for other pushes' fsync.
//
// Landed rows carry their final inbox id: the landing's AUTOINCREMENT
// sequence is kept ahead of the inbox's at every open, so ids never collide,
// and moving a row (MoveLanded) inserts it into the inbox under the same id
// with INSERT OR IGNORE before deleting it from the landing. A crash between
// the two leaves a row in both; the next move ignores the copy and deletes it.
type landing struct {
	sqliteFile // no writer when opened read-only
	path       string

	// Moved pushes are cleared from the landing now and then, not after
	// every move: each clear is a commit on the writer the pushes use.
	moveMu       sync.Mutex
	movedThrough int64     // highest id moved since this process opened the landing
	uncleared    int       // moved and still in the landing
	clearedAt    time.Time // last clear
}

// A clear runs when this many moved pushes wait in the landing, or when the
// last one is this old.
const (
	clearEvery    = 1000
	clearInterval = time.Second
)

const landingSchema = `CREATE TABLE IF NOT EXISTS landing (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    order_code   TEXT    NOT NULL DEFAULT '',
    body         BLOB    NOT NULL,
    signed       INTEGER NOT NULL DEFAULT 0,
    remote       TEXT    NOT NULL DEFAULT '',
    received_at  INTEGER NOT NULL,
    source       TEXT    NOT NULL DEFAULT 'kaigedian'
)`

// moveBatch is how many landed pushes one move carries into the inbox.
const moveBatch = 500

// LandingPath is the landing file that goes with the database at dbPath.
func LandingPath(dbPath string) string {
	ext := filepath.Ext(dbPath)
	return strings.TrimSuffix(dbPath, ext) + "-landing" + ext
}

// openLanding opens (creating) the landing of db and moves its sequence past
// the inbox's highest id. Read-only: opened only if it exists, for reading.
func (db *DB) openLanding(ctx context.Context, opt Options) error {
	l := &landing{path: LandingPath(db.path)}
	db.landing = l
	if opt.ReadOnly {
		if _, err := os.Stat(l.path); err != nil {
			return nil // nothing landed, or a database without a landing yet
		}
	} else {
		if err := l.openWriter(l.path, db.now); err != nil {
			return err
		}
		if _, err := l.writer.ExecContext(ctx, landingSchema); err != nil {
			return fmt.Errorf("open the push landing %s: %w", l.path, openProblem(l.path, err))
		}
		if err := l.addSourceColumn(ctx); err != nil {
			return fmt.Errorf("open the push landing %s: %w", l.path, openProblem(l.path, err))
		}
		if !opt.SkipIntegrity {
			if err := l.integrity(ctx, l.path); err != nil {
				return err
			}
		}
		if err := l.keepAhead(ctx, db); err != nil {
			return err
		}
	}
	return l.openReader(l.path, 2)
}

// keepAhead moves the landing's id sequence to at least the inbox's highest
// id, so that a landed push never takes an id the inbox already has (a new
// landing next to an old database, or a landing file deleted by hand), and
// clears what was moved.
func (l *landing) keepAhead(ctx context.Context, db *DB) error {
	// The inbox's own sequence too: ids pruned away are not given again.
	var inboxMax int64
	if err := db.writer.QueryRowContext(ctx, `SELECT MAX(COALESCE((SELECT MAX(id) FROM inbox), 0),
		COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'inbox'), 0))`).Scan(&inboxMax); err != nil {
		return err
	}
	var seq sql.NullInt64
	err := l.writer.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'landing'`).Scan(&seq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = l.writer.ExecContext(ctx, `INSERT INTO sqlite_sequence(name, seq) VALUES('landing', ?)`, inboxMax)
	case err == nil && seq.Int64 < inboxMax:
		_, err = l.writer.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = ? WHERE name = 'landing'`, inboxMax)
	}
	if err != nil {
		return fmt.Errorf("push landing: keep ids ahead of the inbox: %w", err)
	}
	// Pushes the inbox already has (moved before a stop, not yet cleared)
	// go now: moves run in id order, so every id up to the inbox's highest
	// was moved, even if the inbox has pruned it since.
	if _, err := l.writer.ExecContext(ctx, `DELETE FROM landing WHERE id <= ?`, inboxMax); err != nil {
		return fmt.Errorf("push landing: clear moved pushes: %w", err)
	}
	return nil
}

func (l *landing) close() error {
	if l == nil {
		return nil
	}
	if l.writer != nil {
		l.moveMu.Lock()
		_ = l.clearMoved(context.Background(), true) // else the next open clears them
		l.moveMu.Unlock()
	}
	return l.sqliteFile.close()
}

// landed reads up to limit landed pushes, oldest first (newest first when
// newest), with an id above after.
func (l *landing) landed(ctx context.Context, after int64, limit int, newest bool) ([]InboxItem, error) {
	if l == nil || l.reader == nil {
		return nil, nil
	}
	order := "ASC"
	if newest {
		order = "DESC"
	}
	// Shaped as inbox rows: pending, never tried.
	rows, err := l.readQuery(ctx, `SELECT id, kind, order_code, body, signed, remote, received_at, 0, 'pending', '', 0, source
		FROM landing WHERE id > ? ORDER BY id `+order+` LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read the push landing: %w", err)
	}
	return scanInbox(rows)
}

// count is how many landed pushes have an id above after.
func (l *landing) count(ctx context.Context, after int64) (int, error) {
	if l == nil || l.reader == nil {
		return 0, nil
	}
	var n int
	err := l.readRow(ctx, `SELECT COUNT(*) FROM landing WHERE id > ?`, after).Scan(&n)
	return n, err
}

// MoveLanded carries landed pushes into the inbox, oldest first, and returns
// how many it moved. The inbox loop calls it before reading what is pending
// (at least once a second), which also clears moved pushes from the landing.
func (db *DB) MoveLanded(ctx context.Context) (int, error) {
	l := db.landing
	if l == nil || l.writer == nil {
		return 0, nil
	}
	l.moveMu.Lock()
	defer l.moveMu.Unlock()
	moved := 0
	for {
		items, err := l.landed(ctx, l.movedThrough, moveBatch, false)
		if err != nil {
			return moved, err
		}
		if len(items) > 0 {
			err = db.Write(ctx, func(tx *Tx) error {
				for _, it := range items {
					if _, err := tx.exec(insertInboxAs, it.rowArgs()...); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return moved, fmt.Errorf("move landed pushes into the inbox: %w", err)
			}
			l.movedThrough = items[len(items)-1].ID
			l.uncleared += len(items)
			moved += len(items)
		}
		if err := l.clearMoved(ctx, false); err != nil {
			// In the inbox already: the next clear removes them.
			return moved, err
		}
		if len(items) < moveBatch {
			return moved, nil
		}
	}
}

// clearMoved deletes moved pushes from the landing when enough wait or the
// last clear is old enough (now, when force). Caller holds moveMu.
func (l *landing) clearMoved(ctx context.Context, force bool) error {
	if l.uncleared == 0 || !force && l.uncleared < clearEvery && time.Since(l.clearedAt) < clearInterval {
		return nil
	}
	through := l.movedThrough
	err := l.writes.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`DELETE FROM landing WHERE id <= ?`, through)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear moved pushes from the landing: %w", err)
	}
	l.uncleared, l.clearedAt = 0, time.Now()
	return nil
}

// addSourceColumn gives a landing made before sources existed (schema 4
// and older) its source column; what landed there is 开个店's.
func (l *landing) addSourceColumn(ctx context.Context) error {
	var n int
	err := l.writer.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('landing') WHERE name = 'source'`).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	_, err = l.writer.ExecContext(ctx, `ALTER TABLE landing ADD COLUMN source TEXT NOT NULL DEFAULT 'kaigedian'`)
	return err
}
