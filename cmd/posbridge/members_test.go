package main

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/store"
)

// `posbridge members check` passes a ledger that adds up and names the card
// whose balance was changed behind its back.
func TestMembersCheck(t *testing.T) {
	s := newStoreSetup(t)
	db := s.openDaemonDB(t)
	ctx := context.Background()
	l := members.New(db, members.DefaultConfig())
	card, err := l.Issue(ctx, 1, "880012", "2468", 5000, "staff:test")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := members.PayInTx(tx, card.ID, 1250, "O1", "customer:c1")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	run := func() (int, string) {
		var out, errOut bytes.Buffer
		code := membersCmd(ctx, []string{"check", "--config", s.config}, &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, out := run(); code != 0 || !strings.Contains(out, "1 member cards checked") {
		t.Fatalf("a ledger that adds up: exit %d: %s", code, out)
	}
	conn, err := sql.Open("sqlite3", "file:"+s.dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("UPDATE member_cards SET balance_fen = balance_fen + 100000"); err != nil {
		t.Fatal(err)
	}
	if code, out := run(); code != 1 || !strings.Contains(out, "880012") || !strings.Contains(out, "103750") {
		t.Fatalf("a balance changed behind the ledger: exit %d: %s", code, out)
	}
}
