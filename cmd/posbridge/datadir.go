package main

import (
	"path/filepath"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/dirlock"
)

// databaseFileName is the SQLite file inside data_dir. Every command that
// opens the database (run, service, backup, doctor) takes it from here.
const databaseFileName = "posbridge.db"

func databaseFile(cfg *config.Config) string {
	return filepath.Join(cfg.DataDir, databaseFileName)
}

// lockDataDir keeps a second daemon off the same data directory. The daemon
// calls it before opening the database and release after closing it; a
// second daemon gets an error that says which process holds the directory.
func lockDataDir(dir string) (release func(), err error) {
	l, err := dirlock.Acquire(dir)
	if err != nil {
		return nil, err
	}
	return func() { _ = l.Release() }, nil
}
