package main

// TEMPORARY PLACEHOLDER for the lead's runDaemon (cmd/posbridge/daemon.go).
// Delete this file when merging the branch that brings daemon.go. It does
// what the service and Wine checks rely on: takes the data-directory lock,
// opens (and migrates) the database, waits for ctx, closes everything.

import (
	"context"
	"log/slog"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

func runDaemon(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	release, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer release()
	db, err := store.Open(ctx, databaseFile(cfg), store.Options{})
	if err != nil {
		return err
	}
	log.Info("daemon placeholder running", "database", db.Path())
	<-ctx.Done()
	return db.Close()
}
