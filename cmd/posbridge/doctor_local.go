package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

func checkConfig(_ context.Context, env *doctorEnv) []checkRow {
	if env.cfgErr != nil {
		fix := "fix the file at the line the message names; `posbridge config check` shows every problem"
		if errors.Is(env.cfgErr, config.ErrNotFound) {
			fix = "create the config: `posbridge config init " + config.DefaultConfigPath() + "`, edit it, or pass --config FILE"
		}
		return []checkRow{{Check: "config", Status: statusFail, Result: env.cfgErr.Error(), Fix: fix}}
	}
	cfg := env.cfg
	var rows []checkRow
	problems := cfg.Validate()
	for _, p := range problems {
		r := checkRow{Check: "config", Status: statusFail, Result: p.String(),
			Fix: "edit " + p.Key + " in " + cfg.File + " as the message says; check with `posbridge config check`"}
		if p.Key == "config file" {
			r.Fix = "change the file's permissions as the message says"
		}
		if p.Warning {
			r.Status = statusWarn
		}
		rows = append(rows, r)
	}
	if len(config.Errors(problems)) == 0 {
		rows = append([]checkRow{{Check: "config", Status: statusOK,
			Result: fmt.Sprintf("%s (mode %s, %d store(s), %d printer(s))", cfg.File, cfg.Platform.Mode, len(cfg.Stores), len(cfg.Printers))}}, rows...)
	}
	return rows
}

// checkDataDir writes, syncs and removes a file in data_dir, as the daemon
// must; as root on Linux it also checks the service account owns the folder.
func checkDataDir(_ context.Context, env *doctorEnv) []checkRow {
	dir := env.cfg.DataDir
	row := checkRow{Check: "data directory"}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		row.Status, row.Result = statusWarn, dir+" does not exist yet"
		row.Fix = "posbridge creates it when it first starts; if it has started before, data_dir points to the wrong folder"
		return []checkRow{row}
	case err != nil:
		row.Status, row.Result, row.Fix = statusFail, err.Error(), dataDirFix(env.cfg)
		return []checkRow{row}
	case !info.IsDir():
		row.Status, row.Result = statusFail, dir+" is a file, not a folder"
		row.Fix = "set data_dir to a folder, like " + config.DefaultDataDir()
		return []checkRow{row}
	}
	if err := tryWrite(dir); err != nil {
		row.Status, row.Result, row.Fix = statusFail, "cannot write to "+dir+": "+err.Error(), dataDirFix(env.cfg)
		return []checkRow{row}
	}
	if problem := serviceAccountCannotWrite(env.cfg, dir, info); problem != "" {
		row.Status, row.Result, row.Fix = statusFail, problem, dataDirFix(env.cfg)
		return []checkRow{row}
	}
	row.Status, row.Result = statusOK, dir+" is writable"
	return []checkRow{row}
}

func tryWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, werr := f.WriteString("posbridge doctor\n")
	return errors.Join(werr, f.Sync(), f.Close())
}

func dataDirFix(cfg *config.Config) string {
	if runtime.GOOS == "windows" {
		return "give the service account (LocalSystem, or service.account) Modify rights on " + cfg.DataDir + ", or set data_dir to a folder under C:\\ProgramData\\posbridge"
	}
	return fmt.Sprintf("sudo chown -R %[1]s:%[1]s %[2]s && sudo chmod 750 %[2]s", linuxServiceAccount(cfg), cfg.DataDir)
}

func linuxServiceAccount(cfg *config.Config) string {
	if cfg.Service.Account != "" {
		return cfg.Service.Account
	}
	return linuxServiceUser
}

const (
	newerDBFix   = "install the newer posbridge again (it wrote this database), or restore a backup made with this version"
	noDBFixHint  = "posbridge creates it when it first starts; if it has run before, data_dir points to the wrong folder"
	lowDiskWarnM = 500
	lowDiskFailM = 100
)

func checkDatabase(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "database"}
	path := databaseFile(env.cfg)
	db, err := openExistingDatabase(ctx, env.cfg)
	var newer *store.NewerSchemaError
	switch {
	case errors.Is(err, errNoDatabase):
		row.Status, row.Result, row.Fix = statusWarn, path+" does not exist yet", noDBFixHint
		return []checkRow{row}
	case errors.As(err, &newer):
		row.Status, row.Result, row.Fix = statusFail, err.Error(), newerDBFix
		return []checkRow{row}
	case err != nil:
		row.Status, row.Result, row.Fix = statusFail, path+": "+err.Error(), databaseFix(env.cfg, err)
		return []checkRow{row}
	}
	defer db.Close()
	if err := db.QuickCheck(ctx); err != nil {
		row.Status, row.Result, row.Fix = statusFail, path+": "+err.Error(), databaseFix(env.cfg, err)
		return []checkRow{row}
	}
	size := int64(0)
	if info, err := os.Stat(path); err == nil {
		size = info.Size()
	}
	row.Status = statusOK
	row.Result = fmt.Sprintf("%s passes PRAGMA quick_check (%.1f MB)", path, float64(size)/(1<<20))
	return []checkRow{row}
}

func checkFreeDisk(_ context.Context, env *doctorEnv) []checkRow {
	dir := existingParent(env.cfg.DataDir)
	free, err := freeDiskBytes(dir)
	if err != nil {
		return []checkRow{{Check: "free disk", Status: statusWarn, Result: "cannot read the free space of " + dir + ": " + err.Error(),
			Fix: "check the drive of data_dir by hand; posbridge needs room for its database and logs"}}
	}
	return []checkRow{diskVerdict(dir, free)}
}

func diskVerdict(dir string, free uint64) checkRow {
	row := checkRow{Check: "free disk", Status: statusOK}
	mb := free >> 20
	row.Result = fmt.Sprintf("%d MB free on the drive of %s", mb, dir)
	fix := fmt.Sprintf("free space on the drive of %s (delete old files, empty the recycle bin); posbridge needs room for its database and logs", dir)
	switch {
	case mb < lowDiskFailM:
		row.Status, row.Fix = statusFail, fix+": new orders cannot be saved when it is full"
	case mb < lowDiskWarnM:
		row.Status, row.Fix = statusWarn, fix
	}
	return row
}

// existingParent is dir or its nearest existing ancestor.
func existingParent(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}
