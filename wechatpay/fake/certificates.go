package fake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// platformCert is one platform certificate and its key.
type platformCert struct {
	key    *rsa.PrivateKey
	cert   *x509.Certificate
	der    []byte
	serial string // upper-case hex, as Wechatpay-Serial carries it
}

// certLifetime: platform certificates last five years.
const certLifetime = 5 * 365 * 24 * time.Hour

func newPlatformCert(key *rsa.PrivateKey, now time.Time) (*platformCert, error) {
	var err error
	if key == nil {
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, err
		}
	}
	// 20 random bytes with the top bit set: a 40-digit hex serial like
	// WeChat Pay's, without a leading zero.
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	raw[0] |= 0x40
	raw[0] &= 0x7F
	serial := new(big.Int).SetBytes(raw)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Tenpay.com Root CA (fake)", Organization: []string{"Tenpay.com"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &platformCert{key: key, cert: cert, der: der, serial: fmt.Sprintf("%X", serial)}, nil
}

// certificateList is the /v3/certificates reply: every certificate,
// encrypted with AEAD_AES_256_GCM under the APIv3 key, a fresh nonce each.
func (s *Server) certificateList() ([]byte, error) {
	s.mu.Lock()
	certs := append([]*platformCert(nil), s.certs...)
	s.mu.Unlock()
	type encrypted struct {
		Algorithm      string `json:"algorithm"`
		Nonce          string `json:"nonce"`
		AssociatedData string `json:"associated_data"`
		Ciphertext     string `json:"ciphertext"`
	}
	type entry struct {
		SerialNo           string    `json:"serial_no"`
		EffectiveTime      string    `json:"effective_time"`
		ExpireTime         string    `json:"expire_time"`
		EncryptCertificate encrypted `json:"encrypt_certificate"`
	}
	block, err := aes.NewCipher([]byte(s.opts.APIv3Key))
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	cst := time.FixedZone("CST", 8*3600)
	out := struct {
		Data []entry `json:"data"`
	}{}
	for _, c := range certs {
		nonce := randomString(gcm.NonceSize())
		const ad = "certificate"
		pemText := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.der})
		sealed := gcm.Seal(nil, []byte(nonce), pemText, []byte(ad))
		out.Data = append(out.Data, entry{
			SerialNo: c.serial, EffectiveTime: c.cert.NotBefore.In(cst).Format(time.RFC3339),
			ExpireTime: c.cert.NotAfter.In(cst).Format(time.RFC3339),
			EncryptCertificate: encrypted{Algorithm: "AEAD_AES_256_GCM", Nonce: nonce, AssociatedData: ad,
				Ciphertext: base64.StdEncoding.EncodeToString(sealed)},
		})
	}
	return json.Marshal(out)
}
