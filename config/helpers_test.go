package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"image"
	"image/png"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testKeys holds RSA keys generated once per test run (2048-bit generation
// is the slow part), as PEM.
type testKeys struct {
	privatePKCS8, privatePKCS1, public, smallPrivate []byte
}

var keys = sync.OnceValue(func() testKeys {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(k)
	spki, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	s8, _ := x509.MarshalPKCS8PrivateKey(small)
	return testKeys{
		privatePKCS8: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}),
		privatePKCS1: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}),
		public:       pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}),
		smallPrivate: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: s8}),
	}
})

// writeTLSPair writes a self-signed certificate and its key into dir.
func writeTLSPair(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "posbridge test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "push.crt"), filepath.Join(dir, "push.key")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})))
	return certFile, keyFile
}

func writePNG(t *testing.T, name string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// minimalYAML is the smallest config that validates.
const minimalYAML = "stores: [ { id: \"1862\", name: 南翔一店 } ]\n"

// loadYAML writes content to a posbridge.yaml in a fresh folder and loads it
// with the given environment (never the test process's own).
func loadYAML(t *testing.T, content string, env ...string) *Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	writeFile(t, path, content)
	c, err := Load(LoadOptions{Path: path, Env: append([]string{}, env...)})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// findProblem returns the problem with key whose message contains substr.
func findProblem(ps []Problem, key, substr string) (Problem, bool) {
	for _, p := range ps {
		if p.Key == key && strings.Contains(p.Message, substr) {
			return p, true
		}
	}
	return Problem{}, false
}

func problemLines(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}
