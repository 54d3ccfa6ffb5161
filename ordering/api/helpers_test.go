package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/store"
)

var cst = time.FixedZone("CST", 8*3600)

// wednesdayNoon is inside the example menu's hours (10:00–22:00).
var wednesdayNoon = time.Date(2026, 12, 2, 12, 0, 0, 0, cst)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// rig is a server on a real SQLite file with the example menu.
type rig struct {
	t      *testing.T
	db     *store.DB
	srv    *Server
	http   *httptest.Server
	clock  *clock
	menu   *menu.Menu
	placed *recordingPlacer
}

// recordingPlacer records what was handed to the flow; fail makes it refuse.
type recordingPlacer struct {
	mu   sync.Mutex
	ids  []int64
	fail bool
}

func (p *recordingPlacer) Place(ctx context.Context, o *store.OrderingOrder) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail {
		return io.ErrUnexpectedEOF
	}
	p.ids = append(p.ids, o.ID)
	return nil
}

func (p *recordingPlacer) count() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.ids) }

func (p *recordingPlacer) setFail(f bool) { p.mu.Lock(); p.fail = f; p.mu.Unlock() }

// waitPlaced waits until n orders were handed over (it happens beside the
// reply).
func (p *recordingPlacer) waitPlaced(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for p.count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d orders handed over, want %d", p.count(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func newRig(t *testing.T, menuFile string, mod func(*Options)) *rig {
	t.Helper()
	var m *menu.Menu
	var err error
	if menuFile == "" {
		m, err = menu.Parse(menu.Example())
	} else {
		m, err = menu.Load(filepath.Join("..", "testdata", menuFile))
	}
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: wednesdayNoon}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{SkipIntegrity: true, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := &recordingPlacer{}
	opt := Options{DB: db, Now: c.now, Placer: p, CreatesPerMinute: 100, Restaurants: []Restaurant{{ID: 1, StoreID: "1862",
		Schedule: hours.Schedule{Location: cst, DayStart: 4 * time.Hour}, Menu: func() *menu.Menu { return m }}}}
	if mod != nil {
		mod(&opt)
	}
	srv := New(opt)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &rig{t: t, db: db, srv: srv, http: hs, clock: c, menu: m, placed: p}
}

// reply is a decoded answer.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r *rig) do(method, path, body string, headers ...string) reply {
	r.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, r.http.URL+path, rd)
	if err != nil {
		r.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := reply{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&out.body); err != nil {
			r.t.Fatalf("%s %s: not a JSON object: %s", method, path, raw)
		}
	}
	return out
}

func (r *rig) want(got reply, status int) reply {
	r.t.Helper()
	if got.status != status {
		r.t.Fatalf("status %d, want %d: %s", got.status, status, got.raw)
	}
	return got
}

// cart is a dine-in cart at table 1: a large milk tea with pearls (15 +
// 2) ×2 and an egg tart.
const cart = `"products": [
 {"product": 101, "item_id": 101, "pu": 1, "unit": "大杯", "qty": 2, "price": 17, "total_price": 34,
  "condiments": [{"product": 201, "price": 2, "item_name": "加珍珠"}]},
 {"product": 105, "item_id": 105, "pu": 0, "unit": "个", "qty": 1, "price": 6, "total_price": 6}]`

func createBody(table, ver int, totalFee string) string {
	return `{"restaurant": 1, "table_id": ` + itoa(table) + `, "eat_type": 0, "paid_type": 1, "customer_count": 2, "ver": ` + itoa(ver) +
		`, "ignore_extra_price": true, ` + cart + `, "total_price": 40, "total_box_fee": 0, "total_fee": ` + totalFee +
		`, "discounts": [], "services": [], "customer_name": "王先生", "customer_phone": "+8613812345678", "remark": "少冰"}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func num(v any) string {
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// fromAddr is a client whose requests leave from a given loopback address
// (127.0.0.0/8), so per-address limits see different phones.
func fromAddr(t *testing.T, ip string) *http.Client {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 10 * time.Second}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
