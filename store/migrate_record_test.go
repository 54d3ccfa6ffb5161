package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// Every migration of a new database is recorded under its file name.
func TestMigrationsAreRecorded(t *testing.T) {
	db := openTest(t)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	got := recorded(t, db)
	if len(got) != len(ms) {
		t.Fatalf("%d migrations recorded, %d known", len(got), len(ms))
	}
	for _, m := range ms {
		if got[m.version] != m.name {
			t.Errorf("version %d recorded as %q, want %q", m.version, got[m.version], m.name)
		}
	}
}

// The hazard of parallel branches: a database migrated by a build that had
// 9003 but not 9002 gets 9002 from the build that has both, although its
// user_version is already past it; user_version stays at the newest.
func TestMigrationMissedByAnotherBuildIsApplied(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	a := migration{version: 9001, name: "9001_a.sql", sql: `CREATE TABLE t9001 (x INTEGER)`}
	b := migration{version: 9002, name: "9002_b.sql", sql: `CREATE TABLE t9002 (x INTEGER)`}
	c := migration{version: 9003, name: "9003_c.sql", sql: `CREATE TABLE t9003 (x INTEGER)`}
	if err := db.migrateWith(ctx, append(ms[:len(ms):len(ms)], a, c)); err != nil {
		t.Fatal(err)
	}
	if err := db.migrateWith(ctx, append(ms[:len(ms):len(ms)], a, b, c)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.ExecContext(ctx, `INSERT INTO t9002 (x) VALUES (1)`); err != nil {
		t.Fatalf("9002 was not applied: %v", err)
	}
	if v, _ := db.userVersion(ctx); v != 9003 {
		t.Errorf("user_version = %d, want 9003", v)
	}
	if recorded(t, db)[9002] != "9002_b.sql" {
		t.Error("9002 not recorded")
	}
	// Running again applies nothing twice (CREATE TABLE would fail).
	if err := db.migrateWith(ctx, append(ms[:len(ms):len(ms)], a, b, c)); err != nil {
		t.Fatal(err)
	}
}

// Two different files under one number are refused, naming both.
func TestMigrationOfAnotherNameIsRefused(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ms, _ := migrations()
	a := migration{version: 9001, name: "9001_wxsync.sql", sql: `CREATE TABLE t9001 (x INTEGER)`}
	if err := db.migrateWith(ctx, append(ms[:len(ms):len(ms)], a)); err != nil {
		t.Fatal(err)
	}
	other := migration{version: 9001, name: "9001_members.sql", sql: `CREATE TABLE m9001 (x INTEGER)`}
	err := db.migrateWith(ctx, append(ms[:len(ms):len(ms)], other))
	var um *UnknownMigrationError
	if !errors.As(err, &um) || um.Name != "9001_wxsync.sql" || um.Known != "9001_members.sql" {
		t.Fatalf("err = %v, want UnknownMigrationError naming both files", err)
	}
}

// A database from before the record (user_version only) is taken at its
// word: nothing is applied again, and the record is written once.
func TestDatabaseFromBeforeTheRecordIsBackfilled(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "posbridge.db")
	db := openAt(t, path)
	if _, err := db.writer.ExecContext(ctx, `DROP TABLE schema_migrations`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openAt(t, path) // would fail on CREATE TABLE if it re-applied 0001
	defer db.Close()
	ms, _ := migrations()
	if got := recorded(t, db); len(got) != len(ms) {
		t.Fatalf("%d recorded after the backfill, want %d", len(got), len(ms))
	}
}

func recorded(t *testing.T, db *DB) map[int]string {
	t.Helper()
	rows, err := db.writer.Query(`SELECT version, name FROM schema_migrations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var v int
		var n string
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		out[v] = n
	}
	return out
}
