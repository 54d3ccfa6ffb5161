package console_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/channel"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/ordering/service"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay/fake"
)

// The order drawer of a scan-to-order order shows its WeChat Pay sync: a
// sync WeChat Pay refused (PARAM_ERROR) with WeChat's message and 重试,
// which sends it again until the drawer says 已同步.
func TestWeChatSyncInTheDrawer(t *testing.T) {
	b := newBrowser(t)
	dir := t.TempDir()
	sb, err := fake.StartSandbox("127.0.0.1:0", []fake.SubMerchant{{SubMchID: "1900000109", SubAppID: "wx2222222222222222"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Server.Close() })
	der, err := x509.MarshalPKCS8PrivateKey(sb.MerchantKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(sb.Server.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	keyFile, pubFile, menuFile := filepath.Join(dir, "key.pem"), filepath.Join(dir, "pub.pem"), filepath.Join(dir, "menu-1.yaml")
	for f, data := range map[string][]byte{keyFile: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		pubFile: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), menuFile: service.SandboxMenu()} {
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	orderingAddr := ln.Addr().String()
	ln.Close()
	yaml := "ordering:\n  listen: " + orderingAddr + "\n  public_url: https://order.example.com\n" +
		"  restaurants:\n    - { id: 1, store_id: \"1862\", menu_file: " + strconv.Quote(menuFile) + " }\n" +
		"wechatpay:\n  enabled: true\n  sp_mchid: \"" + sb.MchID + "\"\n  sp_appid: " + sb.SpAppID + "\n" +
		"  merchant_serial_no: " + sb.MerchantSerial + "\n  private_key_file: " + strconv.Quote(keyFile) + "\n" +
		"  public_key_id: " + sb.Server.PublicKeyID() + "\n  public_key_file: " + strconv.Quote(pubFile) + "\n" +
		"  base_url: " + sb.BaseURL + "\n" +
		"  restaurants:\n    - { id: 1, sub_mchid: \"1900000109\", sub_appid: wx2222222222222222, out_shop_no: \"1862\" }\n"
	env := startDaemon(t, harness.Options{ExtraYAML: yaml})
	t.Cleanup(func() { _ = env.Stop() })
	db := env.Daemon.DB
	ctx := context.Background()

	// A customer logged in with WeChat places an order; WeChat Pay refuses
	// its first sync.
	sb.Server.SetFault(fake.Fault{Kind: fake.FaultParamError, Path: fake.SyncPath, Times: 1})
	var cust int64
	if err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if cust, err = tx.InsertCustomer(1, ""); err != nil {
			return err
		}
		return tx.SaveCustomerIdentity(store.CustomerIdentity{CustomerID: cust, Provider: "wechat", AppID: "wx2222222222222222",
			Subject: "1:oSubOpenid0000000000000042", AccessToken: "page-token-42"})
	}); err != nil {
		t.Fatal(err)
	}
	rec := orders.Record{TableID: 1, TableName: "A1", CustomerCount: 1, PaidType: 1,
		Lines:      []pricing.PricedLine{{ProductID: 101, Name: "珍珠奶茶", Qty: 1, UnitPrice: 1800, Price: 1800, Total: 1800}},
		TotalPrice: 1800, TotalFee: 1800}
	o, _, err := db.CreateOrderingOrder(ctx, store.NewOrderingOrder{Order: store.OrderingOrder{RestaurantID: 1, StoreID: "1862",
		TableID: 1, TableName: "A1", Status: int(orders.Awaiting), BusinessDay: time.Now().Format(time.DateOnly), CustomerCount: 1,
		TotalFee: 1800, OrderJSON: rec.Encode()}, TakeCode: true, TakeCodeStart: 5001})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.SetOrderingOrderCustomer(o.TradeNo, cust) }); err != nil {
		t.Fatal(err)
	}
	if err := (channel.Placer{DB: db, Wake: env.Daemon.Bridge.NotifyInbox}).Place(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := env.WaitStatus(o.TradeNo, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}

	b.do(chromedp.Navigate(env.ConsoleURL + "/#orders"))
	b.wait("start overlay", `!document.getElementById('start-overlay').hidden`, 10*time.Second)
	b.click("#start-btn")
	b.click(`[data-tab="making"]`)
	b.click(`.orow[data-code="` + o.TradeNo + `"]`)
	section := `(document.querySelector('#drawer-body [data-wechat-sync]') || {innerText: ''}).innerText`
	b.wait("the refused sync in the drawer", section+`.includes('微信支付同步（下单）：同步失败') && `+section+`.includes('PARAM_ERROR')`, 15*time.Second)
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#drawer-body [data-wechat-sync]').scrollIntoView()`))
	b.shot("wechatpay-sync-failed")
	b.click(`#drawer-body [data-act="wechat-retry"]`)
	b.wait("synced after the retry", section+`.includes('已同步')`, 15*time.Second)
	b.noJSErrors()
}
