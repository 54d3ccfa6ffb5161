package kaigedian

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
)

// ErrBadSignature means a sign did not verify with the configured public key.
var ErrBadSignature = errors.New("kaigedian: signature does not verify")

// StringToSign renders params the way the platform signs them (§2.1): sorted
// by name in plain byte order, "sign" and empty values left out, each as
// name=value with the raw value (no escaping), joined with "&".
func StringToSign(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k, v := range params {
		if k == "sign" || v == "" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params[k])
	}
	return b.String()
}

// signers bounds how many RSA signatures are computed at once: half the
// processors, at least one. A signature is about a millisecond of pure CPU
// that the Go scheduler does not preempt in between; with every processor
// signing (eight outbox calls at once, say), a push's acknowledgement and
// the database writer waited in the run queue behind them, and ingest
// slowed with its acknowledgements. One core signs 800 calls a second,
// far above what a store makes.
var signers = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

// Sign returns the base64 (standard alphabet, padded) SHA256withRSA
// (RSASSA-PKCS1-v1_5) signature of StringToSign(params).
func Sign(key *rsa.PrivateKey, params map[string]string) (string, error) {
	if key == nil {
		return "", errors.New("kaigedian: no private key to sign with")
	}
	digest := sha256.Sum256([]byte(StringToSign(params)))
	signers <- struct{}{}
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	<-signers
	if err != nil {
		return "", fmt.Errorf("kaigedian: sign: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// Verify checks sign against StringToSign(params) with pub. It returns
// ErrBadSignature (wrapped) when the signature is malformed or does not match.
func Verify(pub *rsa.PublicKey, params map[string]string, sign string) error {
	if pub == nil {
		return errors.New("kaigedian: no public key to verify with")
	}
	// Line breaks and spaces creep into signatures copied through config
	// tools and form encoders; base64 never contains them.
	compact := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, sign)
	if compact == "" {
		return fmt.Errorf("%w: sign is empty", ErrBadSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		return fmt.Errorf("%w: sign is not base64", ErrBadSignature)
	}
	digest := sha256.Sum256([]byte(StringToSign(params)))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return ErrBadSignature
	}
	return nil
}
