package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/console"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	"github.com/posbridge/posbridge/ordering/service"
	"github.com/posbridge/posbridge/ordering/wechatsync"
	"github.com/posbridge/posbridge/store"
	"github.com/posbridge/posbridge/wechatpay"
	"github.com/posbridge/posbridge/wechatpay/fake"
)

// weChatSync is the WeChat Pay catering sync as the daemon runs it: the
// configured 服务商/渠道商 when wechatpay.enabled, else in sandbox mode a
// simulated WeChat Pay (wechatpay/fake) on loopback, so that the console
// shows sync states with no credentials. reporter is nil when scan-to-order
// is off or the sync is neither enabled nor sandboxed.
type weChatSync struct {
	reporter *wechatsync.Reporter
	sandbox  *fake.Sandbox
	db       *store.DB
	menus    atomic.Pointer[service.Channel] // set by attach, once the channel is open
}

// sandboxFailureRate of the sandbox's syncs get a 500 or a 429, so that
// retries show in the console.
const sandboxFailureRate = 0.1

func newWeChatSync(ctx context.Context, cfg *config.Config, db *store.DB, log *slog.Logger, now func() time.Time) (*weChatSync, error) {
	w := &weChatSync{db: db}
	if cfg.Ordering.Listen == "" {
		return w, nil
	}
	wcfg := cfg.WeChatPay
	var creds *wechatpay.Credentials
	var customerOf func(context.Context, string) (int64, bool, error)
	switch {
	case wcfg.Enabled:
		var err error
		if creds, err = wechatpay.LoadCredentials(&wcfg); err != nil {
			return nil, err
		}
	case cfg.Platform.Mode != config.ModeLive:
		var err error
		if wcfg, creds, err = w.startSandbox(cfg); err != nil {
			return nil, err
		}
		if customerOf, err = sandboxGuest(ctx, db, wcfg.SpAppID); err != nil {
			w.sandbox.Server.Close()
			return nil, err
		}
	default:
		return w, nil
	}
	client, err := wechatpay.NewClient(wcfg, creds, wechatpay.ClientOptions{Now: now, Logger: log.With("component", "wechatpay")})
	if err != nil {
		w.close()
		return nil, err
	}
	// Only WeChatIdentity is used here: the phones' logins are the
	// ordering listener's; a secret of its own keeps this one apart.
	tokens, err := customers.NewTokens([]byte(rand.Text()+rand.Text()), time.Hour, now)
	if err != nil {
		w.close()
		return nil, err
	}
	// A page token older than two hours is renewed at WeChat before a
	// (re)send, when the ordering page's official account is configured.
	var refresher wechatpay.LoginTokenRefresher
	if oc := cfg.Ordering.WeChat; oc.Configured() {
		wc, err := wechat.New(oc, wechat.Options{Logger: log})
		if err != nil {
			w.close()
			return nil, fmt.Errorf("ordering.wechat: %w", err)
		}
		refresher = &wechatsync.Refresher{DB: db, WeChat: wc}
	}
	w.reporter = wechatsync.New(wechatsync.Options{Refresher: refresher,
		DB: db, Config: wcfg, Sender: client, Identities: customers.NewService(db, nil, tokens, customers.Limits{}, log),
		Menus: weChatMenus{w}, Payments: weChatPayments{db}, PublicURL: func() string { return cfg.Ordering.PublicURL }, CustomerOf: customerOf,
		Now: now, Log: log.With("component", "wechatpay-sync"),
	})
	return w, nil
}

// startSandbox starts the simulated WeChat Pay with a sub-merchant for
// every scan-to-order restaurant and returns the section that syncs to it.
func (w *weChatSync) startSandbox(cfg *config.Config) (wechatpay.Config, *wechatpay.Credentials, error) {
	var subs []fake.SubMerchant
	var rests []wechatpay.Restaurant
	for i, r := range cfg.Ordering.Restaurants {
		sub := fake.SubMerchant{SubMchID: fmt.Sprintf("19000002%02d", i), SubAppID: fmt.Sprintf("wx00000000sandbox%d", i)}
		subs = append(subs, sub)
		rests = append(rests, wechatpay.Restaurant{ID: r.ID, SubMchID: sub.SubMchID, SubAppID: sub.SubAppID, OutShopNo: r.StoreID})
	}
	sb, err := fake.StartSandbox("127.0.0.1:0", subs, sandboxFailureRate)
	if err != nil {
		return wechatpay.Config{}, nil, err
	}
	w.sandbox = sb
	wcfg := wechatpay.Config{Enabled: true, Mode: wechatpay.ModeServiceProvider, SpMchID: sb.MchID, SpAppID: sb.SpAppID,
		MerchantSerialNo: sb.MerchantSerial, PublicKeyID: sb.Server.PublicKeyID(), BaseURL: sb.BaseURL, Restaurants: rests}
	return wcfg, &wechatpay.Credentials{MerchantKey: sb.MerchantKey, PublicKey: sb.Server.PublicKey()}, nil
}

// sandboxGuest is the sandbox's simulated guests' WeChat login (under the
// provider's sp_appid), made once: every sandbox order placed without a
// login is taken as theirs, so that it is synced.
func sandboxGuest(ctx context.Context, db *store.DB, spAppID string) (func(context.Context, string) (int64, bool, error), error) {
	const openid = "oSandboxGuest000000000000000"
	var id int64
	err := db.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.CustomerByIdentity("wechat", spAppID, "0:"+openid)
		if err == nil {
			id = c.ID
		} else if id, err = tx.InsertCustomer(0, ""); err != nil {
			return err
		}
		return tx.SaveCustomerIdentity(store.CustomerIdentity{CustomerID: id, Provider: "wechat", AppID: spAppID, Subject: "0:" + openid,
			AccessToken: "sandbox-" + rand.Text(), RefreshToken: "sandbox-refresh"})
	})
	if err != nil {
		return nil, fmt.Errorf("sandbox WeChat guest: %w", err)
	}
	return func(context.Context, string) (int64, bool, error) { return id, true, nil }, nil
}

// reporters are the bridge reporters it adds.
func (w *weChatSync) reporters() []bridge.Reporter {
	if w.reporter == nil {
		return nil
	}
	return []bridge.Reporter{w.reporter}
}

// attach hands it the scan-to-order menus, once the channel is open, and
// returns the console's view of it (nil when off: an interface holding a
// nil pointer would not be nil).
func (w *weChatSync) attach(b *bridge.Bridge, scan *scanToOrder) console.WeChatSyncDesk {
	if w.reporter == nil {
		return nil
	}
	if scan != nil && scan.svc != nil {
		w.menus.Store(scan.svc)
	}
	return &wechatsync.Desk{DB: w.db, Bridge: b}
}

func (w *weChatSync) close() {
	if w.sandbox != nil {
		w.sandbox.Server.Close()
	}
}

// weChatMenus reads the scan-to-order menus once attach handed them over
// (the reporter is made, and may run, before the channel opens).
type weChatMenus struct{ w *weChatSync }

func (m weChatMenus) Menu(rid int64) (*menu.Menu, string, bool) {
	svc := m.w.menus.Load()
	if svc == nil {
		return nil, "", false
	}
	return svc.Menu(rid)
}
