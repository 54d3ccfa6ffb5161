package wechat_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/internal/clock"
	"github.com/posbridge/posbridge/ordering/provider/wechat"
)

func TestStateSigner(t *testing.T) {
	clk := clock.New(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	s, err := wechat.NewStateSigner([]byte("0123456789abcdef0123"), 10*time.Minute, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Sign("r1t5")
	if err != nil {
		t.Fatal(err)
	}
	if len(st) > wechat.MaxStateLen || strings.Trim(st, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		t.Fatalf("state %q is outside WeChat's alphabet or length", st)
	}
	if p, err := s.Verify(st); err != nil || p != "r1t5" {
		t.Fatalf("verify: %q %v", p, err)
	}
	tampered := "r1t6" + st[4:]
	if _, err := s.Verify(tampered); !errors.Is(err, wechat.ErrBadState) {
		t.Fatal("a changed payload verified")
	}
	other, _ := wechat.NewStateSigner([]byte("another key of 16+ bytes"), 10*time.Minute, clk.Now)
	if _, err := other.Verify(st); !errors.Is(err, wechat.ErrBadState) {
		t.Fatal("another key's state verified")
	}
	clk.Advance(11 * time.Minute)
	if _, err := s.Verify(st); !errors.Is(err, wechat.ErrBadState) {
		t.Fatal("an expired state verified")
	}
	if _, err := s.Sign("a:b"); err == nil {
		t.Fatal("a payload outside the alphabet was signed")
	}
	if _, err := s.Sign(strings.Repeat("a", wechat.MaxStatePayload)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify("short"); !errors.Is(err, wechat.ErrBadState) {
		t.Fatal("garbage verified")
	}
}
