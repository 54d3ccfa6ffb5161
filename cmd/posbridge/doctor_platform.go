package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/rsakeys"
	"github.com/posbridge/posbridge/kaigedian"
)

// probeTimeout bounds the signed test query: the doctor must not hang on a
// platform that does not answer.
const probeTimeout = 8 * time.Second

// probePlatform sends kaigedian.Client.Probe, a harmless signed one-second
// batchQuery of the first store, with the configured credentials and no
// retries. It checks address, credentials and signature, and reads the
// platform's clock from the Date header of any answer.
func probePlatform(ctx context.Context, cfg *config.Config) (kaigedian.ProbeResult, error) {
	p := cfg.Platform
	keyData, err := os.ReadFile(p.PrivateKeyFile)
	if err != nil {
		return kaigedian.ProbeResult{}, fmt.Errorf("platform.private_key_file: %w", err)
	}
	key, err := rsakeys.ParsePrivate(keyData)
	if err != nil {
		return kaigedian.ProbeResult{}, fmt.Errorf("platform.private_key_file %s: %w", p.PrivateKeyFile, err)
	}
	client, err := kaigedian.NewClient(kaigedian.Config{
		BaseURL: p.BaseURL, PartnerID: p.PartnerID, AppID: p.AppID, AccessToken: p.AccessToken, PrivateKey: key,
		Timeout: min(p.Timeout, probeTimeout), QueryRetries: -1, OrderClients: p.OrderClients,
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return kaigedian.ProbeResult{}, err
	}
	if len(cfg.Stores) == 0 {
		return kaigedian.ProbeResult{}, errors.New("no store to query: add stores to the config")
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	return client.Probe(ctx, cfg.Stores[0].ID)
}

// platformProbe runs probePlatform once per doctor run: the clock and the
// credentials rows share it.
func (env *doctorEnv) platformProbe(ctx context.Context) (kaigedian.ProbeResult, error) {
	env.probeOnce.Do(func() { env.probe, env.probeErr = probePlatform(ctx, env.cfg) })
	return env.probe, env.probeErr
}

const (
	clockWarnSkew = 30 * time.Second
	clockFailSkew = 2 * time.Minute
)

func checkPlatformClock(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "platform clock"}
	cfg := env.cfg
	if cfg.SetupMode() {
		row.Status, row.Result = statusSkip, "setup mode: no credentials to reach the platform with"
		return []checkRow{row}
	}
	if cfg.Platform.Mode != config.ModeLive {
		row.Status, row.Result = statusSkip, "platform.mode is "+cfg.Platform.Mode+": no platform to compare with"
		return []checkRow{row}
	}
	p, err := env.platformProbe(ctx)
	switch {
	case p.ServerTime.IsZero() && err != nil:
		row.Status, row.Result = statusFail, "no answer from the platform: "+err.Error()
		row.Fix = reachFix(cfg)
		return []checkRow{row}
	case p.ServerTime.IsZero():
		row.Status, row.Result = statusWarn, "the platform's answer carries no Date header: the clock cannot be compared"
		row.Fix = "make sure Windows or Linux sets the time automatically (internet time)"
		return []checkRow{row}
	}
	// The Date header has one-second resolution; compare with the middle of
	// the round trip.
	local := env.now().Add(-p.Latency / 2)
	return []checkRow{clockVerdict(p.ServerTime.Sub(local).Round(time.Second), p.Latency)}
}

func reachFix(cfg *config.Config) string {
	return "check this PC's internet connection and platform.base_url; a firewall or proxy must allow " +
		schemeOf(cfg.Platform.BaseURL) + " to " + hostPortOf(cfg.Platform.BaseURL)
}

// schemeOf is HTTP or HTTPS, as base_url says (an http base_url is not reached over HTTPS).
func schemeOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Scheme == "http" {
		return "HTTP"
	}
	return "HTTPS"
}

