// Package fake is an official WeChat account's server side for tests and
// the sandbox: the authorize page (it checks the link like WeChat: parameter
// order, one encoding of redirect_uri, its domain, the state's alphabet),
// the code exchange (appid, secret, code known, unused, younger than 5
// minutes), refresh, userinfo, stable_token and getticket with expiry and
// call counters, and WeChat's errcode replies.
package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/fakesrv"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// Options configure the fake account.
type Options struct {
	AppID     string // default wx0123456789abcdef
	AppSecret string // default a fixed test secret
	// RedirectHosts is the 网页授权域名 list: redirect_uri's host must be one
	// (default 127.0.0.1 and localhost).
	RedirectHosts []string
	Now           func() time.Time
	TokenTTL      time.Duration // access tokens (default 2h)
	TicketTTL     time.Duration // jsapi tickets (default TokenTTL)
	CodeTTL       time.Duration // OAuth codes (default 5 min)
	RefreshTTL    time.Duration // refresh tokens (default 30 days)
}

// User is a WeChat user of the fake.
type User struct {
	OpenID     string
	Nickname   string
	HeadImgURL string
	UnionID    string
	Snapshot   bool // a 朋友圈 snapshot-page virtual visitor (is_snapshotuser = 1)
}

// Server is a running fake.
type Server struct {
	opts Options
	srv  *fakesrv.Server
	done chan struct{}
	once sync.Once

	mu          sync.Mutex
	users       map[string]User
	browserUser string
	codes       map[string]*code
	pageTokens  map[string]*pageToken
	refreshes   map[string]*pageToken
	basic       map[string]time.Time // access_token → expiry; deleted when superseded by force_refresh
	latestBasic string
	ticket      string
	ticketUntil time.Time
	forced      map[string]int // day → force_refresh count
	faults      fakesrv.Faults
}

type code struct {
	openID string
	scope  string
	issued time.Time
	used   bool
}

type pageToken struct {
	openID  string
	scope   string
	expires time.Time
}

// DefaultUser is the user the browser is logged in as until SetBrowserUser.
var DefaultUser = User{OpenID: "oFakeUser0000000000000000001", Nickname: "测试用户", HeadImgURL: "https://thirdwx.qlogo.cn/mmopen/fake/132"}

// Start serves a fake account on addr ("127.0.0.1:0").
func Start(addr string, o Options) (*Server, error) {
	if o.AppID == "" {
		o.AppID = "wx0123456789abcdef"
	}
	if o.AppSecret == "" {
		o.AppSecret = "0123456789abcdef0123456789abcdef"
	}
	if len(o.RedirectHosts) == 0 {
		o.RedirectHosts = []string{"127.0.0.1", "localhost"}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = 2 * time.Hour
	}
	if o.TicketTTL <= 0 {
		o.TicketTTL = o.TokenTTL
	}
	if o.CodeTTL <= 0 {
		o.CodeTTL = 5 * time.Minute
	}
	if o.RefreshTTL <= 0 {
		o.RefreshTTL = 30 * 24 * time.Hour
	}
	s := &Server{
		opts: o, done: make(chan struct{}),
		users: map[string]User{DefaultUser.OpenID: DefaultUser}, browserUser: DefaultUser.OpenID,
		codes: map[string]*code{}, pageTokens: map[string]*pageToken{}, refreshes: map[string]*pageToken{},
		basic: map[string]time.Time{}, forced: map[string]int{},
	}
	srv, err := fakesrv.Start(addr, s.Handler())
	if err != nil {
		return nil, err
	}
	s.srv = srv
	return s, nil
}

// URL serves as both api_base_url and oauth_base_url.
func (s *Server) URL() string { return s.srv.URL }

// AppID and AppSecret are the account's credentials.
func (s *Server) AppID() string     { return s.opts.AppID }
func (s *Server) AppSecret() string { return s.opts.AppSecret }

// Close releases hanging requests and stops the server.
func (s *Server) Close() error {
	s.once.Do(func() { close(s.done) })
	return s.srv.Close()
}

// AddUser adds (or replaces) a user.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	s.users[u.OpenID] = u
	s.mu.Unlock()
}

// SetBrowserUser chooses who consents on the authorize page.
func (s *Server) SetBrowserUser(openID string) {
	s.mu.Lock()
	s.browserUser = openID
	s.mu.Unlock()
}

// IssueCode makes a code as if openID had consented to scope.
func (s *Server) IssueCode(openID, scope string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueCodeLocked(openID, scope)
}

func (s *Server) issueCodeLocked(openID, scope string) string {
	c := wire.Nonce(32)
	s.codes[c] = &code{openID: openID, scope: scope, issued: s.opts.Now()}
	return c
}

// Calls is how many requests reached path ("/cgi-bin/ticket/getticket", …).
func (s *Server) Calls(path string) int { return s.faults.Calls(path) }

// FailNext makes the next call of path answer errcode (e.g. -1, 40001).
func (s *Server) FailNext(path string, errcode int) {
	s.faults.Add(path, fakesrv.Fault{Reply: func(w http.ResponseWriter) { s.errReply(w, errcode, "injected") }})
}

// HangNext makes the next call of path hang until the client gives up.
func (s *Server) HangNext(path string) { s.faults.Add(path, fakesrv.Fault{Hang: true}) }

// RevokeAccessTokens makes every basic access_token issued so far answer
// 40001 (as after a secret reset or a force_refresh elsewhere).
func (s *Server) RevokeAccessTokens() {
	s.mu.Lock()
	s.basic = map[string]time.Time{}
	s.latestBasic = ""
	s.mu.Unlock()
}

// Handler serves the account's endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern, path string, h http.HandlerFunc) {
		mux.HandleFunc(pattern, s.faults.Wrap(path, s.done, h))
	}
	handle("GET /connect/oauth2/authorize", "/connect/oauth2/authorize", s.authorize)
	handle("GET /sns/oauth2/access_token", "/sns/oauth2/access_token", s.exchange)
	handle("GET /sns/oauth2/refresh_token", "/sns/oauth2/refresh_token", s.refresh)
	handle("GET /sns/userinfo", "/sns/userinfo", s.userinfo)
	handle("GET /sns/auth", "/sns/auth", s.auth)
	handle("POST /cgi-bin/stable_token", "/cgi-bin/stable_token", s.stableToken)
	handle("GET /cgi-bin/ticket/getticket", "/cgi-bin/ticket/getticket", s.getTicket)
	return mux
}

var errMsgs = map[int]string{
	-1:    "system error",
	40001: "invalid credential, access_token is invalid or not latest",
	40002: "invalid grant_type",
	40003: "invalid openid",
	40013: "invalid appid",
	40029: "invalid code",
	40030: "invalid refresh_token",
	40125: "invalid appsecret",
	40163: "code been used",
	41002: "appid missing",
	41004: "appsecret missing",
	41008: "missing code",
	42001: "access_token expired",
	42002: "refresh_token expired",
	45009: "reach max api daily quota limit",
	47001: "data format error",
	48001: "api unauthorized",
	40097: "invalid args",
}

// errReply answers like WeChat: HTTP 200, errcode and errmsg with a request id.
func (s *Server) errReply(w http.ResponseWriter, errcode int, detail string) {
	msg := errMsgs[errcode]
	if msg == "" {
		msg = detail
	}
	s.json(w, map[string]any{"errcode": errcode, "errmsg": fmt.Sprintf("%s rid: %s", msg, wire.Nonce(24))})
}

func (s *Server) json(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
