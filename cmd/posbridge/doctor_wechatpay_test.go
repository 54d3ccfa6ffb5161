package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"testing"

	"github.com/posbridge/posbridge/wechatpay/fake"
)

// The doctor checks the WeChat Pay sync with one signed call to a fake that
// verifies our signature as WeChat Pay does: the 服务商's key passes, a key
// WeChat Pay does not know fails with what to do.
func TestDoctorChecksTheWeChatPaySync(t *testing.T) {
	sb, err := fake.StartSandbox("127.0.0.1:0", []fake.SubMerchant{{SubMchID: "1900000109", SubAppID: "wx1234567890abcdef"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Server.Close() })
	dir := t.TempDir()
	der, err := x509.MarshalPKCS8PrivateKey(sb.MerchantKey)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, "apiclient_key.pem"), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	pub, err := x509.MarshalPKIXPublicKey(sb.Server.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, "pub_key.pem"), string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))
	writeRSAKey(t, filepath.Join(dir, "stranger.pem"))

	config := func(keyFile string) string {
		path := filepath.Join(dir, keyFile+".yaml")
		mustWrite(t, path, `stores: [ { id: "1862", name: 南翔一店 } ]
wechatpay:
  enabled: true
  sp_mchid: "`+sb.MchID+`"
  sp_appid: `+sb.SpAppID+`
  merchant_serial_no: `+sb.MerchantSerial+`
  private_key_file: `+keyFile+`
  public_key_id: `+sb.Server.PublicKeyID()+`
  public_key_file: pub_key.pem
  base_url: `+sb.BaseURL+`
  restaurants:
    - { id: 1, sub_mchid: "1900000109", sub_appid: wx1234567890abcdef, out_shop_no: shop-1 }
`)
		return path
	}
	rowsOf := func(path string) map[string]checkRow {
		env := newDoctorEnv(path)
		if env.cfg == nil {
			t.Fatalf("config: %v", env.cfgErr)
		}
		rows := map[string]checkRow{}
		for _, r := range checkWeChatPay(context.Background(), env) {
			rows[r.Check] = r
		}
		return rows
	}
	good := rowsOf(config("apiclient_key.pem"))
	expectRow(t, good, "wechatpay credentials", statusOK, "", "")
	bad := rowsOf(config("stranger.pem"))
	if r := bad["wechatpay credentials"]; r.Status != statusFail || r.Fix == "" {
		t.Errorf("a key WeChat Pay does not know: %+v", r)
	}
	if len(sb.Server.Received()) < 2 {
		t.Errorf("the fake saw %d calls, want one per run", len(sb.Server.Received()))
	}
}
