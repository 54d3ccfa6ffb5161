package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

type tokenReply struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

type ticketReply struct {
	Ticket    string `json:"ticket"`
	ExpiresIn int64  `json:"expires_in"`
}

// ErrForceRefreshBudget means WeChat's limit on forced token refreshes (20 a
// day, 30 s apart) would be exceeded.
var ErrForceRefreshBudget = errors.New("wechat: no forced token refresh left now (20 a day, 30 s apart); the token was refused — check app_secret and the IP whitelist")

// AccessToken is the account's basic access_token from cgi-bin/stable_token
// in normal mode, cached until 5 minutes before it expires.
func (c *Client) AccessToken(ctx context.Context) (string, error) {
	return c.token.get(ctx, c.now(), func(ctx context.Context) (string, time.Time, error) {
		return c.fetchToken(ctx, false)
	})
}

func (c *Client) fetchToken(ctx context.Context, force bool) (string, time.Time, error) {
	var r tokenReply
	err := c.do(ctx, request{
		op: "stable_token", method: http.MethodPost, path: "/cgi-bin/stable_token",
		body:           map[string]any{"grant_type": "client_credential", "appid": c.cfg.AppID, "secret": c.cfg.AppSecret, "force_refresh": force},
		retryTransport: true,
	}, &r)
	if err != nil {
		return "", time.Time{}, err
	}
	if r.AccessToken == "" || r.ExpiresIn <= 0 {
		return "", time.Time{}, fmt.Errorf("wechat stable_token: reply lacks access_token or expires_in")
	}
	c.log.Info("wechat access token fetched", "expires_in", r.ExpiresIn, "forced", force)
	return r.AccessToken, useUntil(c.now(), r.ExpiresIn), nil
}

// JSAPITicket is the jsapi_ticket for wx.config signatures, cached globally
// until 5 minutes before it expires (its quota is "very limited"). A refused
// access_token is fetched again once in normal mode, then once forced.
func (c *Client) JSAPITicket(ctx context.Context) (string, error) {
	return c.ticket.get(ctx, c.now(), c.fetchTicket)
}

func (c *Client) fetchTicket(ctx context.Context) (string, time.Time, error) {
	tok, err := c.AccessToken(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	val, until, err := c.getTicket(ctx, tok)
	if !tokenRejected(err) {
		return val, until, err
	}
	c.log.Warn("wechat refused the cached access token; fetching a new one", "errcode", ErrCode(err))
	c.token.invalidate(tok)
	if tok, err = c.AccessToken(ctx); err != nil {
		return "", time.Time{}, err
	}
	val, until, err = c.getTicket(ctx, tok)
	if !tokenRejected(err) {
		return val, until, err
	}
	if !c.force.take(c.now()) {
		return "", time.Time{}, ErrForceRefreshBudget
	}
	c.token.invalidate(tok)
	forced, fUntil, ferr := c.fetchToken(ctx, true)
	if ferr != nil {
		return "", time.Time{}, ferr
	}
	c.token.mu.Lock()
	c.token.val, c.token.until = forced, fUntil
	c.token.mu.Unlock()
	return c.getTicket(ctx, forced)
}

func (c *Client) getTicket(ctx context.Context, accessToken string) (string, time.Time, error) {
	var r ticketReply
	err := c.do(ctx, request{
		op: "getticket", method: http.MethodGet, path: "/cgi-bin/ticket/getticket",
		query:          url.Values{"access_token": {accessToken}, "type": {"jsapi"}},
		retryTransport: true, secrets: []string{accessToken},
	}, &r)
	if err != nil {
		return "", time.Time{}, err
	}
	if r.Ticket == "" || r.ExpiresIn <= 0 {
		return "", time.Time{}, fmt.Errorf("wechat getticket: reply lacks ticket or expires_in")
	}
	c.log.Info("wechat jsapi_ticket fetched", "expires_in", r.ExpiresIn)
	return r.Ticket, useUntil(c.now(), r.ExpiresIn), nil
}

// Fetches counts the network fetches of the access token and the ticket
// (each served many callers from the cache).
func (c *Client) Fetches() (token, ticket int) { return c.token.count(), c.ticket.count() }

// forceBudget keeps force_refresh within WeChat's 20 a day, 30 s apart.
type forceBudget struct {
	mu   sync.Mutex
	day  string
	used int
	last time.Time
}

var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

func (b *forceBudget) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	day := now.In(shanghai).Format("2006-01-02")
	if day != b.day {
		b.day, b.used = day, 0
	}
	if b.used >= 20 || (!b.last.IsZero() && now.Sub(b.last) < 30*time.Second) {
		return false
	}
	b.used++
	b.last = now
	return true
}
