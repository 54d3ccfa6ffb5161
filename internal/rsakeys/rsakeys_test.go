package rsakeys

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"
)

func TestParseEveryForm(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	p1 := x509.MarshalPKCS1PrivateKey(key)
	spki, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	wrap76 := func(der []byte) string {
		s := base64.StdEncoding.EncodeToString(der)
		var b strings.Builder
		for len(s) > 76 {
			b.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		return b.String() + s
	}
	privs := map[string]string{
		"pkcs8 pem":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})),
		"pkcs1 pem":    string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: p1})),
		"pkcs8 base64": base64.StdEncoding.EncodeToString(p8),
		"pkcs1 crlf":   wrap76(p1),
	}
	for name, text := range privs {
		k, err := ParsePrivate([]byte(text))
		if err != nil || k.N.Cmp(key.N) != 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	pubs := map[string]string{
		"spki pem":    string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki})),
		"spki base64": wrap76(spki),
		"pkcs1":       base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(&key.PublicKey)),
	}
	for name, text := range pubs {
		k, err := ParsePublic([]byte(text))
		if err != nil || k.N.Cmp(key.N) != 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, bad := range []string{"", "not a key", "-----BEGIN PRIVATE KEY-----\nbroken", base64.StdEncoding.EncodeToString([]byte("junk"))} {
		if _, err := ParsePrivate([]byte(bad)); err == nil {
			t.Errorf("ParsePrivate(%q) accepted garbage", bad)
		}
		if _, err := ParsePublic([]byte(bad)); err == nil {
			t.Errorf("ParsePublic(%q) accepted garbage", bad)
		}
	}
}
