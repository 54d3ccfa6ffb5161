package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/posbridge/posbridge/order"
)

// A database written by an older posbridge (the binary of commit e0f4cde,
// schema 1) opens, migrates in place through every later schema and keeps
// every order, push, print job, platform call, history and audit row; what
// it held is 开个店's.
func TestFixtureOfSchema1Migrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "posbridge.db")
	loadFixture(t, path, "testdata/fixture-e0f4cde-posbridge.sql")

	before := fixtureRows(t, path)
	if n := len(before["orders"]); n != 18 {
		t.Fatalf("the fixture has %d orders, want 18", n)
	}

	db := openAt(t, path)
	defer db.Close()
	if v, err := db.userVersion(ctx); err != nil || v != SchemaVersion() || v < 5 {
		t.Fatalf("schema after open = %d (%v), want %d", v, err, SchemaVersion())
	}
	after := fixtureRows(t, path)
	for table, rows := range before {
		if len(after[table]) != len(rows) {
			t.Errorf("%s: %d rows after the upgrade, %d before", table, len(after[table]), len(rows))
		}
		for key, v := range rows {
			if after[table][key] != v {
				t.Errorf("%s %s changed: %q → %q", table, key, v, after[table][key])
			}
		}
	}
	want := map[string]int{"orders": 18, "inbox": 24, "outbox": 8, "print_jobs": 8, "order_history": 47, "audit": 7}
	for table, n := range want {
		if len(after[table]) != n {
			t.Errorf("%s: %d rows, want %d", table, len(after[table]), n)
		}
	}

	for code := range before["orders"] {
		rec, err := db.GetOrder(ctx, code)
		if err != nil {
			t.Fatalf("order %s: %v", code, err)
		}
		if rec.Source != order.SourceKaigedian {
			t.Errorf("order %s: source %q, want kaigedian", code, rec.Source)
		}
	}
	jobs, err := db.ListPrintJobs(ctx, PrintJobFilter{Limit: 100})
	if err != nil || len(jobs) != 8 {
		t.Fatalf("print jobs: %d (%v), want 8", len(jobs), err)
	}
	rows, err := db.ListOutbox(ctx, OutboxFilter{Limit: 100})
	if err != nil || len(rows) != 8 {
		t.Fatalf("outbox: %d (%v), want 8", len(rows), err)
	}
	for _, r := range rows {
		if r.Source != order.SourceKaigedian || r.Destination != "kaigedian" {
			t.Errorf("outbox %d: source %q destination %q, want kaigedian", r.ID, r.Source, r.Destination)
		}
	}
	items, err := db.ListInbox(ctx, 100)
	if err != nil || len(items) != 24 {
		t.Fatalf("inbox: %d (%v), want 24", len(items), err)
	}
	for _, it := range items {
		if it.Source != order.SourceKaigedian {
			t.Errorf("inbox %d: source %q", it.ID, it.Source)
		}
	}

	// The call still pending at the upgrade keeps its place: in the lane of
	// 开个店 and its order, ahead of a call queued after the upgrade.
	pending, err := db.ListOutbox(ctx, OutboxFilter{States: []string{OutboxPending}})
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending calls: %d (%v), want 1", len(pending), err)
	}
	old := pending[0]
	if old.Lane != "kaigedian:"+old.OrderCode {
		t.Errorf("pending call's lane %q, want kaigedian:%s", old.Lane, old.OrderCode)
	}
	err = db.Write(ctx, func(tx *Tx) error {
		_, err := tx.EnqueueOutbox(OutboxRow{Kind: "status_operation", Op: "complete", OrderCode: old.OrderCode, Payload: []byte("{}")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := db.DueOutbox(ctx, db.now().Add(1<<40), 0, 10)
	if err != nil || len(due) != 1 || due[0].ID != old.ID {
		t.Fatalf("due after the upgrade: %v (%v), want only the older call %d", due, err, old.ID)
	}
}

// loadFixture writes the SQL dump at fixture into a new database at path
// and sets the schema version the dump leaves out (1: the fixture's). A
// call still pending, as schema 1 wrote it (lane = the order code), is
// added so that its re-laning is seen.
func loadFixture(t *testing.T, path, fixture string) {
	t.Helper()
	dump, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{string(dump), `PRAGMA user_version=1`,
		`INSERT INTO outbox(tx_id, kind, op, lane, order_code, payload, state, created_at, updated_at)
		 SELECT 'fixture-pending', 'status_operation', 'made', code, code, '{"order_code":"'||code||'","status":31}', 'pending', 1, 1
		 FROM orders WHERE status = 'accepted' LIMIT 1`} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatalf("load the fixture: %v", err)
		}
	}
}

// fixtureRows reads every row of the tables the upgrade must keep, by key,
// with the columns an older posbridge wrote.
func fixtureRows(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	queries := map[string]string{
		"orders":        `SELECT code, status || '|' || platform_status || '|' || COALESCE(detail_json, '') || '|' || first_seen_at FROM orders`,
		"inbox":         `SELECT id, kind || '|' || order_code || '|' || hex(body) || '|' || state FROM inbox`,
		"outbox":        `SELECT id, tx_id || '|' || kind || '|' || op || '|' || order_code || '|' || payload || '|' || state FROM outbox`,
		"print_jobs":    `SELECT id, printer || '|' || order_code || '|' || doc || '|' || hex(payload) || '|' || state || '|' || hex(COALESCE(bytes, '')) FROM print_jobs`,
		"order_history": `SELECT id, order_code || '|' || from_status || '|' || to_status || '|' || reason FROM order_history`,
		"audit":         `SELECT id, actor || '|' || action || '|' || order_code || '|' || detail FROM audit`,
	}
	out := map[string]map[string]string{}
	for table, q := range queries {
		rows, err := conn.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = map[string]string{}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			out[table][k] = v
		}
		rows.Close()
	}
	return out
}
