package wechatpay

import "testing"

func BenchmarkBuildSyncBody(b *testing.B) {
	cfg, o := bodyConfig(ModeServiceProvider), sampleOrder()
	for b.Loop() {
		if _, err := BuildSyncBody(cfg, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthorization(b *testing.B) {
	m, _ := testKeys(b)
	s := &Signer{MchID: testSpMchID, SerialNo: testSerial, Key: m}
	body, _ := BuildSyncBody(bodyConfig(ModeServiceProvider), sampleOrder())
	for b.Loop() {
		if _, err := s.Authorization("POST", SyncPath, body, 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242"); err != nil {
			b.Fatal(err)
		}
	}
}
