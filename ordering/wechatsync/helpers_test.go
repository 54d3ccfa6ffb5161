package wechatsync_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/channel"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/pricing"
	"github.com/posbridge/posbridge/ordering/service"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
	"github.com/posbridge/posbridge/wechatpay/fake"
)

// The 服务商 and the restaurant as WeChat Pay knows them in these tests.
const (
	spMchID   = "1900000100"
	spAppID   = "wx1111111111111111"
	subMchID  = "1900000109"
	subAppID  = "wx2222222222222222"
	mchSerial = "3775B6A45ACD588826D15E583A95F5DD12345678"
)

// payWorld is a fake WeChat Pay that verifies our signatures with the
// 服务商's public key, and the YAML that points a daemon at it.
type payWorld struct {
	fake *fake.Server
	yaml string // the wechatpay: and ordering: sections
	menu *menu.Menu
	cfg  wechatpay.Config // the same wechatpay: section
	key  *rsa.PrivateKey
}

func newPayWorld(t *testing.T, dir string) *payWorld {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	srv, err := fake.New(fake.Options{MchID: spMchID, MerchantSerial: mchSerial, MerchantPublicKey: &key.PublicKey, SpAppID: spAppID,
		SubMerchants: []fake.SubMerchant{{SubMchID: subMchID, SubAppID: subAppID}}})
	must(t, err)
	base, err := srv.Start("127.0.0.1:0")
	must(t, err)
	t.Cleanup(func() { srv.Close() })
	der, err := x509.MarshalPKCS8PrivateKey(key)
	must(t, err)
	keyFile := filepath.Join(dir, "apiclient_key.pem")
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	pub, err := x509.MarshalPKIXPublicKey(srv.PublicKey())
	must(t, err)
	pubFile := filepath.Join(dir, "pub_key.pem")
	must(t, os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o600))
	menuFile := filepath.Join(dir, "menu-1.yaml")
	must(t, os.WriteFile(menuFile, service.SandboxMenu(), 0o600))
	m := testMenu(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	orderingAddr := ln.Addr().String()
	ln.Close()
	category := strconv.FormatInt(m.Products[0].Category, 10)
	yaml := "ordering:\n" +
		"  listen: " + orderingAddr + "\n" +
		"  public_url: https://order.example.com\n" +
		"  restaurants:\n" +
		"    - { id: 1, store_id: \"1862\", menu_file: " + strconv.Quote(menuFile) + " }\n" +
		"wechatpay:\n" +
		"  enabled: true\n" +
		"  mode: service_provider\n" +
		"  sp_mchid: \"" + spMchID + "\"\n" +
		"  sp_appid: " + spAppID + "\n" +
		"  merchant_serial_no: \"" + mchSerial + "\"\n" +
		"  private_key_file: " + strconv.Quote(keyFile) + "\n" +
		"  public_key_id: " + srv.PublicKeyID() + "\n" +
		"  public_key_file: " + strconv.Quote(pubFile) + "\n" +
		"  base_url: " + base + "\n" +
		"  restaurants:\n" +
		"    - { id: 1, sub_mchid: \"" + subMchID + "\", sub_appid: " + subAppID + ", out_shop_no: \"1862\", dish_types: { \"" + category + "\": FAST_FOOD } }\n"
	cfg := wechatpay.Config{Enabled: true, Mode: wechatpay.ModeServiceProvider, SpMchID: spMchID, SpAppID: spAppID,
		MerchantSerialNo: mchSerial, PrivateKeyFile: keyFile, PublicKeyID: srv.PublicKeyID(), PublicKeyFile: pubFile, BaseURL: base,
		Restaurants: []wechatpay.Restaurant{{ID: 1, SubMchID: subMchID, SubAppID: subAppID, OutShopNo: "1862",
			DishTypes: map[string]string{category: "FAST_FOOD"}}}}
	return &payWorld{fake: srv, yaml: yaml, menu: m, cfg: cfg, key: key}
}

