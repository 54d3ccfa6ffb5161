package customers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/posbridge/posbridge/ordering/provider/sms"
	smsfake "github.com/posbridge/posbridge/ordering/provider/sms/fake"
	"github.com/posbridge/posbridge/store"
)

// clock is a test clock the store and the tokens share.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type rig struct {
	svc     *Service
	db      *store.DB
	gateway *smsfake.Gateway
	clock   *clock
}

func newRig(t *testing.T) *rig {
	t.Helper()
	clk := &clock{t: time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "posbridge.db"), store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	gw, err := smsfake.Start("127.0.0.1:0", "sms-gateway-token")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close() })
	sender, err := sms.New(sms.Config{WebhookURL: gw.URL(), Token: "sms-gateway-token"}, sms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := LoadOrCreateSecret(filepath.Join(t.TempDir(), "jwt-secret"))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := NewTokens(secret, 0, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{svc: NewService(db, sender, tokens, Limits{}, nil), db: db, gateway: gw, clock: clk}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"18682265887": "18682265887", "+8618682265887": "18682265887", "+79118064728": "+79118064728",
		" 186-8226-5887 ": "18682265887", "+85291234567": "+85291234567",
	} {
		if got, err := NormalizePhone(in); err != nil || got != want {
			t.Errorf("%q → %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "irweirweiriwe", "1868226588", "28682265887", "+0123456789", "+1234567890123456"} {
		if _, err := NormalizePhone(bad); !errors.Is(err, ErrBadPhone) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The code the gateway got logs the phone in once, as the same customer
// every time; a wrong, reused or stale code is refused.
func TestSMSLogin(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	sent, err := r.svc.SendCode(ctx, 1, "+8613800138000", "login", "10.0.0.5")
	if err != nil || !sent {
		t.Fatalf("send: %v %v", sent, err)
	}
	code := r.gateway.LastCode("13800138000")
	if len(code) != 6 {
		t.Fatalf("the gateway got %q", code)
	}
	wrongCode := "000000"
	if code == wrongCode {
		wrongCode = "111111"
	}
	if _, _, _, err := r.svc.Login(ctx, 1, "13800138000", wrongCode); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("a wrong code: %v", err)
	}
	id, token, ttl, err := r.svc.Login(ctx, 1, "13800138000", code)
	if err != nil || ttl != 86400 {
		t.Fatalf("login: %v ttl %d", err, ttl)
	}
	claims, err := r.svc.Tokens().Verify(token)
	if err != nil || claims.CustomerID != id || claims.RestaurantID != 1 {
		t.Fatalf("the token: %+v %v", claims, err)
	}
	if _, _, _, err := r.svc.Login(ctx, 1, "13800138000", code); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("a code used twice: %v", err)
	}
	r.clock.Add(61 * time.Second)
	if _, err := r.svc.SendCode(ctx, 1, "13800138000", "login", "10.0.0.5"); err != nil {
		t.Fatal(err)
	}
	again, _, _, err := r.svc.Login(ctx, 1, "13800138000", r.gateway.LastCode("13800138000"))
	if err != nil || again != id {
		t.Fatalf("the second login is customer %d (%v), want %d", again, err, id)
	}
	r.clock.Add(61 * time.Second)
	if _, err := r.svc.SendCode(ctx, 1, "13800138000", "login", "10.0.0.5"); err != nil {
		t.Fatal(err)
	}
	r.clock.Add(5*time.Minute + time.Second)
	if _, _, _, err := r.svc.Login(ctx, 1, "13800138000", r.gateway.LastCode("13800138000")); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("a code after five minutes: %v", err)
	}
}

// Twenty wrong codes at once count five tries and void the code: the right
// one is refused after them.
func TestFiveWrongTriesVoidTheCodeUnderConcurrency(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.svc.SendCode(ctx, 1, "13900139000", "login", "10.0.0.6"); err != nil {
		t.Fatal(err)
	}
	code := r.gateway.LastCode("13900139000")
	var wrong atomic.Int64
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			guess := fmt.Sprintf("%06d", (i*7919+1)%1000000)
			if guess == code {
				guess = "x"
			}
			if _, _, _, err := r.svc.Login(ctx, 1, "13900139000", guess); errors.Is(err, ErrWrongCode) {
				wrong.Add(1)
			}
		})
	}
	wg.Wait()
	if wrong.Load() != 20 {
		t.Fatalf("%d of 20 wrong guesses refused", wrong.Load())
	}
	conn, err := sql.Open("sqlite3", "file:"+r.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var tries int
	if err := conn.QueryRow("SELECT tries FROM phone_codes ORDER BY id DESC LIMIT 1").Scan(&tries); err != nil || tries != 5 {
		t.Fatalf("the code counted %d tries (%v), want 5", tries, err)
	}
	if _, _, _, err := r.svc.Login(ctx, 1, "13900139000", code); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("the right code after five wrong ones: %v", err)
	}
}

