package wechatpay

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/wechatpay/wxconfig"
)

// CertificatesPath is the platform certificate download endpoint.
const CertificatesPath = "/v3/certificates"

// Refresh timing of the platform certificates.
const (
	// CertRefreshEvery: certificates are downloaded again after this long,
	// so a rotated one is known before WeChat Pay signs with it.
	CertRefreshEvery = 12 * time.Hour
	// certRetryAfter: after a failed download, or a serial that the last
	// download did not have, wait this long before asking again.
	certRetryAfter = time.Minute
)

// certificatesReply is the answer of GET /v3/certificates.
type certificatesReply struct {
	Data []struct {
		SerialNo           string `json:"serial_no"`
		EffectiveTime      string `json:"effective_time"`
		ExpireTime         string `json:"expire_time"`
		EncryptCertificate struct {
			Algorithm      string `json:"algorithm"`
			Nonce          string `json:"nonce"`
			AssociatedData string `json:"associated_data"`
			Ciphertext     string `json:"ciphertext"`
		} `json:"encrypt_certificate"`
	} `json:"data"`
}

// DecryptAEADAES256GCM opens an AEAD_AES_256_GCM resource of WeChat Pay:
// the key is the APIv3 key, the nonce and associated data are the strings'
// bytes, the ciphertext is base64 with the 16-byte tag at its end.
func DecryptAEADAES256GCM(apiv3Key, nonce, associatedData, ciphertext string) ([]byte, error) {
	if len(apiv3Key) != wxconfig.APIv3KeyLen {
		return nil, fmt.Errorf("the APIv3 key has %d bytes, not %d", len(apiv3Key), wxconfig.APIv3KeyLen)
	}
	raw, err := base64.StdEncoding.DecodeString(ciphertext)
	if err != nil {
		return nil, fmt.Errorf("ciphertext is not base64: %w", err)
	}
	block, err := aes.NewCipher([]byte(apiv3Key))
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCMWithNonceSize(block, max(len(nonce), 1))
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, []byte(nonce), raw, []byte(associatedData))
	if err != nil {
		return nil, errors.New("decryption failed: wrong APIv3 key, or the data was altered")
	}
	return plain, nil
}

// PlatformCertificate is a decrypted WeChat Pay platform certificate.
type PlatformCertificate struct {
	Serial string // upper-case hex, as in Wechatpay-Serial
	Cert   *x509.Certificate
}

// decodeCertificates decrypts and parses every certificate of a reply.
// Expired ones are dropped. The GCM tag proves each came from someone who
// knows the APIv3 key, that is WeChat Pay.
func decodeCertificates(body []byte, apiv3Key string, now time.Time) (certsByKey, error) {
	var reply certificatesReply
	if err := json.Unmarshal(body, &reply); err != nil {
		return nil, &CertificateError{Detail: "the reply is not the certificate list", Err: err}
	}
	out := certsByKey{}
	for i, d := range reply.Data {
		ec := d.EncryptCertificate
		if ec.Algorithm != "AEAD_AES_256_GCM" {
			return nil, &CertificateError{Detail: fmt.Sprintf("certificate %d uses %q, not AEAD_AES_256_GCM", i, ec.Algorithm)}
		}
		plain, err := DecryptAEADAES256GCM(apiv3Key, ec.Nonce, ec.AssociatedData, ec.Ciphertext)
		if err != nil {
			return nil, &CertificateError{Detail: fmt.Sprintf("certificate %s", d.SerialNo), Err: err}
		}
		cert, err := parseCertificate(plain)
		if err != nil {
			return nil, &CertificateError{Detail: fmt.Sprintf("certificate %s", d.SerialNo), Err: err}
		}
		if want, ok := new(big.Int).SetString(strings.TrimSpace(d.SerialNo), 16); !ok || want.Cmp(cert.SerialNumber) != 0 {
			return nil, &CertificateError{Detail: fmt.Sprintf("certificate listed as %s has serial %X", d.SerialNo, cert.SerialNumber)}
		}
		if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
			return nil, &CertificateError{Detail: fmt.Sprintf("certificate %s has no RSA key", d.SerialNo)}
		}
		if now.After(cert.NotAfter) {
			continue
		}
		out[serialKey(fmt.Sprintf("%X", cert.SerialNumber))] = cert
	}
	if len(out) == 0 {
		return nil, &CertificateError{Detail: "the reply holds no valid certificate"}
	}
	return out, nil
}

func parseCertificate(data []byte) (*x509.Certificate, error) {
	if block, _ := pem.Decode(data); block != nil {
		data = block.Bytes
	}
	return x509.ParseCertificate(data)
}

// serialKey normalises a certificate serial for lookups: upper case and no
// leading zeros (%X of the big integer drops them, a configured string may
// keep them).
func serialKey(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if t := strings.TrimLeft(s, "0"); t != "" {
		return t
	}
	return s
}

// certsByKey holds certificates by serialKey.
type certsByKey = map[string]*x509.Certificate

