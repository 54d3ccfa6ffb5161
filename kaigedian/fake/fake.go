// Package fake is an in-memory 开个店 open platform for tests, the sandbox
// and the load tool. It serves every order endpoint of the documents over
// real HTTP, verifies RSA2 signatures like the platform, keeps orders and
// their platform state machine in memory, pushes status changes to a push
// listener, and generates a realistic stream of tea-shop and restaurant
// orders. Faults (5xx, hangs, bad replies) can be injected per endpoint.
package fake

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
)

// Store is a store the fake platform knows.
type Store struct {
	ID   string
	Name string
}

// Options configure a Platform.
type Options struct {
	// MerchantPublicKey verifies the sign of our requests. When nil, the
	// public half of MerchantKey is used; one of them is required.
	MerchantPublicKey *rsa.PublicKey
	MerchantKey       *rsa.PrivateKey
	// PlatformKey signs pushes (and replies when SignReplies). Generated when nil.
	PlatformKey *rsa.PrivateKey
	// AccessToken, PartnerID and AppID, when set, must match each request.
	AccessToken string
	PartnerID   string
	AppID       string
	Stores      []Store // default: one store 1862 南翔一店
	Seed        int64   // seeds the order generator
	Now         func() time.Time
	// PushURL is the base URL of the push listener, e.g.
	// http://127.0.0.1:8687; pushes go to PushURL/kaigedian/push/{kind}.
	// Empty disables pushes.
	PushURL        string
	PushToken      string  // sent as X-Push-Token when set
	PushSigned     bool    // send the signed envelope instead of a bare body
	PushDuplicates float64 // probability of sending a push twice
	PushWorkers    int     // concurrent push senders (default 4)
	PushRetries    int     // retries of a push not answered 100 (default 3; negative = none)
	PushRetryDelay time.Duration
	PushTimeout    time.Duration
	// CursorSeconds sends nextStartTimestamp in epoch seconds, the lists'
	// unit until 2019-05 (spec §7 #9), rounded down to the second.
	CursorSeconds bool
	// RefundItemsBare answers queryRefundOrders items with orderCode only,
	// the shape of seed 001's example (refundstatus came 2019-07-19).
	RefundItemsBare bool
	// PlainReplies turns off the documents' quirks in replies (code instead
	// of statusCode, numbers as strings, a trailing comma), which are on by
	// default so that clients meet them.
	PlainReplies bool
	SignReplies  bool
	MaxCalls     int // calls kept for Calls() (default 10000)
	Logger       *slog.Logger
	// PickupUsed is, per store, the highest pickup number already handed
	// out today (the sandbox reads it from its database): numbers go on
	// from there, unique per store and day across restarts.
	PickupUsed map[string]int
}

// Platform is a running fake 开个店.
type Platform struct {
	opts        Options
	merchantPub *rsa.PublicKey
	platformKey *rsa.PrivateKey
	log         *slog.Logger
	now         func() time.Time
	stores      []Store
	pusher      *pusher

	mu        sync.Mutex
	rng       *mrand.Rand
	orders    map[string]*fakeOrder
	seq       int
	pickupNo  map[string]int // store|day → numbers handed out
	startDay  string         // the Shanghai day the platform was made: PickupUsed applies to it
	calls     []Call
	callsHead int
	txReplies map[string]storedReply
	txOrder   []string
	faults    map[string]*Fault
	// 沽清 and store status (goods.go).
	products    map[string]string
	soldOut     map[string]map[string]bool
	storeStatus map[string]*StoreStatus

	srvMu  sync.Mutex
	srv    *http.Server
	closed chan struct{}
	once   sync.Once
}

// New creates a fake platform.
func New(opts Options) (*Platform, error) {
	pub := opts.MerchantPublicKey
	if pub == nil && opts.MerchantKey != nil {
		pub = &opts.MerchantKey.PublicKey
	}
	if pub == nil {
		return nil, errors.New("fake: MerchantPublicKey or MerchantKey is required to verify request signatures")
	}
	key := opts.PlatformKey
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("fake: generate platform key: %w", err)
		}
	}
	if len(opts.Stores) == 0 {
		opts.Stores = []Store{{ID: "1862", Name: "南翔一店"}}
	}
	if opts.MaxCalls <= 0 {
		opts.MaxCalls = 10000
	}
	p := &Platform{
		opts: opts, merchantPub: pub, platformKey: key, log: opts.Logger, now: opts.Now,
		stores: opts.Stores, rng: mrand.New(mrand.NewPCG(uint64(opts.Seed), uint64(opts.Seed)^0x9e3779b97f4a7c15)),
		orders: map[string]*fakeOrder{}, pickupNo: map[string]int{}, txReplies: map[string]storedReply{},
		faults: map[string]*Fault{}, closed: make(chan struct{}),
		products: productCodes(), soldOut: map[string]map[string]bool{}, storeStatus: map[string]*StoreStatus{},
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.now == nil {
		p.now = time.Now
	}
	p.startDay = p.now().In(kaigedian.Shanghai).Format(time.DateOnly)
	p.pusher = newPusher(p)
	return p, nil
}

// PlatformPublicKey is the key that verifies the platform's pushes.
func (p *Platform) PlatformPublicKey() *rsa.PublicKey { return &p.platformKey.PublicKey }

// Stores are the stores the platform serves.
func (p *Platform) Stores() []Store { return append([]Store(nil), p.stores...) }

// Start serves the platform on addr (e.g. "127.0.0.1:0") and returns its
// base URL, which ends in /openapi like the documented ones.
func (p *Platform) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("fake: listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: p.Handler(), ReadHeaderTimeout: 10 * time.Second}
	p.srvMu.Lock()
	p.srv = srv
	p.srvMu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.log.Error("fake platform stopped", "err", err)
		}
	}()
	return "http://" + ln.Addr().String() + "/openapi", nil
}

// Close stops the server and the push senders. Hanging requests are released.
func (p *Platform) Close() error {
	p.once.Do(func() { close(p.closed) })
	p.pusher.close()
	p.srvMu.Lock()
	srv := p.srv
	p.srvMu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return srv.Close()
	}
	return nil
}
