// Package simulate is a customer's phone speaking the real ordering API, as
// the phone page does: restaurant info, products, calc-fee, create with an
// Idempotency-Key, then the order's status. The sandbox's simulated
// customers and the load tool's phones are made of it; nothing here writes
// the database.
package simulate

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Phone is one customer's phone at one table.
type Phone struct {
	Base       string // the listener's URL, http://127.0.0.1:8688
	Client     *http.Client
	Restaurant int64
	Table      int64 // the QR's tid: a table id, -1 takeout, -2 wait-pickup
	Rand       *mrand.Rand
}

// Timings of one order's calls.
type Timings struct {
	Info, Products, Calc, Create time.Duration
}

// Placed is an order the phone placed.
type Placed struct {
	ID       int64
	TradeNo  string
	TakeCode string
	Token    string
	TotalFen int64
	Timings  Timings
	// CreateStart is when the create request went out.
	CreateStart time.Time
}

// StatusError is an answer other than 200.
type StatusError struct {
	Path   string
	Status int
	Body   string
}

func (e *StatusError) Error() string { return fmt.Sprintf("%s: %d %s", e.Path, e.Status, e.Body) }

const apiPath = "/api/v1/frontend/"

type spec struct {
	PU           int         `json:"pu"`
	Unit         string      `json:"unit"`
	Price        json.Number `json:"price"`
	TakeoutPrice json.Number `json:"takeout_price"`
}

type condiment struct {
	ID       int64       `json:"id"`
	ItemName string      `json:"item_name"`
	Price    json.Number `json:"price"`
	SoldOut  bool        `json:"sold_out"`
}

type entry struct {
	ID      int64  `json:"id"`
	ItemID  int64  `json:"item_id"`
	Num     int    `json:"num"`
	SoldOut bool   `json:"sold_out"`
	Specs   []spec `json:"specs"`
}

type course struct {
	IsMust    int     `json:"is_must"`
	ChooseNum int     `json:"choose_num"`
	Entries   []entry `json:"entries"`
}

type product struct {
	ID         int64       `json:"id"`
	ItemID     int64       `json:"item_id"`
	ItemType   int         `json:"item_type"`
	SoldOut    bool        `json:"sold_out"`
	BoxFee     json.Number `json:"box_fee"`
	Specs      []spec      `json:"specs"`
	Condiments []condiment `json:"condiments"`
	Courses    []course    `json:"courses"`
}

type info struct {
	Tables []struct {
		TableID       int64 `json:"table_id"`
		QRCodeVersion int   `json:"qrcode_version"`
		SeatNum       int   `json:"seat_num"`
	} `json:"tables"`
	Takeout struct {
		TakeawayUseTakeoutPrice bool `json:"takeaway_use_takeout_price"`
	} `json:"takeout"`
}

// Order places one order of one to three random lines.
func (p *Phone) Order(ctx context.Context) (*Placed, error) {
	var t Timings
	var inf info
	start := time.Now()
	if err := p.get(ctx, apiPath+"restaurants/"+p.rid()+"?table_id="+strconv.FormatInt(p.Table, 10), &inf); err != nil {
		return nil, err
	}
	t.Info = time.Since(start)
	ver, seats := 0, 1
	for _, tb := range inf.Tables {
		if tb.TableID == p.Table {
			ver, seats = tb.QRCodeVersion, max(1, tb.SeatNum)
		}
	}
	var page struct {
		Results []product `json:"results"`
	}
	start = time.Now()
	if err := p.get(ctx, apiPath+"products/simple?res_id="+p.rid()+"&table_id="+strconv.FormatInt(p.Table, 10)+"&page_size=1000", &page); err != nil {
		return nil, err
	}
	t.Products = time.Since(start)
	eat := 0
	switch p.Table {
	case -1:
		eat = 2
	case -2:
		eat = 3
	}
	takeout := eat == 2 || (eat == 3 && inf.Takeout.TakeawayUseTakeoutPrice)
	lines := p.pick(page.Results, takeout)
	if len(lines) == 0 {
		return nil, fmt.Errorf("nothing on the menu to order at table %d", p.Table)
	}
	people := 1 + p.Rand.IntN(seats)
	var quote map[string]json.RawMessage
	start = time.Now()
	if err := p.post(ctx, apiPath+"orders/calc-fee?res_id="+p.rid(), nil, map[string]any{"restaurant": p.Restaurant, "table_id": p.Table,
		"eat_type": eat, "customer_count": people, "ignore_extra_price": true, "products": lines}, &quote); err != nil {
		return nil, err
	}
	t.Calc = time.Since(start)
	body := map[string]any{"restaurant": p.Restaurant, "table_id": p.Table, "eat_type": eat, "paid_type": 1, "ver": ver,
		"customer_count": people, "ignore_extra_price": true, "products": lines, "total_fee_cny": -1, "remark": "",
		"total_price": quote["total_price"], "total_box_fee": quote["total_box_fee"], "total_tax_fee": quote["tax_fee"],
		"delivery_fee": 0, "discount_fee": quote["discount_fee"], "service_fee": quote["service_fee"],
		"total_fee": quote["total_fee"], "discounts": quote["discounts"], "services": quote["services"]}
	var created struct {
		ID        int64       `json:"id"`
		TradeNo   string      `json:"trade_no"`
		TakeCode  string      `json:"take_code"`
		ViewToken string      `json:"view_token"`
		TotalFee  json.Number `json:"total_fee"`
	}
	key := newKey()
	start = time.Now()
	createStart := start
	if err := p.post(ctx, apiPath+"orders?res_id="+p.rid(), map[string]string{"Idempotency-Key": key}, body, &created); err != nil {
		return nil, err
	}
	t.Create = time.Since(start)
	return &Placed{ID: created.ID, TradeNo: created.TradeNo, TakeCode: created.TakeCode, Token: created.ViewToken,
		TotalFen: fen(created.TotalFee), Timings: t, CreateStart: createStart}, nil
}

