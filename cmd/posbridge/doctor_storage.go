package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// databaseFix is the fix for a database or landing doctor cannot use: a
// permission problem is fixed by permissions, never by replacing a healthy
// database with a backup; a damaged file by a restore.
func databaseFix(cfg *config.Config, err error) string {
	if fix := storageFix(cfg, err); fix != "" {
		return fix
	}
	return restoreFix(cfg)
}

// checkLanding checks posbridge-landing.db, where pushes wait between their
// acknowledgement and the inbox: the daemon cannot start without it.
func checkLanding(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "push landing"}
	path := store.LandingPath(databaseFile(env.cfg))
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		row.Status, row.Result = statusOK, path+" does not exist yet (posbridge creates it)"
		return []checkRow{row}
	case err != nil:
		row.Status, row.Result, row.Fix = statusFail, err.Error(), databaseFix(env.cfg, err)
		return []checkRow{row}
	}
	if problem := serviceAccountCannotWrite(env.cfg, path, info); problem != "" {
		row.Status, row.Result, row.Fix = statusFail, problem, dataDirFix(env.cfg)
		return []checkRow{row}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		row.Status, row.Result, row.Fix = statusFail, path+": "+err.Error(), databaseFix(env.cfg, err)
		return []checkRow{row}
	}
	f.Close()
	db, err := openExistingDatabase(ctx, env.cfg)
	if errors.Is(err, errNoDatabase) {
		row.Status, row.Result = statusWarn, path+" exists without "+databaseFile(env.cfg)
		row.Fix = "if posbridge ran here before, data_dir points to the wrong folder; otherwise delete " + path
		return []checkRow{row}
	}
	if err != nil {
		row.Status, row.Result = statusSkip, "the database cannot be opened (see the database row)"
		return []checkRow{row}
	}
	defer db.Close()
	if err := db.LandingQuickCheck(ctx); err != nil {
		row.Status, row.Result = statusFail, err.Error()
		row.Fix = "stop posbridge and move " + path + " aside: pushes it still held are fetched again by polling; " +
			"posbridge makes a new one when it starts"
		return []checkRow{row}
	}
	row.Status, row.Result = statusOK, path+" passes PRAGMA quick_check"
	return []checkRow{row}
}

// checkBackups looks at the nightly copies: there must be a recent one, on
// another disk than the database if it is to survive that disk.
func checkBackups(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "backups"}
	dir := env.cfg.BackupDir()
	newest, err := newestBackup(dir)
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		row.Status, row.Result, row.Fix = statusWarn, "backup.dir "+dir+": "+err.Error(), "make backup.dir a folder posbridge can write"
		return []checkRow{row}
	case newest == "":
		row.Status, row.Result = statusWarn, "no backup in "+dir+" yet"
		row.Fix = "posbridge copies the database every night and a few minutes after it starts; `posbridge backup FILE` makes one now"
		if databaseAge(ctx, env.cfg) < 24*time.Hour {
			// A new installation: the first copy comes minutes after the start.
			row.Status, row.Fix = statusOK, ""
			row.Result += " (the first copy is made a few minutes after posbridge starts)"
		}
		return []checkRow{row}
	}
	age := time.Since(backupTime(newest))
	row.Status = statusOK
	row.Result = fmt.Sprintf("newest %s (%s old)", newest, age.Round(time.Minute))
	if age > 48*time.Hour {
		row.Status, row.Fix = statusWarn, "no backup for two days: is posbridge running at night? `posbridge backup FILE` makes one now"
	}
	if sameDisk(dir, env.cfg.DataDir) {
		// Advice, not a warning: many store PCs have one disk.
		row.Result += "; on the database's disk: set backup.dir to another disk or a USB stick to survive a disk failure"
	}
	return []checkRow{row}
}

// databaseAge is how long ago the database was made (0 when unknown or
// there is none yet).
func databaseAge(ctx context.Context, cfg *config.Config) time.Duration {
	db, err := openExistingDatabase(ctx, cfg)
	if err != nil {
		return 0
	}
	defer db.Close()
	v, err := db.Meta(ctx, "created_at")
	ms, perr := strconv.ParseInt(v, 10, 64)
	if err != nil || perr != nil {
		return 0
	}
	return time.Since(time.UnixMilli(ms))
}
