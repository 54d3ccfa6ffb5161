package kaigedian

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"sync"
	"testing"

	"github.com/posbridge/posbridge/internal/rsakeys"
)

// The verified vector of the C++ demo (spec §2.4, kaigedian/openapi-demo
// C++/TestRSATool.cc at bba2467): string to sign, signature and the public
// key of the demo's throw-away key pair.
const (
	goldenStringToSign = `appId=wxaa246&partnerId=2282&requestBody={"orderCode":["14466581149538022700014"]}&ver=1`
	goldenSign         = "c33TwZkf4drwaYusivkDil1go8sekvKqQL8+pxBfPy4Yw9Hdh3VjPhgQQOxVaiSmHLuM8YWBudzYmRX4buybVggQ+Y5C6rHZu0boWlVZNdQ/AaeZVZ1hVLHfSh5xkU20Q7ABh/oMdycYK2IE9tGDZVptdD8twdy1KO9vbb0bky39JDw2aRJUW23ILHmCiGquLzF6hQMDFxVihj2Zl6OdDzhZzHA3ng7d0He9bGxnHR3Z2Wi/gf6hlocy9Kn1soIrzbHjW+rGUf8mzbhrrDOubM/qZ5wlK7p5+lfL66XF5bPFMvuUMrqUfH6zN2JA7LwKyljFPfcO5MZy1k0d2lbo3Q=="
	goldenPublicKey    = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvvpi831l5fBOe/k2eHi2yu6DlDKf6PROdMBHkKp0vlotS9f/crqr2Q7NEqpxi5/MrnjzKcPhipREfhdR74oEYpC2Wgi0S9oLiXBOPiwnmijyhYEzuDVwFFDTtHV54p3nAX3MkVEhaGSmqPq+ddxyRscYLBBJp1K2zkyJ6yQUeDH6paJMchyIkTHwyMCimsg2VJbs1MO+nZsLA8Rlp3Y5Ublk7LGniFxCgQruwTwziSP4/yG0yYoU4Vsa5sH+/mj8wKZNuKYKnWcw9dAR8JvDkKQXIFa7ZdkWToszr2PnIZB80Hgztmu3LJkYecfCs60tNVSce2zWTjylQYQuBLDNfwIDAQAB"
)

func goldenParams() map[string]string {
	return map[string]string{
		"ver":         "1",
		"partnerId":   "2282",
		"appId":       "wxaa246",
		"requestBody": `{"orderCode":["14466581149538022700014"]}`,
	}
}

func TestGoldenVector(t *testing.T) {
	params := goldenParams()
	if got := StringToSign(params); got != goldenStringToSign {
		t.Fatalf("StringToSign\n got %s\nwant %s", got, goldenStringToSign)
	}
	pub, err := rsakeys.ParsePublic([]byte(goldenPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, params, goldenSign); err != nil {
		t.Fatalf("the demo's signature must verify: %v", err)
	}
	// A sign field among the params is ignored, as the rule says.
	params["sign"] = goldenSign
	if err := Verify(pub, params, goldenSign); err != nil {
		t.Fatalf("sign inside params must be skipped: %v", err)
	}

	changed := goldenParams()
	changed["requestBody"] = `{"orderCode":["14466581149538022700015"]}`
	if err := Verify(pub, changed, goldenSign); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a changed body must not verify, got %v", err)
	}
	changed = goldenParams()
	changed["partnerId"] = "2018" // the general.md doc bug
	if err := Verify(pub, changed, goldenSign); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a changed partnerId must not verify, got %v", err)
	}
}

func TestStringToSignRules(t *testing.T) {
	got := StringToSign(map[string]string{
		"ver": "1", "sign": "xyz", "empty": "", "B": "upper", "a": "lower",
		"requestBody": `{"note":"a&b=c 操作人员"}`,
	})
	want := `B=upper&a=lower&requestBody={"note":"a&b=c 操作人员"}&ver=1`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if StringToSign(nil) != "" {
		t.Fatal("no params must give an empty string")
	}
}

