package main

import (
	"context"

	"github.com/posbridge/posbridge/wechatpay"
)

// checkWeChatPay runs the WeChat Pay sync's own checks when the section is
// on: the merchant key and certificate, the public key, then one signed
// harmless call for the credentials and the clock.
func checkWeChatPay(ctx context.Context, env *doctorEnv) []checkRow {
	cfg := env.cfg.WeChatPay
	if !cfg.Enabled {
		return []checkRow{{Check: "wechatpay", Status: statusSkip, Result: "wechatpay.enabled is false: scan-to-order orders are not reported to WeChat Pay"}}
	}
	var rows []checkRow
	checks := wechatpay.DoctorKeyFiles(&cfg, "", env.now())
	checks = append(checks, wechatpay.DoctorPublicKey(&cfg))
	for _, c := range checks {
		rows = append(rows, wechatRow(c))
	}
	creds, err := wechatpay.LoadCredentials(&cfg)
	if err != nil {
		return append(rows, checkRow{Check: "wechatpay credentials", Status: statusSkip,
			Result: "not tried: the key files above must be fixed first"})
	}
	client, err := wechatpay.NewClient(cfg, creds, wechatpay.ClientOptions{HTTPClient: env.http, Now: env.now, Version: version})
	if err != nil {
		return append(rows, checkRow{Check: "wechatpay credentials", Status: statusFail, Result: err.Error(),
			Fix: "fix the wechatpay section (posbridge config check lists what is wrong)"})
	}
	probe := client.Probe(ctx)
	return append(rows, wechatRow(wechatpay.DoctorCredentials(probe)), wechatRow(wechatpay.DoctorClock(probe)))
}

func wechatRow(c wechatpay.DoctorCheck) checkRow {
	st := statusOK
	switch c.Status {
	case wechatpay.DoctorWarn:
		st = statusWarn
	case wechatpay.DoctorFail:
		st = statusFail
	case wechatpay.DoctorSkip:
		st = statusSkip
	}
	return checkRow{Check: c.Check, Status: st, Result: c.Result, Fix: c.Fix}
}
