// Package fake is 收钱吧 for tests and the sandbox. It checks requests like
// 收钱吧: "Authorization: <sn> <md5(body+key)>" with the vendor key for
// activation and the terminal key after it, the activation code (valid 7
// days, limited uses, device ids unique), the terminal key rotated at every
// check-in (the previous one valid for a configurable grace), client_sn
// conflicts, refund_request_no reuse, and the WAP cashier's sign. It answers
// in the three layers, serves the cashier (支付 / 取消) that returns the
// browser to return_url, and sends RSA-SHA256-signed notifications retried
// at 1 s, 5 s, 30 s and 600 s (time-scaled) until answered "success".
package fake

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/fakesrv"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// Options configure the fake.
type Options struct {
	VendorSN  string // defaults: the documents' sample values
	VendorKey string
	AppID     string
	// KeyGrace is how long a terminal key keeps working after a check-in
	// replaced it (unknown at 收钱吧; default 0: at once invalid).
	KeyGrace time.Duration
	// WAPTTL is how long an unpaid cashier order lives before 收钱吧 cancels
	// it (the documents say 90 s or 4 minutes; default 4 minutes).
	WAPTTL time.Duration
	// TimeScale divides the notification retry schedule (default 1).
	TimeScale  float64
	SigningKey *rsa.PrivateKey // signs notifications; generated when nil
	Now        func() time.Time
	Logger     *slog.Logger
}

// Server is a running fake.
type Server struct {
	opts   Options
	srv    *fakesrv.Server
	log    *slog.Logger
	key    *rsa.PrivateKey
	done   chan struct{}
	once   sync.Once
	faults fakesrv.Faults
	notes  *fakesrv.Notifier

	mu        sync.Mutex
	codes     map[string]*activationCode
	terminals map[string]*terminal // by terminal_sn
	devices   map[string]bool
	orders    map[string]*sqbOrder // by client_sn
	bySN      map[string]*sqbOrder
	refunds   map[string]refundRecord // by sn + "/" + refund_request_no
	seq       int
	refused   map[string]int
}

type activationCode struct {
	uses   int
	issued time.Time
}

type terminal struct {
	sn, deviceID string
	key          string
	oldKey       string
	oldUntil     time.Time
	checkins     int
}

type sqbOrder struct {
	sn, clientSN, terminalSN, tradeNo string
	total, net                        int64
	subject, operator, reflect        string
	status, orderStatus               string
	notifyURL, returnURL              string
	created, finished                 time.Time
	token                             string // guards the cashier page
}

type refundRecord struct {
	amount int64
	reply  map[string]any
}

// Delivery is one notification attempt (its signature in Header's Authorization).
type Delivery = fakesrv.Delivery

// Start serves a fake 收钱吧 on addr ("127.0.0.1:0").
func Start(addr string, o Options) (*Server, error) {
	if o.VendorSN == "" {
		o.VendorSN = "91802620"
	}
	if o.VendorKey == "" {
		o.VendorKey = "4293e278592a11ae470199e23e4cfake"
	}
	if o.AppID == "" {
		o.AppID = "2025061300009239"
	}
	if o.WAPTTL <= 0 {
		o.WAPTTL = 4 * time.Minute
	}
	if o.TimeScale <= 0 {
		o.TimeScale = 1
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	key := o.SigningKey
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, err
		}
	}
	s := &Server{
		opts: o, log: o.Logger, key: key, done: make(chan struct{}),
		codes: map[string]*activationCode{}, terminals: map[string]*terminal{}, devices: map[string]bool{},
		orders: map[string]*sqbOrder{}, bySN: map[string]*sqbOrder{}, refunds: map[string]refundRecord{},
		refused: map[string]int{},
	}
	s.notes = &fakesrv.Notifier{Ack: "success", Schedule: Schedule, Scale: o.TimeScale, Done: s.done}
	srv, err := fakesrv.Start(addr, s.Handler())
	if err != nil {
		return nil, err
	}
	s.srv = srv
	return s, nil
}

// URL is the api_base_url; WAPURL the wap_base_url.
func (s *Server) URL() string    { return s.srv.URL }
func (s *Server) WAPURL() string { return s.srv.URL + "/gateway" }

// VendorSN, VendorKey and AppID are the service provider's credentials.
func (s *Server) VendorSN() string  { return s.opts.VendorSN }
func (s *Server) VendorKey() string { return s.opts.VendorKey }
func (s *Server) AppID() string     { return s.opts.AppID }

