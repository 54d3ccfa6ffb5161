package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"
)

// BackupRate is how fast a backup copies (bytes a second). VACUUM INTO at
// full speed (45 MB/s here) saturated the disk for six minutes on a year's
// database, and the push landing's fsync waited behind it: acks took up to a
// second. A nightly copy has time; the pushes do not.
const BackupRate = 24 << 20

// backupChunk is how much is copied between two rests, and between two
// flushes of the copy: dirty pages never pile up, so an fsync elsewhere on
// the disk never waits for more than one chunk to be written.
const backupChunk = 2 << 20

// Backup writes an online, consistent copy of the database to dest, paced
// at BackupRate.
func (db *DB) Backup(ctx context.Context, dest string) error {
	return db.BackupAt(ctx, dest, BackupRate)
}

// BackupAt is Backup at a given rate in bytes a second (0: as fast as the
// disk goes, for tests and for a copy made while the store is closed).
func (db *DB) BackupAt(ctx context.Context, dest string, rate int64) (err error) {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name", dest)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o750); err != nil {
		return err
	}
	// Pushes still in the landing go into the copy's inbox. Read before the
	// snapshot: a push moved meanwhile is then in the snapshot, never in
	// neither. The copy holds every push acknowledged before it started.
	landed, err := db.landing.landed(ctx, 0, 1<<30, false)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(dest)
		}
	}()
	if err := db.copyPaced(ctx, dest, rate); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, classify(err))
	}
	out, err := sql.Open("sqlite3", "file:"+dest+"?_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer out.Close()
	// The copy carries the source's WAL flag; a backup is one file that a
	// USB stick or a network share can hold, so it goes back to a journal.
	if _, err := out.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, classify(err))
	}
	for _, it := range landed {
		if _, err := out.ExecContext(ctx, insertInboxAs, it.rowArgs()...); err != nil {
			return fmt.Errorf("backup to %s: copy the pushes not yet moved: %w", dest, classify(err))
		}
	}
	return nil
}

// copyPaced copies the database page by page with SQLite's online backup,
// inside one read transaction on the source: the snapshot stays fixed, so
// the daemon's writes meanwhile neither restart the copy nor wait for it
// (WAL readers never block the writer).
func (db *DB) copyPaced(ctx context.Context, dest string, rate int64) error {
	src, err := sql.Open("sqlite3", "file:"+db.path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := sql.Open("sqlite3", "file:"+dest+"?_journal_mode=OFF&_synchronous=OFF")
	if err != nil {
		return err
	}
	defer dst.Close()
	srcConn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer srcConn.Close()
	dstConn, err := dst.Conn(ctx)
	if err != nil {
		return err
	}
	defer dstConn.Close()
	if _, err := srcConn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	defer srcConn.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // a read transaction
	var pages int
	if err := srcConn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&pages); err != nil {
		return err // starts the read transaction: the snapshot is taken here
	}
	flush, err := os.OpenFile(dest, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer flush.Close()
	return dstConn.Raw(func(d any) error {
		return srcConn.Raw(func(s any) error {
			dc, ok1 := d.(*sqlite3.SQLiteConn)
			sc, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("backup needs the sqlite3 driver's connections")
			}
			bk, err := dc.Backup("main", sc, "main")
			if err != nil {
				return err
			}
			err = stepPaced(ctx, bk, flush, db.pageSize(ctx), rate)
			return errors.Join(err, bk.Finish())
		})
	})
}

// stepPaced copies backupChunk at a time, flushes it, and rests so that the
// average stays at rate.
func stepPaced(ctx context.Context, bk *sqlite3.SQLiteBackup, flush *os.File, pageSize int, rate int64) error {
	if pageSize <= 0 {
		pageSize = 4096
	}
	perStep := max(backupChunk/pageSize, 1)
	start := time.Now()
	var copied int64
	for {
		done, err := bk.Step(perStep)
		if err != nil {
			var se sqlite3.Error
			if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
				if err := sleepCtx(ctx, 50*time.Millisecond); err != nil {
					return err
				}
				continue
			}
			return err
		}
		copied += int64(perStep * pageSize)
		if err := flush.Sync(); err != nil {
			return err
		}
		if done {
			return nil
		}
		if rate > 0 {
			due := start.Add(time.Duration(copied * int64(time.Second) / rate))
			if err := sleepCtx(ctx, time.Until(due)); err != nil {
				return err
			}
		} else if err := ctx.Err(); err != nil {
			return err
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// pageSize is the database's page size (the copy's steps are counted in
// pages).
func (db *DB) pageSize(ctx context.Context) int {
	var n int
	if err := db.reader.QueryRowContext(ctx, "PRAGMA page_size").Scan(&n); err != nil {
		return 4096
	}
	return n
}
