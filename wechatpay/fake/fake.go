// Package fake is a WeChat Pay APIv3 server for tests and the sandbox. It
// serves POST /v3/catering/orders/sync-status and GET /v3/certificates over
// real HTTP (an http.Handler for httptest, or Start for a listener),
// verifies each request's Authorization the way WeChat Pay does, checks
// sync bodies against the documented field rules, answers 204 or the
// documented error bodies, and signs every reply with a key of its own —
// the WeChat Pay public key (PUB_KEY_ID_…) or a platform certificate whose
// encrypted copy /v3/certificates hands out. It records what it received
// and injects faults on request.
//
// It shares no code with package wechatpay on purpose: a mistake in the
// client must not be repeated by the server that checks it.
package fake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Modes of Options.Mode, as in the wechatpay config.
const (
	ModeServiceProvider = "service_provider"
	ModeChannel         = "channel"
)

// Paths the fake serves.
const (
	SyncPath         = "/v3/catering/orders/sync-status"
	CertificatesPath = "/v3/certificates"
)

// SignWith says which key signs the replies.
type SignWith int

// Reply signing keys.
const (
	SignWithPublicKey   SignWith = iota // Wechatpay-Serial: PUB_KEY_ID_…
	SignWithCertificate                 // Wechatpay-Serial: the platform certificate's serial
)

// SubMerchant is a sub-merchant bound to the provider.
type SubMerchant struct {
	SubMchID string
	SubAppID string
}

// Options configure a Server.
type Options struct {
	Mode              string         // service_provider (default) | channel
	MchID             string         // the merchant whose key signs: sp_mchid, or channel_id
	MerchantSerial    string         // its merchant API certificate serial
	MerchantPublicKey *rsa.PublicKey // verifies our signatures; required
	// SpAppID, when set, must be the body's sp_appid.
	SpAppID string
	// SubMerchants, when set, are the only sub_mchid values accepted (403
	// NO_AUTH for others), each with the sub_appid it must come with.
	SubMerchants []SubMerchant
	// Users, when set, maps openids to the APPID they belong to; an openid
	// sent for another APPID is a PARAM_ERROR.
	Users map[string]string

	SignWith    SignWith
	PublicKeyID string          // default PUB_KEY_ID_0114232134912410000000000000
	Key         *rsa.PrivateKey // the WeChat Pay public-key pair; generated when nil
	CertKey     *rsa.PrivateKey // the platform certificate's key; generated when nil
	APIv3Key    string          // encrypts the certificates; 32 random characters when empty

	// LenientProperties accepts property values outside the documented
	// vocabularies (the seed's own example has some); strict by default so
	// that tests catch a client leaking them.
	LenientProperties bool
	// FailureRate (0–1) of the sync requests without a fault set get a
	// 500 SYSTEM_ERROR or a 429, drawn from Seed: the sandbox's weather.
	FailureRate float64
	Seed        uint64
	Now         func() time.Time
	Logger      *slog.Logger
}

// Server is a running fake WeChat Pay.
type Server struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger
	key  *rsa.PrivateKey

	mu       sync.Mutex
	signWith SignWith
	certs    []*platformCert // newest last; the newest signs
	nonces   map[string]time.Time
	received []Request
	faults   []*Fault
	rng      *mrand.Rand
	closed   chan struct{}
	once     sync.Once
	srv      *http.Server
}

// Request is one request as the fake received and answered it.
type Request struct {
	At      time.Time
	Method  string
	URI     string // path and query
	Header  http.Header
	Body    []byte
	Status  int       // HTTP status answered (0 when the connection was dropped or hung)
	Code    string    // error code answered, "" on success
	Message string    // error message answered
	Fault   FaultKind // the fault injected into this request, FaultNone when none
	// Accepted is true when the request was processed: a sync body that
	// passed every rule (its reply may still have been faulted).
	Accepted bool

	seq int // index in Server.received
}

// New makes a fake server. Keys are generated unless given.
func New(opts Options) (*Server, error) {
	if opts.MerchantPublicKey == nil {
		return nil, errors.New("fake: MerchantPublicKey is required to verify request signatures")
	}
	if opts.MchID == "" || opts.MerchantSerial == "" {
		return nil, errors.New("fake: MchID and MerchantSerial are required")
	}
	if opts.Mode == "" {
		opts.Mode = ModeServiceProvider
	}
	if opts.Mode != ModeServiceProvider && opts.Mode != ModeChannel {
		return nil, fmt.Errorf("fake: mode %q", opts.Mode)
	}
	if opts.PublicKeyID == "" {
		opts.PublicKeyID = "PUB_KEY_ID_0114232134912410000000000000"
	}
	var err error
	if opts.Key == nil {
		if opts.Key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, err
		}
	}
	if opts.APIv3Key == "" {
		opts.APIv3Key = randomString(32)
	}
	if len(opts.APIv3Key) != 32 {
		return nil, errors.New("fake: APIv3Key must have 32 characters")
	}
	s := &Server{opts: opts, now: opts.Now, log: opts.Logger, key: opts.Key, signWith: opts.SignWith,
		nonces: map[string]time.Time{}, closed: make(chan struct{}), rng: mrand.New(mrand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	cert, err := newPlatformCert(opts.CertKey, s.now())
	if err != nil {
		return nil, err
	}
	s.certs = []*platformCert{cert}
	return s, nil
}

// PublicKeyID is the id of the WeChat Pay public key.
func (s *Server) PublicKeyID() string { return s.opts.PublicKeyID }

// PublicKey is the WeChat Pay public key (what pub_key.pem holds).
func (s *Server) PublicKey() *rsa.PublicKey { return &s.key.PublicKey }

// APIv3Key is the key the certificates are encrypted with.
func (s *Server) APIv3Key() string { return s.opts.APIv3Key }

// Certificate is the newest platform certificate and its serial.
func (s *Server) Certificate() (*x509.Certificate, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.certs[len(s.certs)-1]
	return c.cert, c.serial
}

// RotateCertificate makes a new platform certificate that signs from now
// on; the old one stays listed, as WeChat Pay does during a rotation.
func (s *Server) RotateCertificate() (serial string, err error) {
	cert, err := newPlatformCert(nil, s.now())
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.certs = append(s.certs, cert)
	return cert.serial, nil
}

// SetSignWith switches the key that signs replies (a public-key migration).
func (s *Server) SetSignWith(w SignWith) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signWith = w
}

// Received returns every request so far, oldest first.
func (s *Server) Received() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.received))
	copy(out, s.received)
	return out
}

// Syncs returns the sync bodies the fake accepted (processed), oldest
// first, including those whose reply a fault spoilt.
func (s *Server) Syncs() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]byte
	for _, r := range s.received {
		if r.Accepted && r.URI == SyncPath {
			out = append(out, r.Body)
		}
	}
	return out
}

// Start serves on addr ("127.0.0.1:0" for a free port) until Close and
// returns the base URL, for the sandbox.
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Close ends hanging requests and stops a server made by Start.
func (s *Server) Close() error {
	s.once.Do(func() { close(s.closed) })
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		return srv.Close()
	}
	return nil
}

// begin records a request as it arrives, so that Received is in arrival
// order even when replies overtake each other; record fills in the answer.
func (s *Server) begin(r *Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.seq = len(s.received)
	s.received = append(s.received, *r)
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received[r.seq] = r
}

func randomString(n int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
