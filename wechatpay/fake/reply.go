package fake

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// staleBy is how old a FaultStaleReply's timestamp is.
const staleBy = 10 * time.Minute

// signReply sets the Wechatpay-* headers of a reply: timestamp, nonce and
// body signed with the public-key pair or the newest platform certificate.
// Reply faults spoil them as asked.
func (s *Server) signReply(h http.Header, body []byte, fault *Fault) {
	now := s.now()
	s.mu.Lock()
	key, serial := s.key, s.opts.PublicKeyID
	if s.signWith == SignWithCertificate {
		c := s.certs[len(s.certs)-1]
		key, serial = c.key, c.serial
	}
	s.mu.Unlock()
	kind := FaultNone
	if fault != nil {
		kind = fault.Kind
	}
	ts := now
	if kind == FaultStaleReply {
		ts = now.Add(-staleBy)
	}
	if kind == FaultUnknownSerial {
		serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1" // nobody's certificate
	}
	tsText := strconv.FormatInt(ts.Unix(), 10)
	nonce := randomString(32)
	signed := tsText + "\n" + nonce + "\n" + string(body) + "\n"
	if kind == FaultTamperedReply {
		signed = tsText + "\n" + nonce + "\n" + string(body) + "{}\n" // the body was changed after signing
	}
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("Request-ID", "08"+randomString(30))
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Timestamp", tsText)
	h.Set("Wechatpay-Serial", serial)
	h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	h.Set("Wechatpay-Signature-Type", authScheme)
}
