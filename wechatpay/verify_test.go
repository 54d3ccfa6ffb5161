package wechatpay

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func signedReply(t *testing.T, key *rsa.PrivateKey, serial string, ts time.Time, body []byte) http.Header {
	t.Helper()
	nonce := "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
	tsText := strconv.FormatInt(ts.Unix(), 10)
	sum := sha256.Sum256(ReplyMessage(tsText, nonce, body))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(HeaderSerial, serial)
	h.Set(HeaderTimestamp, tsText)
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	h.Set(HeaderSignatureType, AuthScheme)
	return h
}

func TestVerifyReply(t *testing.T) {
	_, w := testKeys(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"data":[]}`)
	lookup := func(_ context.Context, serial string) (*rsa.PublicKey, error) {
		if serial == testPubKeyID {
			return &w.PublicKey, nil
		}
		return nil, errors.New("unknown")
	}
	tests := []struct {
		name   string
		header func() http.Header
		body   []byte
		reason VerifyReason // "" = verifies
	}{
		{"good", func() http.Header { return signedReply(t, w, testPubKeyID, now, body) }, body, ""},
		{"good, empty 204", func() http.Header { return signedReply(t, w, testPubKeyID, now, nil) }, nil, ""},
		{"4m59s old", func() http.Header {
			return signedReply(t, w, testPubKeyID, now.Add(-4*time.Minute-59*time.Second), body)
		}, body, ""},
		{"5 minutes old", func() http.Header { return signedReply(t, w, testPubKeyID, now.Add(-5*time.Minute), body) }, body, VerifyStale},
		{"5 minutes ahead", func() http.Header { return signedReply(t, w, testPubKeyID, now.Add(5*time.Minute), body) }, body, VerifyStale},
		{"body changed", func() http.Header { return signedReply(t, w, testPubKeyID, now, body) }, []byte(`{"data":[1]}`), VerifyBadSignature},
		{"other key", func() http.Header { m, _ := testKeys(t); return signedReply(t, m, testPubKeyID, now, body) }, body, VerifyBadSignature},
		{"unknown serial", func() http.Header { return signedReply(t, w, "PUB_KEY_ID_999", now, body) }, body, VerifyUnknownSerial},
		{"probe signature", func() http.Header {
			h := signedReply(t, w, testPubKeyID, now, body)
			h.Set(HeaderSignature, "WECHATPAY/SIGNTEST/"+h.Get(HeaderSignature))
			return h
		}, body, VerifyBadSignature},
		{"not base64", func() http.Header {
			h := signedReply(t, w, testPubKeyID, now, body)
			h.Set(HeaderSignature, "!!")
			return h
		}, body, VerifyBadSignature},
		{"other type", func() http.Header {
			h := signedReply(t, w, testPubKeyID, now, body)
			h.Set(HeaderSignatureType, "WECHATPAY2-SM2-WITH-SM3")
			return h
		}, body, VerifyBadSignature},
		{"timestamp in ms", func() http.Header {
			h := signedReply(t, w, testPubKeyID, now, body)
			h.Set(HeaderTimestamp, strconv.FormatInt(now.UnixMilli(), 10))
			return h
		}, body, VerifyStale},
	}
	for _, name := range []string{HeaderSerial, HeaderSignature, HeaderTimestamp, HeaderNonce} {
		tests = append(tests, struct {
			name   string
			header func() http.Header
			body   []byte
			reason VerifyReason
		}{"no " + name, func() http.Header { h := signedReply(t, w, testPubKeyID, now, body); h.Del(name); return h }, body, VerifyMissingHeaders})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyReply(context.Background(), tt.header(), tt.body, now, lookup)
			if tt.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ve *VerifyError
			if !errors.As(err, &ve) || ve.Reason != tt.reason {
				t.Fatalf("err %v, want %s", err, tt.reason)
			}
		})
	}
}
