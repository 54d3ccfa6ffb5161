package shouqianba

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/accounts"
	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// DefaultTimeout bounds one call (not documented; the digest's decision).
const DefaultTimeout = 30 * time.Second

// Operator is who 收钱吧 shows as having made our orders and refunds.
const Operator = "posbridge"

// Shanghai is the default zone of "today" for the daily check-in.
var Shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// Options are the parts of a Client that are not configuration.
type Options struct {
	// DataDir holds the terminal file (required).
	DataDir string
	// Name tells apart the terminals of several restaurants in one data
	// folder (e.g. the restaurant id; "" for the shared account).
	Name       string
	HTTPClient *http.Client
	Timeout    time.Duration  // per call, default DefaultTimeout
	Location   *time.Location // the restaurant's zone, for the daily check-in (default Asia/Shanghai)
	Logger     *slog.Logger
	Now        func() time.Time
}

// Client calls 收钱吧 for one terminal. Safe for concurrent use.
type Client struct {
	cfg  Config
	call *wire.Caller
	loc  *time.Location
	log  *slog.Logger
	now  func() time.Time
	pub  *rsa.PublicKey
	file stateFile

	lock chan struct{} // one activation / check-in / state write at a time
	st   *terminalState
}

// ErrNotActivated means there is no terminal yet and no activation code to make one.
var ErrNotActivated = errors.New("shouqianba: the terminal is not activated: set sqb.activation_code to an activation code from 收钱吧 (valid 7 days)")

// New checks cfg and returns a client; the terminal is activated on first use.
func New(cfg Config, o Options) (*Client, error) {
	if !cfg.Configured() {
		return nil, errors.New("shouqianba: no account configured (set payment.sqb.vendor_sn, vendor_key and app_id)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if o.DataDir == "" {
		return nil, errors.New("shouqianba: a data folder for the terminal file is required")
	}
	cfg = cfg.WithDefaults()
	wire.Defaults(&o.HTTPClient, &o.Timeout, DefaultTimeout, &o.Logger, &o.Now)
	if o.Location == nil {
		o.Location = Shanghai
	}
	c := &Client{
		cfg: cfg, loc: o.Location, log: o.Logger, now: o.Now, lock: make(chan struct{}, 1),
		call: &wire.Caller{Provider: "shouqianba", HTTP: o.HTTPClient, Timeout: o.Timeout, Secrets: []string{cfg.VendorKey, cfg.ActivationCode}, Log: o.Logger},
		file: stateFile{path: filepath.Join(o.DataDir, terminalFileName(o.Name, cfg))},
	}
	if cfg.PublicKeyFile != "" {
		k, err := accounts.LoadShouqianbaPublicKey(cfg.PublicKeyFile)
		if err != nil {
			return nil, err
		}
		c.pub = k.(*rsa.PublicKey)
	}
	return c, nil
}

func terminalFileName(name string, cfg Config) string {
	sum := sha256.Sum256([]byte(name + "\x00" + cfg.VendorSN + "\x00" + cfg.AppID + "\x00" + cfg.DeviceID))
	return "shouqianba-terminal-" + hex.EncodeToString(sum[:6]) + ".json"
}

// TerminalFile is where the terminal is kept (for the installer and backups).
func (c *Client) TerminalFile() string { return c.file.path }

// post sends body signed as sn with key and reads the first two layers of
// the reply; it returns biz_response.
func (c *Client) post(ctx context.Context, op, path string, body any, sn, key string) (json.RawMessage, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("shouqianba %s: encode: %w", op, err)
	}
	caller := *c.call
	caller.Secrets = append(append([]string(nil), c.call.Secrets...), key)
	reply, err := caller.Do(ctx, op, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, wire.JoinURL(c.cfg.APIBaseURL, path), bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", Authorization(sn, raw, key))
		return req, nil
	})
	if err != nil {
		return nil, err
	}
	if err := caller.Unusable(op, reply); err != nil {
		return nil, err
	}
	var env envelope
	if err := json.Unmarshal(reply.Body, &env); err != nil || env.ResultCode == "" {
		return nil, provider.NewTransportError("shouqianba", op, reply.Status, nil, "not a 收钱吧 reply: "+wire.Snippet(caller.Scrub(string(reply.Body))))
	}
	if env.ResultCode != "200" {
		e := &Error{Op: op, Layer: "request", ResultCode: env.ResultCode, Code: env.ErrorCode, Message: caller.Scrub(env.ErrorMessage)}
		c.log.Warn("shouqianba call refused", "op", op, "result_code", env.ResultCode, "error_code", env.ErrorCode)
		return nil, e
	}
	if len(env.BizResponse) == 0 {
		return nil, fmt.Errorf("shouqianba %s: reply without biz_response", op)
	}
	return env.BizResponse, nil
}

