// Package api is the scan-to-order listener: seed 002's /api/v1/frontend/…
// endpoints the phone page calls (restaurant info, products, the fee
// calculations, orders: list, detail, create) in the seed's shapes and status
// codes, the page itself, and server-sent events of an order's status. It
// serves nothing of the console or the push receiver, and refuses what it
// cannot authenticate: a customer sees only their own order (its
// view_token) or their table's items and statuses.
package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/ordering/checkout"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/provider/qfpay"
	"github.com/posbridge/posbridge/store"
)

// Restaurant is one restaurant the listener serves.
type Restaurant struct {
	ID       int64  // the seed's restaurant id (the QR's rid)
	StoreID  string // stores[].id whose kitchen makes its orders
	Schedule hours.Schedule
	// Menu returns the current menu (a menu.Watcher's, which keeps the
	// previous one when an edit is broken).
	Menu func() *menu.Menu
	// Paused says why the store takes no scan-to-order orders now (置休),
	// "" while it does; nil = never paused.
	Paused func() string
}

// paused is the restaurant's pause notice ("" = taking orders).
func (r *Restaurant) paused() string {
	if r.Paused == nil {
		return ""
	}
	return r.Paused()
}

// Placer puts a stored order into the store's flow: the prompt and sound,
// the accept policy, kitchen tickets and labels. Place must be idempotent:
// after a crash the same order is handed over again.
type Placer interface {
	Place(ctx context.Context, o *store.OrderingOrder) error
}

// Options configure a Server.
type Options struct {
	DB          *store.DB
	Restaurants []Restaurant
	Placer      Placer // nil: orders are only stored (tests of the API alone)
	// TakeCodeStart is the first take code of a business day (5001).
	TakeCodeStart int
	// OpenOrdersPerTable caps the open orders of a real table.
	OpenOrdersPerTable int
	// CreatesPerMinute and CalcsPerMinute are per client address.
	CreatesPerMinute int
	CalcsPerMinute   int
	// TrustedProxies are the proxies whose X-Forwarded-For names the client.
	TrustedProxies []*Proxy
	// Tokens verify customers' logins (nil: no logins, every endpoint that
	// needs one answers 401).
	Tokens *customers.Tokens
	// Customers are the accounts behind the logins (SMS codes, addresses);
	// OAuth their WeChat and Facebook logins. nil: those endpoints answer 404.
	Customers *customers.Service
	OAuth     *customers.OAuth
	// Payments is the online payment (nil: pay-url answers 403).
	Payments *checkout.Payments
	// QFPay is a restaurant's 钱方 client for §8's openid flow (nil: none).
	QFPay func(restaurantID int64) (*qfpay.Client, bool)
	// PublicURL is where phones reach the page (ordering.public_url): the
	// address WeChat, 钱方 and 收钱吧 send the browser back to.
	PublicURL string
	// Mount adds handlers beside the API (the sandbox's simulated pay
	// page), by ServeMux pattern.
	Mount map[string]http.Handler
	Now   func() time.Time
	Log   *slog.Logger
	// Members switches on §11–§14 and card payment (nil: they are 404).
	Members *MemberOptions
}

// Server serves the ordering listener.
type Server struct {
	opt         Options
	restaurants map[int64]*Restaurant
	now         func() time.Time
	log         *slog.Logger
	creates     *limiter
	calcs       *limiter
	events      *hub
	pages       pageCache
	mux         *http.ServeMux
	placing     sync.Mutex     // one hand-over sweep at a time
	handing     sync.WaitGroup // hand-overs beside replies
}

// Limits of what one request may cost.
const (
	maxBody       = 64 << 10 // a create of 100 lines with set meals fits in well under this
	mealIdle      = 4 * time.Hour
	tableListSpan = 4 * time.Hour // §6.1's dine-in list: the table's orders of the last four hours
)

// New builds a server.
func New(opt Options) *Server {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.TakeCodeStart == 0 {
		opt.TakeCodeStart = 5001
	}
	if opt.OpenOrdersPerTable == 0 {
		opt.OpenOrdersPerTable = 10
	}
	if opt.CreatesPerMinute == 0 {
		opt.CreatesPerMinute = 10
	}
	if opt.CalcsPerMinute == 0 {
		opt.CalcsPerMinute = 120
	}
	s := &Server{opt: opt, restaurants: map[int64]*Restaurant{}, now: opt.Now, log: opt.Log,
		creates: newLimiter(opt.CreatesPerMinute, opt.Now), calcs: newLimiter(opt.CalcsPerMinute, opt.Now), events: newHub()}
	for i := range opt.Restaurants {
		r := &opt.Restaurants[i]
		s.restaurants[r.ID] = r
	}
	s.routes()
	return s
}

