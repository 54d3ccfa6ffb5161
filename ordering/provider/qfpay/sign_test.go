package qfpay

import (
	"net/url"
	"testing"
)

// Vectors computed for the providers digest from the documents' example inputs.
func TestSignVectors(t *testing.T) {
	p := url.Values{"mchid": {"ZaMVg12345"}, "txamt": {"100"}, "txcurrcd": {"HKD"}, "goods_name": {""}, "sign": {"x"}}
	if got := SignString(p); got != "mchid=ZaMVg12345&txamt=100&txcurrcd=HKD" {
		t.Fatalf("signed string %q: empty values and sign must be skipped, names sorted", got)
	}
	if got := Sign(p, "abcd1234"); got != "3CB3AA9C21D818AB4CAFAA8FA3FEACF4" {
		t.Fatalf("sign %s", got)
	}
	body := []byte(`{"status":"1","notify_type":"payment"}`)
	if got := NotificationSign(body, "abcd1234"); got != "6731992BCEC19878D92A01A38D10106D" {
		t.Fatalf("notification sign %s", got)
	}
	if !VerifyNotification(body, "6731992bcec19878d92a01a38d10106d", "abcd1234") {
		t.Fatal("lower-case hex refused")
	}
	if VerifyNotification(append(body, ' '), "6731992BCEC19878D92A01A38D10106D", "abcd1234") {
		t.Fatal("a changed body verified")
	}
}

func TestRawValuesAreSigned(t *testing.T) {
	// txdtm's space and a URL in redirect_uri are signed raw, not escaped.
	p := url.Values{"txdtm": {"2026-03-02 12:00:00"}, "redirect_uri": {"https://a.b/?rid=1&tid=2"}}
	if got := SignString(p); got != "redirect_uri=https://a.b/?rid=1&tid=2&txdtm=2026-03-02 12:00:00" {
		t.Fatal(got)
	}
}

func TestClassify(t *testing.T) {
	for code, want := range map[string]Class{
		"0000": Success, "1143": Pending, "1145": Pending, "1102": Retry, "2011": Retry, "1265": Retry,
		"1108": Misconfigured, "1104": Misconfigured, "1201": Failed, "1181": Failed, "9999": Failed,
	} {
		if got := Classify(code); got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
	}
}

func TestGoodsName(t *testing.T) {
	if got := GoodsName("  珍珠奶茶&红豆<大杯>x2 加冰 少糖 去珍珠 多加椰果 还要一杯  "); got != "珍珠奶茶红豆大杯x2 加冰 少糖 去珍珠" {
		t.Fatalf("%q", got)
	}
	if GoodsName("") != "点单" {
		t.Fatal("empty goods name")
	}
}