// acquire takes the terminal lock, or gives up with ctx.
func (c *Client) acquire(ctx context.Context) error {
	select {
	case c.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) release() { <-c.lock }

// upay makes a signed call with the current terminal key and decodes the
// business layer. After a check-in the new key is confirmed by its first
// success; if 收钱吧 refuses it as ILLEGAL_SIGN, the previous key is tried once.
func (c *Client) upay(ctx context.Context, op, path string, body map[string]string) (bizReply, error) {
	st, err := c.ensureTerminal(ctx)
	if err != nil {
		return bizReply{}, err
	}
	body["terminal_sn"] = st.TerminalSN
	raw, err := c.post(ctx, op, path, body, st.TerminalSN, st.TerminalKey)
	if ErrCode(err) == "ILLEGAL_SIGN" && st.PreviousKey != "" {
		c.log.Warn("shouqianba refused the new terminal key; trying the previous one", "op", op)
		if raw, err = c.post(ctx, op, path, body, st.TerminalSN, st.PreviousKey); err == nil {
			c.updateKeys(ctx, st, st.PreviousKey)
		}
	} else if err == nil && st.PreviousKey != "" {
		c.updateKeys(ctx, st, st.TerminalKey)
	}
	if err != nil {
		return bizReply{}, err
	}
	var biz bizReply
	if err := json.Unmarshal(raw, &biz); err != nil {
		return bizReply{}, fmt.Errorf("shouqianba %s: unexpected biz_response: %w", op, err)
	}
	return biz, nil
}

// updateKeys settles on key as the working terminal key.
func (c *Client) updateKeys(ctx context.Context, was terminalState, key string) {
	if err := c.acquire(ctx); err != nil {
		return
	}
	defer c.release()
	if c.st == nil || c.st.TerminalKey != was.TerminalKey {
		return // a check-in replaced it meanwhile
	}
	next := *c.st
	next.TerminalKey, next.PreviousKey = key, ""
	if err := c.file.save(next); err != nil {
		c.log.Error("shouqianba terminal file not updated", "err", err.Error())
		return
	}
	c.st = &next
}

// TerminalInfo describes the activated terminal (never its key).
type TerminalInfo struct {
	TerminalSN  string
	DeviceID    string
	ActivatedAt time.Time
	CheckedInAt time.Time
}

// Terminal activates the terminal if needed and checks in once per day, and
// tells which terminal is in use.
func (c *Client) Terminal(ctx context.Context) (TerminalInfo, error) {
	st, err := c.ensureTerminal(ctx)
	if err != nil {
		return TerminalInfo{}, err
	}
	return TerminalInfo{TerminalSN: st.TerminalSN, DeviceID: st.DeviceID, ActivatedAt: st.ActivatedAt, CheckedInAt: st.CheckedInAt}, nil
}

// sameDay reports whether a and b fall on one calendar day of the restaurant.
func (c *Client) sameDay(a, b time.Time) bool {
	ya, ma, da := a.In(c.loc).Date()
	yb, mb, db := b.In(c.loc).Date()
	return ya == yb && ma == mb && da == db
}

func osInfo() string { return "posbridge" }

func (c *Client) deviceID(prev terminalState) string {
	switch {
	case strings.TrimSpace(c.cfg.DeviceID) != "":
		return strings.TrimSpace(c.cfg.DeviceID)
	case prev.DeviceID != "":
		return prev.DeviceID
	default:
		return "posbridge-" + wire.Nonce(20)
	}
}
