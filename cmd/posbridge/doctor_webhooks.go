package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/store"
)

// checkWebhooks tells, per receiver, whether it can be reached and whether
// events are waiting for it or were given up.
func checkWebhooks(ctx context.Context, env *doctorEnv) []checkRow {
	var hooks []config.WebhookConfig
	for _, w := range env.cfg.Webhooks {
		if w.On() {
			hooks = append(hooks, w)
		}
	}
	if len(hooks) == 0 {
		return []checkRow{{Check: "webhooks", Status: statusSkip, Result: "no receivers configured"}}
	}
	db, err := openExistingDatabase(ctx, env.cfg)
	if err != nil && !errors.Is(err, errNoDatabase) {
		return []checkRow{{Check: "webhooks", Status: statusWarn, Result: "cannot read the deliveries: " + err.Error(),
			Fix: "see the database row above"}}
	}
	if db != nil {
		defer db.Close()
	}
	var rows []checkRow
	for _, w := range hooks {
		rows = append(rows, webhookRow(ctx, db, w))
	}
	return rows
}

func webhookRow(ctx context.Context, db *store.DB, w config.WebhookConfig) checkRow {
	masked := config.MaskURL(w.URL)
	row := checkRow{Check: "webhook " + masked}
	var h store.WebhookHealth
	if db != nil {
		var err error
		if h, err = db.WebhookHealthOf(ctx, w.URL); err != nil {
			row.Status, row.Result, row.Fix = statusWarn, "cannot read its deliveries: "+err.Error(), "see the database row above"
			return row
		}
	}
	if err := dialReceiver(ctx, w.URL); err != nil {
		row.Status, row.Result = statusFail, fmt.Sprintf("cannot connect: %v (%d event(s) waiting)", err, h.Pending)
		row.Fix = "check the url, that the receiver runs and that this PC may reach it (firewall, proxy)"
		return row
	}
	switch {
	case h.Failed > 0:
		row.Status = statusFail
		row.Result = fmt.Sprintf("%d event(s) were given up after a day of retries, %d waiting; last answer: %s", h.Failed, h.Pending, h.LastError)
		row.Fix = "fix the receiver, then resend them: console 平台 → 对外推送 → 立即重发 (or POST /api/webhooks/deliveries/{id}/retry)"
	case h.Pending > 0 && h.LastError != "":
		row.Status = statusWarn
		row.Result = fmt.Sprintf("reachable; %d event(s) waiting for a retry; last answer: %s", h.Pending, h.LastError)
		row.Fix = "the receiver refuses or fails: check its log; it must answer 2xx and verify X-Posbridge-Signature with the secret"
	default:
		row.Status, row.Result = statusOK, fmt.Sprintf("reachable; %d event(s) delivered, none waiting", h.Delivered)
	}
	return row
}

// dialReceiver opens (and closes) a TCP connection to the receiver.
func dialReceiver(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		var ne *net.OpError
		if errors.As(err, &ne) && ne.Err != nil {
			return ne.Err
		}
		return err
	}
	return c.Close()
}