// ServeHTTP serves the listener.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}

const prefix = "/api/v1/frontend/"

func (s *Server) routes() {
	m := http.NewServeMux()
	// Both spellings of every path (the seed writes none with a trailing
	// slash, DRF routers register them with one); no redirect: a 301 on a
	// POST loses the body.
	handle := func(path string, methods map[string]http.HandlerFunc) {
		h := byMethod(methods)
		m.Handle(prefix+path, h)
		m.Handle(prefix+path+"/{$}", h)
	}
	handle("restaurants/{id}", map[string]http.HandlerFunc{"GET": s.restaurantInfo})
	handle("products/simple", map[string]http.HandlerFunc{"GET": s.productList})
	handle("products/{id}", map[string]http.HandlerFunc{"GET": s.productDetail})
	handle("orders", map[string]http.HandlerFunc{"GET": s.orderList, "POST": s.createOrder})
	handle("orders/{id}", map[string]http.HandlerFunc{"GET": s.orderDetail})
	handle("orders/{id}/events", map[string]http.HandlerFunc{"GET": s.orderEvents})
	handle("orders/calc-fee", map[string]http.HandlerFunc{"POST": s.calcFee})
	handle("orders/calc-tax-fee", map[string]http.HandlerFunc{"POST": s.calcTaxFee})
	handle("orders/calc-discount-fee", map[string]http.HandlerFunc{"POST": s.calcDiscountFee})
	handle("orders/calc-delivery-fee", map[string]http.HandlerFunc{"POST": s.calcDeliveryFee})
	handle("image-upload-base64", map[string]http.HandlerFunc{"POST": s.imageUpload})
	s.customerRoutes(handle)
	for pattern, h := range s.opt.Mount {
		m.Handle(pattern, h)
	}
	s.memberRoutes(handle, m)
	m.HandleFunc(prefix, func(w http.ResponseWriter, r *http.Request) { notFound(w) })
	m.Handle("/", s.page())
	s.mux = m
}

// byMethod dispatches on the method, answering others 405 in DRF's shape.
func byMethod(methods map[string]http.HandlerFunc) http.Handler {
	var allow []string
	for m := range methods {
		allow = append(allow, m)
	}
	if _, ok := methods["GET"]; ok {
		allow = append(allow, "HEAD")
	}
	allowed := strings.Join(allow, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.Method
		if method == "HEAD" {
			method = "GET"
		}
		if method == "OPTIONS" {
			w.Header().Set("Allow", allowed+", OPTIONS")
			w.WriteHeader(http.StatusOK)
			return
		}
		h, ok := methods[method]
		if !ok {
			w.Header().Set("Allow", allowed)
			writeDetail(w, http.StatusMethodNotAllowed, "方法 “"+r.Method+"” 不被允许。")
			return
		}
		h(w, r)
	})
}

// restaurant finds the restaurant named by res_id (or the path's id).
func (s *Server) restaurant(w http.ResponseWriter, r *http.Request, id string) (*Restaurant, *menu.Menu, bool) {
	if id == "" {
		id = r.URL.Query().Get("res_id")
	}
	if id == "" {
		writeFields(w, map[string]any{"res_id": []string{"缺少餐厅 id（res_id）"}})
		return nil, nil, false
	}
	rid, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		writeFields(w, map[string]any{"res_id": []string{"餐厅 id 应是整数"}})
		return nil, nil, false
	}
	rest, ok := s.restaurants[rid]
	if !ok {
		writeDetail(w, http.StatusNotFound, "餐厅不存在。")
		return nil, nil, false
	}
	m := rest.Menu()
	if m == nil {
		writeDetail(w, http.StatusServiceUnavailable, "菜单暂不可用，请稍后再试。")
		return nil, nil, false
	}
	return rest, m, true
}

// Proxy is one trusted proxy's network (ordering.trusted_proxies).
type Proxy = net.IPNet
