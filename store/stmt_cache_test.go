package store

import (
	"context"
	"fmt"
	"testing"
)

// A statement a write ran as text is prepared between transactions and
// reused from then on; the answers stay right; the cache stays bounded when
// queries are built with varying text; a closed database prepares nothing.
func TestStatementsArePreparedOnceAndBounded(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	const q = `UPDATE meta SET value = ? WHERE key = ?`
	put := func(v string) {
		t.Helper()
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.exec(`INSERT OR IGNORE INTO meta(key, value) VALUES('k', '')`); err != nil {
				return err
			}
			_, err := tx.exec(q, v, "k")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("1")
	put("2") // the committer prepared q before this transaction
	if db.writes.stmts.get(q) == nil {
		t.Fatal("a statement run twice is still not prepared")
	}
	put("3")
	if v, err := db.Meta(ctx, "k"); err != nil || v != "3" {
		t.Fatalf("through the prepared statement: %q %v", v, err)
	}
	// Readers prepare on first use.
	if v, _ := db.Meta(ctx, "k"); v != "3" || db.readStmts.get(`SELECT value FROM meta WHERE key = ?`) == nil {
		t.Fatal("the reader's query is not prepared")
	}
	// Queries whose text varies do not grow the cache without end.
	for i := range 3 * maxCachedStmts {
		err := db.Write(ctx, func(tx *Tx) error {
			_, err := tx.exec(fmt.Sprintf(`UPDATE meta SET value = '%d' WHERE key = 'k'`, i))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	db.writes.stmts.mu.Lock()
	size := len(db.writes.stmts.stmts) + len(db.writes.stmts.noted)
	db.writes.stmts.mu.Unlock()
	if size > maxCachedStmts {
		t.Fatalf("%d statements cached, bound %d", size, maxCachedStmts)
	}
	if v, _ := db.Meta(ctx, "k"); v != fmt.Sprint(3*maxCachedStmts-1) {
		t.Fatalf("last write lost: %q", v)
	}
	db.Close()
	if db.writes.stmts.get(q) != nil {
		t.Fatal("a closed database still hands out statements")
	}
}
