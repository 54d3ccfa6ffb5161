package members

import (
	"context"
	"database/sql"
	"testing"

	"github.com/posbridge/posbridge/store"
)

// tamper writes a balance behind the ledger's back, as a hand edit of the
// database file would.
func tamper(t *testing.T, db *store.DB, cardID int64) {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db.Path()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "UPDATE member_cards SET balance_fen = 999 WHERE id = ?", cardID); err != nil {
		t.Fatal(err)
	}
}
