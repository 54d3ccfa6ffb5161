package app

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/store"
)

// Sandbox is the embedded simulated 开个店: it produces realistic orders,
// pushes them to our push listener and answers our calls, all on loopback.
type Sandbox struct {
	Platform *fake.Platform
	Client   *kaigedian.Client
	PushKey  *rsa.PublicKey
	BaseURL  string
	rate     float64
}

// sandboxRate is orders per second in the sandbox: one every ~12 s, enough to
// watch the flow without flooding the screen.
const sandboxRate = 1.0 / 12

func startSandbox(ctx context.Context, cfg *config.Config, db *store.DB, pushAddr string, log *slog.Logger) (*Sandbox, error) {
	merchantKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	// Pickup numbers go on from today's, so a restart does not hand out a
	// second 1003 (the real platform's pickUpGoodsNo are never renumbered).
	used, err := db.PickupNumbersUsed(ctx, bridge.BusinessDay(time.Now()))
	if err != nil {
		return nil, fmt.Errorf("sandbox platform: %w", err)
	}
	var stores []fake.Store
	for _, s := range cfg.Stores {
		stores = append(stores, fake.Store{ID: s.ID, Name: s.Name, Menu: config.SandboxMenus[s.ID]})
	}
	opts := fake.Options{MerchantPublicKey: &merchantKey.PublicKey, AccessToken: "sandbox-token", PartnerID: "sandbox",
		AppID: "sandbox", Stores: stores, Seed: time.Now().UnixNano(), PushSigned: true, PushToken: cfg.Push.Token,
		Logger: log.With("component", "sandbox-platform"), PickupUsed: used}
	if pushAddr != "" {
		opts.PushURL = "http://" + pushAddr
	}
	p, err := fake.New(opts)
	if err != nil {
		return nil, fmt.Errorf("sandbox platform: %w", err)
	}
	baseURL, err := p.Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sandbox platform: %w", err)
	}
	client, err := kaigedian.NewClient(kaigedian.Config{BaseURL: baseURL, PartnerID: "sandbox", AppID: "sandbox",
		AccessToken: "sandbox-token", PrivateKey: merchantKey, Timeout: 5 * time.Second, RatePerSecond: 50, Logger: log})
	if err != nil {
		p.Close()
		return nil, err
	}
	return &Sandbox{Platform: p, Client: client, PushKey: p.PlatformPublicKey(), BaseURL: baseURL, rate: sandboxRate}, nil
}

// run produces orders until ctx ends.
func (s *Sandbox) run(ctx context.Context) error {
	defer s.Platform.Close()
	// The first order comes at once, so that whoever started the sandbox
	// sees the flow before wondering whether it works.
	s.Platform.Run(ctx, fake.GeneratorOptions{Rate: s.rate, CancelRatio: 0.08, RefundRatio: 0.08, FirstAfter: 2 * time.Second})
	return nil
}
