// Package fake is 钱方 QFPay for tests and the sandbox. It checks requests
// like QFPay: X-QF-APPCODE, X-QF-SIGN recomputed over the non-empty sorted
// parameters and the client key, mchid present exactly when the account has
// one, pay_type 800207 with sub_openid, txamt in integer fen, out_trade_no
// unique over payments and refunds. It answers with respcd codes and
// pay_params, serves the hosted WeChat pay page (支付 / 取消 buttons) and the
// OAuth tools, and sends signed notifications (MD5 of the raw body and the
// key) on QFPay's retry schedule, time-scaled, until answered 200 SUCCESS.
package fake

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/fakesrv"
)

// Options configure the fake account.
type Options struct {
	AppCode   string // default a fixed test code
	ClientKey string // default a fixed test key
	MchID     string // when set, every call must carry it; when empty, none may
	// NotifyURL is the URL QFPay support registered (used when a payment
	// names none).
	NotifyURL string
	// TimeScale divides the notification retry schedule (2 min, 10 min, …):
	// 1000 makes 2 minutes 120 ms. Default 1.
	TimeScale float64
	// RefundCutoff turns on "no refunds 23:30–00:30" (respcd 1265).
	RefundCutoff bool
	// OpenID is the WeChat browser's user under QFPay's official account.
	OpenID string
	Now    func() time.Time
	Logger *slog.Logger
}

// Server is a running fake.
type Server struct {
	opts   Options
	srv    *fakesrv.Server
	log    *slog.Logger
	done   chan struct{}
	once   sync.Once
	faults fakesrv.Faults
	notes  *fakesrv.Notifier

	mu      sync.Mutex
	txs     []*tx
	byOut   map[string]*tx
	bySys   map[string]*tx
	codes   map[string]oauthCode
	seq     int
	refused map[string]int
}

type tx struct {
	SysSN      string
	OutTradeNo string
	OrderType  string // payment | refund
	OrigSysSN  string
	PayType    string
	Txamt      int64
	Refunded   int64
	Respcd     string
	Cancel     int
	Txdtm      string
	Sysdtm     time.Time
	Paydtm     time.Time
	ChnlSN     string
	GoodsName  string
	OpenID     string
	NotifyURL  string
	Prepay     string // prepay_id of the pay_params
}

type oauthCode struct {
	openID string
	issued time.Time
	used   bool
}

// Delivery is one notification attempt (its X-QF-SIGN in Header).
type Delivery = fakesrv.Delivery

// Start serves a fake QFPay on addr ("127.0.0.1:0").
func Start(addr string, o Options) (*Server, error) {
	if o.AppCode == "" {
		o.AppCode = "2DAB13A0AF4D4031820149BCD58188D0"
	}
	if o.ClientKey == "" {
		o.ClientKey = "0E32A59A8B454940A2FF39FAKEKEY000"
	}
	if o.TimeScale <= 0 {
		o.TimeScale = 1
	}
	if o.OpenID == "" {
		o.OpenID = "oo3Lss8d0hLOuyTuSJMVwLTk68JE"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts: o, log: o.Logger, done: make(chan struct{}),
		byOut: map[string]*tx{}, bySys: map[string]*tx{}, codes: map[string]oauthCode{}, refused: map[string]int{},
	}
	s.notes = &fakesrv.Notifier{Ack: "SUCCESS", Schedule: Schedule, Scale: o.TimeScale, Done: s.done}
	srv, err := fakesrv.Start(addr, s.Handler())
	if err != nil {
		return nil, err
	}
	s.srv = srv
	return s, nil
}

// URL is the api_base_url; the hosted page is at URL()+"/q/direct".
func (s *Server) URL() string { return s.srv.URL }

// PayPageURL is the pay_page_url.
func (s *Server) PayPageURL() string { return s.srv.URL + "/q/direct" }

// AppCode, ClientKey and MchID are the account's credentials.
func (s *Server) AppCode() string   { return s.opts.AppCode }
func (s *Server) ClientKey() string { return s.opts.ClientKey }
func (s *Server) MchID() string     { return s.opts.MchID }

