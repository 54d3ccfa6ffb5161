package loadtest

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/posbridge/posbridge/ordering/service"
	"github.com/posbridge/posbridge/ordering/simulate"
	"github.com/posbridge/posbridge/store"
)

// Phones is scan-to-order load beside a scenario: N customers' phones,
// each from an address of its own in 127.0.0.0/8 (so that the per-address
// limits see N clients), reading the menu every few seconds and placing
// orders at the counter stickers (wait-pickup and takeout: no per-table
// cap) through the real API while the scenario runs.
type Phones struct {
	N        int
	Orders   int           // orders over the run, spread over the phones
	Duration time.Duration // how long they order and read
	Seed     uint64
}

// PhoneResult is what the phones measured.
type PhoneResult struct {
	Phones   int  `json:"phones"`
	Reads    int  `json:"menu_reads"`
	Products Dist `json:"products_list"` // GET products/simple
	Create   Dist `json:"create"`        // POST orders
	// CreateToKitchen is the create request → the first byte of the
	// order's kitchen ticket at the kitchen printer.
	CreateToKitchen Dist     `json:"create_to_kitchen"`
	Created         int      `json:"created"`
	Lost            int      `json:"lost"` // created, answered 200, not in the flow or never printed
	Refused         int      `json:"refused"`
	Errors          []string `json:"errors,omitempty"`
}

// phonesConfig is the ordering section the phones need and the menu it
// names (open all day), written in dir.
func phonesConfig(dir, storeID string) (yaml, listen string, err error) {
	menuFile := filepath.Join(dir, "menu-phones.yaml")
	if err := os.WriteFile(menuFile, service.SandboxMenu(), 0o600); err != nil {
		return "", "", err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", err
	}
	listen = l.Addr().String()
	l.Close()
	return "ordering:\n  listen: " + listen + "\n  public_url: http://" + listen + "\n" +
		"  restaurants: [ { id: 1, store_id: \"" + storeID + "\", menu_file: " + strconv.Quote(menuFile) + " } ]\n", listen, nil
}

type phoneRecorder struct {
	mu       sync.Mutex
	products []time.Duration
	create   []time.Duration
	placed   map[string]time.Time // trade_no → create start
	refused  int
	errs     []string
}

func (r *phoneRecorder) errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) < 20 {
		r.errs = append(r.errs, fmt.Sprintf(format, args...))
	}
}

// phoneAddr is phone i's source address: 127.0.a.b, never 127.0.0.1.
func phoneAddr(i int) net.IP { return net.IPv4(127, 0, byte(1+i/250), byte(2+i%250)) }

func (p Phones) run(ctx context.Context, base string, rec *phoneRecorder) {
	var wg sync.WaitGroup
	perPhone := max(1, p.Orders/max(1, p.N))
	for i := range p.N {
		wg.Go(func() {
			rng := mrand.New(mrand.NewPCG(p.Seed+uint64(i), 15))
			d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: phoneAddr(i)}, Timeout: 5 * time.Second}
			client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 2}}
			table := []int64{-2, -1}[i%2]
			phone := &simulate.Phone{Base: base, Client: client, Restaurant: 1, Table: table, Rand: rng}
			// Order times spread over the run; menu reads in between.
			var orderAt []time.Duration
			for range perPhone {
				orderAt = append(orderAt, time.Duration(rng.Int64N(int64(p.Duration))))
			}
			slices.Sort(orderAt)
			start := time.Now()
			for time.Since(start) < p.Duration && ctx.Err() == nil {
				sleep := time.Duration(2000+rng.IntN(3000)) * time.Millisecond
				if len(orderAt) > 0 {
					sleep = min(sleep, max(0, orderAt[0]-time.Since(start)))
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(sleep):
				}
				if len(orderAt) > 0 && time.Since(start) >= orderAt[0] {
					orderAt = orderAt[1:]
					p.order(ctx, phone, i, rec)
					continue
				}
				took, err := phone.Products(ctx)
				if err != nil {
					rec.errorf("phone %d menu: %v", i, err)
					continue
				}
				rec.mu.Lock()
				rec.products = append(rec.products, took)
				rec.mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func (p Phones) order(ctx context.Context, phone *simulate.Phone, i int, rec *phoneRecorder) {
	o, err := phone.Order(ctx)
	var se *simulate.StatusError
	switch {
	case errors.As(err, &se):
		rec.mu.Lock()
		rec.refused++
		rec.mu.Unlock()
		rec.errorf("phone %d: %v", i, err)
	case err != nil:
		rec.errorf("phone %d: %v", i, err)
	default:
		rec.mu.Lock()
		rec.products = append(rec.products, o.Timings.Products)
		rec.create = append(rec.create, o.Timings.Create)
		rec.placed[o.TradeNo] = o.CreateStart
		rec.mu.Unlock()
	}
}

// measure turns the recordings into the result: the kitchen printer's
// first byte of each order, and every order answered 200 found in the
// flow, printed.
func (p Phones) measure(ctx context.Context, rig *Rig, rec *phoneRecorder) *PhoneResult {
	res := &PhoneResult{Phones: p.N, Reads: len(rec.products), Products: Summarise(rec.products), Create: Summarise(rec.create),
		Created: len(rec.placed), Refused: rec.refused, Errors: rec.errs}
	known := map[string][]*copyOf{}
	for code := range rec.placed {
		known[code] = []*copyOf{{}}
	}
	first := map[string]time.Time{}
	if k, ok := rig.Env.Printers["kitchen"]; ok {
		for _, c := range k.Conns() {
			at := c.FirstJobByteAt()
			if at.IsZero() {
				continue
			}
			for _, code := range codesIn(c.Data(), known) {
				if prev, ok := first[code]; !ok || at.Before(prev) {
					first[code] = at
				}
			}
		}
	}
	var toKitchen []time.Duration
	for code, start := range rec.placed {
		if at, ok := first[code]; ok {
			toKitchen = append(toKitchen, at.Sub(start))
		}
	}
	res.CreateToKitchen = Summarise(toKitchen)
	db, release, err := rig.DB(ctx)
	if err != nil {
		res.Errors = append(res.Errors, "database: "+err.Error())
		return res
	}
	defer release()
	for code := range rec.placed {
		if _, err := db.GetOrder(ctx, code); errors.Is(err, store.ErrNotFound) {
			res.Lost++
			res.Errors = append(res.Errors, "order "+code+" answered 200 but is not in the flow")
		} else if _, printed := first[code]; !printed {
			res.Lost++
			res.Errors = append(res.Errors, "order "+code+" never reached the kitchen printer")
		}
	}
	return res
}
