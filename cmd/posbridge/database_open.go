package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// errNoDatabase is returned by openExistingDatabase when the daemon has not
// created the database yet.
var errNoDatabase = errors.New("no database yet")

// openExistingDatabase opens the daemon's database for reading without
// migrating it and without creating it (backup and doctor must not leave an
// empty database behind in a mistyped data_dir).
func openExistingDatabase(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	path := databaseFile(cfg)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s does not exist (posbridge has not run with data_dir %s; check data_dir in %s)",
			errNoDatabase, path, cfg.DataDir, cfg.File)
	} else if err != nil {
		return nil, fmt.Errorf("database %s: %w (check that this account may read the data directory)", path, err)
	}
	db, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return db, nil
}
