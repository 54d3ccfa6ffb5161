package wechatpay

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/wechatpay/wxconfig"
)

// Defaults of ClientOptions.
const (
	DefaultTimeout = 30 * time.Second // the official SDK's
	maxReplyBytes  = 1 << 20
)

// ClientOptions tune a Client; every field may be left zero.
type ClientOptions struct {
	HTTPClient *http.Client  // default: a client of its own with Timeout
	Timeout    time.Duration // one HTTP attempt (default 30s); ignored with HTTPClient
	Now        func() time.Time
	Logger     *slog.Logger
	Version    string // posbridge's version, for the User-Agent
}

// Client calls WeChat Pay APIv3 as the 服务商 or 渠道商 of the Config. It is
// safe for concurrent use.
type Client struct {
	cfg    Config
	creds  Credentials
	signer Signer
	base   *url.URL
	hc     *http.Client
	now    func() time.Time
	log    *slog.Logger
	ua     string
	certs  *certStore // nil when no APIv3 key is configured
}

// NewClient checks the Config's credentials and returns a client. It does
// not reach the network: platform certificates are downloaded when the
// first reply needs them.
func NewClient(cfg Config, creds *Credentials, opts ClientOptions) (*Client, error) {
	var missing []string
	if cfg.MerchantID() == "" {
		missing = append(missing, "the merchant id (sp_mchid, or channel_id in mode channel)")
	}
	if strings.TrimSpace(cfg.MerchantSerialNo) == "" {
		missing = append(missing, "merchant_serial_no")
	}
	if creds == nil || creds.MerchantKey == nil {
		missing = append(missing, "the merchant private key")
	}
	if cfg.UsesPublicKey() && (creds == nil || creds.PublicKey == nil) {
		missing = append(missing, "the WeChat Pay public key of public_key_id")
	}
	if !cfg.UsesPublicKey() && !cfg.UsesCertificates() {
		missing = append(missing, "a way to verify replies (public_key_id with public_key_file, or apiv3_key)")
	}
	if cfg.UsesCertificates() && len(cfg.APIv3Key) != wxconfig.APIv3KeyLen {
		missing = append(missing, fmt.Sprintf("an APIv3 key of %d characters", wxconfig.APIv3KeyLen))
	}
	base, err := url.Parse(strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		missing = append(missing, fmt.Sprintf("a base_url like %s (got %q)", DefaultBaseURL, cfg.BaseURL))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("wechatpay: cannot make a client without %s", strings.Join(missing, ", "))
	}
	c := &Client{
		cfg: cfg, creds: *creds, base: base, now: opts.Now, log: opts.Logger,
		signer: Signer{MchID: cfg.MerchantID(), SerialNo: strings.TrimSpace(cfg.MerchantSerialNo), Key: creds.MerchantKey},
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.hc = opts.HTTPClient
	if c.hc == nil {
		timeout := opts.Timeout
		if timeout <= 0 {
			timeout = DefaultTimeout
		}
		c.hc = &http.Client{Timeout: timeout}
	}
	// A redirect would send the signed request to a URI it was not signed
	// for; WeChat Pay does not redirect, so one is an error.
	hc := *c.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.hc = &hc
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	c.ua = fmt.Sprintf("posbridge/%s (%s/%s) Go/%s", version, runtime.GOOS, runtime.GOARCH, strings.TrimPrefix(runtime.Version(), "go"))
	if cfg.UsesCertificates() {
		c.certs = &certStore{download: c.downloadCertificates, now: c.now}
	}
	return c, nil
}

// Reply is a verified success.
type Reply struct {
	HTTPStatus int
	RequestID  string
	Body       []byte
}

// rawResponse is a reply as read, before verification.
type rawResponse struct {
	status  int
	header  http.Header
	body    []byte
	sentAt  time.Time
	latency time.Duration
}

// send signs and sends one request and reads the reply, without verifying
// it. Failures to reach WeChat Pay or read the reply are *TransportError.
func (c *Client) send(ctx context.Context, method, path string, body []byte) (*rawResponse, error) {
	u := *c.base
	rel, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: bad path %q: %w", path, err)
	}
	u.Path = strings.TrimRight(c.base.Path, "/") + rel.Path
	u.RawQuery = rel.RawQuery
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), reader)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: %w", err)
	}
	nonce, err := NewNonce()
	if err != nil {
		return nil, fmt.Errorf("wechatpay: nonce: %w", err)
	}
	sentAt := c.now()
	auth, err := c.signer.Authorization(method, req.URL.RequestURI(), body, sentAt.Unix(), nonce)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, &TransportError{Path: path, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	if err != nil {
		return nil, &TransportError{Path: path, Err: fmt.Errorf("reading the reply: %w", err)}
	}
	if len(data) > maxReplyBytes {
		return nil, &TransportError{Path: path, Err: fmt.Errorf("reply larger than %d bytes", maxReplyBytes)}
	}
	r := &rawResponse{status: resp.StatusCode, header: resp.Header, body: data, sentAt: sentAt, latency: time.Since(start)}
	c.log.Debug("wechatpay call", "method", method, "path", path, "status", r.status,
		"request_id", resp.Header.Get(HeaderRequestID), "ms", r.latency.Milliseconds())
	return r, nil
}

