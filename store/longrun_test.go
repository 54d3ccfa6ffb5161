package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
)

// plan is SQLite's query plan for query, one line per step.
func plan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.readQuery(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

// fullScan reports a step that reads a whole table without an index.
func fullScan(p, table string) bool {
	for _, l := range strings.Split(p, "\n") {
		if strings.HasPrefix(l, "SCAN "+table) && !strings.Contains(l, "USING") {
			return true
		}
	}
	return false
}

// On a database of a year (a million orders), the console's searches over
// every day and the daily prune find their rows through indexes: a scan of
// every order is seconds there.
func TestSearchAndPruneUseIndexes(t *testing.T) {
	db := openTemp(t)
	for _, q := range []string{"240001", "1003", "5678", "17961585748991240400001"} {
		clause, args := OrderFilter{Query: q}.where()
		for _, query := range []string{`SELECT COUNT(*) FROM orders` + clause,
			`SELECT code FROM orders` + clause + ` ORDER BY first_seen_at DESC, code DESC LIMIT 50`} {
			if p := plan(t, db, query, args...); fullScan(p, "orders") {
				t.Errorf("search %q scans every order:\n%s", q, p)
			}
		}
	}
	// A day's page is chosen from the index alone, its rows read after.
	for _, f := range []OrderFilter{{Day: "2026-11-22"}, {Day: "2026-11-22", Statuses: []order.Status{order.StatusCompleted}}} {
		clause, args := f.where()
		p := plan(t, db, `SELECT rowid FROM orders`+clause+` ORDER BY first_seen_at DESC, rowid DESC LIMIT 200`, args...)
		if fullScan(p, "orders") || !strings.Contains(p, "COVERING INDEX orders_day") {
			t.Errorf("the day's list (%+v) reads rows to choose its page:\n%s", f, p)
		}
	}
	for table, query := range map[string]string{
		"orders":          `SELECT code FROM orders WHERE status IN ('completed','cancelled','rejected','refunded') AND updated_at < 1 LIMIT 500`,
		"print_jobs":      `SELECT rowid FROM print_jobs WHERE state IN ('done','failed','dropped') AND updated_at < 1 LIMIT 500`,
		"outbox":          `SELECT rowid FROM outbox WHERE state IN ('done','failed','moot') AND updated_at < 1 LIMIT 500`,
		"inbox":           `SELECT rowid FROM inbox WHERE state <> 'pending' AND received_at < 1 LIMIT 500`,
		"rejected_pushes": `SELECT rowid FROM rejected_pushes WHERE received_at < 1 LIMIT 500`,
	} {
		if p := plan(t, db, query); fullScan(p, table) {
			t.Errorf("the prune of %s scans the table:\n%s", table, p)
		}
	}
}

// The code tail search finds an order by its last four digits or more, as
// before; shorter tails are pickup numbers or phone digits.
func TestSearchByCodeTail(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	code := "17961585748991240400001"
	if err := db.Write(ctx, func(tx *Tx) error {
		return tx.SaveOrder(&OrderRecord{Code: code, StoreID: "1862", Status: order.StatusNew, PickupNo: "1001", MobileLast4: "5678", Day: "2026-11-22"})
	}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"0001": 1, "400001": 1, code: 1, "1001": 1, "5678": 1, "001": 0, "9999": 0, "40000": 0} {
		if _, n, err := db.ListOrders(ctx, OrderFilter{Query: q}); err != nil || n != want {
			t.Errorf("search %q: %d orders (%v), want %d", q, n, err, want)
		}
	}
}

// Prune deletes in small transactions, whatever the number of old orders,
// and never an open one.
func TestPruneInBatches(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	old := time.Now().Add(-100 * 24 * time.Hour)
	n := 2*pruneBatch + 37
	if err := db.Seed(ctx, seedOrders(n, old)); err != nil {
		t.Fatal(err)
	}
	open := OrderRecord{Code: "open-old", Status: order.StatusAccepted, UpdatedAt: old, FirstSeenAt: old}
	if err := db.Seed(ctx, []SeedOrder{{Record: open}}); err != nil {
		t.Fatal(err)
	}
	r, err := db.Prune(ctx, time.Now().Add(-90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Orders != int64(n) || r.History != int64(2*n) || r.Jobs != int64(n) || r.Outbox != int64(n) || r.Inbox != int64(n) {
		t.Fatalf("pruned %+v, want %d orders with 2 history rows, a job, a call and a push each", r, n)
	}
	if _, err := db.GetOrder(ctx, "open-old"); err != nil {
		t.Fatalf("an open order was pruned: %v", err)
	}
}

func seedOrders(n int, at time.Time) []SeedOrder {
	out := make([]SeedOrder, n)
	for i := range out {
		code := fmt.Sprintf("seed%06d", i)
		out[i] = SeedOrder{
			Record:  OrderRecord{Code: code, StoreID: "1862", Status: order.StatusCompleted, FirstSeenAt: at, UpdatedAt: at},
			History: []History{{Code: code, At: at, To: order.StatusNew, Actor: "platform"}, {Code: code, At: at, To: order.StatusCompleted, Actor: "scanner"}},
			Jobs:    []PrintJob{{Printer: "front", OrderCode: code, Doc: "receipt", Payload: []byte("{}"), State: JobDone, CreatedAt: at, UpdatedAt: at}},
			Outbox: []OutboxRow{{TxID: NewTxID(), Kind: "status_operation", Op: "accept", Lane: code, OrderCode: code, Payload: []byte("{}"),
				State: OutboxDone, CreatedAt: at, UpdatedAt: at}},
			Inbox: []InboxItem{{Kind: "order", OrderCode: code, Body: []byte("{}"), ReceivedAt: at, State: "done"}},
		}
	}
	return out
}

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