var (
	keyOnce  sync.Once
	keyA     *rsa.PrivateKey
	keyB     *rsa.PrivateKey
	errKeyGn error
)

// testKeys generates two 2048-bit keys once per test binary.
func testKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keyOnce.Do(func() {
		if keyA, errKeyGn = rsa.GenerateKey(rand.Reader, 2048); errKeyGn == nil {
			keyB, errKeyGn = rsa.GenerateKey(rand.Reader, 2048)
		}
	})
	if errKeyGn != nil {
		t.Fatal(errKeyGn)
	}
	return keyA, keyB
}

func TestSignVerifyGeneratedKey(t *testing.T) {
	key, other := testKeys(t)
	params := map[string]string{
		"ver": "1", "partnerId": "1864", "appId": "2eb5c8f1170246429755e6dac313f89d",
		"requestBody": `{"orderCode":"1023987523084","operator":"操作人员"}`,
	}
	sign, err := Sign(key, params)
	if err != nil {
		t.Fatal(err)
	}
	if len(sign) != 344 { // base64 of 256 bytes
		t.Fatalf("a 2048-bit signature is 344 base64 characters, got %d", len(sign))
	}
	again, _ := Sign(key, params)
	if again != sign {
		t.Fatal("PKCS#1 v1.5 signatures are deterministic")
	}
	if err := Verify(&key.PublicKey, params, sign); err != nil {
		t.Fatalf("own signature must verify: %v", err)
	}
	params["requestBody"] = `{"orderCode":"1023987523084","operator":"操作人"}`
	if err := Verify(&key.PublicKey, params, sign); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("changed body: want ErrBadSignature, got %v", err)
	}
	params["requestBody"] = `{"orderCode":"1023987523084","operator":"操作人员"}`
	if err := Verify(&other.PublicKey, params, sign); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("other key: want ErrBadSignature, got %v", err)
	}
	for _, bad := range []string{"", "!!!not base64!!!", sign[:100]} {
		if err := Verify(&key.PublicKey, params, bad); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("sign %.10q: want ErrBadSignature, got %v", bad, err)
		}
	}
	if _, err := Sign(nil, params); err == nil {
		t.Fatal("signing without a key must fail")
	}
}

func TestEnvelopeSignsExactlyTheBodyItSends(t *testing.T) {
	key, _ := testKeys(t)
	body := []byte(`{"note":"少辣 <不要香菜> & 🌶 𠮷","orderCode":["1"]}`)
	env, err := NewEnvelope(key, "1864", "app", body)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	in, err := ParseIncoming(raw)
	if err != nil {
		t.Fatal(err)
	}
	if string(in.Body) != string(body) || !in.BodyWasString {
		t.Fatalf("requestBody must travel as the exact string: %s", in.Body)
	}
	if err := in.Verify(&key.PublicKey); err != nil {
		t.Fatalf("envelope must verify after a JSON round trip: %v", err)
	}
	if got := StringToSign(in.Params); got != "appId=app&partnerId=1864&requestBody="+string(body)+"&ver=1" {
		t.Fatalf("string to sign: %s", got)
	}
}

// The Java demo renders a numeric ver with String.valueOf, so "ver":1 and
// "ver":"1" sign identically (spec §2.5).
func TestIncomingNumericFieldsSignAsText(t *testing.T) {
	key, _ := testKeys(t)
	params := map[string]string{"ver": "1", "partnerId": "1864", "appId": "a", "requestBody": `{"orderId":"9"}`}
	sign, _ := Sign(key, params)
	raw := `{"ver": 1, "partnerId":1864, "appId":"a", "requestBody": "{\"orderId\":\"9\"}", "sign":"` + sign + `"}`
	in, err := ParseIncoming([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Verify(&key.PublicKey); err != nil {
		t.Fatalf("numeric envelope fields must verify as their text: %v", err)
	}
}