var tradeSeq int64

// placeOrder stores a scan-to-order order of restaurant 1 (a dish of the
// sandbox menu, twice) as the ordering API's create does, records the
// customer who placed it (0: none) and hands it to the flow through the
// inbox, as the channel's Placer does.
func placeOrder(t *testing.T, db *store.DB, customerID int64, status orders.Status, wake func()) string {
	t.Helper()
	return placeOrderThen(t, db, customerID, status, wake, nil)
}

// placeOrderThen is placeOrder with before run between the create and the
// hand-over (a payment confirmed meanwhile).
func placeOrderThen(t *testing.T, db *store.DB, customerID int64, status orders.Status, wake func(), before func(code string)) string {
	t.Helper()
	ctx := context.Background()
	p := testMenu(t).Products[0]
	price := pricing.Fen(1800)
	rec := orders.Record{EatType: 0, PaidType: 2, TableID: 1, TableName: "A1", CustomerCount: 2,
		Lines:      []pricing.PricedLine{{ProductID: p.ID, Name: p.Name, Qty: 2, Unit: "大杯", Req: "辣,少冰", UnitPrice: price, Price: price, Total: 2 * price}},
		TotalPrice: 2 * price, DiscountFee: 300, TotalFee: 2*price - 300}
	tradeSeq++
	o, _, err := db.CreateOrderingOrder(ctx, store.NewOrderingOrder{Order: store.OrderingOrder{
		RestaurantID: 1, StoreID: "1862", TableID: 1, TableName: "A1", EatType: 0, Status: int(status),
		BusinessDay: time.Now().Format(time.DateOnly), CustomerCount: 2, TotalFee: int64(rec.TotalFee), OrderJSON: rec.Encode(),
	}, IdemKey: fmt.Sprintf("k-%d-%d", time.Now().UnixNano(), tradeSeq), BodyHash: "h", TakeCode: true, TakeCodeStart: 5001})
	must(t, err)
	if customerID != 0 {
		must(t, db.Write(ctx, func(tx *store.Tx) error { return tx.SetOrderingOrderCustomer(o.TradeNo, customerID) }))
	}
	if before != nil {
		before(o.TradeNo)
	}
	must(t, channel.Placer{DB: db, Wake: wake}.Place(ctx, o))
	return o.TradeNo
}

var parsedMenu *menu.Menu

func testMenu(t *testing.T) *menu.Menu {
	if parsedMenu == nil {
		m, err := menu.Parse(service.SandboxMenu())
		must(t, err)
		parsedMenu = m
	}
	return parsedMenu
}

// weChatCustomer is a customer of restaurant 1 who logged in with WeChat
// under appID, stored as the customers service stores a login (the
// openid behind the restaurant id).
func weChatCustomer(t *testing.T, db *store.DB, appID, openid, token string) int64 {
	t.Helper()
	var id int64
	must(t, db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		if id, err = tx.InsertCustomer(1, ""); err != nil {
			return err
		}
		return tx.SaveCustomerIdentity(store.CustomerIdentity{CustomerID: id, Provider: "wechat", AppID: appID,
			Subject: "1:" + openid, AccessToken: token, RefreshToken: "refresh-" + openid})
	}))
	return id
}

// syncsOf are the sync requests the fake received for the order and
// status, in arrival order.
func syncsOf(srv *fake.Server, code, status string) (bodies []string, accepted int) {
	for _, r := range srv.Received() {
		if r.URI != fake.SyncPath {
			continue
		}
		var head struct {
			OutOrderNo string `json:"out_order_no"`
			Status     string `json:"status"`
		}
		if json.Unmarshal(r.Body, &head) != nil || head.OutOrderNo != code || head.Status != status {
			continue
		}
		bodies = append(bodies, string(r.Body))
		if r.Accepted {
			accepted++
		}
	}
	return bodies, accepted
}

func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