// Close stops notifications and the server.
func (s *Server) Close() error {
	s.once.Do(func() { close(s.done) })
	err := s.srv.Close()
	s.notes.Wait()
	return err
}

// Calls counts requests per path.
func (s *Server) Calls(path string) int { return s.faults.Calls(path) }

// Refused counts requests refused per respcd (1108 for bad signatures, …).
func (s *Server) Refused(respcd string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused[respcd]
}

// FailNext makes the next call of path answer respcd (before any check).
func (s *Server) FailNext(path, respcd string) {
	s.faults.Add(path, fakesrv.Fault{Reply: func(w http.ResponseWriter) {
		s.reply(w, map[string]any{"respcd": respcd, "respmsg": "", "resperr": "injected"})
	}})
}

// FailNextHTTP makes the next call of path answer an HTTP status.
func (s *Server) FailNextHTTP(path string, status int) {
	s.faults.Add(path, fakesrv.Fault{Status: status})
}

// HangNext makes the next call of path hang until the client gives up.
func (s *Server) HangNext(path string) { s.faults.Add(path, fakesrv.Fault{Hang: true}) }

// LoseNextReply makes the next call of path take effect but its reply never
// arrive (the client times out): the case idempotency keys exist for.
func (s *Server) LoseNextReply(path string) { s.faults.Add(path, fakesrv.Fault{Lose: true}) }

// Deliveries lists notification attempts, oldest first.
func (s *Server) Deliveries() []Delivery { return s.notes.Deliveries() }

// Transaction is a copy of a transaction, for assertions.
type Transaction struct {
	SysSN, OutTradeNo, OrderType, OrigSysSN, Respcd string
	Txamt, Refunded                                 int64
	Cancel                                          int
}

// Lookup finds a transaction by out_trade_no.
func (s *Server) Lookup(outTradeNo string) (Transaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.byOut[outTradeNo]
	if t == nil {
		return Transaction{}, false
	}
	return Transaction{t.SysSN, t.OutTradeNo, t.OrderType, t.OrigSysSN, t.Respcd, t.Txamt, t.Refunded, t.Cancel}, true
}

// Handler serves QFPay's endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern, path string, h http.HandlerFunc) {
		mux.HandleFunc(pattern, s.faults.Wrap(path, s.done, h))
	}
	api("POST /trade/v1/payment", "/trade/v1/payment", s.payment)
	api("POST /trade/v1/query", "/trade/v1/query", s.query)
	api("POST /trade/v1/refund", "/trade/v1/refund", s.refund)
	api("POST /trade/v1/reversal", "/trade/v1/reversal", s.reversal)
	api("GET /tool/v1/get_weixin_oauth_code", "/tool/v1/get_weixin_oauth_code", s.oauthCode)
	api("GET /tool/v1/get_weixin_openid", "/tool/v1/get_weixin_openid", s.openID)
	mux.HandleFunc("GET /q/direct", s.page)
	mux.HandleFunc("POST /q/direct", s.pageSubmit)
	return mux
}

func (s *Server) reply(w http.ResponseWriter, v map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) refuse(w http.ResponseWriter, respcd, why string) {
	s.mu.Lock()
	s.refused[respcd]++
	s.mu.Unlock()
	s.log.Info("fake qfpay refused a request", "respcd", respcd, "why", why)
	s.reply(w, map[string]any{"respcd": respcd, "respmsg": "", "resperr": why})
}

// nextSysSN is QFPay's number: date + sequence (26 digits like the documents' examples).
func (s *Server) nextSysSNLocked(now time.Time) string {
	s.seq++
	return fmt.Sprintf("%s%018d", now.In(shanghai).Format("20060102"), 200020061752000+s.seq)
}

// nextChnlSNLocked is a WeChat Pay transaction number (28 digits from 4200).
func (s *Server) nextChnlSNLocked(now time.Time) string {
	s.seq++
	return fmt.Sprintf("4200%s%012d", now.In(shanghai).Format("200601021504"), s.seq)
}
