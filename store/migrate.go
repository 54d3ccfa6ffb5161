package store

import (
	"context"
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
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

// migrate applies every migration the database has not recorded, each in its
// own transaction together with its record and the user_version bump.
//
// Why a record and not only user_version: migrations are numbered on parallel
// branches, and a database migrated by a build that had 0014 but not yet 0013
// would, under "apply what is newer than user_version", never get 0013. The
// record also refuses a database whose migration of a number has another name
// (two different files numbered alike), which would otherwise pass silently.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return db.migrateWith(ctx, ms)
}

// migrateWith applies ms, sorted by version (tests pass their own).
func (db *DB) migrateWith(ctx context.Context, ms []migration) error {
	current, err := db.userVersion(ctx)
	if err != nil {
		return err
	}
	if len(ms) > 0 && current > ms[len(ms)-1].version {
		return &NewerSchemaError{Path: db.path, Database: current, Max: ms[len(ms)-1].version}
	}
	applied, err := db.recordedMigrations(ctx, ms, current)
	if err != nil {
		return err
	}
	known := map[int]string{}
	for _, m := range ms {
		known[m.version] = m.name
	}
	for v, name := range applied {
		if known[v] != name {
			return &UnknownMigrationError{Path: db.path, Version: v, Name: name, Known: known[v]}
		}
	}
	for _, m := range ms {
		if _, done := applied[m.version]; done {
			continue
		}
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.exec(m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, tx.Now().UTC().Format(time.RFC3339)); err != nil {
				return err
			}
			if m.version <= current {
				return nil
			}
			_, err := tx.exec(fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return err
		}
		current = max(current, m.version)
	}
	return nil
}

// recordedMigrations returns the migrations the database has applied, by
// version. A database from before the record existed is taken at its word:
// every known migration up to its user_version was applied (that was the rule
// that migrated it), and that is written down once.
func (db *DB) recordedMigrations(ctx context.Context, ms []migration, userVersion int) (map[int]string, error) {
	applied := map[int]string{}
	err := db.Write(ctx, func(tx *Tx) error {
		clear(applied)
		if _, err := tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT version, name FROM schema_migrations`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v int
			var name string
			if err := rows.Scan(&v, &name); err != nil {
				return err
			}
			applied[v] = name
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(applied) > 0 || userVersion == 0 {
			return nil
		}
		for _, m := range ms {
			if m.version > userVersion {
				break
			}
			if _, err := tx.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, '')`,
				m.version, m.name); err != nil {
				return err
			}
			applied[m.version] = m.name
		}
		return nil
	})
	return applied, err
}

// UnknownMigrationError is returned when the database records a migration this
// posbridge does not have under that number: it was migrated by another build.
type UnknownMigrationError struct {
	Path        string
	Version     int
	Name, Known string
}

func (e *UnknownMigrationError) Error() string {
	if e.Known == "" {
		return fmt.Sprintf("database %s was migrated with %s, which this posbridge does not have: "+
			"it was written by another build; install that build again (or restore a backup made by this one)",
			e.Path, e.Name)
	}
	return fmt.Sprintf("database %s was migrated with %s where this posbridge has %s: "+
		"it was written by another build; install that build again (or restore a backup made by this one)",
		e.Path, e.Name, e.Known)
}
