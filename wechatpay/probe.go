package wechatpay

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// ProbeResult is what one signed test call found out.
type ProbeResult struct {
	SentAt     time.Time     // our clock when the request was signed
	Latency    time.Duration // round trip
	ServerTime time.Time     // the reply's Date header; zero when none
	HTTPStatus int
	Err        error // nil: signature accepted and reply verified
}

// Probe makes a harmless signed call (GET /v3/certificates) for the doctor:
// it shows whether WeChat Pay accepts our signature, whether we can verify
// its reply, and its clock. With an APIv3 key the certificates it returns
// are decrypted and kept.
func (c *Client) Probe(ctx context.Context) ProbeResult {
	resp, err := c.send(ctx, http.MethodGet, CertificatesPath, nil)
	if err != nil {
		return ProbeResult{Err: err}
	}
	p := ProbeResult{SentAt: resp.sentAt, Latency: resp.latency, HTTPStatus: resp.status}
	if t, err := http.ParseTime(resp.header.Get("Date")); err == nil {
		p.ServerTime = t
	}
	switch {
	case c.certs != nil:
		p.Err = c.certs.install(func(known certsByKey) (certsByKey, error) { return c.certificatesFromReply(ctx, resp, known) })
	case resp.status < 200 || resp.status > 299:
		p.Err = c.apiError(ctx, CertificatesPath, resp, c.lookupKey)
	default:
		p.Err = verifyReply(ctx, resp.header, resp.body, c.now(), c.lookupKey)
	}
	var ce *CertificateError
	if errors.As(p.Err, &ce) && ce.Err != nil {
		var ae *APIError
		if errors.As(ce.Err, &ae) {
			p.Err = ae // the doctor reads WeChat Pay's refusal, not the wrapper
		}
	}
	return p
}
