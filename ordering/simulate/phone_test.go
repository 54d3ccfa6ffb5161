package simulate

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/api"
	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/store"
)

// Random carts priced the way the page prices them are accepted by the
// server's create at every kind of table: the simulated customers and the
// load tool order what a real phone would.
func TestRandomOrdersAreAccepted(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	noon := func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, cst) }
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), store.Options{SkipIntegrity: true, Now: noon})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := menu.Parse(menu.Example())
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Options{DB: db, Now: noon, CreatesPerMinute: 1000, CalcsPerMinute: 1000, OpenOrdersPerTable: 1000,
		Restaurants: []api.Restaurant{{ID: 1, StoreID: "1862", Schedule: hours.Schedule{Location: cst, DayStart: 4 * time.Hour},
			Menu: func() *menu.Menu { return m }}}})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	seen := map[string]bool{}
	for i := range 60 {
		table := []int64{1, 2, 3, 4, -1, -2}[i%6]
		p := &Phone{Base: hs.URL, Client: http.DefaultClient, Restaurant: 1, Table: table, Rand: rand.New(rand.NewPCG(uint64(i), 7))}
		o, err := p.Order(t.Context())
		if err != nil {
			t.Fatalf("order %d at table %d: %v", i, table, err)
		}
		if seen[o.TakeCode] || o.TotalFen <= 0 {
			t.Fatalf("take code %s again or total %d", o.TakeCode, o.TotalFen)
		}
		seen[o.TakeCode] = true
		if st, err := p.Status(t.Context(), o); err != nil || st != 1 {
			t.Fatalf("status %d %v", st, err)
		}
	}
}
