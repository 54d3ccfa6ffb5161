package wechat

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// StateSigner makes the OAuth state a value only posbridge can have made,
// within WeChat's alphabet ([a-zA-Z0-9], ≤ 128 bytes): payload, then the
// issue time (8 base-36 digits), then 32 hex digits of HMAC-SHA256.
type StateSigner struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

const (
	stateTimeLen = 8
	stateMACLen  = 32
	// MaxStatePayload is the longest payload Sign takes.
	MaxStatePayload = MaxStateLen - stateTimeLen - stateMACLen
)

var payloadRE = regexp.MustCompile(`^[a-zA-Z0-9]*$`)

// ErrBadState is a state posbridge did not sign, changed, or signed too long ago.
var ErrBadState = errors.New("wechat: invalid or expired state")

// NewStateSigner signs with key (at least 16 bytes) and accepts states for ttl.
func NewStateSigner(key []byte, ttl time.Duration, now func() time.Time) (*StateSigner, error) {
	if len(key) < 16 {
		return nil, errors.New("wechat: the state key must be at least 16 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &StateSigner{key: append([]byte(nil), key...), ttl: ttl, now: now}, nil
}

// Sign returns the state for payload ([a-zA-Z0-9], at most MaxStatePayload).
func (s *StateSigner) Sign(payload string) (string, error) {
	if len(payload) > MaxStatePayload || !payloadRE.MatchString(payload) {
		return "", fmt.Errorf("wechat: state payload must be at most %d characters of a-z, A-Z, 0-9", MaxStatePayload)
	}
	ts := strconv.FormatInt(s.now().Unix(), 36)
	ts = strings.Repeat("0", stateTimeLen-len(ts)) + ts
	return payload + ts + s.mac(payload+ts), nil
}

// Verify checks state and returns its payload.
func (s *StateSigner) Verify(state string) (string, error) {
	if len(state) < stateTimeLen+stateMACLen || len(state) > MaxStateLen {
		return "", ErrBadState
	}
	body, mac := state[:len(state)-stateMACLen], state[len(state)-stateMACLen:]
	if !hmac.Equal([]byte(mac), []byte(s.mac(body))) {
		return "", ErrBadState
	}
	issued, err := strconv.ParseInt(body[len(body)-stateTimeLen:], 36, 64)
	if err != nil {
		return "", ErrBadState
	}
	age := s.now().Sub(time.Unix(issued, 0))
	if age < -time.Minute || age > s.ttl {
		return "", ErrBadState
	}
	return body[:len(body)-stateTimeLen], nil
}

func (s *StateSigner) mac(msg string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("wechat-oauth-state:" + msg))
	return hex.EncodeToString(m.Sum(nil))[:stateMACLen]
}
