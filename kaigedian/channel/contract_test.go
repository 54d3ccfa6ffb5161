package channel_test

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge/channeltest"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/channel"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

var (
	keysOnce sync.Once
	merchant *rsa.PrivateKey
	keysErr  error
)

// The 开个店 channel keeps bridge's channel contract against the fake
// platform, which checks every request's RSA2 signature as 开个店 does.
func TestContract(t *testing.T) {
	channeltest.Run(t, func(t *testing.T) channeltest.Fixture {
		keysOnce.Do(func() { merchant, keysErr = rsa.GenerateKey(rand.Reader, 2048) })
		if keysErr != nil {
			t.Fatal(keysErr)
		}
		p, err := fake.New(fake.Options{MerchantKey: merchant, AccessToken: "ct-token", PartnerID: "ct", AppID: "ct"})
		if err != nil {
			t.Fatal(err)
		}
		base, err := p.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Close() })
		client, err := kaigedian.NewClient(kaigedian.Config{BaseURL: base, PartnerID: "ct", AppID: "ct", AccessToken: "ct-token",
			PrivateKey: merchant, Timeout: 5 * time.Second, RatePerSecond: -1, QueryRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		status := func(t *testing.T, code string) order.Status {
			t.Helper()
			snap, ok := p.Order(code)
			if !ok {
				t.Fatalf("the fake has no order %s", code)
			}
			s, known := kaigedian.StatusFromPlatform(snap.PlatformStatus)
			if !known {
				t.Fatalf("the fake has %s in undocumented status %d", code, snap.PlatformStatus)
			}
			return s
		}
		return channeltest.Fixture{
			Channel: channel.New(client, nil),
			Place: func(t *testing.T) (string, string, []byte) {
				o := p.NewOrder(fake.OrderSpec{Type: order.TypePickup, NoPush: true})
				body := fmt.Sprintf(`{"orderCode":%q,"orderStatus":"1","timeStamp":"%d"}`, o.Code, time.Now().UnixMilli())
				return o.Code, string(kaigedian.PushOrder), []byte(body)
			},
			Status: status,
			CancelThere: func(t *testing.T, code string) {
				if err := p.CancelByUser(code, "不想要了"); err != nil {
					// After accept the customer's way out is a refund the
					// store cannot refuse in time: the platform cancels.
					if err := p.SetStatus(code, kaigedian.PlatformCancelled); err != nil {
						t.Fatal(err)
					}
				}
			},
			RequestRefund: func(t *testing.T, code string) {
				if err := p.RequestRefund(code, "不想要了"); err != nil {
					t.Fatal(err)
				}
			},
			FailNext: func(t *testing.T) { p.SetFault("*", fake.Fault{Kind: fake.FaultHTTP500, Times: 1}) },
		}
	})
}
