package wechatpay

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/internal/rsakeys"
)

// The official SDK's published test vector (digest §4.3).
const (
	vectorMessage   = "source"
	vectorSignature = "BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg=="
	vectorMchID     = "1234567890"
	vectorSerial    = "F5765756002FDD77"
	vectorPublicKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2VCTd91fnUn73Xy9DLvt/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXagHQ4vGeZN0yqm++rDsGK+U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOmDeJf2vg6byms9RUipiq4SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B834uxl1zNLYQCrkdBzb8oUxwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGfy8wus7hwKz6clt3Whmmda7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtkaSef4FdEEgEXJiw0VAJT8wIDAQAB"
)

func vectorKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile("testdata/sdk_signer_test_key.pem")
	if err != nil {
		t.Fatal(err)
	}
	key, err := rsakeys.ParsePrivate([]byte(strings.ReplaceAll(string(data), "TESTING KEY", "PRIVATE KEY")))
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func vectorPublic(t *testing.T) *rsa.PublicKey {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(vectorPublicKey)
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PublicKey)
}

func TestSignMatchesTheSDKTestVector(t *testing.T) {
	s := &Signer{MchID: vectorMchID, SerialNo: vectorSerial, Key: vectorKey(t)}
	got, err := s.Sign([]byte(vectorMessage))
	if err != nil {
		t.Fatal(err)
	}
	if got != vectorSignature {
		t.Fatalf("signature of %q:\n got %s\nwant %s", vectorMessage, got, vectorSignature)
	}
	if vectorPublic(t).N.Cmp(s.Key.N) != 0 {
		t.Fatal("the published public key is not the test key's")
	}
}

func TestRequestMessageIsTheOfficialExample(t *testing.T) {
	got := string(RequestMessage("GET", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", nil))
	want := "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
	if got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	body := []byte(`{"a":"<b>"}`)
	if got := string(RequestMessage("post", "/v3/x?y=1", 1, "n", body)); got != "POST\n/v3/x?y=1\n1\nn\n{\"a\":\"<b>\"}\n" {
		t.Fatalf("message with body %q", got)
	}
}

func TestAuthorizationHeader(t *testing.T) {
	s := &Signer{MchID: "1900009191", SerialNo: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", Key: vectorKey(t)}
	const ts, nonce = 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242"
	got, err := s.Authorization("GET", "/v3/certificates", nil, ts, nonce)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",signature="([A-Za-z0-9+/=]+)"$`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("header %q", got)
	}
	sig, _ := base64.StdEncoding.DecodeString(m[1])
	sum := sha256.Sum256([]byte("GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"))
	if err := rsa.VerifyPKCS1v15(vectorPublic(t), crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("the header's signature does not verify with the published public key: %v", err)
	}
	if _, err := (&Signer{MchID: "1", Key: s.Key}).Authorization("GET", "/", nil, ts, nonce); err == nil {
		t.Error("signed without a serial")
	}
	if _, err := (&Signer{MchID: "1", SerialNo: "AB"}).Authorization("GET", "/", nil, ts, nonce); err == nil {
		t.Error("signed without a key")
	}
}

func TestNonceIs32AlphanumericCharacters(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		n, err := NewNonce()
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[0-9A-Za-z]{32}$`).MatchString(n) || seen[n] {
			t.Fatalf("nonce %q (repeated: %v)", n, seen[n])
		}
		seen[n] = true
	}
}
