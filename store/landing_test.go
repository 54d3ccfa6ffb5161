package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A push is stored and acknowledged while the database's writer is busy
// with order work: the landing has a writer of its own.
func TestPushLandsWhileOrderWorkHoldsTheWriter(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Write(ctx, func(tx *Tx) error {
			close(holding)
			<-release
			return tx.SetMeta("k", "v")
		})
	}()
	<-holding
	stored := make(chan error, 1)
	go func() {
		_, err := db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: "P1", Body: []byte(`{"orderCode":"P1"}`)})
		stored <- err
	}()
	select {
	case err := <-stored:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("the push waited for the order work's transaction")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	items, err := db.PendingInbox(ctx, 10)
	if err != nil || len(items) != 1 || items[0].OrderCode != "P1" {
		t.Fatalf("pending after the move: %+v %v", items, err)
	}
}

// Landed pushes keep their ids into the inbox, in order; a move repeated
// after a crash between its two steps adds nothing twice; a landing file
// lost by hand starts its ids after the inbox's, so none collide.
func TestLandedPushesMoveOnceUnderTheirIds(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "posbridge.db")
	db := openAt(t, path)
	var ids []int64
	for _, c := range []string{"A", "B", "C"} {
		id, err := db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: c, Body: []byte(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if list, _ := db.ListInbox(ctx, 10); len(list) != 3 || list[0].OrderCode != "C" || list[0].State != "pending" {
		t.Fatalf("landed pushes not listed: %+v", list)
	}
	if st, _ := db.InboxStats(ctx); st["pending"] != 3 {
		t.Fatalf("landed pushes not counted: %v", st)
	}
	// A crash after the inbox commit, before the landing was cleared: the
	// rows are in both files.
	landed, err := db.landing.landed(ctx, 0, 10, false)
	if err != nil || len(landed) != 3 {
		t.Fatal(landed, err)
	}
	if err := db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO inbox(id, kind, order_code, body, received_at) VALUES(?, 'order', 'A', '{}', 0)`, ids[0])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *Tx) error { return tx.MarkInboxDone(ids[0]) }); err != nil {
		t.Fatal(err)
	}
	items, err := db.PendingInbox(ctx, 10)
	if err != nil || len(items) != 2 || items[0].ID != ids[1] || items[1].ID != ids[2] {
		t.Fatalf("after the repeated move: %+v %v (the applied push must not come back)", items, err)
	}
	if left, _ := db.landing.landed(ctx, 0, 10, false); len(left) != 0 {
		t.Fatalf("%d pushes left in the landing", len(left))
	}
	// Right after a clear, a moved push stays in the landing for a while:
	// listed once, pending once, moved once.
	e, err := db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: "E", Body: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	if items, _ := db.PendingInbox(ctx, 10); len(items) != 3 || items[2].ID != e {
		t.Fatalf("pending with E: %+v", items)
	}
	if left, _ := db.landing.landed(ctx, 0, 10, false); len(left) != 1 {
		t.Fatalf("the moved push was cleared at once (%d left): clears are meant to be spaced", len(left))
	}
	if list, _ := db.ListInbox(ctx, 10); len(list) != 4 || list[0].ID != e || list[1].ID == e {
		t.Fatalf("inbox listing with E in both files: %+v", list)
	}
	if st, _ := db.InboxStats(ctx); st["pending"] != 3 {
		t.Fatalf("counted twice: %v", st)
	}
	if items, _ := db.PendingInbox(ctx, 10); len(items) != 3 {
		t.Fatalf("moved twice: %+v", items)
	}
	db.Close()
	if n := landedRows(t, path); n != 0 {
		t.Fatalf("%d moved pushes left in the landing after a stop", n)
	}
	// A crash left a moved push in the landing: the next open drops it,
	// and it is not applied again even though it was long done.
	conn, err := sql.Open("sqlite3", "file:"+LandingPath(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`INSERT INTO landing(id, kind, order_code, body, received_at) VALUES(?, 'order', 'A', '{}', 0)`, ids[0]); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	db = openAt(t, path)
	if n, _ := db.landing.landed(ctx, 0, 10, false); len(n) != 0 {
		t.Fatalf("a moved push survived the open: %+v", n)
	}
	db.Close()

	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(LandingPath(path) + suffix)
	}
	db = openAt(t, path)
	defer db.Close()
	id, err := db.AppendInbox(ctx, InboxItem{Kind: "order", OrderCode: "D", Body: []byte(`{}`)})
	if err != nil || id <= ids[2] {
		t.Fatalf("a new landing reused inbox ids: %d after %d (%v)", id, ids[2], err)
	}
	items, _ = db.PendingInbox(ctx, 10)
	if len(items) != 4 || items[3].OrderCode != "D" {
		t.Fatalf("pending: %+v", items)
	}
}

// landedRows counts the rows of a closed database's landing file.
func landedRows(t *testing.T, dbPath string) int {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+LandingPath(dbPath))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM landing`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
