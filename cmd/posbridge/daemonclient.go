package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/posbridge/posbridge/config"
)

// daemonClient talks to a running daemon's console API. Over loopback no
// login is needed; a console bound to a LAN address sees the CLI as a LAN
// client, so the CLI sends console.api_token when the config has one.
type daemonClient struct {
	base  string
	token string
	http  *http.Client
}

func newDaemonClient(cfg *config.Config) *daemonClient {
	host, port, err := net.SplitHostPort(cfg.Console.Listen)
	if err != nil {
		host, port = "127.0.0.1", "8686"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return &daemonClient{base: "http://" + net.JoinHostPort(host, port), token: cfg.Console.APIToken,
		http: &http.Client{Timeout: 15 * time.Second}}
}

// errNotRunning says how to start the daemon.
var errNotRunning = errors.New("posbridge is not running here: start it with `posbridge service start` (installed) or `posbridge run`")

// call sends a JSON request and decodes the JSON answer; status is the HTTP status.
func (c *daemonClient) call(method, path string, body any, out any) (int, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Staff-Name", "cli")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) || strings.Contains(err.Error(), "connection refused") {
			return 0, fmt.Errorf("%w (%v)", errNotRunning, err)
		}
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return resp.StatusCode, c.refused()
	}
	if p, ok := out.(*[]byte); ok { // the answer as it came (CSV)
		*p = raw
		return resp.StatusCode, nil
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("unexpected answer %q: %w", raw, err)
		}
	}
	return resp.StatusCode, nil
}

// refused explains a 401: the console is not on loopback and wants a token.
func (c *daemonClient) refused() error {
	if c.token == "" {
		return fmt.Errorf("the console at %s asks for a login: set console.api_token (16+ random characters) in the config "+
			"and restart posbridge; CLI commands send it", c.base)
	}
	return fmt.Errorf("the console at %s refused console.api_token: the running daemon has another token; "+
		"restart it after editing the config, or run this command with the daemon's config (--config)", c.base)
}
