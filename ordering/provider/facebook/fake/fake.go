// Package fake is a Graph API for tests and the sandbox: debug_token and /me
// under a version prefix, the app token checked as app_id|app_secret, the
// reply shapes of the documents for valid, invalid, expired and other-app
// tokens, and OAuthException errors for a bad app token.
package fake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/fakesrv"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// Options configure the fake app.
type Options struct {
	AppID     string   // default 1234567890123456
	AppSecret string   // default a fixed test secret
	AppName   string   // default 点单测试
	Versions  []string // served versions (default v21.0 … v25.0)
	// RequireProof makes /me demand appsecret_proof ("Require App Secret").
	RequireProof bool
	// DialogUser logs in at the login dialog (default DialogUser).
	DialogUser Token
	Now        func() time.Time
}

// Token describes a user token to issue.
type Token struct {
	UserID    string
	Name      string
	AppID     string        // default: this app (set another to mint a foreign token)
	Type      string        // default USER
	ExpiresIn time.Duration // default 2h; negative = already expired
}

// Graph is a running fake.
type Graph struct {
	opts Options
	srv  *fakesrv.Server

	mu     sync.Mutex
	tokens map[string]*issued
	calls  map[string]int
	fail   []int // HTTP statuses for the next requests
}

type issued struct {
	Token
	issuedAt time.Time
	expires  time.Time
	revoked  bool
}

// Start serves a fake Graph API on addr ("127.0.0.1:0").
func Start(addr string, o Options) (*Graph, error) {
	if o.AppID == "" {
		o.AppID = "1234567890123456"
	}
	if o.AppSecret == "" {
		o.AppSecret = "fbsecret0123456789abcdef01234567"
	}
	if o.AppName == "" {
		o.AppName = "点单测试"
	}
	if len(o.Versions) == 0 {
		o.Versions = []string{"v21.0", "v22.0", "v23.0", "v24.0", "v25.0"}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	g := &Graph{opts: o, tokens: map[string]*issued{}, calls: map[string]int{}}
	srv, err := fakesrv.Start(addr, http.HandlerFunc(g.serve))
	if err != nil {
		return nil, err
	}
	g.srv = srv
	return g, nil
}

// URL is the graph_base_url (and the dialog_base_url: the fake serves both).
func (g *Graph) URL() string { return g.srv.URL }

// AppID and AppSecret are the fake app's credentials.
func (g *Graph) AppID() string     { return g.opts.AppID }
func (g *Graph) AppSecret() string { return g.opts.AppSecret }

// Close stops the server.
func (g *Graph) Close() error { return g.srv.Close() }

// Issue mints a user token.
func (g *Graph) Issue(t Token) string {
	if t.AppID == "" {
		t.AppID = g.opts.AppID
	}
	if t.Type == "" {
		t.Type = "USER"
	}
	if t.ExpiresIn == 0 {
		t.ExpiresIn = 2 * time.Hour
	}
	tok := "EAA" + wire.Nonce(150)
	now := g.opts.Now()
	g.mu.Lock()
	g.tokens[tok] = &issued{Token: t, issuedAt: now, expires: now.Add(t.ExpiresIn)}
	g.mu.Unlock()
	return tok
}

// Revoke invalidates a token (the user logged out or removed the app).
func (g *Graph) Revoke(token string) {
	g.mu.Lock()
	if t := g.tokens[token]; t != nil {
		t.revoked = true
	}
	g.mu.Unlock()
}

// Calls counts requests per endpoint ("debug_token", "me").
func (g *Graph) Calls(endpoint string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls[endpoint]
}

// FailNext makes the next requests answer these HTTP statuses with a
// Graph "unknown error" body.
func (g *Graph) FailNext(statuses ...int) {
	g.mu.Lock()
	g.fail = append(g.fail, statuses...)
	g.mu.Unlock()
}

func (g *Graph) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if r.Method == http.MethodGet && len(parts) == 3 && parts[1] == "dialog" && parts[2] == "oauth" {
		g.dialog(w, r, parts[0])
		return
	}
	if r.Method != http.MethodGet || len(parts) != 2 {
		g.graphError(w, http.StatusBadRequest, "Unknown path components: "+r.URL.Path, "OAuthException", 2500, 0)
		return
	}
	version, endpoint := parts[0], parts[1]
	g.mu.Lock()
	g.calls[endpoint]++
	var fail int
	if len(g.fail) > 0 {
		fail, g.fail = g.fail[0], g.fail[1:]
	}
	g.mu.Unlock()
	if fail != 0 {
		g.graphError(w, fail, "An unknown error has occurred.", "OAuthException", 1, 0)
		return
	}
	if !slices.Contains(g.opts.Versions, version) {
		g.graphError(w, http.StatusBadRequest, "Unknown path components: /"+version+"/"+endpoint, "OAuthException", 2500, 0)
		return
	}
	switch endpoint {
	case "debug_token":
		g.debugToken(w, r)
	case "me":
		g.me(w, r)
	default:
		g.graphError(w, http.StatusBadRequest, "Unknown path components: /"+endpoint, "OAuthException", 2500, 0)
	}
}

