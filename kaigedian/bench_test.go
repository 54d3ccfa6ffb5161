package kaigedian

import (
	"os"
	"testing"
)

func BenchmarkSign(b *testing.B) {
	key, _ := testKeys(b)
	params := goldenParams()
	for b.Loop() {
		if _, err := Sign(key, params); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateSignedPush(b *testing.B) {
	key, _ := testKeys(b)
	env, _ := NewEnvelope(key, "1864", "app", []byte(`{"orderCode":"14947740098045346600002","orderStatus":"1","timeStamp":"1562595367000"}`))
	raw, _ := env.Marshal()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ValidatePush(PushOrder, raw, &key.PublicKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDetail(b *testing.B) {
	raw, err := os.ReadFile(fixtureDir + "/order-2020-12-08-28bd2c4/08-queryDetail.response.repaired.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := DecodeResponse(raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := DecodeDetailBody(r.Body); err != nil {
			b.Fatal(err)
		}
	}
}
