package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/posbridge/posbridge/config"
)

func init() {
	register(command{
		name:    "backup",
		summary: "copy the database to FILE while posbridge keeps running",
		run:     func(args []string) int { return backupCmd(context.Background(), args, os.Stdout, os.Stderr) },
	})
}

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("backup")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: posbridge backup FILE [--config FILE]\n\nCopies the database to FILE (a new file) while posbridge keeps running, then checks the copy.\nRestore: stop posbridge, run `posbridge restore FILE`, start posbridge.\n")
		fset.PrintDefaults()
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) != 1 {
		return usageError(fset, stderr, "give the backup FILE to write, like posbridge-%s.db", time.Now().Format("20060102"))
	}
	dest, err := filepath.Abs(positional[0])
	if err != nil {
		fmt.Fprintf(stderr, "posbridge backup: %v\n", err)
		return 1
	}
	cfg, err := loadConfig(*cfgPath, config.LoadOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "posbridge backup: %v\n", err)
		return 1
	}
	if err := backupDatabase(ctx, cfg, dest); err != nil {
		fmt.Fprintf(stderr, "posbridge backup: %v\n", err)
		return 1
	}
	info, err := os.Stat(dest)
	if err != nil {
		fmt.Fprintf(stderr, "posbridge backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "backup written to %s (%.1f MB, integrity checked)\n", dest, float64(info.Size())/(1<<20))
	return 0
}

// backupDatabase copies the database online and checks the copy; a copy
// that fails the check is removed so that nobody restores it later.
func backupDatabase(ctx context.Context, cfg *config.Config, dest string) error {
	db, err := openExistingDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return writeCheckedBackup(ctx, db, dest)
}