// Status reads an order's status (§6.2) with its token.
func (p *Phone) Status(ctx context.Context, o *Placed) (int, error) {
	var v struct {
		Status int `json:"status"`
	}
	err := p.get(ctx, apiPath+"orders/"+strconv.FormatInt(o.ID, 10)+"?res_id="+p.rid()+"&token="+o.Token, &v)
	return v.Status, err
}

// Products reads the table's menu once (the load tool's reading phones).
func (p *Phone) Products(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	var page struct {
		Count int `json:"count"`
	}
	err := p.get(ctx, apiPath+"products/simple?res_id="+p.rid()+"&table_id="+strconv.FormatInt(p.Table, 10)+"&page_size=1000", &page)
	return time.Since(start), err
}

// pick chooses lines as the page builds them: a random spec, maybe a
// condiment, set meals with every must entry and choose_num of each
// optional group, prices in fen from the menu for the eat type.
func (p *Phone) pick(products []product, takeout bool) []map[string]any {
	var open []product
	for _, pr := range products {
		if !pr.SoldOut && len(pr.Specs) > 0 {
			open = append(open, pr)
		}
	}
	if len(open) == 0 {
		return nil
	}
	n := 1 + p.Rand.IntN(3)
	var lines []map[string]any
	seen := map[int64]bool{}
	for range n {
		pr := open[p.Rand.IntN(len(open))]
		if seen[pr.ID] {
			continue
		}
		seen[pr.ID] = true
		s := pr.Specs[p.Rand.IntN(len(pr.Specs))]
		unit := fen(s.Price)
		if takeout {
			unit = fen(s.TakeoutPrice)
		}
		conds := []map[string]any{}
		children := []map[string]any{}
		if pr.ItemType == 3 {
			for _, c := range pr.Courses {
				entries := c.Entries
				if c.IsMust == 0 {
					var avail []entry
					for _, e := range c.Entries {
						if !e.SoldOut {
							avail = append(avail, e)
						}
					}
					p.Rand.Shuffle(len(avail), func(i, j int) { avail[i], avail[j] = avail[j], avail[i] })
					entries = avail[:min(c.ChooseNum, len(avail))]
				}
				for _, e := range entries {
					es := e.Specs[0]
					qty := max(1, e.Num)
					unit += fen(es.Price) * int64(qty)
					children = append(children, map[string]any{"product": e.ID, "item_id": e.ItemID, "price": yuan(fen(es.Price)),
						"unit": es.Unit, "pu": es.PU, "qty": qty, "total_price": yuan(fen(es.Price) * int64(qty)), "condiments": []any{}})
				}
			}
		} else if len(pr.Condiments) > 0 && p.Rand.IntN(2) == 0 {
			c := pr.Condiments[p.Rand.IntN(len(pr.Condiments))]
			if !c.SoldOut {
				unit += fen(c.Price)
				conds = append(conds, map[string]any{"product": c.ID, "price": yuan(fen(c.Price)), "item_name": c.ItemName})
			}
		}
		qty := 1 + p.Rand.IntN(2)
		lines = append(lines, map[string]any{"product": pr.ID, "item_id": pr.ItemID, "pu": s.PU, "unit": s.Unit, "qty": qty,
			"price": yuan(unit), "total_price": yuan(unit * int64(qty)), "box_fee": yuan(fen(pr.BoxFee)), "req": "",
			"condiments": conds, "children": children})
	}
	return lines
}

func (p *Phone) rid() string { return strconv.FormatInt(p.Restaurant, 10) }

func (p *Phone) get(ctx context.Context, path string, into any) error {
	return p.call(ctx, "GET", path, nil, nil, into)
}

func (p *Phone) post(ctx context.Context, path string, headers map[string]string, body, into any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return p.call(ctx, "POST", path, headers, b, into)
}

func (p *Phone) call(ctx context.Context, method, path string, headers map[string]string, body []byte, into any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.Base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := p.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return &StatusError{Path: path, Status: res.StatusCode, Body: string(raw)}
	}
	return json.Unmarshal(raw, into)
}

// fen reads a yuan amount of the API (at most two decimals) without float
// arithmetic.
func fen(n json.Number) int64 {
	s := n.String()
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac := s, ""
	for i := range s {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	frac = (frac + "00")[:2]
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return v
}

func yuan(f int64) string { return fmt.Sprintf("%d.%02d", f/100, f%100) }

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
