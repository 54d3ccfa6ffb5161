package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/dirlock"
	"github.com/posbridge/posbridge/store"
)

func init() {
	register(command{
		name:    "restore",
		summary: "put a backup in place of a damaged database (the newest automatic one by default)",
		run:     func(args []string) int { return restoreCmd(context.Background(), args, os.Stdout, os.Stderr) },
	})
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("restore")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: posbridge restore [BACKUP] [--config FILE]\n\nStop posbridge first. Checks BACKUP (default: the newest copy in backup.dir), moves\n%s (and its -wal and -shm files) aside, keeping them, and puts the backup in its place.\nOrders since the backup come back when posbridge polls the platform again.\n", databaseFileName)
		fset.PrintDefaults()
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) > 1 {
		return usageError(fset, stderr, "give at most one backup file")
	}
	cfg, err := loadConfig(*cfgPath, config.LoadOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "posbridge restore: %v\n", err)
		return 1
	}
	from := ""
	if len(positional) == 1 {
		if from, err = filepath.Abs(positional[0]); err != nil {
			fmt.Fprintf(stderr, "posbridge restore: %v\n", err)
			return 1
		}
	}
	res, err := restoreDatabase(ctx, cfg, from, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "posbridge restore: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", databaseFile(cfg), res.from)
	for _, f := range res.kept {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s (for support; delete it later)\n", f)
	}
	fmt.Fprintln(stdout, "start posbridge now; today's orders since the backup come back through polling")
	return 0
}

type restored struct {
	from string
	kept []string
}

// restoreDatabase checks a backup and puts it in place of the database,
// keeping what it replaces beside it. The daemon must not run. The push
// landing stays: the pushes in it are newer than any backup, and the
// backup's inbox ends where the landing begins.
func restoreDatabase(ctx context.Context, cfg *config.Config, from string, now time.Time) (restored, error) {
	if held, pid, err := dirlock.Probe(cfg.DataDir); err == nil && held {
		return restored{}, fmt.Errorf("posbridge is running (process %d): stop it first (`posbridge service stop`, or Ctrl+C)", pid)
	}
	if from == "" {
		newest, err := newestBackup(cfg.BackupDir())
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return restored{}, fmt.Errorf("backup.dir %s: %w", cfg.BackupDir(), err)
		}
		if newest == "" {
			return restored{}, fmt.Errorf("no backup in %s: give the backup file, like `posbridge restore FILE`", cfg.BackupDir())
		}
		from = newest
	}
	check, err := store.Open(ctx, from, store.Options{ReadOnly: true})
	if err == nil {
		err = errors.Join(check.QuickCheck(ctx), check.Close())
	}
	if err != nil {
		return restored{}, fmt.Errorf("%s is not a usable backup: %w", from, err)
	}
	db := databaseFile(cfg)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return restored{}, err
	}
	tmp := db + ".restoring"
	if err := copyFileSync(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return restored{}, fmt.Errorf("copy %s: %w", from, err)
	}
	// Orders accepted before now that the copy does not know print marked
	// 补打 when they come back: they may have printed already.
	if err := store.MarkRestored(ctx, tmp, now); err != nil {
		_ = os.Remove(tmp)
		return restored{}, fmt.Errorf("mark %s restored: %w", tmp, err)
	}
	res := restored{from: from}
	stamp := now.Format("20060102-150405")
	// The -wal and -shm files belong to the damaged database: left, SQLite
	// would apply them to the restored one.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		f := db + suffix
		if _, err := os.Stat(f); err != nil {
			continue
		}
		kept := db + ".replaced-" + stamp + suffix
		if err := os.Rename(f, kept); err != nil {
			_ = os.Remove(tmp)
			return res, fmt.Errorf("move %s aside: %w", f, err)
		}
		res.kept = append(res.kept, kept)
	}
	if err := os.Rename(tmp, db); err != nil {
		return res, err
	}
	return res, nil
}

func copyFileSync(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	_, cerr := io.Copy(out, in)
	return errors.Join(cerr, out.Sync(), out.Close())
}