// hostPortOf is base_url's host with the port it is reached on.
func hostPortOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "http" {
		return u.Host + " (port 80)"
	}
	return u.Host + " (port 443)"
}

func clockVerdict(skew, latency time.Duration) checkRow {
	row := checkRow{Check: "platform clock", Status: statusOK}
	abs := skew.Abs()
	direction := "ahead of"
	if skew > 0 {
		direction = "behind"
	}
	row.Result = fmt.Sprintf("platform answered in %d ms; this PC's clock is %s %s the platform's", latency.Milliseconds(), abs, direction)
	if abs <= time.Second {
		row.Result = fmt.Sprintf("platform answered in %d ms; clocks agree", latency.Milliseconds())
	}
	fix := "turn on automatic time: Windows Settings › Time & language › Date & time › Set time automatically, then Sync now; Linux: sudo timedatectl set-ntp true"
	switch {
	case abs > clockFailSkew:
		row.Status, row.Fix = statusFail, fix+" (a wrong clock misses orders in time-window queries and prints wrong times)"
	case abs > clockWarnSkew:
		row.Status, row.Fix = statusWarn, fix
	}
	return row
}

func checkCredentials(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "credentials"}
	if env.cfg.SetupMode() {
		row.Status, row.Result = statusFail, env.cfg.SetupMessage()
		row.Fix = "fill in " + strings.Join(env.cfg.SetupMissing(), ", ") + " in " + env.cfg.File +
			" with what 开个店 gave you (partner id, app id, access token, the API address, your merchant private key file), then restart posbridge and run `posbridge doctor` again"
		return []checkRow{row}
	}
	if env.cfg.Platform.Mode != config.ModeLive {
		row.Status, row.Result = statusSkip, "platform.mode is "+env.cfg.Platform.Mode+": no credentials in use"
		return []checkRow{row}
	}
	p, err := env.platformProbe(ctx)
	var platformErr *kaigedian.PlatformError
	var transportErr *kaigedian.TransportError
	switch {
	case err == nil:
		row.Status, row.Result = statusOK, fmt.Sprintf("signed test query for store %s accepted in %d ms", env.cfg.Stores[0].ID, p.Latency.Milliseconds())
	case errors.As(err, &transportErr):
		row.Status, row.Result, row.Fix = statusFail, err.Error(), reachFix(env.cfg)
	case errors.As(err, &platformErr) && platformErr.Code == "":
		row.Status, row.Result = statusFail, err.Error()
		row.Fix = "platform.base_url does not lead to the 开个店 API: copy the address 开个店 gave you exactly (it usually ends in /openapi)"
	default:
		row.Status, row.Result = statusFail, err.Error()
		row.Fix = "compare platform.partner_id, app_id, access_token and private_key_file with what 开个店 gave you; the merchant public key registered with 开个店 must belong to private_key_file, and the first store id must be one of yours"
	}
	return []checkRow{row}
}

// pushHealthPath is served by the push listener for this check and for
// monitoring.
const pushHealthPath = "/kaigedian/push/health"

