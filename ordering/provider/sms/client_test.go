package sms_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/provider"
	"github.com/posbridge/posbridge/ordering/provider/sms"
	"github.com/posbridge/posbridge/ordering/provider/sms/fake"
)

const token = "gw-token-9f8e7d6c5b4a"

func start(t *testing.T) *fake.Gateway {
	t.Helper()
	g, err := fake.Start("127.0.0.1:0", token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	return g
}

func newClient(t *testing.T, cfg sms.Config, timeout time.Duration, log *bytes.Buffer) *sms.Client {
	t.Helper()
	o := sms.Options{Timeout: timeout}
	if log != nil {
		o.Logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c, err := sms.New(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var msg = sms.Message{Phone: "13612349227", Code: "481516", Context: sms.ContextLogin, RestaurantID: 1}

func TestSendReachesTheGateway(t *testing.T) {
	g := start(t)
	var log bytes.Buffer
	c := newClient(t, sms.Config{WebhookURL: g.URL(), Token: token}, 0, &log)
	if err := c.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := g.Messages()
	if len(got) != 1 || got[0] != (fake.Message{Phone: "13612349227", Code: "481516", Context: "login", RestaurantID: 1}) {
		t.Fatalf("gateway got %+v", got)
	}
	assertLogClean(t, log.String())
	if !strings.Contains(log.String(), "136****9227") {
		t.Fatalf("log does not name the masked phone: %s", log.String())
	}
}

func TestInternationalPhoneKeepsThePlus(t *testing.T) {
	g := start(t)
	c := newClient(t, sms.Config{WebhookURL: g.URL(), Token: token}, 0, nil)
	m := msg
	m.Phone, m.Context = "+79118064728", sms.ContextRegister
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if g.LastCode("+79118064728") != "481516" {
		t.Fatalf("gateway got %+v", g.Messages())
	}
}

func TestWrongTokenIsAFailedSendWithoutTheToken(t *testing.T) {
	g := start(t)
	var log bytes.Buffer
	c := newClient(t, sms.Config{WebhookURL: g.URL(), Token: "wrong-token-123456"}, 0, &log)
	err := c.Send(context.Background(), msg)
	var ge *sms.GatewayError
	if !errors.As(err, &ge) || ge.Status != 401 {
		t.Fatalf("err = %v, want HTTP 401", err)
	}
	if strings.Contains(err.Error(), "wrong-token-123456") || strings.Contains(log.String(), "wrong-token-123456") {
		t.Fatal("the token leaked into the error or the log")
	}
	if len(g.Messages()) != 0 || g.Refused() != 1 {
		t.Fatal("the gateway should have refused the message")
	}
}

func TestGatewayFailure(t *testing.T) {
	g := start(t)
	c := newClient(t, sms.Config{WebhookURL: g.URL(), Token: token}, 0, nil)
	g.FailNext(503, 400)
	for _, want := range []int{503, 400} {
		err := c.Send(context.Background(), msg)
		var ge *sms.GatewayError
		var te *provider.TransportError
		switch {
		case errors.As(err, &ge) && ge.Status == want:
		case want == 503 && errors.As(err, &te):
		default:
			t.Fatalf("err = %v, want HTTP %d", err, want)
		}
	}
	if err := c.Send(context.Background(), msg); err != nil {
		t.Fatalf("after the failures: %v", err)
	}
}

func TestHangingGatewayFailsInTime(t *testing.T) {
	g := start(t)
	g.Hang(true)
	var log bytes.Buffer
	c := newClient(t, sms.Config{WebhookURL: g.URL(), Token: token}, 200*time.Millisecond, &log)
	err := c.Send(context.Background(), msg)
	var te *provider.TransportError
	if !errors.As(err, &te) || !te.Timeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
	assertLogClean(t, log.String())
}

func TestTimeoutNeverExceedsTheContract(t *testing.T) {
	// A longer Options.Timeout is capped: the customer waits for this call.
	g := start(t)
	g.Hang(true)
	c := newClient(t, sms.Config{WebhookURL: g.URL(), Token: token}, time.Hour, nil)
	ctx, cancel := context.WithTimeout(context.Background(), sms.Timeout+30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Send(ctx, msg) }()
	select {
	case err := <-done:
		if !provider.IsTransport(err) {
			t.Fatalf("err = %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Send outlived the 5 s contract")
	}
}

func TestBadMessageNotSent(t *testing.T) {
	g := start(t)
	c := newClient(t, sms.Config{WebhookURL: g.URL(), Token: token}, 0, nil)
	for _, m := range []sms.Message{
		{Code: "123456", Context: "login", RestaurantID: 1},
		{Phone: "13612349227", Code: "12a456", Context: "login", RestaurantID: 1},
		{Phone: "13612349227", Code: "123456", Context: "reset", RestaurantID: 1},
		{Phone: "13612349227", Code: "123456", Context: "login"},
	} {
		if err := c.Send(context.Background(), m); !errors.Is(err, sms.ErrInvalidMessage) {
			t.Errorf("%+v: err = %v", m, err)
		}
	}
	if len(g.Messages())+g.Refused() != 0 {
		t.Fatal("an invalid message reached the gateway")
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		cfg  sms.Config
		want string // "" = valid
	}{
		{sms.Config{}, ""},
		{sms.Config{WebhookURL: "https://sms.example.com/send", Token: "t"}, ""},
		{sms.Config{WebhookURL: "http://192.168.1.20:8080/send", Token: "t"}, ""},
		{sms.Config{WebhookURL: "https://sms.example.com/send"}, "sms.token: is empty"},
		{sms.Config{Token: "t"}, "sms.webhook_url: is empty"},
		{sms.Config{WebhookURL: "http://sms.example.com/send", Token: "t"}, "must use https://"},
		{sms.Config{WebhookURL: "sms.example.com", Token: "t"}, "is not an http(s) address"},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: err = %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestSandboxShowsTheCode(t *testing.T) {
	var log bytes.Buffer
	s := sms.NewSandbox(slog.New(slog.NewTextHandler(&log, nil)), nil)
	var _ sms.Sender = s
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	r := s.Recent()
	if len(r) != 1 || r[0].Code != "481516" || r[0].Phone != "136****9227" {
		t.Fatalf("recent = %+v", r)
	}
	if !strings.Contains(log.String(), "481516") || strings.Contains(log.String(), "13612349227") {
		t.Fatalf("sandbox log: %s", log.String())
	}
}

func assertLogClean(t *testing.T, log string) {
	t.Helper()
	for _, secret := range []string{"13612349227", "481516", token} {
		if strings.Contains(log, secret) {
			t.Fatalf("log contains %q: %s", secret, log)
		}
	}
}