// do sends a request and verifies the reply: a 2xx whose signature does
// not check out is a *VerifyError, a 4xx/5xx is an *APIError.
func (c *Client) do(ctx context.Context, method, path string, body []byte) (*Reply, error) {
	resp, err := c.send(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	if resp.status < 200 || resp.status > 299 {
		return nil, c.apiError(ctx, path, resp, c.lookupKey)
	}
	if err := verifyReply(ctx, resp.header, resp.body, c.now(), c.lookupKey); err != nil {
		var ve *VerifyError
		if errors.As(err, &ve) {
			ve.Path, ve.HTTPStatus = path, resp.status
		}
		c.log.Warn("wechatpay reply refused", "path", path, "status", resp.status, "err", err)
		return nil, err
	}
	return &Reply{HTTPStatus: resp.status, RequestID: resp.header.Get(HeaderRequestID), Body: resp.body}, nil
}

// apiError reads an error reply. Its signature is checked when it carries
// one; the result is recorded in the error, not a reason to hide it.
func (c *Client) apiError(ctx context.Context, path string, resp *rawResponse, lookup keyLookup) *APIError {
	e := &APIError{HTTPStatus: resp.status, Path: path, RequestID: resp.header.Get(HeaderRequestID)}
	var b errorBody
	if json.Unmarshal(resp.body, &b) == nil {
		e.Code, e.Message, e.Detail = b.Code, b.Message, redactDetail(b.Detail)
	}
	if s := resp.header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			e.RetryAfter = time.Duration(n) * time.Second
		}
	}
	if hasSignatureHeaders(resp.header) {
		verr := verifyReply(ctx, resp.header, resp.body, c.now(), lookup)
		e.Verified = verr == nil
		if verr != nil {
			c.log.Warn("wechatpay error reply not verified", "path", path, "status", resp.status, "err", verr)
		}
	}
	return e
}

// lookupKey finds the key of a Wechatpay-Serial: the configured public key,
// or a platform certificate (downloaded when missing).
func (c *Client) lookupKey(ctx context.Context, serial string) (*rsa.PublicKey, error) {
	if c.isPublicKeyID(serial) {
		return c.creds.PublicKey, nil
	}
	if c.certs != nil {
		return c.certs.key(ctx, serial)
	}
	return nil, fmt.Errorf("serial %s is not the configured public key id %s (set apiv3_key too to accept platform certificates)", serial, c.cfg.PublicKeyID)
}

func (c *Client) isPublicKeyID(serial string) bool {
	return c.cfg.UsesPublicKey() && c.creds.PublicKey != nil && strings.EqualFold(strings.TrimSpace(serial), strings.TrimSpace(c.cfg.PublicKeyID))
}

// RefreshCertificates downloads the platform certificates now. Only useful
// with an APIv3 key; the Client otherwise refreshes them when it needs to.
func (c *Client) RefreshCertificates(ctx context.Context) ([]PlatformCertificate, error) {
	if c.certs == nil {
		return nil, errors.New("wechatpay: no apiv3_key: platform certificates are not used")
	}
	if err := c.certs.refresh(ctx); err != nil {
		return nil, err
	}
	return c.certs.snapshot(), nil
}

// Certificates returns the platform certificates held now (none before the
// first download).
func (c *Client) Certificates() []PlatformCertificate {
	if c.certs == nil {
		return nil
	}
	return c.certs.snapshot()
}
