package app

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/ordering/api"
	"github.com/posbridge/posbridge/ordering/checkout"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/sandbox"
	"github.com/posbridge/posbridge/ordering/provider/facebook"
	"github.com/posbridge/posbridge/ordering/provider/qfpay"
	"github.com/posbridge/posbridge/ordering/provider/shouqianba"
	"github.com/posbridge/posbridge/ordering/provider/sms"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
	"github.com/posbridge/posbridge/store"
)

// orderingCustomers is issue 16 as the daemon runs it: the customers'
// logins (SMS through the store's gateway, or the sandbox's console; WeChat,
// Facebook), and online payment through 钱方, 收钱吧 or the sandbox's
// simulated pay page, with its expiry and refund sweep.
type orderingCustomers struct {
	payments *checkout.Payments
	sms      *sms.Sandbox // the sandbox's codes, shown in the console's log
	sandbox  *sandbox.Provider
	// providers are each restaurant's payment providers by name (钱方, 收钱吧,
	// the sandbox): member top-ups use them too (members.go).
	providers map[int64]map[string]payment.Provider

	mu  sync.Mutex
	api *api.Server // set once the listener is built
}

// sandboxPayPath is where the sandbox's simulated pay page is served on the
// ordering listener.
const sandboxPayPath = "/sandbox-pay/"

// openCustomers builds it; extend adds it to the API's options.
func (s *scanToOrder) openCustomers(start func(string, func(context.Context) error)) (extend func(*api.Options), err error) {
	cfg := s.cfg
	o := cfg.Ordering
	secret, err := customers.LoadOrCreateSecret(cfg.JWTSecretPath())
	if err != nil {
		return nil, err
	}
	tokens, err := customers.NewTokens(secret, customers.DefaultTTL, s.now)
	if err != nil {
		return nil, err
	}
	oc := &orderingCustomers{}
	// the sandbox, and a store on the simulated 开个店, try everything with
	// no credentials: SMS codes in the log, a simulated pay page
	trial := cfg.Sandbox || cfg.Platform.Mode == config.ModeSandbox
	var sender sms.Sender
	switch {
	case o.SMS.Configured():
		if sender, err = sms.New(o.SMS, sms.Options{Logger: s.log}); err != nil {
			return nil, fmt.Errorf("ordering.sms: %w", err)
		}
	case trial:
		oc.sms = sms.NewSandbox(s.log, s.now)
		sender = oc.sms
	}
	svc := customers.NewService(s.db, sender, tokens, customers.DefaultLimits, s.log)
	var wc *wechat.Client
	if o.WeChat.Configured() {
		if wc, err = wechat.New(o.WeChat, wechat.Options{Logger: s.log}); err != nil {
			return nil, fmt.Errorf("ordering.wechat: %w", err)
		}
	}
	var fb *facebook.Client
	if o.Facebook.Configured() {
		if fb, err = facebook.New(o.Facebook, facebook.Options{Logger: s.log}); err != nil {
			return nil, fmt.Errorf("ordering.facebook: %w", err)
		}
	}
	oauth, err := svc.NewOAuth(wc, fb, s.now)
	if err != nil {
		return nil, err
	}

	publicBase := func() string {
		if o := strings.TrimRight(s.cfg.Ordering.PublicURL, "/"); o != "" {
			return o
		}
		return "http://" + s.cfg.Ordering.Listen
	}
	provs := map[int64]map[string]payment.Provider{}
	qfs := map[int64]*qfpay.Client{}
	var rids []int64
	mount := map[string]http.Handler{}
	if trial {
		if oc.sandbox, err = sandbox.New(sandbox.Options{BaseURL: publicBase() + strings.TrimSuffix(sandboxPayPath, "/"), Logger: s.log, Now: s.now}); err != nil {
			return nil, err
		}
		mount[sandboxPayPath] = http.StripPrefix(strings.TrimSuffix(sandboxPayPath, "/"), oc.sandbox.Handler())
	}
	for _, r := range o.Restaurants {
		rids = append(rids, r.ID)
		provs[r.ID] = map[string]payment.Provider{}
		if qc := o.QFPayOf(r.ID); qc.Configured() {
			c, err := qfpay.New(qc, qfpay.Options{Logger: s.log, Now: s.now})
			if err != nil {
				return nil, fmt.Errorf("restaurant %d: 钱方: %w", r.ID, err)
			}
			qfs[r.ID], provs[r.ID][qfpay.Name] = c, qfpay.NewProvider(c)
		}
		if sc := o.SQBOf(r.ID); sc.Configured() {
			name := ""
			if r.Payment.SQB.Configured() {
				name = strconv.FormatInt(r.ID, 10)
			}
			c, err := shouqianba.New(sc, shouqianba.Options{DataDir: cfg.DataDir, Name: name, Logger: s.log, Now: s.now})
			if err != nil {
				return nil, fmt.Errorf("restaurant %d: 收钱吧: %w", r.ID, err)
			}
			provs[r.ID][shouqianba.Name] = shouqianba.NewProvider(c)
		}
		if oc.sandbox != nil {
			provs[r.ID][sandbox.Name] = oc.sandbox
		}
	}
	oc.payments = checkout.New(checkout.Options{
		DB: s.db, Restaurants: rids, Expire: o.Payment.Expire, Now: s.now, Log: s.log,
		Provider: func(rid int64, name string) (payment.Provider, bool) {
			p, ok := provs[rid][name]
			return p, ok
		},
		NotifyURL: func(name string) string { return publicBase() + "/api/v1/frontend/payments/" + name + "/notify" },
		Paid: func(ctx context.Context, ord *store.OrderingOrder) {
			if a := oc.server(); a != nil {
				a.PlacePaid(ctx, ord)
			}
		},
		Changed: func(id int64) {
			if a := oc.server(); a != nil {
				a.Changed(id)
			}
		},
	})
	oc.providers = provs
	s.customers = oc
	start("ordering payments", func(ctx context.Context) error {
		oc.payments.Run(ctx, 0)
		if oc.sandbox != nil {
			oc.sandbox.Shutdown()
		}
		return nil
	})
	return func(ao *api.Options) {
		ao.Tokens, ao.Customers, ao.OAuth, ao.Payments, ao.PublicURL, ao.Mount = tokens, svc, oauth, oc.payments, s.cfg.Ordering.PublicURL, mount
		ao.QFPay = func(rid int64) (*qfpay.Client, bool) {
			c, ok := qfs[rid]
			return c, ok
		}
	}, nil
}

func (oc *orderingCustomers) server() *api.Server {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	return oc.api
}

func (oc *orderingCustomers) setServer(a *api.Server) {
	oc.mu.Lock()
	oc.api = a
	oc.mu.Unlock()
}

// changed is told of every status change bridge makes: a paid order the
// store rejected or cancelled is refunded through its provider (an outbox
// row; the sweep sends it, never twice).
func (oc *orderingCustomers) changed(ctx context.Context, db *store.DB, id int64) {
	if oc == nil {
		return
	}
	o, err := db.OrderingOrder(ctx, id)
	if err != nil || o.PaidAt.IsZero() {
		return
	}
	if st := orders.Status(o.Status); st == orders.Rejected || st == orders.StoreCancelled {
		if _, err := oc.payments.RefundOrder(ctx, id, "rejected"); err != nil {
			// the next change or a restart tries again; the console lists the order
			return
		}
	}
}
