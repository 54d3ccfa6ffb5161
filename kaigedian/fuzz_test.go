package kaigedian

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Run one with: go test -run '^$' -fuzz FuzzValidatePush ./kaigedian/
// Without -fuzz, go test runs the seed corpus: every fixture plus the
// cases below and anything under testdata/fuzz/.

func addFixtureSeeds(f *testing.F, add func(raw []byte)) {
	f.Helper()
	err := filepath.WalkDir(fixtureDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err == nil {
			add(raw)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"orderCode":{}}`, `{"orderCode":1e400}`, `{"orderCode":-0}`,
		`{"requestBody":"{\"orderCode\":\"1\"}","sign":""}`, `{"requestBody":"{'orderCode':'1',}"}`,
		`{"orderId":"1","deliveryStatus":"abc","updateTime":"2020-02-3000:00:00"}`,
		`{"orderCode":"1","orderStatus":"99999999999999999999999"}`, "{\"orderCode\":\"\xff\xfe\"}",
		`{"statusCode":"100","responseBody":"[{\"orderCode\":\"1\",\"orderItemList\":[{\"productComboList\":[{}]}]}]"}`,
	} {
		add([]byte(s))
	}
}

func FuzzValidatePush(f *testing.F) {
	addFixtureSeeds(f, func(raw []byte) {
		for k := range PushKinds {
			f.Add(uint8(k), raw)
		}
	})
	f.Fuzz(func(t *testing.T, k uint8, raw []byte) {
		kind := PushKinds[int(k)%len(PushKinds)]
		info, err := ValidatePush(kind, raw, nil)
		if err != nil {
			if pushStatus(err) != PushStatusBadRequest {
				t.Fatalf("without a key every refusal is 21, got %v", err)
			}
			return
		}
		if strings.TrimSpace(info.Code) == "" || !info.Kind.Valid() {
			t.Fatalf("accepted push without a code or kind: %+v", info)
		}
		// What the receiver accepts, the decoder must read with the same id.
		c, err := DecodePush(info.Kind, info.Body)
		if err != nil {
			t.Fatalf("ValidatePush accepted but DecodePush failed: %v (body %q)", err, info.Body)
		}
		if c.Code != info.Code {
			t.Fatalf("codes disagree: %q vs %q", c.Code, info.Code)
		}
		// The receiver stores the raw push (envelope and all); decoding it
		// later must give the same change.
		again, err := DecodePush(info.Kind, raw)
		if err != nil || again.Code != c.Code || again.Kind != c.Kind {
			t.Fatalf("raw push decodes differently: %+v vs %+v (%v)", again, c, err)
		}
	})
}

func FuzzDecodePush(f *testing.F) {
	addFixtureSeeds(f, func(raw []byte) {
		for k := range PushKinds {
			f.Add(uint8(k), raw)
		}
	})
	f.Fuzz(func(t *testing.T, k uint8, raw []byte) {
		c, err := DecodePush(PushKinds[int(k)%len(PushKinds)], raw)
		if err != nil {
			return
		}
		if c.Code == "" {
			t.Fatalf("decoded a change without a code: %+v", c)
		}
		if _, err := json.Marshal(c); err != nil {
			t.Fatalf("change does not encode: %v", err)
		}
	})
}

func FuzzDecodeResponse(f *testing.F) {
	addFixtureSeeds(f, func(raw []byte) { f.Add(raw) })
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := DecodeResponse(raw)
		if err != nil {
			return
		}
		if r.Code == "" {
			t.Fatal("accepted a response without a code")
		}
		if len(r.Body) > 0 && !json.Valid(r.Body) {
			t.Fatalf("Body is not JSON: %q", r.Body)
		}
		// Every body decoder must cope with whatever the envelope carried.
		_, _ = DecodeBatchQueryBody(r.Body)
		_, _ = DecodeDetailBody(r.Body)
		_, _ = DecodeHistoryBody(r.Body)
		_, _ = DecodeRefundOrdersBody(r.Body)
		_, _ = DecodeOrderStatusBody(r.Body)
		_, _ = DecodeSubmitBody(r.Body)
		_, _ = DecodeSubmitRequest(raw)
	})
}