// certStore keeps the platform certificates and downloads them when they
// are missing, old, or lack a serial a reply names.
type certStore struct {
	// download gets the certificates held now, to verify the reply with.
	download func(ctx context.Context, known certsByKey) (certsByKey, error)
	now      func() time.Time

	mu          sync.Mutex // held during a download: one at a time
	certs       certsByKey
	fetchedAt   time.Time
	lastAttempt time.Time
	lastErr     error
	missTried   map[string]time.Time // unknown serial → when a download was last made for it
}

// key returns the public key of the certificate with serial, downloading
// the certificates first when they are old, or when they lack the serial
// (once a minute per serial: a reply naming an unknown key must not make
// us flood WeChat Pay with downloads).
func (s *certStore) key(ctx context.Context, serial string) (*rsa.PublicKey, error) {
	want := serialKey(serial)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	_, have := s.certs[want]
	stale := s.fetchedAt.IsZero() || now.Sub(s.fetchedAt) >= CertRefreshEvery
	retryDue := s.lastAttempt.IsZero() || now.Sub(s.lastAttempt) >= certRetryAfter
	missDue := !have && (s.missTried[want].IsZero() || now.Sub(s.missTried[want]) >= certRetryAfter)
	if (stale && retryDue) || missDue {
		if !have {
			if s.missTried == nil || len(s.missTried) > 64 {
				s.missTried = map[string]time.Time{}
			}
			s.missTried[want] = now
		}
		_ = s.refreshLocked(ctx, now)
	}
	cert, ok := s.certs[want]
	switch {
	case ok && now.After(cert.NotAfter):
		return nil, fmt.Errorf("platform certificate %s expired on %s", serial, cert.NotAfter.Format(time.DateOnly))
	case ok:
		return cert.PublicKey.(*rsa.PublicKey), nil
	case s.lastErr != nil:
		return nil, fmt.Errorf("serial %s is not a known platform certificate, and the download failed: %w", serial, s.lastErr)
	}
	return nil, fmt.Errorf("serial %s is neither the configured public key id nor a platform certificate WeChat Pay lists", serial)
}

// refresh downloads the certificates now, whatever their age.
func (s *certStore) refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshLocked(ctx, s.now())
}

func (s *certStore) refreshLocked(ctx context.Context, now time.Time) error {
	return s.installLocked(now, func(known certsByKey) (certsByKey, error) { return s.download(ctx, known) })
}

// install replaces the certificates with what get returns, given those
// held now; a failure keeps them.
func (s *certStore) install(get func(known certsByKey) (certsByKey, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.installLocked(s.now(), get)
}

func (s *certStore) installLocked(now time.Time, get func(known certsByKey) (certsByKey, error)) error {
	s.lastAttempt = now
	certs, err := get(s.certs)
	s.lastErr = err
	if err == nil {
		s.certs, s.fetchedAt = certs, now
	}
	return err
}

// snapshot returns the certificates known now, for the doctor and tests.
func (s *certStore) snapshot() []PlatformCertificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]PlatformCertificate, 0, len(s.certs))
	for serial, c := range s.certs {
		out = append(out, PlatformCertificate{Serial: serial, Cert: c})
	}
	return out
}

// downloadCertificates fetches and decrypts the platform certificates. The
// reply is verified with a key already known or, on the first download and
// across a rotation, with a certificate of the reply itself (what the
// official SDK does): those are authenticated by the APIv3 key.
func (c *Client) downloadCertificates(ctx context.Context, known certsByKey) (certsByKey, error) {
	resp, err := c.send(ctx, http.MethodGet, CertificatesPath, nil)
	if err != nil {
		return nil, &CertificateError{Detail: "download failed", Err: err}
	}
	certs, err := c.certificatesFromReply(ctx, resp, known)
	if err != nil {
		return nil, err
	}
	c.log.Info("wechatpay platform certificates downloaded", "count", len(certs))
	return certs, nil
}

// certificatesFromReply decrypts the certificates of a /v3/certificates
// reply and verifies the reply with them or with a key known before.
func (c *Client) certificatesFromReply(ctx context.Context, resp *rawResponse, known certsByKey) (certsByKey, error) {
	var certs certsByKey
	lookup := func(_ context.Context, serial string) (*rsa.PublicKey, error) {
		if cert, ok := certs[serialKey(serial)]; ok {
			return cert.PublicKey.(*rsa.PublicKey), nil
		}
		if c.isPublicKeyID(serial) {
			return c.creds.PublicKey, nil
		}
		if cert, ok := known[serialKey(serial)]; ok {
			return cert.PublicKey.(*rsa.PublicKey), nil
		}
		return nil, fmt.Errorf("serial %s signs the certificate list but is none of its certificates", serial)
	}
	if resp.status < 200 || resp.status > 299 {
		return nil, &CertificateError{Detail: "download refused", Err: c.apiError(ctx, CertificatesPath, resp, lookup)}
	}
	certs, err := decodeCertificates(resp.body, c.cfg.APIv3Key, c.now())
	if err != nil {
		return nil, err
	}
	if err := verifyReply(ctx, resp.header, resp.body, c.now(), lookup); err != nil {
		var ve *VerifyError
		if errors.As(err, &ve) {
			ve.Path, ve.HTTPStatus = CertificatesPath, resp.status
		}
		return nil, err
	}
	return certs, nil
}