func (g *Graph) debugToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	app := q.Get("access_token")
	switch {
	case app == "":
		g.graphError(w, http.StatusBadRequest, "An access token is required to request this resource.", "OAuthException", 104, 0)
		return
	case app != g.opts.AppID+"|"+g.opts.AppSecret:
		g.graphError(w, http.StatusBadRequest, "Invalid OAuth access token signature.", "OAuthException", 190, 0)
		return
	case q.Get("input_token") == "":
		g.graphError(w, http.StatusBadRequest, "(#100) The parameter input_token is required", "OAuthException", 100, 0)
		return
	}
	now := g.opts.Now()
	g.mu.Lock()
	t := g.tokens[q.Get("input_token")]
	var cp issued
	if t != nil {
		cp = *t
	}
	g.mu.Unlock()
	if t == nil {
		g.json(w, http.StatusOK, map[string]any{"data": map[string]any{
			"error": map[string]any{"code": 190, "message": "Invalid OAuth access token."}, "is_valid": false, "scopes": []string{},
		}})
		return
	}
	data := map[string]any{
		"app_id": cp.AppID, "type": cp.Type, "application": g.opts.AppName,
		"data_access_expires_at": cp.issuedAt.Add(90 * 24 * time.Hour).Unix(), "expires_at": cp.expires.Unix(),
		"is_valid": true, "scopes": []string{"public_profile"}, "user_id": cp.UserID,
	}
	switch {
	case cp.revoked:
		data["is_valid"] = false
		data["error"] = map[string]any{"code": 190, "message": "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.", "subcode": 460}
	case !now.Before(cp.expires):
		data["is_valid"] = false
		data["error"] = map[string]any{"code": 190, "message": fmt.Sprintf("Error validating access token: Session has expired on %s.", cp.expires.UTC().Format("Monday, 02-Jan-06 15:04:05 MST")), "subcode": 463}
	}
	g.json(w, http.StatusOK, map[string]any{"data": data})
}

func (g *Graph) me(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	tok := q.Get("access_token")
	g.mu.Lock()
	t := g.tokens[tok]
	var cp issued
	if t != nil {
		cp = *t
	}
	g.mu.Unlock()
	if t == nil || cp.revoked || !g.opts.Now().Before(cp.expires) || cp.AppID != g.opts.AppID {
		g.graphError(w, http.StatusBadRequest, "Invalid OAuth access token.", "OAuthException", 190, 0)
		return
	}
	if proof := q.Get("appsecret_proof"); g.opts.RequireProof || proof != "" {
		m := hmac.New(sha256.New, []byte(g.opts.AppSecret))
		m.Write([]byte(tok))
		if !hmac.Equal([]byte(proof), []byte(hex.EncodeToString(m.Sum(nil)))) {
			g.graphError(w, http.StatusBadRequest, "Invalid appsecret_proof provided in the API argument", "GraphMethodException", 100, 0)
			return
		}
	}
	g.json(w, http.StatusOK, map[string]any{"id": cp.UserID, "name": cp.Name})
}

func (g *Graph) graphError(w http.ResponseWriter, status int, msg, typ string, code, subcode int) {
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": wire.Nonce(11)}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	g.json(w, status, map[string]any{"error": e})
}

func (g *Graph) json(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
