package main

import (
	"fmt"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// withStartupFix adds to a start-up refusal what doctor would say to do:
// the daemon's own error reaches the journal or the terminal, and whoever
// reads it must not need a second tool to know the next step.
func withStartupFix(cfg *config.Config, err error) error {
	if fix := storageFix(cfg, err); fix != "" {
		return fmt.Errorf("%w\nFIX: %s", err, fix)
	}
	return err
}

// storageFix is the fix of a database or landing that cannot be used: a
// permission problem is fixed by permissions (the data is fine), damage by
// a restore.
func storageFix(cfg *config.Config, err error) string {
	switch {
	case store.IsCorrupt(err):
		return restoreFix(cfg)
	case store.IsAccess(err):
		return dataDirFix(cfg)
	}
	return ""
}

// restoreFix says how to replace a damaged database.
func restoreFix(cfg *config.Config) string {
	return fmt.Sprintf("stop posbridge, run `posbridge restore` (it keeps the damaged file, and puts the newest backup from %s in its place; "+
		"`posbridge restore FILE` takes another backup), then start posbridge; without any backup, move %s aside and start "+
		"posbridge: it begins with an empty database and fetches today's orders again", cfg.BackupDir(), databaseFile(cfg))
}