// PublicKeyPEM is the key that verifies notifications (public_key_file).
func (s *Server) PublicKeyPEM() []byte {
	der, _ := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// Close stops notifications and the server.
func (s *Server) Close() error {
	s.once.Do(func() { close(s.done) })
	err := s.srv.Close()
	s.notes.Wait()
	return err
}

// IssueActivationCode makes an activation code good for uses activations.
func (s *Server) IssueActivationCode(uses int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	code := fmt.Sprintf("%08d", 84038959+s.seq)
	s.codes[code] = &activationCode{uses: uses, issued: s.opts.Now()}
	return code
}

// Calls counts requests per path.
func (s *Server) Calls(path string) int { return s.faults.Calls(path) }

// Refused counts requests refused per error_code (ILLEGAL_SIGN, …).
func (s *Server) Refused(code string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused[code]
}

// FailNextHTTP makes the next call of path answer an HTTP status.
func (s *Server) FailNextHTTP(path string, status int) {
	s.faults.Add(path, fakesrv.Fault{Status: status})
}

// FailNextCode makes the next call of path answer result_code 400 with code.
func (s *Server) FailNextCode(path, code string) {
	s.faults.Add(path, fakesrv.Fault{Reply: func(w http.ResponseWriter) { s.top(w, "400", code, "injected") }})
}

// HangNext makes the next call of path hang until the client gives up.
func (s *Server) HangNext(path string) { s.faults.Add(path, fakesrv.Fault{Hang: true}) }

// LoseNextReply makes the next call of path take effect and its reply never arrive.
func (s *Server) LoseNextReply(path string) { s.faults.Add(path, fakesrv.Fault{Lose: true}) }

// Deliveries lists notification attempts, oldest first.
func (s *Server) Deliveries() []Delivery { return s.notes.Deliveries() }

// Terminal tells a terminal's current key and check-in count (for tests).
func (s *Server) Terminal(sn string) (key string, checkins int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.terminals[sn]
	if t == nil {
		return "", 0, false
	}
	return t.key, t.checkins, true
}

// Order is a copy of an order, for assertions.
type Order struct {
	SN, ClientSN, OrderStatus, TradeNo string
	Total, Net                         int64
}

// Order finds an order by client_sn.
func (s *Server) Order(clientSN string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[clientSN]
	if o == nil {
		return Order{}, false
	}
	s.expireLocked(o)
	return Order{o.sn, o.clientSN, o.orderStatus, o.tradeNo, o.total, o.net}, true
}

// Handler serves 收钱吧's endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := func(path string, h func(w http.ResponseWriter, r *http.Request, body []byte)) {
		mux.HandleFunc("POST "+path, s.faults.Wrap(path, s.done, func(w http.ResponseWriter, r *http.Request) {
			body, err := readBody(w, r)
			if err != nil {
				s.top(w, "400", "INVALID_PARAMS", err.Error())
				return
			}
			h(w, r, body)
		}))
	}
	api("/terminal/activate", s.activate)
	api("/terminal/checkin", s.checkin)
	api("/upay/v2/query", s.query)
	api("/upay/v2/refund", s.refund)
	api("/upay/v2/cancel", s.cancel)
	api("/upay/v2/revoke", s.revoke)
	mux.HandleFunc("GET /gateway", s.gateway)
	mux.HandleFunc("GET /cashier/{sn}", s.cashier)
	mux.HandleFunc("POST /cashier/{sn}", s.cashierSubmit)
	return mux
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return nil, fmt.Errorf("Content-Type must be application/json")
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
}

// top answers the second layer: result_code 200 with biz, or 400/500 with an error.
func (s *Server) top(w http.ResponseWriter, resultCode, code, msg string) {
	if resultCode != "200" {
		s.mu.Lock()
		s.refused[code]++
		s.mu.Unlock()
		s.log.Info("fake shouqianba refused a request", "error_code", code, "why", msg)
	}
	s.write(w, map[string]any{"result_code": resultCode, "error_code": code, "error_message": msg})
}

func (s *Server) biz(w http.ResponseWriter, biz map[string]any) {
	s.write(w, map[string]any{"result_code": "200", "biz_response": biz})
}

func (s *Server) write(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

// expectedSign is md5(body + key); 收钱吧's accepted hex case is not
// documented, so both cases pass.
func expectedSign(body []byte, key string) string {
	sum := md5.Sum(append(append([]byte(nil), body...), key...))
	return hex.EncodeToString(sum[:])
}

// checkAuth verifies "Authorization: <sn> <sign>" against the keys valid
// for sn now and answers the refusal itself.
func (s *Server) checkAuth(w http.ResponseWriter, r *http.Request, body []byte, keys ...string) (string, bool) {
	sn, sign, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || sn == "" || sign == "" {
		s.top(w, "400", "ILLEGAL_SIGN", "Authorization must be '<sn> <sign>'")
		return "", false
	}
	for _, k := range keys {
		if k != "" && strings.EqualFold(sign, expectedSign(body, k)) {
			return sn, true
		}
	}
	s.top(w, "400", "ILLEGAL_SIGN", "签名错误")
	return "", false
}

// terminalKeys are the keys sn signs with now: the current one and, within
// the grace after a check-in, the previous one.
func (s *Server) terminalKeysLocked(sn string) []string {
	t := s.terminals[sn]
	if t == nil {
		return nil
	}
	keys := []string{t.key}
	if t.oldKey != "" && s.opts.Now().Before(t.oldUntil) {
		keys = append(keys, t.oldKey)
	}
	return keys
}

func (s *Server) newKey() string { return strings.ToLower(wire.Nonce(32)) }