func checkPushListener(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "push listener"}
	p := env.cfg.Push
	if env.cfg.SetupMode() {
		row.Status, row.Result = statusSkip, "setup mode: the push receiver opens once the credentials are set"
		return []checkRow{row}
	}
	if p.Listen == "" {
		row.Status, row.Result = statusSkip, "push.listen is empty: orders come by polling only"
		return []checkRow{row}
	}
	target, client, err := pushHealthTarget(env)
	if err != nil {
		row.Status, row.Result, row.Fix = statusFail, err.Error(), "write push.listen as host:port, like 127.0.0.1:8687"
		return []checkRow{row}
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if p.Token != "" {
		req.Header.Set("X-Push-Token", p.Token)
	}
	start := time.Now()
	resp, err := client.Do(req)
	switch {
	case err != nil && isConnRefused(err) && env.daemonPID == 0:
		row.Status, row.Result = statusFail, "nothing listens on "+p.Listen+": posbridge is not running"
		row.Fix = startFix()
	case err != nil && isConnRefused(err):
		row.Status, row.Result = statusFail, "posbridge runs but nothing listens on "+p.Listen
		row.Fix = "read the log for the push listener's error: another program may hold the port; free it or change push.listen"
	case err != nil:
		row.Status, row.Result = statusFail, "no answer from "+target+": "+err.Error()
		row.Fix = "a firewall or another program on port " + portOf(p.Listen) + " is in the way; restart posbridge and read its log"
	default:
		elapsed := time.Since(start)
		var health struct {
			Service  string `json:"service"`
			Instance string `json:"instance"`
		}
		decodeErr := json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&health)
		resp.Body.Close()
		heldFix := "stop that program (or the other posbridge: `posbridge doctor --config` with its config names its data folder), " +
			"or give this posbridge another push.listen (and register the new push address with 开个店)"
		switch {
		case resp.StatusCode != http.StatusOK || decodeErr != nil || health.Service != "posbridge":
			row.Status, row.Result = statusFail, fmt.Sprintf("another program answers on %s (HTTP %d, not posbridge's push receiver)", p.Listen, resp.StatusCode)
			row.Fix = "another program holds port " + portOf(p.Listen) + ": " + heldFix
		case env.daemonPID == 0:
			row.Status = statusFail
			row.Result = "another posbridge answers on " + p.Listen + " while this one (data folder " + env.cfg.DataDir + ") is not running: this one cannot open its push receiver"
			row.Fix = heldFix
		default:
			mine, err := daemonInstance(env.cfg)
			switch {
			case err != nil:
				row.Status, row.Result = statusWarn, fmt.Sprintf("%s answers in %d ms, but the running posbridge's console did not say whether it is its own: %v",
					target, elapsed.Milliseconds(), err)
				row.Fix = "check that console.listen and console.api_token in this config match the running posbridge's"
			case mine != health.Instance:
				row.Status = statusFail
				row.Result = "another posbridge answers on " + p.Listen + ", not the one running on data folder " + env.cfg.DataDir
				row.Fix = heldFix
			default:
				row.Status, row.Result = statusOK, fmt.Sprintf("%s answers in %d ms", target, elapsed.Milliseconds())
			}
		}
	}
	return []checkRow{row}
}

// daemonInstance asks the running daemon's console which run it is (the
// push receiver's health says the same of itself).
func daemonInstance(cfg *config.Config) (string, error) {
	var res struct {
		Instance string `json:"instance"`
	}
	status, err := newDaemonClient(cfg).call("GET", "/api/health", nil, &res)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK || res.Instance == "" {
		return "", fmt.Errorf("/api/health answered HTTP %d without an instance", status)
	}
	return res.Instance, nil
}

// pushHealthTarget is the health URL on the local side of push.listen. TLS
// is not verified: the certificate names the public host, not 127.0.0.1.
func pushHealthTarget(env *doctorEnv) (string, *http.Client, error) {
	p := env.cfg.Push
	host, port, err := net.SplitHostPort(p.Listen)
	if err != nil {
		return "", nil, fmt.Errorf("push.listen %q: %w", p.Listen, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	scheme, client := "http", env.http
	if p.TLSCertFile != "" {
		scheme = "https"
		client = &http.Client{Timeout: env.http.Timeout, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // local health check only
		}}
	}
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port), Path: pushHealthPath}
	return u.String(), client, nil
}

func startFix() string {
	if runtime.GOOS == "windows" {
		return "start it: `posbridge service start` as administrator (or Services › posbridge › Start); if it stops again, read C:\\ProgramData\\posbridge\\logs\\posbridge.log"
	}
	return "start it: sudo systemctl start posbridge; if it stops again, read journalctl -u posbridge -n 50"
}

func portOf(listen string) string {
	if _, port, err := net.SplitHostPort(listen); err == nil {
		return port
	}
	return listen
}
