package fake

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, o Options) *Server {
	t.Helper()
	s, err := Start("127.0.0.1:0", o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func send(t *testing.T, s *Server, path string, form url.Values, sign string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-QF-APPCODE", s.AppCode())
	req.Header.Set("X-QF-SIGN", sign)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func payForm(changes ...string) url.Values {
	v := url.Values{"txamt": {"1250"}, "txcurrcd": {"CNY"}, "pay_type": {"800207"}, "out_trade_no": {"P1"},
		"txdtm": {time.Now().In(shanghai).Format(timeLayout)}, "sub_openid": {"o1"}}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

func TestRefusesWhatQFPayRefuses(t *testing.T) {
	s := start(t, Options{})
	sign := func(v url.Values) string { return expectedSign(v, s.ClientKey(), "") }
	for name, c := range map[string]struct {
		form url.Values
		sign string
		want string
	}{
		"amount changed after signing": {payForm("txamt", "1"), sign(payForm()), "1108"},
		"another client key":           {payForm(), expectedSign(payForm(), "OTHER", ""), "1108"},
		"yuan instead of fen":          {payForm("txamt", "12.50"), sign(payForm("txamt", "12.50")), "1104"},
		"no openid":                    {payForm("sub_openid", ""), sign(payForm("sub_openid", "")), "1104"},
		"another pay type":             {payForm("pay_type", "800201"), sign(payForm("pay_type", "800201")), "1104"},
		"an mchid the account lacks":   {payForm("mchid", "X1"), sign(payForm("mchid", "X1")), "1104"},
		"the key in the body":          {payForm("key", s.ClientKey()), sign(payForm("key", s.ClientKey())), "1104"},
	} {
		if got := send(t, s, "/trade/v1/payment", c.form, c.sign); got["respcd"] != c.want {
			t.Errorf("%s: respcd %v, want %s", name, got["respcd"], c.want)
		}
	}
	if got := send(t, s, "/trade/v1/payment", payForm(), sign(payForm())); got["respcd"] != "0000" {
		t.Fatalf("a good request: %v", got)
	}
	if got := send(t, s, "/trade/v1/payment", payForm(), sign(payForm())); got["respcd"] != "1102" {
		t.Fatalf("the same out_trade_no again: %v", got)
	}
}

func TestEmptyValuesAreNotSigned(t *testing.T) {
	s := start(t, Options{})
	form := payForm("goods_name", "")
	// A client that signs the empty goods_name too does not follow QFPay's recipe.
	msg := "goods_name=&out_trade_no=P1&pay_type=800207&sub_openid=o1&txamt=1250&txcurrcd=CNY&txdtm=" + form.Get("txdtm") + s.ClientKey()
	sum := md5.Sum([]byte(msg))
	if got := send(t, s, "/trade/v1/payment", form, strings.ToUpper(hex.EncodeToString(sum[:]))); got["respcd"] != "1108" {
		t.Fatalf("respcd %v", got["respcd"])
	}
}

func TestQueryWindowWithinAMonth(t *testing.T) {
	s := start(t, Options{})
	q := url.Values{"out_trade_no": {"P1"}, "start_time": {"2026-01-01 00:00:00"}, "end_time": {"2026-03-01 00:00:00"}}
	if got := send(t, s, "/trade/v1/query", q, expectedSign(q, s.ClientKey(), "")); got["respcd"] != "1104" {
		t.Fatalf("a two-month window: %v", got)
	}
}
