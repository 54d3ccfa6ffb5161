package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"time"

	"github.com/posbridge/posbridge/config"
)

// platformProbe is the result of a harmless signed query to 开个店.
type platformProbe struct {
	ServerTime time.Time // the platform's clock (its Date header)
	Latency    time.Duration
}

// doctorPlatformProbe signs a harmless query with the configured credentials.
// The wiring that owns the kaigedian client sets it (kaigedian.Client.Probe);
// while it is nil the credentials row says it was not checked and the clock
// is read from a plain request to base_url.
var doctorPlatformProbe func(ctx context.Context, cfg *config.Config) (platformProbe, error)

// platformProbe runs doctorPlatformProbe once per doctor run.
func (env *doctorEnv) platformProbe(ctx context.Context) (platformProbe, error) {
	env.probeOnce.Do(func() { env.probe, env.probeErr = doctorPlatformProbe(ctx, env.cfg) })
	return env.probe, env.probeErr
}

const (
	clockWarnSkew = 30 * time.Second
	clockFailSkew = 2 * time.Minute
)

func checkPlatformClock(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "platform clock"}
	cfg := env.cfg
	if cfg.Platform.Mode != config.ModeLive {
		row.Status, row.Result = statusSkip, "platform.mode is "+cfg.Platform.Mode+": no platform to compare with"
		return []checkRow{row}
	}
	serverTime, latency, err := platformTime(ctx, env)
	if err != nil {
		row.Status, row.Result = statusFail, err.Error()
		row.Fix = "check this PC's internet connection and platform.base_url; a firewall or proxy must allow HTTPS to " + hostOf(cfg.Platform.BaseURL)
		return []checkRow{row}
	}
	// The Date header has one-second resolution; compare with the middle of the round trip.
	local := env.now().Add(-latency / 2)
	skew := serverTime.Sub(local).Round(time.Second)
	return []checkRow{clockVerdict(skew, latency)}
}

func clockVerdict(skew, latency time.Duration) checkRow {
	row := checkRow{Check: "platform clock", Status: statusOK}
	abs := skew.Abs()
	direction := "ahead of"
	if skew > 0 {
		direction = "behind"
	}
	row.Result = fmt.Sprintf("platform reachable in %d ms; this PC's clock is %s %s the platform's", latency.Milliseconds(), abs, direction)
	if abs <= time.Second {
		row.Result = fmt.Sprintf("platform reachable in %d ms; clocks agree", latency.Milliseconds())
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

// platformTime reads the platform's clock through the probe, or from the
// Date header of any answer from base_url.
func platformTime(ctx context.Context, env *doctorEnv) (time.Time, time.Duration, error) {
	if doctorPlatformProbe != nil {
		p, err := env.platformProbe(ctx)
		return p.ServerTime, p.Latency, err
	}
	base := env.cfg.Platform.BaseURL
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base, nil)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("platform.base_url %q: %w", base, err)
	}
	start := time.Now()
	resp, err := env.http.Do(req)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("cannot reach the platform at %s: %w", base, err)
	}
	resp.Body.Close()
	latency := time.Since(start)
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return time.Time{}, latency, fmt.Errorf("the platform at %s sent no usable Date header (HTTP %d)", base, resp.StatusCode)
	}
	return date, latency, nil
}

func checkCredentials(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "credentials"}
	if env.cfg.Platform.Mode != config.ModeLive {
		row.Status, row.Result = statusSkip, "platform.mode is "+env.cfg.Platform.Mode+": no credentials in use"
		return []checkRow{row}
	}
	if doctorPlatformProbe == nil {
		row.Status, row.Result = statusSkip, "not checked by this build (no signed test query)"
		return []checkRow{row}
	}
	p, err := env.platformProbe(ctx)
	if err != nil {
		row.Status, row.Result = statusFail, err.Error()
		row.Fix = "compare platform.partner_id, app_id, access_token and private_key_file with what 开个店 gave you; the merchant public key registered with 开个店 must belong to private_key_file"
		return []checkRow{row}
	}
	row.Status, row.Result = statusOK, fmt.Sprintf("signed test query accepted in %d ms", p.Latency.Milliseconds())
	return []checkRow{row}
}

// pushHealthPath is served by the push listener for this check and for
// monitoring.
const pushHealthPath = "/kaigedian/push/health"

func checkPushListener(ctx context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "push listener"}
	p := env.cfg.Push
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
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			row.Status, row.Result = statusFail, fmt.Sprintf("%s answered HTTP %d", target, resp.StatusCode)
			row.Fix = "another program holds port " + portOf(p.Listen) + ": stop it or change push.listen (and the push address registered with 开个店)"
			break
		}
		row.Status, row.Result = statusOK, fmt.Sprintf("%s answers in %d ms", target, time.Since(start).Milliseconds())
	}
	return []checkRow{row}
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

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

func portOf(listen string) string {
	if _, port, err := net.SplitHostPort(listen); err == nil {
		return port
	}
	return listen
}
