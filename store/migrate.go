package store

import (
	"context"
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered SQL file, applied once, in order.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", e.Name())
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", e.Name(), err)
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// NewerSchemaError is returned when the database was written by a newer posbridge.
type NewerSchemaError struct {
	Path          string
	Database, Max int
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("database %s has schema version %d but this posbridge knows only up to %d: "+
		"it was written by a newer posbridge; install that version again (or restore a backup made by this one)",
		e.Path, e.Database, e.Max)
}

func (db *DB) userVersion(ctx context.Context) (int, error) {
	var v int
	err := db.writer.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func (db *DB) checkVersion(ctx context.Context) error {
	v, err := db.userVersion(ctx)
	if err != nil {
		return err
	}
	if maxV := SchemaVersion(); v > maxV {
		return &NewerSchemaError{Path: db.path, Database: v, Max: maxV}
	}
	return nil
}

// migrate applies every migration newer than the database, each in its own
// transaction together with the user_version bump.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if err := db.checkVersion(ctx); err != nil {
		return err
	}
	current, err := db.userVersion(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.exec(m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err := tx.exec(fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
