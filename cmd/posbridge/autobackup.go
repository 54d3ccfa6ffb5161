package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// autoBackup copies the database every night into backup.dir (an online copy paced so pushes stay fast,
// pushes still in the landing included), checks the copy, and keeps the
// newest backup.keep. A PC switched off at night gets its copy a few
// minutes after it starts, when the newest is a day old.
type autoBackup struct {
	db   *store.DB
	dir  string
	keep int
	log  *slog.Logger
	now  func() time.Time
	// at is the time of night of the copy (store time); firstDelay keeps
	// the catch-up copy out of start-up.
	at         time.Duration
	firstDelay time.Duration
}

// backupPrefix and backupExt name the automatic copies; rotation touches
// nothing else in the folder.
const (
	backupPrefix = "posbridge-"
	backupExt    = ".db"
)

func newAutoBackup(db *store.DB, cfg *config.Config, log *slog.Logger) *autoBackup {
	return &autoBackup{db: db, dir: cfg.BackupDir(), keep: cfg.Backup.Keep, log: log, now: time.Now,
		at: 3*time.Hour + 30*time.Minute, firstDelay: 5 * time.Minute}
}

// run makes the copies until ctx ends.
func (a *autoBackup) run(ctx context.Context) {
	wait := a.firstDelay
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if newest, _ := newestBackup(a.dir); newest == "" || a.now().Sub(backupTime(newest)) > 20*time.Hour {
			if _, err := a.once(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("nightly backup failed; trying again in an hour", "dir", a.dir, "err", err)
				wait = time.Hour
				continue
			}
		}
		wait = a.untilNext()
	}
}

// untilNext is the time to the next copy at a.at, store time.
func (a *autoBackup) untilNext() time.Duration {
	now := a.now().In(bridge.Shanghai)
	next := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, bridge.Shanghai).Add(a.at)
	if !next.After(now) {
		next = next.AddDate(0, 0, 1)
	}
	return next.Sub(now)
}

// once writes, checks and rotates one copy; it returns the copy's path.
func (a *autoBackup) once(ctx context.Context) (string, error) {
	if err := os.MkdirAll(a.dir, 0o750); err != nil {
		return "", fmt.Errorf("backup.dir %s: %w", a.dir, err)
	}
	dest := filepath.Join(a.dir, backupPrefix+a.now().In(bridge.Shanghai).Format("20060102-150405")+backupExt)
	tmp := dest + ".part"
	_ = os.Remove(tmp)
	if err := writeCheckedBackup(ctx, a.db, tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dest); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	info, _ := os.Stat(dest)
	a.log.Info("nightly backup written", "file", dest, "bytes", sizeOf(info))
	a.rotate()
	return dest, nil
}

func sizeOf(info os.FileInfo) int64 {
	if info == nil {
		return 0
	}
	return info.Size()
}

// rotate removes all but the newest a.keep copies.
func (a *autoBackup) rotate() {
	copies, err := listBackups(a.dir)
	if err != nil {
		a.log.Warn("backup rotation: cannot list backup.dir", "dir", a.dir, "err", err)
		return
	}
	for _, old := range copies[min(a.keep, len(copies)):] {
		if err := os.Remove(old); err != nil {
			a.log.Warn("backup rotation: old copy not removed", "file", old, "err", err)
		}
	}
}

// listBackups lists the automatic copies in dir, newest first.
func listBackups(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupExt) && !backupTime(n).IsZero() {
			out = append(out, filepath.Join(dir, n))
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// newestBackup is the newest automatic copy in dir ("" when none).
func newestBackup(dir string) (string, error) {
	copies, err := listBackups(dir)
	if err != nil || len(copies) == 0 {
		return "", err
	}
	return copies[0], nil
}

// backupTime reads when a copy was taken from its name (zero if not one).
func backupTime(path string) time.Time {
	name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), backupPrefix), backupExt)
	t, err := time.ParseInLocation("20060102-150405", name, bridge.Shanghai)
	if err != nil {
		return time.Time{}
	}
	return t
}

// writeCheckedBackup copies db to dest and checks the copy; a copy that
// fails its check is removed, so that nobody restores it later.
func writeCheckedBackup(ctx context.Context, db *store.DB, dest string) error {
	if err := db.Backup(ctx, dest); err != nil {
		return err
	}
	copyDB, err := store.Open(ctx, dest, store.Options{ReadOnly: true})
	if err == nil {
		err = errors.Join(copyDB.QuickCheck(ctx), copyDB.Close())
	}
	if err != nil {
		_ = os.Remove(dest)
		return fmt.Errorf("the copy failed its integrity check and was removed: %w (run `posbridge doctor`)", err)
	}
	return nil
}