// One code a minute per phone, ten a day per address; a gateway that fails
// answers send false and loses nothing else.
func TestSMSLimits(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.svc.SendCode(ctx, 1, "13700137000", "login", "10.0.0.7"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.SendCode(ctx, 1, "13700137000", "login", "10.0.0.8"); !errors.Is(err, ErrTooSoon) {
		t.Fatalf("a second code within 60 s: %v", err)
	}
	for i := 1; i < 10; i++ {
		if _, err := r.svc.SendCode(ctx, 1, fmt.Sprintf("1370013%04d", i), "login", "10.0.0.7"); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if _, err := r.svc.SendCode(ctx, 1, "13700139999", "login", "10.0.0.7"); !errors.Is(err, ErrSendLimit) {
		t.Fatalf("the eleventh code from one address in a day: %v", err)
	}
	r.gateway.FailNext(500)
	sent, err := r.svc.SendCode(ctx, 1, "13600136000", "register", "10.0.0.9")
	if err != nil || sent {
		t.Fatalf("a failing gateway: sent %v, %v", sent, err)
	}
	if _, err := r.svc.SendCode(ctx, 1, "13600136001", "logout", "10.0.0.9"); !errors.Is(err, ErrBadContext) {
		t.Fatalf("an unknown context: %v", err)
	}
}

// A customer without a phone binds one with a register code; a second phone,
// or a phone another customer has, is refused.
func TestBindPhone(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	var wechatUser, other int64
	if err := r.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if wechatUser, err = tx.InsertCustomer(1, ""); err != nil {
			return err
		}
		other, err = tx.InsertCustomer(1, "13500135000")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_ = other
	if _, err := r.svc.SendCode(ctx, 1, "13500135000", "register", "10.0.1.1"); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.BindPhone(ctx, wechatUser, "13500135000", r.gateway.LastCode("13500135000")); !errors.Is(err, ErrPhoneInUse) {
		t.Fatalf("another customer's phone: %v", err)
	}
	if _, err := r.svc.SendCode(ctx, 1, "13400134000", "register", "10.0.1.1"); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.BindPhone(ctx, wechatUser, "13400134000", "999999x"); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("a wrong code: %v", err)
	}
	if err := r.svc.BindPhone(ctx, wechatUser, "13400134000", r.gateway.LastCode("13400134000")); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.BindPhone(ctx, wechatUser, "13300133000", "123456"); !errors.Is(err, ErrHasPhone) {
		t.Fatalf("a second phone: %v", err)
	}
}

// Tokens: tampered, expired, another secret, or alg none are refused.
func TestTokens(t *testing.T) {
	r := newRig(t)
	tok, _, err := r.svc.Tokens().Issue(42, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := r.svc.Tokens().Verify(tok); err != nil || c.CustomerID != 42 {
		t.Fatalf("a fresh token: %+v %v", c, err)
	}
	if _, err := r.svc.Tokens().Verify(tok[:len(tok)-2] + "xx"); !errors.Is(err, ErrBadToken) {
		t.Fatalf("a tampered token: %v", err)
	}
	other, _ := NewTokens([]byte("another-secret-another-secret-0123456789"), 0, r.clock.Now)
	forged, _, _ := other.Issue(42, 1)
	if _, err := r.svc.Tokens().Verify(forged); !errors.Is(err, ErrBadToken) {
		t.Fatalf("a token of another secret: %v", err)
	}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.RegisteredClaims{Subject: "42", Issuer: issuer,
		Audience: jwt.ClaimStrings{"1"}, ExpiresAt: jwt.NewNumericDate(r.clock.Now().Add(time.Hour))}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if _, err := r.svc.Tokens().Verify(none); !errors.Is(err, ErrBadToken) {
		t.Fatalf("an unsigned token: %v", err)
	}
	r.clock.Add(DefaultTTL + time.Second)
	if _, err := r.svc.Tokens().Verify(tok); !errors.Is(err, ErrBadToken) {
		t.Fatalf("an expired token: %v", err)
	}
	if FromHeader("Bearer abc") != "abc" || FromHeader("JWT abc") != "abc" || FromHeader("Basic abc") != "" {
		t.Fatal("FromHeader")
	}
}

func TestSecretFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "jwt-secret")
	a, err := LoadOrCreateSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("the secret file is %v, want 0600", info.Mode().Perm())
	}
	b, err := LoadOrCreateSecret(path)
	if err != nil || string(a) != string(b) {
		t.Fatal("the secret changed on the second start: every customer would be logged out")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSecret(path); err == nil {
		t.Fatal("a world-readable secret was used")
	}
}
